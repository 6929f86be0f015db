/**
 * The break-glass users of one account: a console password each, generated, to be changed at first
 * sign-in, made through the role the stack's configuration names. The runner (../run.ts) runs this
 * program as one stack per account and sets the configuration from the accounts file.
 */
import * as pulumi from "@pulumi/pulumi";
import { LoginProfile } from "pulumi-iam-login-profile";

const config = new pulumi.Config();
const assumeRole = { roleArn: config.require("roleArn"), externalId: config.requireSecret("externalId") };
const users = config.requireObject<string[]>("users");
const pgpKey = config.get("pgpKey") || undefined;

/** Per user: where the profile is, and its password (a secret output) or the password sealed to `pgpKey`. */
export const profiles = Object.fromEntries(
    users.map((userName) => {
        const profile = new LoginProfile(userName, { userName, passwordResetRequired: true, assumeRole, pgpKey });
        return [
            userName,
            {
                accountId: profile.accountId,
                userName: profile.userName,
                // `pulumi stack output profiles --show-secrets --stack <account>` when the glass is broken.
                ...(pgpKey === undefined ? { password: profile.password } : { encryptedPassword: profile.encryptedPassword }),
            },
        ];
    }),
);
