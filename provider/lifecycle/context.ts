/**
 * What every hook works with: the IAM connection, the clock, the retry policy, the stack's
 * settings, and the credential report shared by every read of one provider process. Hooks are
 * functions over this context, one file each, so that every front door calls the same ones.
 */
import { awsErrorCode, LoginProfileError } from "../errors";
import { fetchCredentialReport, REPORT_PERMISSIONS, type CredentialReport } from "../credentialReport";
import { connectIam, type LoginProfileApi } from "../iam";
import { DEFAULT_RETRY_POLICY, retryTransient, RetryTimeoutError, SYSTEM_CLOCK, type RetryClock, type RetryPolicy } from "../retry";
import { resolveClientSettings, type ClientSettings, type StackSettings } from "../settings";

/** What the hooks depend on; every field has a real default. */
export interface LifecycleOptions {
    /** Connects to IAM. @default the AWS SDK client, loaded on first use */
    readonly connect?: (settings: ClientSettings) => Promise<LoginProfileApi>;
    /** The clock for eventual-consistency retries, and for recording when a password was set. @default the system clock */
    readonly clock?: RetryClock;
    /** How long to wait for IAM to settle. @default about two minutes */
    readonly retryPolicy?: RetryPolicy;
    /** The environment the region falls back to. @default process.env */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** Where a warning goes (it reaches the user's terminal through the provider's stderr). @default console.warn */
    readonly warn?: (message: string) => void;
}

/** The shared context of the hooks. */
export interface LifecycleContext {
    /** The retry clock; `clock.now()` also stamps when the resource set a password. */
    readonly clock: RetryClock;
    /** The clock's time as ISO 8601: what the state records as when the resource set a password. */
    now(): string;
    /** How long to wait for IAM to settle, or for a credential report to be built. */
    readonly retryPolicy: RetryPolicy;
    /** The stack settings `configure` read; empty until it runs. */
    stack: StackSettings;
    /** The IAM calls for a resource's declared region (else the stack's, the environment's, us-east-1). */
    iamFor(region: string | undefined): Promise<LoginProfileApi>;
    /** Retries `call` while IAM answers `code` because it has not settled; then says what it waited for. */
    whileSettling<T>(code: string, waitingFor: string, call: () => Promise<T>): Promise<T>;
    /**
     * The account's credential report, fetched at most once per provider process (a refresh of N
     * profiles shares it); undefined, after one warning, when it cannot be read or detection is off.
     */
    credentialReport(iam: LoginProfileApi): Promise<CredentialReport | undefined>;
}

/** Creates the context the hooks share. */
export function createContext(options: LifecycleOptions = {}): LifecycleContext {
    const connect = options.connect ?? connectIam;
    const clock = options.clock ?? SYSTEM_CLOCK;
    const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    const warn = options.warn ?? ((message: string) => console.warn(message));
    let report: Promise<CredentialReport | undefined> | undefined;

    const context: LifecycleContext = {
        clock,
        now: () => new Date(clock.now()).toISOString(),
        retryPolicy: policy,
        stack: {},
        iamFor: (region) => connect(resolveClientSettings(region, context.stack, options.env ?? process.env)),
        async whileSettling(code, waitingFor, call) {
            try {
                return await retryTransient(call, (error) => awsErrorCode(error) === code, clock, policy);
            } catch (error) {
                if (error instanceof RetryTimeoutError) {
                    throw new LoginProfileError(
                        code,
                        `${waitingFor}: IAM still answered ${code} after ${error.message.replace(/^still failing after /, "")}`,
                    );
                }
                throw error;
            }
        },
        credentialReport(iam) {
            if (context.stack.detectPasswordChanges === false) {
                return Promise.resolve(undefined);
            }
            report ??= fetchCredentialReport(iam, clock, policy).catch((error: unknown) => {
                warn(reportWarning(error));
                return undefined;
            });
            return report;
        },
    };
    return context;
}

/**
 * The one warning when the report cannot be read: detection of in-place password changes is off
 * for this run, and everything else goes on.
 */
function reportWarning(error: unknown): string {
    const code = awsErrorCode(error) ?? "Unknown";
    const cause =
        code === "AccessDenied"
            ? `AccessDenied: it needs ${REPORT_PERMISSIONS}`
            : `${code}: ${error instanceof Error ? error.message : String(error)}`;
    return (
        `LoginProfile cannot read the IAM credential report (${cause}), so passwords changed in place outside Pulumi are not detected in this run; ` +
        "deleted, re-created and reset-forced profiles still are. Stack config iam-login-profile:detectPasswordChanges false turns the report off."
    );
}
