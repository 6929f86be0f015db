/**
 * The benchmark's LoginProfile stack: one LoginProfile per entry of the stack config `profiles`
 * (the e2e harness's ProfileSpec shape), each with its password from the secret config `passwords`.
 * It exports nothing, so that the state holds the resources and nothing else.
 */
import * as pulumi from "@pulumi/pulumi";
import { LoginProfile } from "pulumi-iam-login-profile";

interface ProfileSpec {
    name: string;
    userName: string;
    passwordKey: string;
    passwordResetRequired?: boolean;
    /** Inputs beside these (a generated password's `password: null`, `rotateAfter`), as the e2e harness passes them. */
    extra?: Record<string, unknown>;
}

const config = new pulumi.Config();
const profiles = config.getObject<ProfileSpec[]>("profiles") ?? [];
const passwords = config.requireSecretObject<Record<string, string>>("passwords");

for (const spec of profiles) {
    new LoginProfile(spec.name, {
        userName: spec.userName,
        password: passwords.apply((all) => all[spec.passwordKey] ?? ""),
        passwordResetRequired: spec.passwordResetRequired ?? false,
        ...(spec.extra ?? {}),
    });
}
