/**
 * The benchmark's plugin stack: bench/programs/profiles on the generated Node.js SDK, so that each
 * LoginProfile goes through the provider plugin instead of a dynamic provider. One LoginProfile per
 * entry of the stack config `profiles`, each with its password from the secret config `passwords`.
 * It exports nothing, so that the state holds the resources and nothing else.
 */
import * as pulumi from "@pulumi/pulumi";
import { LoginProfile } from "@pulumi-iam-login-profile/sdk";

interface ProfileSpec {
    name: string;
    userName: string;
    passwordKey: string;
    passwordResetRequired?: boolean;
}

const config = new pulumi.Config();
const profiles = config.getObject<ProfileSpec[]>("profiles") ?? [];
const passwords = config.requireSecretObject<Record<string, string>>("passwords");

for (const spec of profiles) {
    new LoginProfile(spec.name, {
        userName: spec.userName,
        password: passwords.apply((all) => all[spec.passwordKey] ?? ""),
        passwordResetRequired: spec.passwordResetRequired ?? false,
    });
}
