/**
 * Drift: what was changed outside Pulumi, as `read` finds it and `diff` must see it (DESIGN.md,
 * "Drift"). The rule: the resource owns the password until the user fulfils a required reset.
 * While `passwordResetRequired` is false, or the reset is still pending, a password set outside
 * Pulumi is drift; once the user has set their own password at the forced sign-in, it is theirs,
 * until the resource sets a new one. A re-created profile is drift whoever owned the password.
 *
 * A password changed in place is seen in CloudTrail's event history within minutes, with who
 * changed it, and in the credential report within four hours; where neither could see past the
 * resource's last set, the check says so (`checkedAt` undefined), and the refresh warns.
 *
 * Pure: `read` gathers GetLoginProfile's answer, the events and the report, this file decides.
 */
import { timeOf } from "../model/time";
import type { CredentialReport } from "../aws/credentialReport";
import {
    describePasswordEvent,
    eventsFor,
    type PasswordEvent,
    type PasswordEventHistory,
    type PasswordEventName,
} from "../aws/eventHistory";
import type { LoginProfileRecord } from "../aws/iam";
import type { LoginProfileState, PasswordDrift } from "../model/types";

/**
 * How much later than this resource's own record of setting the password AWS's
 * `password_last_changed` (or an event's time) must be to count as a change outside Pulumi. It absorbs the report's
 * whole-second times and a clock skew between this machine and AWS of a few seconds; a change made
 * within this time after the resource set the password is not told apart from the resource's own.
 */
export const PASSWORD_CHANGE_TOLERANCE_MS = 5_000;

/** Whether the resource owns the password now: no reset required, or the required reset still pending. */
export function ownsPassword(appliedResetRequired: boolean, resetPendingNow: boolean): boolean {
    return !appliedResetRequired || resetPendingNow;
}

/** What a refresh could read about the account's passwords, beside GetLoginProfile. */
export interface DriftSources {
    /** CloudTrail's password events; undefined when they could not be read, or detection is off. */
    readonly events?: PasswordEventHistory;
    /** The account's credential report; undefined when it could not be read, or detection is off. */
    readonly report?: CredentialReport;
    /** How far AWS's clock is ahead of this machine's, in milliseconds: event times are AWS's. @default 0 */
    readonly awsClockAheadMs?: number;
    /** This machine's time now, ISO 8601. */
    readonly now: string;
}

/** What a refresh found about the live password. */
export interface DriftCheck {
    /** How the live password departs from the one this resource set, if it does. */
    readonly drift?: PasswordDrift;
    /** Who made the change and when, when an event showed it (`passwordChangedBy`). */
    readonly changedBy?: string;
    /**
     * Until when a change made outside Pulumi would have been seen, ISO 8601 (`driftCheckedAt`);
     * undefined when no source could see past the resource's last set: the refresh must say so.
     */
    readonly checkedAt?: string;
}

/**
 * How the live password departs from the one this resource set, and who changed it, from the
 * event history first (within minutes), else the credential report (up to four hours old). A
 * drift found once stays until the resource sets the password again (`update` clears it): the
 * next read would not see a re-creation again, since it records the new `createDate`.
 * @param olds the state, its `passwordSetAt` filled in (`baselineSetAt`) for a state written before it was kept
 */
export function checkPasswordDrift(olds: Partial<LoginProfileState>, current: LoginProfileRecord, sources: DriftSources): DriftCheck {
    if (olds.passwordDrift !== undefined) {
        return {
            drift: olds.passwordDrift,
            ...(olds.passwordChangedBy !== undefined ? { changedBy: olds.passwordChangedBy } : {}),
            ...(olds.driftCheckedAt !== undefined ? { checkedAt: olds.driftCheckedAt } : {}),
        };
    }
    const outside = eventsSinceLastSet(olds, current.userName, sources);
    if (recreated(olds.createDate, current.createDate)) {
        return { drift: "recreated", ...changedByOf(outside, ["CreateLoginProfile"]), checkedAt: sources.now };
    }
    if (!ownsPassword(olds.passwordResetRequired ?? false, current.passwordResetRequired)) {
        // The user's own password since the forced reset: nothing to check.
        return { checkedAt: sources.now };
    }
    // The events show a change only when there is a last set to compare with.
    const eventsSeen = sources.events !== undefined && timeOf(olds.passwordSetAt) !== undefined;
    const checkedAt = eventsSeen
        ? sources.events?.readAt.toISOString()
        : reportCheckedAt(olds, sources.report, sources.awsClockAheadMs ?? 0);
    const changedBy = changedByOf(outside.filter(passwordSetUnlessForcedReset(olds, current, sources)), SETS_PASSWORD);
    if (changedBy.changedBy !== undefined || changedInReport(olds, current.userName, sources.report, sources.awsClockAheadMs ?? 0)) {
        return { drift: "changed", ...changedBy, ...(checkedAt !== undefined ? { checkedAt } : {}) };
    }
    return checkedAt !== undefined ? { checkedAt } : {};
}

/** The events that set a password: CloudTrail does not record whether an UpdateLoginProfile carried one, so every one counts. */
const SETS_PASSWORD: readonly PasswordEventName[] = ["UpdateLoginProfile", "CreateLoginProfile", "ChangePassword"];

/**
 * CloudTrail does not record whether an UpdateLoginProfile carried a password. One that required a
 * reset the resource does not declare is taken for the forced reset the Drift table shows as
 * `~passwordResetRequired`, while that reset is still pending, and once the resource has written
 * the flag back after it (the `up` that cleared it); a password set with it shows in the credential
 * report within four hours. Any other UpdateLoginProfile is taken for a new password.
 */
function passwordSetUnlessForcedReset(
    olds: Partial<LoginProfileState>,
    current: LoginProfileRecord,
    sources: DriftSources,
): (event: PasswordEvent) => boolean {
    if (olds.passwordResetRequired !== false) {
        return () => true;
    }
    const pending = current.passwordResetRequired;
    const writtenAt = timeOf(olds.writtenAt) ?? Number.NEGATIVE_INFINITY;
    const ahead = sources.awsClockAheadMs ?? 0;
    const forcedReset = (event: PasswordEvent): boolean =>
        event.eventName === "UpdateLoginProfile" &&
        event.passwordResetRequired === true &&
        (pending || event.eventTime.getTime() - ahead < writtenAt);
    return (event) => !forcedReset(event);
}

/**
 * The user's events since this resource last set the password (by AWS's clock, corrected to this
 * machine's), oldest first, but its own: the set itself (at `passwordSetAt`) and a later write of
 * the flag alone (at `writtenAt`), each recorded once its call had returned. Whoever made any
 * other, it was made outside this resource. A state written before `writtenAt` was kept cannot
 * tell the flag writes the resource made since the set: an UpdateLoginProfile that sent the flag
 * the resource declares may be one, and is left to the credential report.
 */
function eventsSinceLastSet(olds: Partial<LoginProfileState>, userName: string, sources: DriftSources): PasswordEvent[] {
    const setAt = timeOf(olds.passwordSetAt);
    if (sources.events === undefined || setAt === undefined) {
        return [];
    }
    const writtenAt = timeOf(olds.writtenAt);
    const ahead = sources.awsClockAheadMs ?? 0;
    const ownFlagWrite = (event: PasswordEvent, at: number): boolean =>
        event.eventName === "UpdateLoginProfile" &&
        (writtenAt !== undefined
            ? Math.abs(at - writtenAt) <= PASSWORD_CHANGE_TOLERANCE_MS
            : event.passwordResetRequired === olds.passwordResetRequired);
    return eventsFor(sources.events, userName).filter((event) => {
        const at = event.eventTime.getTime() - ahead;
        return at > setAt + PASSWORD_CHANGE_TOLERANCE_MS && !ownFlagWrite(event, at);
    });
}

/** `changedBy` from the latest of `events` named one of `names`, if any. */
function changedByOf(events: readonly PasswordEvent[], names: readonly PasswordEventName[]): { changedBy?: string } {
    const latest = events.filter((event) => names.includes(event.eventName)).at(-1);
    return latest !== undefined ? { changedBy: describePasswordEvent(latest) } : {};
}

/**
 * When the report was made, if it was made after the resource last set the password (else it
 * cannot show a later change). The report's times are AWS's, corrected to this machine's clock.
 */
function reportCheckedAt(olds: Partial<LoginProfileState>, report: CredentialReport | undefined, ahead: number): string | undefined {
    const setAt = timeOf(olds.passwordSetAt);
    return report !== undefined && setAt !== undefined && report.generatedAt.getTime() - ahead >= setAt
        ? report.generatedAt.toISOString()
        : undefined;
}

/** Whether the report shows the password set after the resource set it (by AWS's clock, corrected to this machine's). */
function changedInReport(olds: Partial<LoginProfileState>, userName: string, report: CredentialReport | undefined, ahead: number): boolean {
    const setAt = timeOf(olds.passwordSetAt);
    const changedAt = passwordLastChanged(report, userName);
    if (reportCheckedAt(olds, report, ahead) === undefined || setAt === undefined || changedAt === undefined) {
        return false;
    }
    return changedAt.getTime() - ahead > setAt + PASSWORD_CHANGE_TOLERANCE_MS;
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
