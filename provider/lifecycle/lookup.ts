/**
 * Reading login profiles without managing them: one profile (GetLoginProfile) and the account's
 * inventory of console users (the credential report). The program-side functions
 * (`getLoginProfile`, `listLoginProfiles`) and any other front door call these.
 */
import { fetchCredentialReport, REPORT_PERMISSIONS } from "../aws/credentialReport";
import { LoginProfileError } from "../model/errors";
import { awsErrorCode, describeAwsError } from "../aws/awsError";
import { declaredAccess } from "../model/account";
import { requireValidLookup } from "../rules/validation";
import type { LifecycleContext } from "./context";

/** A login profile as GetLoginProfile reports it (AWS never returns the password). */
export interface LoginProfileLookup {
    /** The user name as IAM stores it. */
    readonly userName: string;
    /** When the profile (the user's first console password) was created, ISO 8601. */
    readonly createDate: string;
    /** Whether AWS will make the user set a new password at the next sign-in. */
    readonly passwordResetRequired: boolean;
}

/** One IAM user with a console password, as the credential report tells it. */
export interface ConsoleUser {
    /** The user name as IAM stores it. */
    readonly userName: string;
    /** When the password was last used to sign in, ISO 8601; undefined when never. */
    readonly passwordLastUsed?: string;
    /** When the password was last set, ISO 8601. */
    readonly passwordLastChanged?: string;
    /** Whether an MFA device is active for the user. */
    readonly mfaActive: boolean;
}

/** What picks a lookup's account and endpoint, as on the resource. */
export interface LookupArgs {
    readonly region?: unknown;
    readonly assumeRole?: unknown;
    readonly profile?: unknown;
}

/** Every IAM user of the account with a console password, and how old that knowledge is. */
export interface LoginProfileInventory {
    /** The AWS account listed: the role ARN's, or the caller's. */
    readonly accountId: string;
    /** The users with a console password, sorted by user name. */
    readonly profiles: readonly ConsoleUser[];
    /**
     * When AWS generated the credential report the list comes from, ISO 8601: AWS makes a new
     * one at most every four hours, so changes after this time are not in the list.
     */
    readonly generatedAt: string;
    /** How old the report was when it was read, in whole seconds. */
    readonly ageSeconds: number;
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
        return { userName: found.userName, createDate: found.createDate, passwordResetRequired: found.passwordResetRequired };
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
 * Every console user of the account, from the credential report: GenerateCredentialReport and
 * GetCredentialReport, two calls however many users there are (a few more while AWS builds a new
 * report).
 */
export async function listProfiles(ctx: LifecycleContext, args: LookupArgs = {}): Promise<LoginProfileInventory> {
    const { region } = requireValidLookup("listLoginProfiles", args, false);
    const iam = await ctx.iamFor({ region, ...declaredAccess(args) }, "(all users)");
    let report;
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
    const profiles = [...report.users.values()]
        .filter((row) => row.passwordEnabled)
        .map((row): ConsoleUser => ({
            userName: row.userName,
            ...(row.passwordLastUsed ? { passwordLastUsed: row.passwordLastUsed.toISOString() } : {}),
            ...(row.passwordLastChanged ? { passwordLastChanged: row.passwordLastChanged.toISOString() } : {}),
            mfaActive: row.mfaActive,
        }))
        .sort((a, b) => a.userName.localeCompare(b.userName));
    return {
        accountId: await iam.accountId(),
        profiles,
        generatedAt: report.generatedAt.toISOString(),
        ageSeconds: Math.max(0, Math.floor((ctx.clock.now() - report.generatedAt.getTime()) / 1000)),
    };
}
