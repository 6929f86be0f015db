/**
 * A generated password for create and update: GetAccountPasswordPolicy first, so that the
 * password satisfies the account's policy (AWS's default where the account has none).
 */
import { LoginProfileError } from "../model/errors";
import { describeAwsError } from "../aws/awsError";
import type { LoginProfileApi } from "../aws/iam";
import { defaultPasswordLength, generatePassword } from "../password/generator";
import { AWS_DEFAULT_PASSWORD_POLICY } from "../password/policy";
import type { LoginProfileInputs } from "../model/types";

/**
 * A new password for `inputs`: `passwordLength` long, or, when that is omitted, 20 or the
 * policy's minimum if that is more. Fails before any password is set when a declared
 * `passwordLength` is too short for the policy.
 */
export async function generateFor(iam: LoginProfileApi, inputs: LoginProfileInputs): Promise<string> {
    let policy;
    try {
        policy = await iam.getAccountPasswordPolicy();
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
    return generatePassword(inputs.passwordLength ?? defaultPasswordLength(rules), rules);
}
