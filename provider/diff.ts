/**
 * `diff`: pure, no AWS call. The engine hands it the OLD OUTPUTS (not old inputs) and the new
 * inputs, so it compares what this resource last applied with what is declared now.
 */
import type { DiffResult } from "@pulumi/pulumi/dynamic";
import { isUnknown } from "./unknown";
import type { LoginProfileState } from "./types";

/** What changed between the state and the declared inputs, and how it must be applied. */
export function diffProfile(olds: Partial<LoginProfileState>, news: Record<string, unknown>): DiffResult {
    const replaces = userNameChanged(olds.userName, news.userName) ? ["userName"] : [];
    const changes = replaces.length > 0 || passwordChanged(olds, news) || resetFlagChanged(olds, news);
    // A user has at most one login profile, so the old one must go before the new one can be
    // created (create-before-delete collides: terraform-provider-aws #36654).
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
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

/** Whether the declared password differs from the one this resource last set. */
export function passwordChanged(olds: Partial<LoginProfileState>, news: Record<string, unknown>): boolean {
    return isUnknown(news.password) || news.password !== olds.password;
}

/**
 * Compares the declared flag with the flag as last APPLIED, never with what AWS reports now:
 * AWS clears its flag when the user sets a new password at the first sign-in, which fulfils the
 * requirement and must not trigger a change (terraform-provider-aws #23567, pulumi-aws #3750).
 */
export function resetFlagChanged(olds: Partial<LoginProfileState>, news: Record<string, unknown>): boolean {
    return isUnknown(news.passwordResetRequired) || (news.passwordResetRequired ?? false) !== (olds.passwordResetRequired ?? false);
}
