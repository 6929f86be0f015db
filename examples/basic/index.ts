import * as pulumi from "@pulumi/pulumi";
import { LoginProfile } from "pulumi-iam-login-profile";

const config = new pulumi.Config();

// The IAM user must exist already (created by @pulumi/aws, another stack, or by hand).
const profile = new LoginProfile("console-access", {
    userName: config.get("userName") ?? "alice",
    password: config.requireSecret("password"),
    passwordResetRequired: true,
});

export const userName = profile.userName;
export const createDate = profile.createDate;
export const passwordResetRequired = profile.passwordResetRequired;
export const passwordResetPending = profile.passwordResetPending;
export const password = profile.password; // shown as [secret]
