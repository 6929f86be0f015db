/**
 * Reading login profiles without managing them: one profile (GetLoginProfile, and ListUsers for
 * its last use) and the account's inventory of console users (the credential report brought up to
 * date by ListUsers and CloudTrail's event history). The program-side functions
 * (`getLoginProfile`, `listLoginProfiles`) and any other front door call these.
 */
import { fetchCredentialReport, REPORT_PERMISSIONS, type CredentialReport, type CredentialReportRow } from "../aws/credentialReport";
import { fetchPasswordEvents, type PasswordEventHistory } from "../aws/eventHistory";
import type { IamUserRecord } from "../aws/iam";
import { LoginProfileError } from "../model/errors";
import { awsErrorCode, describeAwsError } from "../aws/awsError";
import { declaredAccess } from "../model/account";
import { requireValidLookup } from "../rules/validation";
import type { LifecycleContext } from "./context";
import { EVENT_HISTORY_MS } from "./accountSources";

/** A login profile as GetLoginProfile reports it (AWS never returns the password). */
export interface LoginProfileLookup {
    /** The user name as IAM stores it. */
    readonly userName: string;
    /** When the profile (the user's first console password) was created, ISO 8601. */
    readonly createDate: string;
    /** Whether AWS will make the user set a new password at the next sign-in. */
    readonly passwordResetRequired: boolean;
    /** When the password was last used to sign in, ISO 8601, from ListUsers; undefined when never. */
    readonly passwordLastUsed?: string;
}

/** One IAM user with a console password, as the account has it now. */
export interface ConsoleUser {
    /** The user name as IAM stores it. */
    readonly userName: string;
    /** When the password was last used to sign in, ISO 8601, from ListUsers; undefined when never. */
    readonly passwordLastUsed?: string;
    /** When the password was last set, ISO 8601: from the event history when it was set after the report, else the report's. */
    readonly passwordLastChanged?: string;
    /** Whether an MFA device is active for the user, as the credential report says (false for a user newer than the report). */
    readonly mfaActive: boolean;
}

/** What picks a lookup's account and endpoint, as on the resource. */
export interface LookupArgs {
    readonly region?: unknown;
    readonly assumeRole?: unknown;
    readonly profile?: unknown;
}

/** Every IAM user of the account with a console password, and how current that knowledge is. */
export interface LoginProfileInventory {
    /** The AWS account listed: the role ARN's, or the caller's. */
    readonly accountId: string;
    /** The users with a console password, sorted by user name. */
    readonly profiles: readonly ConsoleUser[];
    /**
     * When AWS generated the credential report the list starts from, ISO 8601: AWS makes a new
     * one at most every four hours. Profiles created, changed or deleted since are taken from the
     * event history, and users deleted since from ListUsers.
     */
    readonly generatedAt: string;
    /** How old the report was when it was read, in whole seconds. */
    readonly ageSeconds: number;
    /**
     * Until when the list is current, ISO 8601: when the event history was read (events arrive
     * within minutes), else, when it could not be read, the report's `generatedAt`.
     */
    readonly currentAt: string;
}

/** GetLoginProfile for `userName`; a user without a profile fails with a message naming the user. */
export async function lookupProfile(
    ctx: LifecycleContext,
    args: LookupArgs & { readonly userName?: unknown },
): Promise<LoginProfileLookup> {
    const { userName, region } = requireValidLookup("getLoginProfile", args, true);
    const iam = await ctx.iamFor({ region, ...declaredAccess(args) }, userName);
    try {
        const found = await iam.get(userName);
        const users = await ctx.iamUsers(iam);
        const used = users.seen ? users.value.get(found.userName.toLowerCase())?.passwordLastUsed : undefined;
        return {
            userName: found.userName,
            createDate: found.createDate,
            passwordResetRequired: found.passwordResetRequired,
            ...(used !== undefined ? { passwordLastUsed: used.toISOString() } : {}),
        };
    } catch (error) {
        if (awsErrorCode(error) === "NoSuchEntity") {
            throw new LoginProfileError(
                "NoSuchEntity",
                `IAM user "${userName}" has no login profile (console password): it does not exist (GetLoginProfile answered NoSuchEntity; the user may not exist either)`,
            );
        }
        throw describeAwsError("GetLoginProfile", userName, error);
    }
}

/**
 * Every console user of the account now: the credential report's (GenerateCredentialReport and
 * GetCredentialReport, two calls however many users there are, a few more while AWS builds a new
 * report), brought up to date by the event history's profile events since the report (a query per
 * event name) and ListUsers (users deleted since, and each password's last use). The report is
 * read for what nothing else serves: who had a password when it was made, and MFA.
 */
export async function listProfiles(ctx: LifecycleContext, args: LookupArgs = {}): Promise<LoginProfileInventory> {
    const { region } = requireValidLookup("listLoginProfiles", args, false);
    const iam = await ctx.iamFor({ region, ...declaredAccess(args) }, "(all users)");
    let report: CredentialReport;
    try {
        report = await fetchCredentialReport(iam, ctx.clock, ctx.retryPolicy);
    } catch (error) {
        const described = describeAwsError("Reading the IAM credential report", "(all users)", error);
        if (described.code === "AccessDenied") {
            throw new LoginProfileError(
                "AccessDenied",
                `listLoginProfiles reads the IAM credential report, which needs ${REPORT_PERMISSIONS}: ${described.message}`,
            );
        }
        throw described;
    }
    // Read now, not shared with a refresh's: the inventory is of this moment. Each warns when it cannot be read.
    const now = ctx.clock.now();
    const [events, users] = await Promise.all([
        ctx.readOrWarn("events", iam, () => fetchPasswordEvents(iam, new Date(now - EVENT_HISTORY_MS), new Date(now))),
        ctx.readOrWarn("users", iam, () => iam.listUsers()),
    ]);
    const profiles = currentConsoleUsers(report, events, users);
    return {
        accountId: await iam.accountId(),
        profiles,
        generatedAt: report.generatedAt.toISOString(),
        ageSeconds: Math.max(0, Math.floor((now - report.generatedAt.getTime()) / 1000)),
        currentAt: (events?.readAt ?? report.generatedAt).toISOString(),
    };
}

/**
 * The console users now, sorted by user name: the report's, then each profile event after the
 * report in order (a create adds the user, a delete removes them, a set moves
 * `passwordLastChanged`), then without users ListUsers no longer has, with ListUsers' last use.
 */
export function currentConsoleUsers(
    report: CredentialReport,
    events: PasswordEventHistory | undefined,
    users: readonly IamUserRecord[] | undefined,
): ConsoleUser[] {
    const current = new Map<string, CredentialReportRow>();
    for (const [key, row] of report.users) {
        if (row.passwordEnabled) {
            current.set(key, row);
        }
    }
    for (const event of events?.events ?? []) {
        // Event times are whole seconds: an event of the report's own second may be after it. Applying
        // one the report already holds again changes nothing.
        if (event.eventTime.getTime() < report.generatedAt.getTime() - 1_000) {
            continue;
        }
        const key = event.userName.toLowerCase();
        const row = current.get(key);
        if (event.eventName === "DeleteLoginProfile") {
            current.delete(key);
        } else if (event.eventName === "CreateLoginProfile" || row !== undefined) {
            current.set(key, {
                userName: row?.userName ?? report.users.get(key)?.userName ?? event.userName,
                passwordEnabled: true,
                ...(row?.passwordLastUsed ? { passwordLastUsed: row.passwordLastUsed } : {}),
                passwordLastChanged: event.eventTime,
                mfaActive: row?.mfaActive ?? report.users.get(key)?.mfaActive ?? false,
            });
        }
    }
    const live = users !== undefined ? new Map(users.map((user) => [user.userName.toLowerCase(), user] as const)) : undefined;
    return [...current.entries()]
        .filter(([key]) => live === undefined || live.has(key))
        .map(([key, row]): ConsoleUser => {
            const used = live !== undefined ? live.get(key)?.passwordLastUsed : row.passwordLastUsed;
            return {
                userName: live?.get(key)?.userName ?? row.userName,
                ...(used ? { passwordLastUsed: used.toISOString() } : {}),
                ...(row.passwordLastChanged ? { passwordLastChanged: row.passwordLastChanged.toISOString() } : {}),
                mfaActive: row.mfaActive,
            };
        })
        .sort((a, b) => a.userName.localeCompare(b.userName));
}
