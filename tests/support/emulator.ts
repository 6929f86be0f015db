/**
 * Starts the local IAM emulator (moto 5.2.5 with scripts/iam_emulator's corrections) for a jest suite,
 * on a free port, and drives its control API. See scripts/iam_emulator/control.py for the API. It
 * serves STS, CloudTrail's LookupEvents (its event history of IAM's write calls) and S3 on the same
 * port, S3 with the bucket `pulumi-state` for Pulumi's DIY state backend (`backendUrl`).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";

const repo = path.resolve(__dirname, "../..");
const startTimeoutMs = 30_000;

/**
 * A kind of injected fault: Throttling (400), ServiceFailure/ServiceUnavailable (500/503), a
 * connection closed with no response before IAM acts (`drop`), or after it acted (`lost`, opt-in).
 * S3 calls get S3's own errors for the same kinds: SlowDown (503), InternalError (500),
 * ServiceUnavailable (503), counted under the same names; `lost` stores the object first.
 */
export type FaultKind = "throttle" | "5xx" | "drop" | "lost";

/** The emulator's realism switches; all off by default, and back to that on `reset()`. */
export interface EmulatorConfig {
    /** Apply the account password policy (or AWS's default one) to Create/UpdateLoginProfile. @default false */
    readonly enforcePasswordPolicy: boolean;
    /** After CreateUser, CreateLoginProfile for that user answers NoSuchEntity for this long. @default 0 */
    readonly userPropagationSeconds: number;
    /** After CreateLoginProfile, Update/DeleteLoginProfile answer EntityTemporarilyUnmodifiable for this long. @default 0 */
    readonly profileSettleSeconds: number;
    /** Probability (0–1) that an IAM call fails with one of `faultKinds`. @default 0 */
    readonly faultRate: number;
    /** @default ["throttle", "5xx", "drop"] */
    readonly faultKinds: readonly FaultKind[];
    /** A drawn fault repeats for this many consecutive calls (a burst). @default 1 */
    readonly faultBurst: number;
    /** Added before every IAM call of `faultActions`. @default 0 */
    readonly latencyMs: number;
    /** Seeds the fault sequence; every `configure` reseeds, so a run is repeatable. @default 0 */
    readonly seed: number;
    /**
     * Only these actions get faults and latency: IAM, STS and CloudTrail actions by name (`AssumeRole`,
     * `LookupEvents`), S3 operations by S3's names (`PutObject`, `CopyObject`, `GetObject`,
     * `ListObjectsV2`); STS, LookupEvents and S3 calls only when named. null means every IAM action. @default null
     */
    readonly faultActions: readonly string[] | null;
    /** GenerateCredentialReport keeps a report younger than this; 0 makes a new one every time. @default 14400 (AWS's four hours) */
    readonly credentialReportMaxAgeSeconds: number;
    /**
     * These IAM, STS, CloudTrail (`LookupEvents`) or S3 (`PutObject`) actions answer AccessDenied as
     * for a principal without the permission: IAM's and STS's 403, CloudTrail's 400
     * AccessDeniedException, S3's 403 AccessDenied. @default []
     */
    readonly deniedActions: readonly string[];
    /**
     * When a list, every IAM, STS or CloudTrail action it does not name (`iam:GetLoginProfile`,
     * `cloudtrail:LookupEvents`, as a policy names them) answers AccessDenied, but for
     * GetCallerIdentity, the administrator (access key id `emulator-admin`, the tests' own IAM
     * client) and S3 (the state backend's calls, never restricted). @default null (everything allowed)
     */
    readonly allowedActions: readonly string[] | null;
    /** Each account's IAM calls draw from a token bucket of this rate; an empty one answers Throttling. 0 is off. @default 0 */
    readonly rateLimitPerSecond: number;
    /** The bucket's size. @default 10 */
    readonly rateLimitBurst: number;
    /** An IAM call's CloudTrail event appears in LookupEvents this long after IAM answered (CloudTrail delivers within minutes). @default 0 */
    readonly eventDelaySeconds: number;
    /**
     * Shifts IAM's clock by this many seconds (negative or positive, within a century) for everything
     * IAM reports: the `Date` header of IAM, STS and CloudTrail answers, CreateDate, the credential
     * report (its times and its four-hour renewal), CloudTrail event times and LookupEvents' 90 days,
     * password age and expiry, and sign-in times. @default 0
     */
    readonly clockOffsetSeconds: number;
}

/** IAM, STS, LookupEvents and S3 calls received by action (S3's by operation: `PutObject`, `ListObjectsV2`, …), faults injected by kind (error code, "Dropped" or "Latency"), and calls still being answered. */
export interface EmulatorCalls {
    readonly calls: Readonly<Record<string, number>>;
    readonly faults: Readonly<Record<string, number>>;
    readonly inFlight: number;
}

/** What a console sign-in answers: opened, or why not (with `hardExpiry` when the password expired). */
export interface SignIn {
    readonly signedIn: boolean;
    readonly reason?: "no-profile" | "wrong-password" | "expired";
    readonly hardExpiry?: boolean;
}

/** A running emulator. */
export interface Emulator {
    /** The value for AWS_ENDPOINT_URL_IAM, and for AWS_ENDPOINT_URL_STS (moto serves both on one port), e.g. http://127.0.0.1:41234. */
    readonly endpoint: string;
    /** The value for AWS_ENDPOINT_URL_CLOUDTRAIL, where the emulator answers LookupEvents (the same port, as the emulator prints it). */
    readonly cloudTrailEndpoint: string;
    /** The value for AWS_ENDPOINT_URL_S3, where moto serves S3 path-style (the same port, as the emulator prints it). */
    readonly s3Endpoint: string;
    /**
     * A PULUMI_BACKEND_URL for Pulumi's DIY backend on the emulator's bucket `pulumi-state` (made at
     * start and after every `reset()`, empty), as the emulator prints it for PULUMI_IAM_LP_BACKEND_URL:
     * `s3://pulumi-state?endpoint=…&s3ForcePathStyle=true&region=us-east-1&response_checksum_validation=when_required`.
     * The CLI needs AWS credentials in its environment (any key: the emulator's account is 123456789012).
     */
    readonly backendUrl: string;
    /** Clears moto's state (S3's too: the state bucket is made again, empty), the counters, the realism switches and every CloudTrail event. */
    reset(): Promise<void>;
    /** Merges the given switches into the current ones. */
    configure(config: Partial<EmulatorConfig>): Promise<void>;
    /** Counts since the last reset, in every account or in `accountId` alone. */
    calls(accountId?: string): Promise<EmulatorCalls>;
    /** Whether `password` opens the console of `userName` (in `accountId`, else the default account), as a sign-in would tell. */
    signsIn(userName: string, password: string, accountId?: string): Promise<boolean>;
    /** The emulator's whole answer to a sign-in: `{signedIn: true}`, or why not (`no-profile`, `wrong-password`, `expired`). */
    signIn(userName: string, password: string, accountId?: string): Promise<SignIn>;
    /** The server's last lines of log, for the secret scan. */
    log(): string;
    /** Stops the server. */
    stop(): Promise<void>;
}

/**
 * Starts an emulator, on `port` or else a free one; installs it first when it is missing
 * (scripts/install-emulator). moto keeps its state in memory: a new emulator starts empty.
 */
export async function startEmulator(port = 0): Promise<Emulator> {
    const python = await emulatorPython();
    const child = spawn(python, ["-m", "iam_emulator.server", "--host", "127.0.0.1", "--port", String(port)], {
        env: { ...process.env, PYTHONPATH: path.join(repo, "scripts") },
        stdio: ["ignore", "pipe", "pipe"],
    });
    const killOnExit = (): void => {
        child.kill("SIGKILL");
    };
    process.once("exit", killOnExit);
    const log = tail(child);
    let endpoints: Endpoints;
    try {
        endpoints = await endpointLines(child, log);
    } catch (error) {
        child.kill("SIGKILL");
        process.removeListener("exit", killOnExit);
        throw error;
    }

    const endpoint = endpoints.iam;
    return {
        endpoint,
        cloudTrailEndpoint: endpoints.cloudTrail,
        s3Endpoint: endpoints.s3,
        backendUrl: endpoints.backendUrl,
        reset: async () => {
            await control(endpoint, "POST", "reset");
        },
        configure: async (config) => {
            await control(endpoint, "POST", "config", config);
        },
        calls: async (accountId) => {
            const body = await control(endpoint, "GET", accountId === undefined ? "calls" : `calls?accountId=${accountId}`);
            if (!isCalls(body)) {
                throw new Error(`emulator: unexpected answer from /_emulator/calls: ${JSON.stringify(body)}`);
            }
            return body;
        },
        signsIn: async (userName, password, accountId) => (await signIn(endpoint, userName, password, accountId)).signedIn,
        signIn: (userName, password, accountId) => signIn(endpoint, userName, password, accountId),
        log,
        stop: async () => {
            process.removeListener("exit", killOnExit);
            await stopChild(child);
        },
    };
}

function emulatorPython(): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(path.join(repo, "scripts", "install-emulator"), ["--print-python"], { timeout: 300_000 }, (error, stdout, stderr) => {
            const python = stdout.trim();
            if (error || python === "") {
                const detail = stderr.trim().split("\n").slice(-5).join("\n");
                reject(new Error(`The IAM emulator (Python with moto 5.2.5) is not available: run scripts/setup.\n${detail}`));
                return;
            }
            resolve(python);
        });
    });
}

/** Keeps draining stderr (a full pipe would block the server) and remembers its last lines for error messages. */
function tail(child: ChildProcess): () => string {
    let text = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
        text = (text + chunk).slice(-4_000);
    });
    return () => text.trim();
}

/** The endpoints the emulator prints once it listens (IAM's on the first line, then STS's, CloudTrail's and S3's), and the backend URL (the last line). */
interface Endpoints {
    readonly iam: string;
    readonly cloudTrail: string;
    readonly s3: string;
    readonly backendUrl: string;
}

const IAM_PREFIX = "AWS_ENDPOINT_URL_IAM=";
const CLOUDTRAIL_PREFIX = "AWS_ENDPOINT_URL_CLOUDTRAIL=";
const S3_PREFIX = "AWS_ENDPOINT_URL_S3=";
const BACKEND_PREFIX = "PULUMI_IAM_LP_BACKEND_URL=";

function endpointLines(child: ChildProcess, log: () => string): Promise<Endpoints> {
    return new Promise((resolve, reject) => {
        let buffered = "";
        const fail = (why: string): void => {
            cleanup();
            const output = log();
            const hint = /moto|No module named/.test(output) ? " Run scripts/setup." : "";
            reject(new Error(`emulator: ${why}.${hint}${output ? `\n${output}` : ""}`));
        };
        const onData = (chunk: string): void => {
            buffered += chunk;
            // Whole lines only: the last element is what follows the last newline.
            const lines = buffered
                .split("\n")
                .slice(0, -1)
                .map((line) => line.trim());
            const [first] = lines;
            if (first === undefined) {
                return;
            }
            if (!first.startsWith(IAM_PREFIX)) {
                cleanup();
                child.stdout?.resume();
                reject(new Error(`emulator: unexpected first line ${JSON.stringify(first)}`));
                return;
            }
            const value = (prefix: string): string | undefined => lines.find((line) => line.startsWith(prefix))?.slice(prefix.length);
            const [cloudTrail, s3, backendUrl] = [value(CLOUDTRAIL_PREFIX), value(S3_PREFIX), value(BACKEND_PREFIX)];
            // The backend URL is the last line: once it is there, so are the others.
            if (backendUrl === undefined) {
                return;
            }
            cleanup();
            child.stdout?.resume();
            if (cloudTrail === undefined || s3 === undefined) {
                reject(new Error(`emulator: unexpected lines ${JSON.stringify(lines)}`));
                return;
            }
            resolve({ iam: first.slice(IAM_PREFIX.length), cloudTrail, s3, backendUrl });
        };
        const onExit = (code: number | null): void => fail(`exited during start-up (code ${String(code)})`);
        const onError = (error: Error): void => fail(`could not be started: ${error.message}`);
        const timer = setTimeout(() => fail(`did not start within ${startTimeoutMs / 1000} s`), startTimeoutMs);
        const cleanup = (): void => {
            clearTimeout(timer);
            child.stdout?.removeListener("data", onData);
            child.removeListener("exit", onExit);
            child.removeListener("error", onError);
        };
        child.stdout?.setEncoding("utf8");
        child.stdout?.on("data", onData);
        child.once("exit", onExit);
        child.once("error", onError);
    });
}

/** POST /_emulator/sign-in: the password goes in the body, never in a message. */
async function signIn(endpoint: string, userName: string, password: string, accountId?: string): Promise<SignIn> {
    const body = await control(endpoint, "POST", "sign-in", { userName, password, ...(accountId !== undefined ? { accountId } : {}) });
    if (typeof body !== "object" || body === null || !("signedIn" in body) || typeof body.signedIn !== "boolean") {
        throw new Error("emulator: unexpected answer from /_emulator/sign-in");
    }
    return body as SignIn;
}

async function control(endpoint: string, method: "GET" | "POST", action: string, body?: object): Promise<unknown> {
    const response = await fetch(`${endpoint}/_emulator/${action}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
    });
    const answer: unknown = await response.json();
    if (!response.ok) {
        const reason = typeof answer === "object" && answer !== null && "error" in answer ? String(answer.error) : response.statusText;
        throw new Error(`emulator: ${method} /_emulator/${action} failed (${response.status}): ${reason}`);
    }
    return answer;
}

function isCounts(value: unknown): value is Record<string, number> {
    return typeof value === "object" && value !== null && Object.values(value).every((count) => typeof count === "number");
}

function isCalls(value: unknown): value is EmulatorCalls {
    return (
        typeof value === "object" &&
        value !== null &&
        "calls" in value &&
        "faults" in value &&
        "inFlight" in value &&
        isCounts(value.calls) &&
        isCounts(value.faults) &&
        typeof value.inFlight === "number"
    );
}

function stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve();
    }
    return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
            clearTimeout(timer);
            resolve();
        });
        child.kill("SIGTERM");
    });
}

/** The calls (IAM, STS, LookupEvents and S3) `emulator` received while `run` ran (in `accountId` alone when given), by action (actions with none left out). */
export async function callsDuring(emulator: Emulator, run: () => Promise<unknown>, accountId?: string): Promise<Record<string, number>> {
    const before = (await emulator.calls(accountId)).calls;
    await run();
    const after = (await emulator.calls(accountId)).calls;
    return countsAdded(before, after);
}

/** The calls `emulator` received in each of `accounts` while `run` ran, by action, in the order of `accounts`. */
export async function callsDuringByAccount(
    emulator: Emulator,
    accounts: readonly string[],
    run: () => Promise<unknown>,
): Promise<Record<string, number>[]> {
    const counts = (): Promise<Readonly<Record<string, number>>[]> =>
        Promise.all(accounts.map(async (account) => (await emulator.calls(account)).calls));
    const before = await counts();
    await run();
    const after = await counts();
    return after.map((counted, i) => countsAdded(before[i] ?? {}, counted));
}

/** What `after` counts beyond `before`, by key (keys with nothing added left out). */
export function countsAdded(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> {
    return Object.fromEntries(
        Object.entries(after).flatMap(([key, count]) => (count > (before[key] ?? 0) ? [[key, count - (before[key] ?? 0)]] : [])),
    );
}
