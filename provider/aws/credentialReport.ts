/**
 * The IAM credential report: the one place AWS tells when a console password last changed
 * (`password_last_changed`). GetLoginProfile never does, so an in-place change made outside
 * Pulumi is visible only here. AWS builds a new report at most every four hours ("If the most
 * recent report for the account is older than four hours, … IAM generates and downloads a new
 * report", IAM User Guide, "Getting credential reports"), so the report can be older than the
 * change it should show: `generatedAt` says how old it is.
 *
 * The report is fetched with GenerateCredentialReport, then GetCredentialReport: two calls when AWS
 * has the report ready, a few more while it builds one.
 */
import { awsErrorCode } from "./awsError";
import { retryTransient, type RetryClock, type RetryPolicy } from "./retry";

/** One IAM user's row of the report, with the columns this package reads. */
export interface CredentialReportRow {
    /** The user name as IAM stores it. */
    readonly userName: string;
    /** Whether the user has a console password (a login profile). */
    readonly passwordEnabled: boolean;
    /** When the password was last used to sign in; undefined when never, or when the user has none. */
    readonly passwordLastUsed?: Date;
    /** When the password was last set; undefined when the user has none. */
    readonly passwordLastChanged?: Date;
    /**
     * When the password must be changed (`password_next_rotation`): `password_last_changed` plus the
     * account policy's MaxPasswordAge; undefined when the policy sets none, or the user has no password.
     */
    readonly passwordNextRotation?: Date;
    /** Whether an MFA device is active for the user. */
    readonly mfaActive: boolean;
}

/** A credential report as GetCredentialReport returns it, parsed. */
export interface CredentialReport {
    /** When AWS generated this report: nothing that happened later is in it. */
    readonly generatedAt: Date;
    /** Every IAM user's row (the root account's `<root_account>` row left out), by user name in lower case. */
    readonly users: ReadonlyMap<string, CredentialReportRow>;
}

/** The calls that fetch a credential report. */
export interface CredentialReportApi {
    /** GenerateCredentialReport: AWS's `State`, STARTED, INPROGRESS or COMPLETE. */
    generateCredentialReport(): Promise<string>;
    /** GetCredentialReport: the CSV text and when it was generated. */
    getCredentialReport(): Promise<{ readonly content: string; readonly generatedAt: Date }>;
}

/** How long AWS keeps a report before GenerateCredentialReport makes a new one: four hours. */
export const REPORT_RENEWAL_MS = 4 * 3600 * 1000;

/** The permissions reading the report needs, as messages name them. */
export const REPORT_PERMISSIONS = "iam:GenerateCredentialReport and iam:GetCredentialReport";

/** The root account's row, which is not an IAM user. */
const ROOT_ACCOUNT = "<root_account>";

/** Answers of GetCredentialReport that mean "AWS is still building the report: ask again". */
const NOT_READY = new Set(["ReportInProgress", "ReportNotPresent"]);

/**
 * Fetches and parses the account's credential report: GenerateCredentialReport (which starts a
 * new report only when the last is more than four hours old), then GetCredentialReport, asked
 * again with backoff while AWS is still building the report. Other errors are thrown as they are.
 */
export async function fetchCredentialReport(api: CredentialReportApi, clock: RetryClock, policy: RetryPolicy): Promise<CredentialReport> {
    const report = await retryTransient(
        async () => {
            await api.generateCredentialReport();
            return api.getCredentialReport();
        },
        (error) => NOT_READY.has(awsErrorCode(error) ?? ""),
        clock,
        policy,
    );
    return parseCredentialReport(report.content, report.generatedAt);
}

/** Parses the report's CSV (its columns named by the header line, in any order). */
export function parseCredentialReport(csv: string, generatedAt: Date): CredentialReport {
    const [header, ...lines] = csv.split(/\r?\n/).filter((line) => line.trim() !== "");
    const columns = splitCsvLine(header ?? "");
    const index = (name: string): number => columns.indexOf(name);
    const users = new Map<string, CredentialReportRow>();
    for (const line of lines) {
        const cells = splitCsvLine(line);
        const cell = (name: string): string => cells[index(name)] ?? "";
        const userName = cell("user");
        if (userName === "" || userName === ROOT_ACCOUNT) {
            continue;
        }
        const passwordLastUsed = dateOf(cell("password_last_used"));
        const passwordLastChanged = dateOf(cell("password_last_changed"));
        const passwordNextRotation = dateOf(cell("password_next_rotation"));
        users.set(userName.toLowerCase(), {
            userName,
            passwordEnabled: cell("password_enabled") === "true",
            ...(passwordLastUsed ? { passwordLastUsed } : {}),
            ...(passwordLastChanged ? { passwordLastChanged } : {}),
            ...(passwordNextRotation ? { passwordNextRotation } : {}),
            mfaActive: cell("mfa_active") === "true",
        });
    }
    return { generatedAt, users };
}

/**
 * A date cell: ISO 8601, or one of AWS's words for "none" (`N/A`, `no_information`,
 * `not_supported`), which give undefined.
 */
function dateOf(text: string): Date | undefined {
    const date = new Date(text);
    return /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(date.getTime()) ? date : undefined;
}

/**
 * One CSV line's cells. IAM quotes no cell today, but user names and ARNs may hold commas in
 * principle, so double-quoted cells (with "" for a quote) are read as RFC 4180 says.
 */
function splitCsvLine(line: string): string[] {
    const cells: string[] = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
        const character = line.charAt(i);
        if (quoted) {
            if (character === '"' && line.charAt(i + 1) === '"') {
                cell += '"';
                i++;
            } else if (character === '"') {
                quoted = false;
            } else {
                cell += character;
            }
        } else if (character === '"') {
            quoted = true;
        } else if (character === ",") {
            cells.push(cell);
            cell = "";
        } else {
            cell += character;
        }
    }
    cells.push(cell);
    return cells;
}
