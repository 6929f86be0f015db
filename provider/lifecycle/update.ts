/**
 * `update`: UpdateLoginProfile with only what changed, or with what drifted back to the declared:
 * a password set or re-created outside Pulumi is set again (the declared one, or the generated one
 * in state), and a reset forced outside Pulumi is cleared. A generated password due for a new one
 * (expiring, older than `rotateAfter`, used with `rotateAfterUse`: rules/rotation.ts) gets one.
 * Makes no AWS call when only the key a declared password is encrypted to changed.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { passwordChanged, pgpKeyChanged, resetFlagChanged, resetForcedOutside } from "../rules/diff";
import { LoginProfileError } from "../model/errors";
import { awsErrorCode, describeAwsError } from "../aws/awsError";
import type { LoginProfileApi, LoginProfileChanges } from "../aws/iam";
import { keptPassword, readRecipients, recordPassword } from "../password/record";
import type { LoginProfileInputs, LoginProfileState } from "../model/types";
import { requireValidInputs } from "../rules/validation";
import type { LifecycleContext } from "./context";
import { generateFor, type Generated } from "./generate";
import { keptLife, lifeOfNewPassword } from "./passwordLife";
import { rotationDue } from "../rules/rotation";
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
    // A generated password due for a new one counts as changed: as a refresh found it, or as the
    // state says now (a preview that saw it from state alone).
    const changed =
        passwordChanged(olds, news) ||
        (inputs.password === undefined && (olds.rotationDue !== undefined || rotationDue(olds, news, ctx.clock.now()) !== undefined));
    const drifted = olds.passwordDrift !== undefined;
    const rerecord = changed || drifted || pgpKeyChanged(olds, news);
    const recipients = rerecord ? await readRecipients(inputs) : {};
    let api: LoginProfileApi | undefined;
    const iam = async (): Promise<LoginProfileApi> => (api ??= await ctx.iamFor(inputs, id));
    // A new password when one is due (declared, or generated). After drift, the password this
    // resource set is set again: the declared one, or the generated one in state; with a pgpKey the
    // state holds no generated password, so a new one is generated (and kept only encrypted).
    // Otherwise the password stays the declared one, or the generated one in state.
    let generated: Generated | undefined;
    const generate = async (): Promise<string> => (generated = await generateFor(ctx, await iam(), inputs)).password;
    let password: string | undefined;
    if (changed) {
        password = inputs.password ?? (await generate());
    } else if (drifted) {
        password = inputs.password ?? olds.password ?? (await generate());
    } else {
        password = inputs.password ?? olds.password;
    }
    const plan: ProfilePlan = {
        news,
        inputs,
        // Only a password due now is set; otherwise the profile keeps the one it has.
        password: changed || drifted ? password : undefined,
        generated,
        record: rerecord && password !== undefined ? await recordPassword(inputs, password, recipients) : keptPassword(olds),
        // Same account: `diff` replaces a profile whose account changes.
        accountId: olds.accountId ?? (await (await iam()).accountId()),
        access: ctx.accessFor(inputs),
    };
    const changes = updateFor(olds, news, inputs, plan.password);
    const writes = changes.password !== undefined || changes.passwordResetRequired !== undefined;
    if (writes) {
        await applyUpdate(ctx, await iam(), id, changes, inputs.password, olds.password);
    }
    const nowMs = ctx.clock.now();
    const now = new Date(nowMs).toISOString();
    const setNow = changes.password !== undefined;
    // The generated password set now was made for the policy it read; one set again after drift
    // (the same generated password) keeps the age the state implies, as a declared one does.
    const life = setNow ? lifeOfNewPassword(await iam(), nowMs, generated, olds) : keptLife(olds, writes ? api : undefined);
    const state = stateFrom(plan, {
        userName: olds.userName ?? id,
        createDate: olds.createDate ?? "",
        pending: changes.passwordResetRequired ?? olds.passwordResetPending ?? inputs.passwordResetRequired,
        passwordSetAt: setNow ? now : olds.passwordSetAt,
        // A flag set now is a write too: its UpdateLoginProfile event is the resource's own.
        writtenAt: writes ? now : olds.writtenAt,
        driftCheckedAt: setNow ? now : olds.driftCheckedAt,
        passwordLastUsed: olds.passwordLastUsed,
        life,
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
