/**
 * When a password is due for a new one, over its life (DESIGN.md, "Over its life"): it expires
 * within `rotateBeforeExpiry` (or has expired), it is older than `rotateAfter`, or it was used to
 * sign in since the resource set it (`rotateAfterUse`). Pure: the state and the declared inputs
 * say everything, so `pulumi preview` judges it with no AWS call. Times are on IAM's clock, since
 * IAM ages and expires the password: this machine's clock plus how far IAM's was ahead of it at
 * the last call (`iamClockAheadMs`, kept in state for preview).
 */
import { parseDuration } from "../model/duration";
import { isUnknown } from "../model/unknown";
import { timeOf } from "../model/time";
import type { LoginProfileState, RotationReason } from "../model/types";

/** The window before expiry in which a password is rotated, when `rotateBeforeExpiry` is omitted. */
export const DEFAULT_ROTATE_BEFORE_EXPIRY = "14d";

/** The state fields the rules read. */
export type AgedState = Pick<
    LoginProfileState,
    "passwordLastChanged" | "passwordExpiresAt" | "passwordLastUsed" | "iamClockAheadMs" | "passwordSetAt"
>;

/** The time now on IAM's clock, in milliseconds, as far as the state knows IAM's clock. */
export function iamNow(state: Pick<LoginProfileState, "iamClockAheadMs">, nowMs: number): number {
    return nowMs + (state.iamClockAheadMs ?? 0);
}

/**
 * When the password was last set, on IAM's clock, in milliseconds: the state's record, else (a
 * state written before it was kept) the resource's own time of setting it.
 */
export function lastChangedMs(state: AgedState): number | undefined {
    return timeOf(state.passwordLastChanged ?? state.passwordSetAt);
}

/** Whether the password expires within `rotateBeforeExpiry` of IAM's now, or already has. */
export function expiresSoon(state: AgedState, inputs: Readonly<Record<string, unknown>>, nowMs: number): boolean {
    const expiresAt = timeOf(state.passwordExpiresAt);
    if (expiresAt === undefined) {
        return false;
    }
    const declared = durationOf(inputs.rotateBeforeExpiry) ?? durationOf(DEFAULT_ROTATE_BEFORE_EXPIRY) ?? 0;
    // A window as long as the password's whole life would make every new password due at once,
    // and every `up` rotate it again: it is held to half the life (7 days of a 14-day MaxPasswordAge).
    const life = expiresAt - (lastChangedMs(state) ?? Number.NEGATIVE_INFINITY);
    const window = Number.isFinite(life) ? Math.min(declared, life / 2) : declared;
    return iamNow(state, nowMs) >= expiresAt - window;
}

/**
 * Why a generated password is due for a new one now, the first reason that holds (expiry first:
 * it locks the holders out), or undefined. `inputs` are the declared inputs (a refresh passes the
 * ones last applied); a declared password is never rotated by the resource, so it is never due.
 */
export function rotationDue(state: AgedState, inputs: Readonly<Record<string, unknown>>, nowMs: number): RotationReason | undefined {
    if (typeof inputs.password === "string") {
        return undefined;
    }
    if (expiresSoon(state, inputs, nowMs)) {
        return "expiring";
    }
    const setAt = lastChangedMs(state);
    if (setAt === undefined) {
        return undefined;
    }
    const rotateAfter = durationOf(inputs.rotateAfter);
    if (rotateAfter !== undefined && iamNow(state, nowMs) - setAt >= rotateAfter) {
        return "aged";
    }
    // IAM reports a use to the second: one in the second the password was set is taken as before it.
    const usedAt = timeOf(state.passwordLastUsed);
    if (inputs.rotateAfterUse === true && usedAt !== undefined && usedAt > Math.floor(setAt / 1000) * 1000) {
        return "used";
    }
    return undefined;
}

/** The milliseconds of a declared duration; undefined when absent, unknown or not a duration. */
function durationOf(value: unknown): number | undefined {
    return typeof value === "string" && !isUnknown(value) ? parseDuration(value) : undefined;
}
