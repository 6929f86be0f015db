import * as pulumi from "@pulumi/pulumi";
import { LoginProfile } from "pulumi-iam-login-profile";

const config = new pulumi.Config();

// No password: the resource generates one at create that satisfies the account's password policy.
const profile = new LoginProfile("generated", {
    userName: config.get("userName") ?? "alice",
    passwordLength: 24,
    // Any change of this value generates a new password, in place.
    rotationTrigger: config.get("rotation") ?? "2026-11",
    passwordResetRequired: true,
});

export const userName = profile.userName;
export const password = profile.password; // secret: pulumi stack output password --show-secrets
