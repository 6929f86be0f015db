/** The benchmark's settings, targets and the shapes of what it measures; shared by main.ts and report.ts. */

/** BENCH_QUICK=1: a smoke test (N = 1 and 3, one repetition), written to .bench/, not for the README. */
export const QUICK = process.env.BENCH_QUICK === "1";
export const SIZES = numbers(process.env.BENCH_SIZES) ?? (QUICK ? [1, 3] : [1, 10, 100]);
export const REPS = Number(process.env.BENCH_REPS ?? (QUICK ? 1 : 5));
/** Profiles in the IAM-call count's stack (at least 4: it updates three and replaces one). */
export const CALLS_N = Math.max(4, Number(process.env.BENCH_CALLS_N ?? (QUICK ? 5 : 10)));

export const OPS = ["preview", "up", "refresh", "destroy"] as const;
export type Op = (typeof OPS)[number];
/** What the issue asks for at the largest N: LoginProfile stack ÷ floor stack. */
export const RATIO_TARGETS: Record<Op, number> = { preview: 1.1, up: 1.15, refresh: 1.15, destroy: 1.15 };
/**
 * Targets at the largest N for LoginProfile ÷ bare SDK: a refresh, which also reads the credential
 * report (2 calls), at most 1.05 × the bare-SDK stack, which makes only the GetLoginProfile calls.
 */
export const SDK_RATIO_TARGETS: Partial<Record<Op, number>> = { refresh: 1.05 };
/** Credential-report calls a refresh may add to its N GetLoginProfile calls (GenerateCredentialReport, GetCredentialReport). */
export const REPORT_CALLS = 2;
/**
 * What else a refresh reads once per account: ListUsers (1 call), and CloudTrail's event history,
 * one LookupEvents per event name it looks for (CreateLoginProfile, UpdateLoginProfile,
 * ChangePassword) while each has at most one page (50 events) in the last 90 days.
 */
export const ACCOUNT_READ_CALLS = 1 + 3 + REPORT_CALLS;
export const SERIALIZED_PROVIDER_TARGET = 2048;

/**
 * The three stacks, each in its own temporary project with the package installed from its tarball:
 * `profiles`, N LoginProfiles; `floor`, N dynamic resources whose provider does nothing; `sdk`, N
 * dynamic resources whose provider makes the same IAM calls with the bare AWS SDK.
 */
export const KINDS = ["profiles", "floor", "sdk"] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_NAMES: Record<Kind, string> = { profiles: "LoginProfile", floor: "floor", sdk: "bare SDK" };
export const RESOURCE_TYPES: Record<Kind, string> = {
    profiles: "pulumi-nodejs:dynamic/aws-iam:LoginProfile",
    floor: "pulumi-nodejs:dynamic/bench:Floor",
    sdk: "pulumi-nodejs:dynamic/bench:Bare",
};

/** Users in the inventory measure (listLoginProfiles): the 1,000, or 50 in quick mode. */
export const INVENTORY_USERS = QUICK ? [5, 50] : [10, 1000];

/** One listLoginProfiles call over an account of `users` IAM users, each with a console password. */
export interface InventoryRow {
    readonly users: number;
    /** Users the list returned. */
    readonly listed: number;
    /** IAM calls by action, counted at the emulator. */
    readonly calls: Record<string, number>;
    readonly total: number;
    /**
     * The calls it should make: the report's 2, ListUsers, and one LookupEvents page per 50 events
     * of each event name (every login-profile write the emulator saw in this run).
     */
    readonly target: number;
    /** Wall time of the call, milliseconds (the emulator builds the report on the same machine). */
    readonly ms: number;
}

/** The most events one LookupEvents page holds. */
export const EVENTS_PER_PAGE = 50;

/** One operation of the IAM-call count. */
export interface CallRow {
    readonly op: string;
    /** How many resources the operation touched. */
    readonly resources: number;
    /** IAM calls by action. */
    readonly calls: Record<string, number>;
    readonly total: number;
    /** What the issue asks for, as a total for this operation. */
    readonly target: number;
    readonly met: boolean;
}

/** One provider or program process, as bench/probe.js recorded it. */
export interface ProbeRecord {
    readonly label: string;
    readonly role: "provider" | "program";
    readonly pid: number;
    /** How the record was last written: false while running, "exit", or the signal that ended the process. */
    readonly final: false | string;
    readonly msToNode: number | null;
    readonly msToHandshake: number | null;
    readonly msToFirstRpc: number | null;
    readonly firstRpcMethod: string | null;
    readonly msToFirstCheck: number | null;
    readonly rpcs: Record<string, { count: number; ms: number }>;
    readonly iamClientLoaded: boolean;
    readonly iamClientLoadedDuring: string | null;
    readonly iamClientModule: string | null;
    readonly iamClientLoadMs: number | null;
    readonly cpuMs: number;
    readonly maxRssKb: number;
    readonly msAlive: number | null;
}

/** One timed CLI run. */
export interface Run {
    readonly kind: Kind;
    readonly n: number;
    readonly op: Op;
    readonly rep: number;
    readonly ms: number;
    /** CPU time of the whole `pulumi` process tree (engine, language host, program, provider). */
    readonly treeCpuMs: number;
    /** CPU time of the IAM emulator during the run. */
    readonly emulatorCpuMs: number;
    /** The probe label of the run's processes. */
    readonly label: string;
    readonly providers: ProbeRecord[];
    readonly programs: ProbeRecord[];
}

/** State sizes of one stack after `up`. */
export interface StateSize {
    readonly kind: Kind;
    readonly n: number;
    /** The state file as the file backend stores it. */
    readonly stateFileBytes: number;
    /** `pulumi stack export`, compact JSON. */
    readonly exportBytes: number;
    /** One resource of the stack's type, compact JSON, averaged. */
    readonly resourceBytes: number;
    /** One copy of `__provider`. */
    readonly serializedProviderBytes: number;
    /** How many copies of `__provider` one resource holds (inputs and outputs). */
    readonly providerCopies: number;
}

function numbers(text: string | undefined): number[] | undefined {
    const list = text
        ?.split(/[ ,]+/)
        .filter(Boolean)
        .map(Number)
        .filter((n) => Number.isInteger(n) && n > 0);
    return list && list.length > 0 ? list.sort((a, b) => a - b) : undefined;
}
