/**
 * Drift: what was changed outside Pulumi, as `read` finds it and `diff` must see it (DESIGN.md,
 * "Drift"). The rule: the resource owns the password until the user fulfils a required reset.
 * While `passwordResetRequired` is false, or the reset is still pending, a password set outside
 * Pulumi is drift; once the user has set their own password at the forced sign-in, it is theirs,
 * until the resource sets a new one. A re-created profile is drift whoever owned the password.
 *
 * Pure: `read` gathers GetLoginProfile's answer and the credential report, this file decides.
 */
import type { CredentialReport } from "../aws/credentialReport";
import type { LoginProfileRecord } from "../aws/iam";
import type { LoginProfileState, PasswordDrift } from "../model/types";

/**
 * How much later than this resource's own record of setting the password AWS's
 * `password_last_changed` must be to count as a change outside Pulumi. It absorbs the report's
 * whole-second times and a clock skew between this machine and AWS of a few seconds; a change made
 * within this time after the resource set the password is not told apart from the resource's own.
 */
export const PASSWORD_CHANGE_TOLERANCE_MS = 5_000;

/** Whether the resource owns the password now: no reset required, or the required reset still pending. */
export function ownsPassword(appliedResetRequired: boolean, resetPendingNow: boolean): boolean {
    return !appliedResetRequired || resetPendingNow;
}

/**
 * How the live password departs from the one this resource set, if it does. A drift found once
 * stays until the resource sets the password again (`update` clears it): the next read would not
 * see a re-creation again, since it records the new `createDate`.
 * @param report the account's credential report; undefined when detection of in-place changes is off
 */
export function passwordDriftOf(
    olds: Partial<LoginProfileState>,
    current: LoginProfileRecord,
    report: CredentialReport | undefined,
): PasswordDrift | undefined {
    if (olds.passwordDrift !== undefined) {
        return olds.passwordDrift;
    }
    if (recreated(olds.createDate, current.createDate)) {
        return "recreated";
    }
    if (!ownsPassword(olds.passwordResetRequired ?? false, current.passwordResetRequired)) {
        return undefined;
    }
    const setAt = timeOf(olds.passwordSetAt);
    const changedAt = passwordLastChanged(report, current.userName);
    if (report === undefined || setAt === undefined || changedAt === undefined) {
        return undefined;
    }
    // A report generated before the resource last set the password cannot show a later change.
    if (report.generatedAt.getTime() < setAt) {
        return undefined;
    }
    return changedAt.getTime() > setAt + PASSWORD_CHANGE_TOLERANCE_MS ? "changed" : undefined;
}

/**
 * The baseline for in-place detection in a state written before the resource recorded when it set
 * the password: AWS's own `password_last_changed`, while the resource owns the password.
 */
export function baselineSetAt(
    olds: Partial<LoginProfileState>,
    current: LoginProfileRecord,
    report: CredentialReport | undefined,
): string | undefined {
    if (olds.passwordSetAt !== undefined) {
        return olds.passwordSetAt;
    }
    return passwordLastChanged(report, current.userName)?.toISOString();
}

/** When the report says the user's password was last set (user names are case-insensitive in IAM). */
function passwordLastChanged(report: CredentialReport | undefined, userName: string): Date | undefined {
    return report?.users.get(userName.toLowerCase())?.passwordLastChanged;
}

/** Whether AWS's CreateDate names another profile than the one in state. */
function recreated(stateDate: string | undefined, liveDate: string): boolean {
    const before = timeOf(stateDate);
    const now = timeOf(liveDate);
    return before !== undefined && now !== undefined && before !== now;
}

function timeOf(iso: string | undefined): number | undefined {
    if (iso === undefined || iso === "") {
        return undefined;
    }
    const time = new Date(iso).getTime();
    return Number.isNaN(time) ? undefined : time;
}
