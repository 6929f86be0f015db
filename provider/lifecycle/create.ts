/**
 * `create`: CreateLoginProfile, after GetAccountPasswordPolicy when it generates the password.
 * A profile the user already has fails with a message naming the way out, or, with
 * `adoptExisting`, is taken over (UpdateLoginProfile with the declared password and flag). A
 * profile this create made although its answer was lost (lostResponse.ts) is completed the same
 * way, since what it was made with cannot be read back.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { LoginProfileError } from "../model/errors";
import { awsErrorCode, describeAwsError } from "../aws/awsError";
import type { LoginProfileApi } from "../aws/iam";
import { readRecipients, recordPassword } from "../password/record";
import type { LoginProfileState } from "../model/types";
import { requireValidInputs } from "../rules/validation";
import type { LifecycleContext } from "./context";
import { createdWithin, mayHaveCreated, type AttemptWindow } from "../aws/lostResponse";
import { generateFor } from "./generate";
import { lifeOfNewPassword } from "./passwordLife";
import type { ProfilePlan } from "./plan";
import { stateFrom } from "./state";

/** Creates the profile `news` declares; returns its id (the user name) and state. */
export async function createProfile(
    ctx: LifecycleContext,
    news: Record<string, unknown>,
): Promise<dynamic.CreateResult<LoginProfileState>> {
    const inputs = requireValidInputs(news);
    const { userName, passwordResetRequired } = inputs;
    // A bad key fails before any AWS call, so no password is set that could not be recorded.
    const recipients = await readRecipients(inputs);
    const iam = await ctx.iamFor(inputs, userName);
    // Before CreateLoginProfile: a profile must never be made that the state cannot place.
    const accountId = await iam.accountId();
    const generated = inputs.password === undefined ? await generateFor(ctx, iam, inputs) : undefined;
    const password = inputs.password ?? generated?.password ?? "";
    const plan: ProfilePlan = {
        news,
        inputs,
        password,
        generated,
        record: await recordPassword(inputs, password, recipients),
        accountId,
        access: ctx.accessFor(inputs),
    };
    const startedAt = ctx.clock.now();
    try {
        const created = await ctx.whileSettling(
            "NoSuchEntity",
            `IAM user "${userName}" does not exist, or IAM has not propagated it yet if it was created a moment ago`,
            () => iam.create(userName, password, passwordResetRequired),
        );
        const setAtMs = ctx.clock.now();
        const setAt = new Date(setAtMs).toISOString();
        const state = stateFrom(plan, {
            userName: created.userName,
            createDate: created.createDate,
            pending: created.passwordResetRequired,
            passwordSetAt: setAt,
            writtenAt: setAt,
            driftCheckedAt: setAt,
            life: lifeOfNewPassword(iam, setAtMs, generated),
        });
        return { id: userName, outs: state };
    } catch (error) {
        const code = awsErrorCode(error);
        const window = { startedAt, endedAt: ctx.clock.now() };
        if (mayHaveCreated(error, code) && (await madeByThisCreate(iam, userName, window))) {
            return adopt(ctx, iam, plan, "Completing the create whose answer was lost");
        }
        if (code !== "EntityAlreadyExists") {
            throw describeAwsError("CreateLoginProfile", userName, error, password);
        }
        if (!inputs.adoptExisting) {
            throw alreadyExists(userName);
        }
    }
    return adopt(ctx, iam, plan, "Adopting the existing login profile");
}

/**
 * Whether the profile `userName` has now was created during `window`, on IAM's clock: the one a
 * CreateLoginProfile whose answer was lost made. No profile, or one that cannot be read, is not.
 */
async function madeByThisCreate(iam: LoginProfileApi, userName: string, window: AttemptWindow): Promise<boolean> {
    try {
        const current = await iam.get(userName);
        return createdWithin(current.createDate, window, iam.clockOffsetMs?.() ?? 0);
    } catch {
        return false; // the create's own error says what went wrong
    }
}

/**
 * Takes over a profile the user has: sets the plan's password and declared flag on it, then reads
 * it. `step` names the step in an error: adopting another's profile, or completing this create's own.
 */
async function adopt(
    ctx: LifecycleContext,
    iam: LoginProfileApi,
    plan: ProfilePlan,
    step: string,
): Promise<dynamic.CreateResult<LoginProfileState>> {
    const { userName, passwordResetRequired } = plan.inputs;
    try {
        await ctx.whileSettling("EntityTemporarilyUnmodifiable", `the login profile of IAM user "${userName}" is still being created`, () =>
            iam.update(userName, { password: plan.password, passwordResetRequired }),
        );
        const setAtMs = ctx.clock.now();
        const passwordSetAt = new Date(setAtMs).toISOString();
        const current = await iam.get(userName);
        const state = stateFrom(plan, {
            userName: current.userName,
            createDate: current.createDate,
            pending: current.passwordResetRequired,
            passwordSetAt,
            writtenAt: passwordSetAt,
            driftCheckedAt: passwordSetAt,
            life: lifeOfNewPassword(iam, setAtMs, plan.generated),
        });
        return { id: userName, outs: state };
    } catch (error) {
        throw describeAwsError(step, userName, error, plan.password);
    }
}

function alreadyExists(userName: string): LoginProfileError {
    return new LoginProfileError(
        "EntityAlreadyExists",
        `IAM user "${userName}" already has a login profile (console password) that this resource does not manage (another stack, another LoginProfile in this program, someone outside Pulumi, or a pulumi up killed while creating it made it). ` +
            "To take it over, set `adoptExisting: true` on this LoginProfile: the next `pulumi up` sets the declared password and reset flag on it. " +
            "After a killed `pulumi up`, run `npx pulumi-iam-login-profile repair --stack <stack> --yes` in the project directory instead. " +
            `Or delete it first: aws iam delete-login-profile --user-name ${userName}`,
    );
}
