/**
 * `update`: UpdateLoginProfile with only what changed, or with what drifted back to the declared:
 * a password set or re-created outside Pulumi is set again (the declared one, or the generated one
 * in state), and a reset forced outside Pulumi is cleared. Makes no AWS call when only the key a
 * declared password is encrypted to changed.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { passwordChanged, pgpKeyChanged, resetFlagChanged, resetForcedOutside } from "../rules/diff";
import { LoginProfileError } from "../model/errors";
import { awsErrorCode, describeAwsError } from "../aws/awsError";
import type { LoginProfileApi, LoginProfileChanges } from "../aws/iam";
import { keptPassword, recordPassword } from "../password/record";
import { readPgpKey } from "../password/pgp";
import type { LoginProfileInputs, LoginProfileState } from "../model/types";
import { requireValidInputs } from "../rules/validation";
import type { LifecycleContext } from "./context";
import { generateFor } from "./generate";
import type { ProfilePlan } from "./plan";
import { stateFrom } from "./state";

/** Updates the profile of IAM user `id` from the state `olds` to the inputs `news`. */
export async function updateProfile(
    ctx: LifecycleContext,
    id: string,
    olds: LoginProfileState,
    news: Record<string, unknown>,
): Promise<dynamic.UpdateResult<LoginProfileState>> {
    const inputs = requireValidInputs(news);
    const changed = passwordChanged(olds, news);
    const drifted = olds.passwordDrift !== undefined;
    const rerecord = changed || drifted || pgpKeyChanged(olds, news);
    const recipient = rerecord && inputs.pgpKey !== undefined ? await readPgpKey(inputs.pgpKey) : undefined;
    let api: LoginProfileApi | undefined;
    const iam = async (): Promise<LoginProfileApi> => (api ??= await ctx.iamFor(inputs, id));
    // A new password when one is due (declared, or generated). After drift, the password this
    // resource set is set again: the declared one, or the generated one in state; with a pgpKey the
    // state holds no generated password, so a new one is generated (and kept only encrypted).
    // Otherwise the password stays the declared one, or the generated one in state.
    let password: string | undefined;
    if (changed) {
        password = inputs.password ?? (await generateFor(await iam(), inputs));
    } else if (drifted) {
        password = inputs.password ?? olds.password ?? (await generateFor(await iam(), inputs));
    } else {
        password = inputs.password ?? olds.password;
    }
    const plan: ProfilePlan = {
        news,
        inputs,
        // Only a password due now is set; otherwise the profile keeps the one it has.
        password: changed || drifted ? password : undefined,
        record: rerecord && password !== undefined ? await recordPassword(inputs, password, recipient) : keptPassword(olds),
        // Same account: `diff` replaces a profile whose account changes.
        accountId: olds.accountId ?? (await (await iam()).accountId()),
        access: ctx.accessFor(inputs),
    };
    const changes = updateFor(olds, news, inputs, plan.password);
    const writes = changes.password !== undefined || changes.passwordResetRequired !== undefined;
    if (writes) {
        await applyUpdate(ctx, await iam(), id, changes, inputs.password, olds.password);
    }
    const now = ctx.now();
    const setNow = changes.password !== undefined;
    const state = stateFrom(plan, {
        userName: olds.userName ?? id,
        createDate: olds.createDate ?? "",
        pending: changes.passwordResetRequired ?? olds.passwordResetPending ?? inputs.passwordResetRequired,
        passwordSetAt: setNow ? now : olds.passwordSetAt,
        // A flag set now is a write too: its UpdateLoginProfile event is the resource's own.
        writtenAt: writes ? now : olds.writtenAt,
        driftCheckedAt: setNow ? now : olds.driftCheckedAt,
        passwordLastUsed: olds.passwordLastUsed,
    });
    return { outs: state };
}

/**
 * UpdateLoginProfile with only what changed. A password set now is sent with the declared flag
 * when that flag is true, so that it re-arms a reset the user already fulfilled; a reset forced
 * outside Pulumi is sent back to the declared false.
 */
function updateFor(
    olds: Partial<LoginProfileState>,
    news: Record<string, unknown>,
    inputs: LoginProfileInputs,
    password: string | undefined,
): LoginProfileChanges {
    const sendFlag = resetFlagChanged(olds, news) || resetForcedOutside(olds) || (password !== undefined && inputs.passwordResetRequired);
    return {
        ...(password !== undefined ? { password } : {}),
        ...(sendFlag ? { passwordResetRequired: inputs.passwordResetRequired } : {}),
    };
}

/**
 * UpdateLoginProfile, retried while a profile created a moment ago settles. Every password
 * known here is cut out of an error's message, whichever of them the call carried.
 */
async function applyUpdate(
    ctx: LifecycleContext,
    iam: LoginProfileApi,
    id: string,
    changes: LoginProfileChanges,
    ...knownPasswords: (string | undefined)[]
): Promise<void> {
    try {
        await ctx.whileSettling("EntityTemporarilyUnmodifiable", `the login profile of IAM user "${id}" is still being created`, () =>
            iam.update(id, changes),
        );
    } catch (error) {
        if (awsErrorCode(error) === "NoSuchEntity") {
            throw new LoginProfileError(
                "NoSuchEntity",
                `IAM user "${id}" no longer has a login profile (it was deleted outside Pulumi); run \`pulumi refresh\`, then \`pulumi up\` to create it again`,
            );
        }
        throw describeAwsError("UpdateLoginProfile", id, error, changes.password, ...knownPasswords);
    }
}
