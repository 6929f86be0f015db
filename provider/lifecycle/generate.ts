/**
 * A generated password for create and update: GetAccountPasswordPolicy first (once per account
 * per provider process), so that the password satisfies the account's policy (AWS's default where
 * the account has none); the policy also tells when the password expires.
 */
import { LoginProfileError } from "../model/errors";
import { describeAwsError } from "../aws/awsError";
import type { LoginProfileApi } from "../aws/iam";
import { defaultPasswordLength, generatePassword } from "../password/generator";
import { AWS_DEFAULT_PASSWORD_POLICY } from "../password/policy";
import type { LoginProfileInputs } from "../model/types";
import type { PasswordPolicy } from "../password/policy";
import type { LifecycleContext } from "./context";

/** A generated password and the account policy it was made for. */
export interface Generated {
    readonly password: string;
    /** The account's policy; undefined when it has none (AWS's default applies, and passwords never expire). */
    readonly policy: PasswordPolicy | undefined;
}

/**
 * A new password for `inputs`: `passwordLength` long, or, when that is omitted, 20 or the
 * policy's minimum if that is more. Fails before any password is set when a declared
 * `passwordLength` is too short for the policy.
 */
export async function generateFor(ctx: LifecycleContext, iam: LoginProfileApi, inputs: LoginProfileInputs): Promise<Generated> {
    let policy;
    try {
        policy = await ctx.passwordPolicy(iam);
    } catch (error) {
        const described = describeAwsError("GetAccountPasswordPolicy", inputs.userName, error);
        if (described.code !== "AccessDenied") {
            throw described;
        }
        throw new LoginProfileError(
            described.code,
            `${described.message}. A generated password must satisfy the account's password policy, so reading it needs ` +
                "iam:GetAccountPasswordPolicy: allow that, or declare a password",
        );
    }
    const rules = policy ?? AWS_DEFAULT_PASSWORD_POLICY;
    return { password: generatePassword(inputs.passwordLength ?? defaultPasswordLength(rules), rules), policy };
}
