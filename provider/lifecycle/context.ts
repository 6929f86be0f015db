/**
 * What every hook works with: the IAM connection of each profile's account, the clock, the retry
 * policy, the stack's (or provider's) settings, and each account's event history, users and
 * credential report, shared by every read of that account in one provider process. Hooks are
 * functions over this context, one file each, so that every front door calls the same ones.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { credentialsKey, declaredAccess, resolveAccess, type AccountAccess } from "../model/account";
import { AssumeRoleError } from "../aws/credentials";
import { LoginProfileError } from "../model/errors";
import { awsErrorCode, describeAwsError } from "../aws/awsError";
import type { CredentialReport } from "../aws/credentialReport";
import type { PasswordEventHistory } from "../aws/eventHistory";
import { connectIam, type LoginProfileApi } from "../aws/iam";
import { DEFAULT_RETRY_POLICY, retryTransient, RetryTimeoutError, SYSTEM_CLOCK, type RetryClock, type RetryPolicy } from "../aws/retry";
import { PROPAGATION_TIMEOUT_CONFIG, resolveClientSettings, type ClientSettings, type StackSettings } from "../aws/settings";
import { createAccountSources, describeUnreadable, type IamUsers, type Seen, type SourceName } from "./accountSources";
import { BlindSpotWarnings, type BlindSpot } from "./blindSpots";
import type { PasswordPolicy } from "../password/policy";

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
    /** Where a warning goes (the dynamic provider host shows the provider's stderr; the plugin sends it to the engine). @default console.warn */
    readonly warn?: (message: string) => void;
    /** Where a notice goes (that a hook waits for IAM to settle), as a warning does. @default console.warn */
    readonly inform?: (message: string) => void;
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
    /**
     * The IAM calls in the account of `target`: its declared region (else the stack's, the
     * environment's, us-east-1), and its `assumeRole` and `profile` (else the stack's or
     * provider's, else the default chain). A role that cannot be assumed fails here, before any
     * IAM call, with a message naming the role and `userName`. `useStack` false ignores the
     * stack's or provider's role and profile: a state records the access it was applied with.
     */
    iamFor(target: AccountTarget, userName: string, useStack?: boolean): Promise<LoginProfileApi>;
    /** The access `target` resolves to: its own `assumeRole` and `profile`, else the stack's or provider's. */
    accessFor(target: AccountTarget): AccountAccess;
    /**
     * Retries `call` while IAM answers `code` because it has not settled, for as long as the
     * operation's own timeout (`withTimeout`), else the setting `propagationTimeoutSeconds`, else
     * the retry policy allows; says once, when it starts to wait, what it waits for; then fails
     * saying what it waited for and how long.
     */
    whileSettling<T>(code: string, waitingFor: string, call: () => Promise<T>): Promise<T>;
    /**
     * Runs `run` with its waits for IAM to settle bounded by `timeoutSeconds` (a resource's
     * `customTimeouts` for the operation, which the engine sends the plugin); undefined or 0 leaves
     * the setting's wait in force, as the engine sends 0 for "none declared".
     */
    withTimeout<T>(timeoutSeconds: number | undefined, run: () => Promise<T>): Promise<T>;
    /**
     * The credential report of the account `iam` reaches, fetched at most once per account per
     * provider process (a refresh of N profiles in one account shares it); why not, after one
     * warning, when it cannot be read.
     */
    credentialReport(iam: LoginProfileApi): Promise<Seen<CredentialReport>>;
    /** CloudTrail's password events of the account `iam` reaches, read as the report is. */
    passwordEvents(iam: LoginProfileApi): Promise<Seen<PasswordEventHistory>>;
    /** The IAM users of the account `iam` reaches (ListUsers), read as the report is. */
    iamUsers(iam: LoginProfileApi): Promise<Seen<IamUsers>>;
    /** `read` of `source` of the account `iam` reaches, not shared (a lookup's own); undefined, after its warning, when it fails. */
    readOrWarn<T>(source: SourceName, iam: LoginProfileApi, read: () => Promise<T>): Promise<T | undefined>;
    /** Warns, once per account for the profiles that come together, that a profile could not be checked; resolves once warned. */
    couldNotCheck(spot: BlindSpot): Promise<void>;
    /**
     * The account password policy of the account `iam` reaches (GetAccountPasswordPolicy; undefined
     * when it has none), read once per account per provider process: every password generated in
     * the account is made for it, and a run of rotations asks once.
     */
    passwordPolicy(iam: LoginProfileApi): Promise<PasswordPolicy | undefined>;
    /** Warns `message`, unless a warning with the same `key` went out before in this provider process. */
    warnOnce(key: string, message: string): void;
}

/** What picks a profile's account and endpoint: a resource's (or function's) region, role and profile. */
export interface AccountTarget extends AccountAccess {
    readonly region?: string;
}

/** Creates the context the hooks share. */
export function createContext(options: LifecycleOptions = {}): LifecycleContext {
    const connect = options.connect ?? connectIam;
    const clock = options.clock ?? SYSTEM_CLOCK;
    const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    const warn = options.warn ?? ((message: string) => console.warn(message));
    const inform = options.inform ?? ((message: string) => console.warn(message));
    const sources = createAccountSources(clock, policy, warn);
    const blindSpots = new BlindSpotWarnings(warn);
    // The timeout of the operation in progress, for each of the operations the plugin runs at once.
    const operationTimeouts = new AsyncLocalStorage<number>();
    // The account key each connection was made for, so that its report is the account's own.
    const accountKeys = new WeakMap<LoginProfileApi, string>();
    const policies = new Map<string, Promise<PasswordPolicy | undefined>>();
    const warned = new Set<string>();

    const context: LifecycleContext = {
        clock,
        now: () => new Date(clock.now()).toISOString(),
        retryPolicy: policy,
        stack: {},
        accessFor: (target) => resolveAccess(declaredAccess(target), context.stack),
        async iamFor(target, userName, useStack = true) {
            const settings = resolveClientSettings(
                target.region,
                useStack ? context.stack : withoutAccess(context.stack),
                options.env ?? process.env,
                declaredAccess(target),
            );
            let iam: LoginProfileApi;
            try {
                iam = await connect(settings);
            } catch (error) {
                if (error instanceof AssumeRoleError) {
                    throw new LoginProfileError(
                        error.code,
                        `The login profile of IAM user "${userName}" is out of reach: ${error.message}`,
                    );
                }
                throw error;
            }
            const reached = withDescribedAccount(iam, userName);
            accountKeys.set(reached, credentialsKey(settings));
            return reached;
        },
        async whileSettling(code, waitingFor, call) {
            const wait = settlingWait(operationTimeouts.getStore(), context.stack, policy);
            let told = false;
            const unsettled = (error: unknown): boolean => {
                const waiting = awsErrorCode(error) === code;
                if (waiting && !told && wait.timeoutMs > 0) {
                    told = true;
                    inform(`${waitingFor}: waiting up to ${wait.timeoutMs / 1000} s for IAM to settle (${wait.source})`);
                }
                return waiting;
            };
            try {
                return await retryTransient(call, unsettled, clock, { ...policy, timeoutMs: wait.timeoutMs });
            } catch (error) {
                if (error instanceof RetryTimeoutError) {
                    throw new LoginProfileError(
                        code,
                        `${waitingFor}: IAM still answered ${code} after ${error.message.replace(/^still failing after /, "")} (${wait.source})`,
                    );
                }
                throw error;
            }
        },
        withTimeout(timeoutSeconds, run) {
            return timeoutSeconds ? operationTimeouts.run(timeoutSeconds, run) : run();
        },
        credentialReport: (iam) => sources.credentialReport(iam, accountKeys.get(iam) ?? ""),
        passwordEvents: (iam) => sources.passwordEvents(iam, accountKeys.get(iam) ?? ""),
        iamUsers: (iam) => sources.iamUsers(iam, accountKeys.get(iam) ?? ""),
        async readOrWarn(source, iam, read) {
            try {
                return await read();
            } catch (error) {
                warn((await describeUnreadable(source, iam, error)).warning);
                return undefined;
            }
        },
        couldNotCheck: (spot) => blindSpots.add(spot),
        passwordPolicy(iam) {
            const key = accountKeys.get(iam) ?? "";
            let policy = policies.get(key);
            if (policy === undefined) {
                policy = iam.getAccountPasswordPolicy();
                policies.set(key, policy);
                // A failure is not kept: the next generation asks again.
                policy.catch(() => policies.delete(key));
            }
            return policy;
        },
        warnOnce(key, message) {
            if (!warned.has(key)) {
                warned.add(key);
                warn(message);
            }
        },
    };
    return context;
}

/**
 * `iam` whose account lookup (STS GetCallerIdentity, made by create, read, update and the
 * lookups alike) fails with a message naming the call, its endpoint and `userName`.
 */
function withDescribedAccount(iam: LoginProfileApi, userName: string): LoginProfileApi {
    const accountId = (): Promise<string> =>
        iam.accountId().catch((error: unknown) => {
            throw describeAwsError("Finding the account of the credentials", userName, error);
        });
    // A proxy, not a copy: a connection may be a class instance whose methods need it as `this`.
    return new Proxy(iam, {
        get(target, key) {
            if (key === "accountId") {
                return accountId;
            }
            const value: unknown = Reflect.get(target, key);
            return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
    });
}

/** How long to wait for IAM to settle, and which setting said so (for the messages). */
interface SettlingWait {
    readonly timeoutMs: number;
    readonly source: string;
}

/** The wait for IAM to settle: the operation's own timeout, else the setting, else the retry policy's. */
function settlingWait(operationTimeoutSeconds: number | undefined, stack: StackSettings, policy: RetryPolicy): SettlingWait {
    if (operationTimeoutSeconds !== undefined) {
        return { timeoutMs: operationTimeoutSeconds * 1000, source: "the resource's customTimeouts" };
    }
    const configured = stack.propagationTimeoutSeconds;
    if (configured !== undefined) {
        return { timeoutMs: configured * 1000, source: `${PROPAGATION_TIMEOUT_CONFIG} is ${configured}` };
    }
    return {
        timeoutMs: policy.timeoutMs,
        source: `by default; ${PROPAGATION_TIMEOUT_CONFIG} or the plugin's customTimeouts sets how long`,
    };
}

/** The stack settings without their role and profile. */
function withoutAccess(stack: StackSettings): StackSettings {
    return Object.fromEntries(Object.entries(stack).filter(([key]) => key !== "assumeRole" && key !== "profile"));
}
