/** `delete`: DeleteLoginProfile; a profile (or user) already gone counts as deleted. */
import { awsErrorCode, describeAwsError } from "../aws/awsError";
import type { LoginProfileState } from "../model/types";
import type { LifecycleContext } from "./context";

/**
 * Deletes the profile of IAM user `id`, waiting while a profile created a moment ago settles; in
 * the account the state records (through the role and profile it was applied with), wherever the
 * provider's or stack's defaults point now.
 */
export async function deleteProfile(ctx: LifecycleContext, id: string, props: LoginProfileState): Promise<void> {
    const iam = await ctx.iamFor(props, id, props.accountId === undefined);
    try {
        await ctx.whileSettling("EntityTemporarilyUnmodifiable", `the login profile of IAM user "${id}" is still being created`, () =>
            iam.delete(id),
        );
    } catch (error) {
        // Only NoSuchEntity means "already gone" (the profile, or the whole user); nothing else is swallowed.
        if (awsErrorCode(error) !== "NoSuchEntity") {
            throw describeAwsError("DeleteLoginProfile", id, error, props.password);
        }
    }
}
