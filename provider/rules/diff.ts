/**
 * `diff`: pure, no AWS call. The engine hands it the OLD OUTPUTS (not old inputs) and the new
 * inputs, so it compares what this resource last applied with what is declared now. In a refresh
 * the "old outputs" are the refreshed state (pulumi/pulumi#16146), so drift that `read` recorded
 * there (a password set outside Pulumi, a reset forced outside it) is a change too.
 */
import type { DiffResult } from "@pulumi/pulumi/dynamic";
import { accountOfRole, type AccountAccess } from "../model/account";
import { DEFAULT_PASSWORD_LENGTH } from "../password/generator";
import { matchesHash } from "../password/hash";
import { isUnknown } from "../model/unknown";
import type { LoginProfileState } from "../model/types";
import { rotationDue } from "./rotation";

/**
 * What changed between the state and the declared inputs, and how it must be applied.
 *
 * Drift that a refresh recorded is left for the engine to compare (`changes` undefined): `read`
 * returned the inputs with the drifted one changed, and the engine, given no answer, diffs the
 * inputs itself, with secrets unwrapped. That is the only way the CLI can name a drifted
 * `password`: it shows a provider's "changed" by comparing the inputs with every secret masked as
 * the same "[secret]", and a dynamic provider cannot send it a detailed diff (pulumi/pulumi#16146,
 * pkg/resource/deploy/step_generator.go diffResource). The inputs differ in the drifted input, so
 * the engine finds the change, in a refresh and in the `up` that follows it.
 */
export function diffProfile(
    olds: Partial<LoginProfileState>,
    news: Record<string, unknown>,
    defaults: AccountAccess = {},
    nowMs: number = Date.now(),
): DiffResult {
    const moved = accountChanged(olds, news, defaults);
    const renamed = userNameChanged(olds.userName, news.userName);
    const replaces = [...(renamed ? ["userName"] : []), ...(moved ? ["assumeRole"] : [])];
    // A user has at most one login profile, so in one account the old one must go before the new
    // one can be created (create-before-delete collides: terraform-provider-aws #36654). In
    // another account nothing collides: the new one is created first, then the old one deleted.
    const deleteBeforeReplace = renamed && !moved;
    if (driftRecorded(olds)) {
        return { changes: undefined, replaces, deleteBeforeReplace };
    }
    const changes =
        replaces.length > 0 ||
        passwordChanged(olds, news) ||
        pgpKeyChanged(olds, news) ||
        resetFlagChanged(olds, news) ||
        lifeSettingsChanged(olds, news) ||
        rotationDue(olds, news, nowMs) !== undefined;
    return { changes, replaces, deleteBeforeReplace };
}

/**
 * Whether the profile moves to another AWS account: the account is part of its identity, how its
 * credentials are obtained is not (a new external id, session name, duration, profile, or another
 * role in the same account changes nothing in IAM). The new account is known from a role ARN; with
 * no role (the default chain) it is not known without a call, and a profile reached through a role
 * before is taken to move (the default credentials are the organization's own account, the roles
 * its members'). A state without `accountId` (written before accounts were tracked) never moves.
 */
export function accountChanged(olds: Partial<LoginProfileState>, news: Record<string, unknown>, defaults: AccountAccess): boolean {
    if (olds.accountId === undefined) {
        return false;
    }
    const declared = news.assumeRole as Record<string, unknown> | undefined | null;
    if (isUnknown(declared) || (declared && isUnknown(declared.roleArn))) {
        return true;
    }
    const role = declared && typeof declared.roleArn === "string" ? declared.roleArn : defaults.assumeRole?.roleArn;
    if (role === undefined) {
        return olds.assumeRole !== undefined;
    }
    return accountOfRole(role) !== olds.accountId;
}

/**
 * Whether a refresh recorded drift in the state: a password set outside Pulumi, a reset forced
 * outside it, or a generated password due for a new one.
 */
export function driftRecorded(olds: Partial<LoginProfileState>): boolean {
    return olds.passwordDrift !== undefined || olds.rotationDue !== undefined || resetForcedOutside(olds);
}

/**
 * IAM user names are unique case-insensitively and AWS reports the stored spelling, so a
 * declared "alice" for the stored "Alice" is the same user, not a replacement.
 */
function userNameChanged(old: string | undefined, declared: unknown): boolean {
    if (isUnknown(declared)) {
        return true;
    }
    return typeof declared !== "string" || old === undefined || old.toLowerCase() !== declared.toLowerCase();
}

/**
 * Whether a new password must be set: the declared one differs from the one last set, or a
 * generated one is due (newly generated, or its length, rotation trigger or key changed).
 */
export function passwordChanged(olds: Partial<LoginProfileState>, news: Record<string, unknown>): boolean {
    if (isUnknown(news.password)) {
        return true;
    }
    if (news.password === undefined || news.password === null) {
        return generatedPasswordDue(olds, news);
    }
    if (olds.passwordLength !== undefined) {
        return true; // the last password was generated; the declared one replaces it
    }
    if (olds.passwordHash !== undefined && typeof news.password === "string") {
        // With a pgpKey the state holds no password, only its salted hash.
        return !matchesHash(news.password, olds.passwordHash);
    }
    return news.password !== olds.password;
}

/**
 * A generated password is kept across updates until its length or rotation trigger changes. A
 * new pgpKey also brings a new one: there is no plaintext in state to re-encrypt when the old key
 * had one, and otherwise the password was stored (as a secret), which the key is meant to avoid.
 */
function generatedPasswordDue(olds: Partial<LoginProfileState>, news: Record<string, unknown>): boolean {
    if (olds.passwordLength === undefined) {
        return true; // the last password was declared (or there is none): generate one
    }
    const length = news.passwordLength ?? DEFAULT_PASSWORD_LENGTH;
    return (
        isUnknown(length) ||
        length !== olds.passwordLength ||
        isUnknown(news.rotationTrigger) ||
        (news.rotationTrigger ?? undefined) !== olds.rotationTrigger ||
        pgpKeyChanged(olds, news) ||
        custodiansChanged(olds, news)
    );
}

/**
 * Whether the custodians changed: their keys (added, removed, replaced, reordered) or the
 * threshold. The shares of the password cannot be made again without it, and the state does not
 * hold it, so a new password is split for the new custodians.
 */
export function custodiansChanged(olds: Partial<LoginProfileState>, news: Record<string, unknown>): boolean {
    if (isUnknown(news.pgpKeys) || isUnknown(news.threshold) || (Array.isArray(news.pgpKeys) && news.pgpKeys.some(isUnknown))) {
        return true;
    }
    const keys = (news.pgpKeys ?? undefined) as readonly string[] | undefined;
    return JSON.stringify(keys ?? null) !== JSON.stringify(olds.pgpKeys ?? null) || (news.threshold ?? undefined) !== olds.threshold;
}

/** Whether the key the password is encrypted to changed (added, removed or replaced). */
export function pgpKeyChanged(olds: Partial<LoginProfileState>, news: Record<string, unknown>): boolean {
    return isUnknown(news.pgpKey) || (news.pgpKey ?? undefined) !== olds.pgpKey;
}

/** The inputs that say when a password is due for a new one, which a refresh reads from the state's `appliedInputs`. */
const LIFE_SETTINGS = ["rotateBeforeExpiry", "rotateAfter", "rotateAfterUse"] as const;

/**
 * Whether a setting of the password's life changed since the resource last applied its inputs. It
 * changes nothing in IAM, but an update records it (with no AWS call), so that the next refresh,
 * which knows only the state, judges by the new setting.
 */
export function lifeSettingsChanged(olds: Partial<LoginProfileState>, news: Record<string, unknown>): boolean {
    const applied = olds.appliedInputs ?? {};
    return LIFE_SETTINGS.some((key) => isUnknown(news[key]) || (news[key] ?? undefined) !== (applied[key] ?? undefined));
}

/**
 * A reset forced outside Pulumi, as a refresh recorded it: AWS requires one while the resource
 * applied none. That is drift: the next update sends the declared flag back. (AWS's flag cleared
 * while the resource required a reset is the user's first sign-in, and is not drift.)
 */
export function resetForcedOutside(olds: Partial<LoginProfileState>): boolean {
    return olds.passwordResetRequired === false && olds.passwordResetPending === true;
}

/**
 * Compares the declared flag with the flag as last APPLIED, never with what AWS reports now:
 * AWS clears its flag when the user sets a new password at the first sign-in, which fulfils the
 * requirement and must not trigger a change (terraform-provider-aws #23567, pulumi-aws #3750).
 */
export function resetFlagChanged(olds: Partial<LoginProfileState>, news: Record<string, unknown>): boolean {
    return isUnknown(news.passwordResetRequired) || (news.passwordResetRequired ?? false) !== (olds.passwordResetRequired ?? false);
}
