// Arranges the IAM side of the demo against the endpoint in AWS_ENDPOINT_URL_IAM:
//   node scripts/iam-user.mjs create NAME          CreateUser
//   node scripts/iam-user.mjs first-sign-in NAME   clears the reset flag, as AWS does when the user sets a new password
import { CreateUserCommand, IAMClient, UpdateLoginProfileCommand } from "@aws-sdk/client-iam";

const [command, userName] = process.argv.slice(2);
const client = new IAMClient({});
if (command === "create" && userName) {
    await client.send(new CreateUserCommand({ UserName: userName }));
    console.log(`created IAM user ${userName}`);
} else if (command === "first-sign-in" && userName) {
    await client.send(new UpdateLoginProfileCommand({ UserName: userName, PasswordResetRequired: false }));
    console.log(`${userName} signed in and chose a new password`);
} else {
    console.error("usage: node scripts/iam-user.mjs create|first-sign-in USER_NAME");
    process.exit(2);
}
