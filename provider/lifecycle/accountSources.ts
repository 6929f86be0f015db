/**
 * What a refresh reads once per account per provider process, beside each profile's own
 * GetLoginProfile: CloudTrail's event history of password changes (within minutes, and who made
 * them), ListUsers (when each password was last used, with no delay) and the credential report
 * (AWS's `password_last_changed`, up to four hours old). A refresh of N profiles in one account
 * shares them. One that cannot be read is a warning, once per account, and the refresh goes on
 * with what it could read.
 */
import { awsCallOf, awsErrorCode, describeCallFailure } from "../aws/awsError";
import { fetchCredentialReport, REPORT_PERMISSIONS, type CredentialReport } from "../aws/credentialReport";
import {
    EVENT_HISTORY_DAYS,
    EVENT_HISTORY_PERMISSION,
    fetchPasswordEvents,
    REFRESH_EVENT_NAMES,
    type PasswordEventHistory,
} from "../aws/eventHistory";
import type { IamUserRecord, LoginProfileApi } from "../aws/iam";
import type { RetryClock, RetryPolicy } from "../aws/retry";
import { DETECT_PASSWORD_CHANGES_CONFIG } from "../aws/settings";

/** What a source gave: its value, or why there is none (for the refresh's warnings). */
export type Seen<T> = { readonly seen: true; readonly value: T } | { readonly seen: false; readonly why: string };

/** IAM users by user name in lower case (IAM user names are case-insensitive). */
export type IamUsers = ReadonlyMap<string, IamUserRecord>;

/** The permission ListUsers needs, as messages name it. */
export const LIST_USERS_PERMISSION = "iam:ListUsers";

/** The account's sources, each read at most once per account (`account`, a credentials key) in this process. */
export interface AccountSources {
    /** CloudTrail's events of the last 90 days that a refresh looks for (REFRESH_EVENT_NAMES). */
    passwordEvents(iam: LoginProfileApi, account: string): Promise<Seen<PasswordEventHistory>>;
    /** Every IAM user of the account, with when each password was last used. */
    iamUsers(iam: LoginProfileApi, account: string): Promise<Seen<IamUsers>>;
    /** The account's credential report. */
    credentialReport(iam: LoginProfileApi, account: string): Promise<Seen<CredentialReport>>;
}

/** The sources, as warnings name them. */
export type SourceName = "events" | "users" | "report";

/** Creates the sources of one provider process; `warn` says once per account what one could not read. */
export function createAccountSources(clock: RetryClock, policy: RetryPolicy, warn: (message: string) => void): AccountSources {
    const cache = new Map<string, Promise<Seen<unknown>>>();
    function once<T>(source: SourceName, account: string, iam: LoginProfileApi, read: () => Promise<T>): Promise<Seen<T>> {
        const key = `${source}\u0000${account}`;
        let seen = cache.get(key) as Promise<Seen<T>> | undefined;
        if (!seen) {
            seen = read().then(
                (value): Seen<T> => ({ seen: true, value }),
                async (error: unknown): Promise<Seen<T>> => {
                    const unreadable = await describeUnreadable(source, iam, error);
                    warn(unreadable.warning);
                    return { seen: false, why: unreadable.why };
                },
            );
            cache.set(key, seen);
        }
        return seen;
    }
    return {
        passwordEvents: (iam, account) =>
            once("events", account, iam, () => {
                const now = clock.now();
                return fetchPasswordEvents(iam, new Date(now - EVENT_HISTORY_MS), new Date(now), REFRESH_EVENT_NAMES);
            }),
        iamUsers: (iam, account) =>
            once(
                "users",
                account,
                iam,
                async () => new Map((await iam.listUsers()).map((user) => [user.userName.toLowerCase(), user] as const)),
            ),
        credentialReport: (iam, account) => once("report", account, iam, () => fetchCredentialReport(iam, clock, policy)),
    };
}

/** The whole event history's span, in milliseconds: what a read of it covers. */
export const EVENT_HISTORY_MS = EVENT_HISTORY_DAYS * 24 * 3600 * 1000;

/**
 * What to say when `source` of the account `iam` reaches could not be read with `error`: the
 * warning, which names the account and what is missing, and the reason for other messages.
 */
export async function describeUnreadable(
    source: SourceName,
    iam: LoginProfileApi,
    error: unknown,
): Promise<{ warning: string; why: string }> {
    const accountId = await iam.accountId().catch(() => undefined);
    const described = WARNINGS[source];
    const cause = causeOf(error, described.permission);
    return {
        warning: described.message(accountId !== undefined && accountId !== "" ? `account ${accountId}` : "the account", cause),
        why: `${described.what} could not be read (${cause})`,
    };
}

/** What a source is, the permission it needs, and the warning when it cannot be read. */
interface Warning {
    readonly what: string;
    readonly permission: string;
    message(account: string, cause: string): string;
}

const WARNINGS: Readonly<Record<SourceName, Warning>> = {
    events: {
        what: "CloudTrail's event history",
        permission: EVENT_HISTORY_PERMISSION,
        message: (account, cause) =>
            `LoginProfile cannot read CloudTrail's event history in ${account} (${cause}), so a password changed in place outside Pulumi ` +
            "is seen only through the IAM credential report, which AWS makes at most every four hours, and without who changed it. " +
            `Grant ${EVENT_HISTORY_PERMISSION} to see such changes within minutes.`,
    },
    users: {
        what: "the account's IAM users",
        permission: LIST_USERS_PERMISSION,
        message: (account, cause) =>
            `LoginProfile cannot list the IAM users of ${account} (${cause}), so passwordLastUsed is not read live: a refresh takes it ` +
            `from the IAM credential report, which can be four hours old, and the lookups leave it out. Grant ${LIST_USERS_PERMISSION} to read it live.`,
    },
    report: {
        what: "the credential report",
        permission: REPORT_PERMISSIONS,
        message: (account, cause) =>
            `LoginProfile cannot read the IAM credential report of ${account} (${cause}), so a password changed in place outside Pulumi ` +
            "is seen only through CloudTrail's event history; deleted, re-created and reset-forced profiles still are. " +
            `Stack config ${DETECT_PASSWORD_CHANGES_CONFIG} false turns the detection of in-place changes off.`,
    },
};

/** Why a call failed, for a warning: the permission when AWS denied it, else what the call answered. */
function causeOf(error: unknown, permission: string): string {
    const code = awsErrorCode(error) ?? "Unknown";
    if (code === "AccessDenied") {
        return `AccessDenied: it needs ${permission}`;
    }
    const call = awsCallOf(error);
    return call !== undefined ? describeCallFailure(call, error) : `${code}: ${error instanceof Error ? error.message : String(error)}`;
}
