/**
 * The warning for a declared password that expires soon: the resource never chooses a user's
 * password, so it cannot rotate one it was given (DESIGN.md, "Over its life"). Refresh and the
 * plan of `up` (or `preview`) say it once per profile per provider process, and plan no change
 * until a new password is declared.
 */
import { passwordChanged } from "../rules/diff";
import { DEFAULT_ROTATE_BEFORE_EXPIRY, expiresSoon, iamNow } from "../rules/rotation";
import { isUnknown } from "../model/unknown";
import type { LoginProfileState } from "../model/types";
import type { LifecycleContext } from "./context";

/** Warns when `news` declare a password, the state's has expired or expires soon, and no new one is declared. */
export function warnOfDeclaredExpiry(ctx: LifecycleContext, olds: Partial<LoginProfileState>, news: Record<string, unknown>): void {
    if (typeof news.password !== "string" || isUnknown(news.password) || passwordChanged(olds, news)) {
        return;
    }
    warnIfExpiring(ctx, olds, news);
}

/** Warns when the state's declared password has expired or expires within `rotateBeforeExpiry` of IAM's now. */
export function warnIfExpiring(ctx: LifecycleContext, state: Partial<LoginProfileState>, inputs: Readonly<Record<string, unknown>>): void {
    const nowMs = ctx.clock.now();
    if (state.passwordExpiresAt === undefined || state.userName === undefined || !expiresSoon(state, inputs, nowMs)) {
        return;
    }
    const expired = iamNow(state, nowMs) >= Date.parse(state.passwordExpiresAt);
    const window = typeof inputs.rotateBeforeExpiry === "string" ? inputs.rotateBeforeExpiry : DEFAULT_ROTATE_BEFORE_EXPIRY;
    const account = state.accountId !== undefined ? ` in account ${state.accountId}` : "";
    const when = expired
        ? `expired at ${state.passwordExpiresAt}`
        : `expires at ${state.passwordExpiresAt}, within rotateBeforeExpiry (${window})`;
    ctx.warnOnce(
        `expiry\u0000${state.accountId ?? ""}\u0000${state.userName.toLowerCase()}\u0000${state.passwordExpiresAt}`,
        `The console password of IAM user "${state.userName}"${account} ${when}. ` +
            "The resource does not choose a declared password: declare a new one, and the next `pulumi up` sets it",
    );
}
