// Arranges the IAM side of the demo against the endpoint in AWS_ENDPOINT_URL_IAM:
//   node scripts/iam-user.mjs create NAME          CreateUser
//   node scripts/iam-user.mjs reset-password NAME  an administrator sets a new password outside Pulumi (the reset flag as it was)
//   node scripts/iam-user.mjs first-sign-in NAME   the user signs in and sets a new password; AWS clears the reset flag
// The passwords set here are random and never printed.
import { randomBytes } from "node:crypto";
import { CreateUserCommand, IAMClient, UpdateLoginProfileCommand } from "@aws-sdk/client-iam";

const [command, userName] = process.argv.slice(2);
const client = new IAMClient({});
const randomPassword = () => `${randomBytes(18).toString("base64")}-Aa1!`;
if (command === "create" && userName) {
    await client.send(new CreateUserCommand({ UserName: userName }));
    console.log(`created IAM user ${userName}`);
} else if (command === "reset-password" && userName) {
    await client.send(new UpdateLoginProfileCommand({ UserName: userName, Password: randomPassword() }));
    console.log(`an administrator set a new console password for ${userName} outside Pulumi`);
} else if (command === "first-sign-in" && userName) {
    await client.send(new UpdateLoginProfileCommand({ UserName: userName, Password: randomPassword(), PasswordResetRequired: false }));
    console.log(`${userName} signed in and chose a new password`);
} else {
    console.error("usage: node scripts/iam-user.mjs create|reset-password|first-sign-in USER_NAME");
    process.exit(2);
}
