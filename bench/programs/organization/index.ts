/**
 * The benchmark's organization stack: the break-glass users of many accounts, `perAccount`
 * profiles in each account of the stack config `accounts`, each reached through the role
 * `roleName` there, all with the password of the secret config `password`.
 */
import * as pulumi from "@pulumi/pulumi";
import { LoginProfile } from "pulumi-iam-login-profile";

const config = new pulumi.Config();
const accounts = config.requireObject<string[]>("accounts");
const perAccount = config.requireNumber("perAccount");
const roleName = config.require("roleName");
const password = config.requireSecret("password");

for (const account of accounts) {
    const assumeRole = { roleArn: `arn:aws:iam::${account}:role/${roleName}` };
    for (let i = 0; i < perAccount; i++) {
        new LoginProfile(`bg-${account}-${i}`, { userName: `bg-${i}`, password, assumeRole });
    }
}
