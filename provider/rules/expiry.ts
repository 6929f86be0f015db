/**
 * When a password expires: when it was last set plus the account password policy's
 * MaxPasswordAge, in whole days ("The number of days that an IAM user password is valid", IAM API
 * reference, PasswordPolicy). A refresh may not call GetAccountPasswordPolicy (it makes no more
 * calls than drift needs), so it learns the age from the credential report it reads anyway: each
 * row's `password_next_rotation` is its `password_last_changed` plus MaxPasswordAge. Pure.
 */
import type { CredentialReport } from "../aws/credentialReport";
import type { LoginProfileState } from "../model/types";
import { DAY_MS, timeOf } from "../model/time";

/**
 * The account's MaxPasswordAge in milliseconds as the report shows it: a number from any row with
 * a password and both dates; null when rows with a password show no next rotation (the policy sets
 * none); undefined when no row has a password to tell by.
 */
export function maxAgeOfReport(report: CredentialReport): number | null | undefined {
    let withPassword = false;
    for (const row of report.users.values()) {
        if (!row.passwordEnabled) {
            continue;
        }
        withPassword = true;
        if (row.passwordNextRotation !== undefined && row.passwordLastChanged !== undefined) {
            const days = Math.round((row.passwordNextRotation.getTime() - row.passwordLastChanged.getTime()) / DAY_MS);
            return days * DAY_MS;
        }
    }
    return withPassword ? null : undefined;
}

/** The MaxPasswordAge a state implies (its expiry less its last change); undefined when it has no expiry. */
export function maxAgeOfState(state: Pick<LoginProfileState, "passwordExpiresAt" | "passwordLastChanged">): number | undefined {
    const expiresAt = timeOf(state.passwordExpiresAt);
    const lastChanged = timeOf(state.passwordLastChanged);
    return expiresAt !== undefined && lastChanged !== undefined ? expiresAt - lastChanged : undefined;
}

/** The MaxPasswordAge in milliseconds of a policy's days; null for none. */
export function maxAgeOfDays(days: number | undefined): number | null {
    return days === undefined || days <= 0 ? null : days * DAY_MS;
}

/** `passwordExpiresAt` for a password last set at `lastChangedMs`: absent when the age is none or unknown. */
export function expiryFields(lastChangedMs: number, maxAgeMs: number | null | undefined): { passwordExpiresAt?: string } {
    return typeof maxAgeMs === "number" ? { passwordExpiresAt: new Date(lastChangedMs + maxAgeMs).toISOString() } : {};
}
