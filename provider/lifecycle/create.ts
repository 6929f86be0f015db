/**
 * `create`: CreateLoginProfile, after GetAccountPasswordPolicy when it generates the password.
 * A profile the user already has fails with a message naming the way out, or, with
 * `adoptExisting`, is taken over (UpdateLoginProfile with the declared password and flag).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { awsErrorCode, describeIamError, LoginProfileError } from "../errors";
import type { LoginProfileApi } from "../iam";
import { recordPassword, type PasswordRecord } from "../passwordRecord";
import { readPgpKey } from "../pgp";
import type { LoginProfileInputs, LoginProfileState } from "../types";
import { requireValidInputs } from "../validation";
import type { LifecycleContext } from "./context";
import { generateFor } from "./generate";
import { stateFrom } from "./state";

/** Creates the profile `news` declares; returns its id (the user name) and state. */
export async function createProfile(
    ctx: LifecycleContext,
    news: Record<string, unknown>,
): Promise<dynamic.CreateResult<LoginProfileState>> {
    const inputs = requireValidInputs(news);
    const { userName, passwordResetRequired } = inputs;
    // A bad key fails before any AWS call, so no password is set that could not be recorded.
    const recipient = inputs.pgpKey === undefined ? undefined : await readPgpKey(inputs.pgpKey);
    const iam = await ctx.iamFor(inputs, userName);
    // Before CreateLoginProfile: a profile must never be made that the state cannot place.
    const accountId = await iam.accountId().catch((error: unknown) => {
        throw describeIamError("GetCallerIdentity (the account of the credentials)", userName, error);
    });
    const password = inputs.password ?? (await generateFor(iam, inputs));
    const record = await recordPassword(inputs, password, recipient);
    try {
        const created = await ctx.whileSettling(
            "NoSuchEntity",
            `IAM user "${userName}" does not exist (waited for IAM to propagate a newly created user)`,
            () => iam.create(userName, password, passwordResetRequired),
        );
        const passwordSetAt = ctx.now();
        const state = stateFrom({
            news,
            inputs,
            record,
            userName: created.userName,
            createDate: created.createDate,
            pending: created.passwordResetRequired,
            passwordSetAt,
            accountId,
            access: ctx.accessFor(inputs),
        });
        return { id: userName, outs: state };
    } catch (error) {
        if (awsErrorCode(error) !== "EntityAlreadyExists") {
            throw describeIamError("CreateLoginProfile", userName, error, password);
        }
        if (!inputs.adoptExisting) {
            throw alreadyExists(userName);
        }
    }
    return adopt(ctx, iam, news, inputs, password, record, accountId);
}

/** Takes over an existing profile: sets the password and declared flag on it, then reads it. */
async function adopt(
    ctx: LifecycleContext,
    iam: LoginProfileApi,
    news: Record<string, unknown>,
    inputs: LoginProfileInputs,
    password: string,
    record: PasswordRecord,
    accountId: string,
): Promise<dynamic.CreateResult<LoginProfileState>> {
    const { userName, passwordResetRequired } = inputs;
    try {
        await ctx.whileSettling("EntityTemporarilyUnmodifiable", `the login profile of IAM user "${userName}" is still being created`, () =>
            iam.update(userName, { password, passwordResetRequired }),
        );
        const passwordSetAt = ctx.now();
        const current = await iam.get(userName);
        const state = stateFrom({
            news,
            inputs,
            record,
            userName: current.userName,
            createDate: current.createDate,
            pending: current.passwordResetRequired,
            passwordSetAt,
            accountId,
            access: ctx.accessFor(inputs),
        });
        return { id: userName, outs: state };
    } catch (error) {
        throw describeIamError("Adopting the existing login profile", userName, error, password);
    }
}

function alreadyExists(userName: string): LoginProfileError {
    return new LoginProfileError(
        "EntityAlreadyExists",
        `IAM user "${userName}" already has a login profile (console password) that this resource does not manage (another stack, another LoginProfile in this program, or someone outside Pulumi made it). ` +
            "To take it over, set `adoptExisting: true` on this LoginProfile: the next `pulumi up` sets the declared password and reset flag on it. " +
            `Or delete it first: aws iam delete-login-profile --user-name ${userName}`,
    );
}
