/**
 * The benchmark of a stack per account (issue 28): examples/organization-stacks as a user runs it
 * (organizationStacksRunner.ts), on the emulator's S3 state backend (the DIY backend on bucket
 * pulumi-state), every account throttled as organization.ts throttles it (a token bucket per
 * account: 20 IAM calls a second, bursts of 20).
 *
 * - 100 accounts × 2 profiles as 100 stacks: at concurrency 4 and 8 (runAccounts in this
 *   process), and as 2 shards (two processes of the example's command line at once, `--shard i/2
 *   --concurrency 4`).
 * - 20 accounts × 50 profiles (organization.ts's sizes) as 20 stacks at concurrency 8, against
 *   the one program of organization.ts holding the same 1,000 profiles.
 *
 * Each operation (up, refresh, destroy) runs first on its floor, stacks of the same program with
 * `users: []` at the same concurrency (in accounts of their own: a stack of no profile makes no AWS
 * call, so only its name matters; the shards' floor runs as two runAccounts in this process, as the
 * accounts file refuses an empty list of users), then on the profiles' stacks. Every stack must
 * succeed, and IAM must hold exactly the profiles it should after each operation. The emulator is
 * reset before each run, so that each starts on an empty bucket, as a first run does.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Account } from "../examples/organization-stacks/accounts";
import { runPool } from "../examples/organization-stacks/pool";
import type { Operation } from "../examples/organization-stacks/report";
import { bucketObjects, REPO } from "../tests/e2e/harness";
import { countsAdded, type Emulator, type EmulatorCalls } from "../tests/support/emulator";
import { childrenCpuMs, emulatorCpuMs } from "./cpu";
import { machine } from "./machine";
import { QUICK } from "./model";
import { ORG, type OrgResults } from "./organization";
import {
    accountsOf,
    countProfiles,
    prepareAccounts,
    runInProcess,
    runShards,
    setUpExample,
    stackPasswords,
    type StacksSetup,
} from "./organizationStacksRunner";
import { median } from "./stats";

/** One way of running the organization: accounts × profiles, stacks in flight, processes, and the floor's stacks. */
export interface StacksRun {
    readonly name: string;
    readonly accounts: number;
    readonly perAccount: number;
    /** Stacks in flight in each process. */
    readonly concurrency: number;
    /** Processes of the example's command line at once, each `--shard i/n`; 1 runs in this process. */
    readonly shards: number;
    /** Stacks of 0 profiles in the floor: fewer than 100, to keep the part within 30 minutes on 2 cores. */
    readonly floorStacks: number;
}

const large: StacksRun = {
    name: `${ORG.accounts} × ${ORG.perAccount}, concurrency 8`,
    accounts: ORG.accounts,
    perAccount: ORG.perAccount,
    // 8: on 2 cores the stacks are CPU-bound, so more in flight would only share the same cores.
    concurrency: 8,
    shards: 1,
    floorStacks: ORG.accounts,
};
/**
 * The runs: 100 × 2 three ways, and organization.ts's 20 × 50 last; BENCH_QUICK=1: 4 × 2 in 2 shards,
 * and 3 × 5. BENCH_STACKS_RUN keeps only the runs whose name starts with it (`BENCH_STACKS_RUN="20 × 50"`).
 */
export const STACKS_RUNS: readonly StacksRun[] = (
    QUICK
        ? [{ name: "4 × 2, 2 shards × concurrency 4", accounts: 4, perAccount: 2, concurrency: 4, shards: 2, floorStacks: 2 }, large]
        : [
              { name: "100 × 2, concurrency 4", accounts: 100, perAccount: 2, concurrency: 4, shards: 1, floorStacks: 8 },
              { name: "100 × 2, concurrency 8", accounts: 100, perAccount: 2, concurrency: 8, shards: 1, floorStacks: 8 },
              { name: "100 × 2, 2 shards × concurrency 4", accounts: 100, perAccount: 2, concurrency: 4, shards: 2, floorStacks: 8 },
              large,
          ]
).filter((run) => run.name.startsWith(process.env.BENCH_STACKS_RUN ?? ""));
/** The goal: refresh of the 20 × 50 stacks within 1.5 × the slower of its floor and the time the quotas allow. */
export const STACKS_GOAL = { ratio: 1.5 };

const OPERATIONS: readonly Operation[] = ["up", "refresh", "destroy"];
/** Calls with no IAM quota: STS's and CloudTrail's; S3's are told by their operation names (scripts/iam_emulator/s3.py). */
const STS_OR_CLOUDTRAIL = new Set(["AssumeRole", "GetCallerIdentity", "LookupEvents"]);
const isS3 = (action: string): boolean => /Object|Bucket|Multipart|UploadPart|ListParts/.test(action);

/** One operation of one run, against its floor. */
export interface StacksRow {
    readonly run: string;
    readonly op: Operation;
    readonly stacks: number;
    readonly ms: number;
    readonly floorStacks: number;
    readonly floorMs: number;
    /** Median of the stacks' own times (the runner's per-account seconds: its config calls and the operation). */
    readonly stackSeconds: number;
    readonly floorStackSeconds: number;
    /** What 2 (or 50) profiles add to a stack: stackSeconds − floorStackSeconds. */
    readonly overheadSeconds: number;
    /** CPU of the CLIs' process trees (plugins, programs, runner processes) per stack. */
    readonly cpuSecondsPerStack: number;
    readonly floorCpuSecondsPerStack: number;
    readonly emulatorCpuSeconds: number;
    readonly s3Calls: number;
    readonly floorS3Calls: number;
    /** IAM, STS and CloudTrail calls, throttled ones included. */
    readonly iamCalls: number;
    readonly assumeRole: number;
    readonly throttled: number;
    readonly throttledShare: number;
    /** max over accounts of max(0, IAM calls admitted − burst) ÷ rate: the least time the quotas allow. */
    readonly quotaSeconds: number;
    /** Login profiles in IAM across the run's accounts afterwards. */
    readonly profilesInIam: number;
    /** The 1-minute load average as the operation started: other work on the machine. */
    readonly loadAverage: number;
}

/** The one-program figures of organization.ts for the same 1,000 profiles. */
export interface OneProgram {
    readonly source: string;
    readonly upMs: number;
    readonly refreshMs: number;
    readonly refreshFloorMs: number;
}

/** The measure's results. */
export interface StacksResults {
    readonly rateLimitPerSecond: number;
    readonly rateLimitBurst: number;
    readonly runs: readonly StacksRun[];
    readonly rows: readonly StacksRow[];
    readonly goal: {
        readonly refreshMs: number;
        readonly floorMs: number;
        readonly quotaMs: number;
        readonly boundMs: number;
        readonly met: boolean;
    };
    readonly oneProgram: OneProgram | null;
    readonly bucketObjectsScanned: number;
    readonly elapsedMs: number;
    readonly machine: Record<string, string | number>;
}

/** What the measure needs from bench/main.ts. */
export interface StacksContext {
    readonly emulator: Emulator;
    readonly tarball: string;
    readonly cli: string;
    readonly say: (text: string) => void;
    /** Registers a secret (an external id, a generated password) for the bench's leak scan. */
    readonly secret: (value: string) => void;
    /** organization.ts's results of this bench run, when it measured them; else bench/results/organization.json. */
    readonly organization?: OrgResults;
    readonly keep: boolean;
}

/** Measures every run of STACKS_RUNS. */
export async function measureOrganizationStacks(ctx: StacksContext): Promise<StacksResults> {
    const started = Date.now();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "lp-bench-stacks-"));
    try {
        const externalId = `bench-${crypto.randomBytes(12).toString("base64url")}`;
        ctx.secret(externalId);
        ctx.say("stacks: copying examples/organization-stacks, installing the package, npm run build");
        const setup = setUpExample(scratch, ctx.tarball, ctx.emulator, externalId);
        // Warm-up, not measured: the first stacks of a bench would otherwise pay for cold caches.
        const warmUp = accountsOf(900000000000, 2, 0, externalId);
        await prepareAccounts(setup, warmUp);
        await runInProcess(setup, "up", warmUp, 2);
        const rows: StacksRow[] = [];
        let scanned = 0;
        for (const run of STACKS_RUNS) {
            const accounts = accountsOf(200000000000, run.accounts, run.perAccount, externalId);
            const floor = accountsOf(900000000000, run.floorStacks, 0, externalId);
            ctx.say(`stacks: ${run.name}: creating ${run.accounts * run.perAccount} IAM users in ${run.accounts} accounts`);
            await prepareAccounts(setup, accounts);
            for (const op of OPERATIONS) {
                rows.push(await measureOperation(setup, ctx.say, run, op, accounts, floor));
                if (op === "up") {
                    stackPasswords(setup, accounts[0]?.accountId ?? "").forEach(ctx.secret);
                }
            }
            // Every object of the bucket passes the leak scan.
            scanned += Object.keys(bucketObjects(ctx.emulator.backendUrl)).length;
        }
        await ctx.emulator.reset();
        const refresh = rows.find((row) => row.run === large.name && row.op === "refresh");
        const floorMs = refresh?.floorMs ?? NaN;
        const quotaMs = (refresh?.quotaSeconds ?? NaN) * 1000;
        const boundMs = STACKS_GOAL.ratio * Math.max(floorMs, quotaMs);
        return {
            rateLimitPerSecond: ORG.rateLimitPerSecond,
            rateLimitBurst: ORG.rateLimitBurst,
            runs: STACKS_RUNS,
            rows,
            goal: { refreshMs: refresh?.ms ?? NaN, floorMs, quotaMs, boundMs, met: (refresh?.ms ?? Infinity) <= boundMs },
            oneProgram: oneProgram(ctx.organization),
            bucketObjectsScanned: scanned,
            elapsedMs: Date.now() - started,
            machine: machine(ctx.cli),
        };
    } finally {
        if (ctx.keep) {
            ctx.say(`stacks: kept ${scratch}`);
        } else {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    }
}

/** The floor's operation, then the profiles', with the calls each made; checks the profiles in IAM. */
async function measureOperation(
    setup: StacksSetup,
    say: (text: string) => void,
    run: StacksRun,
    op: Operation,
    accounts: readonly Account[],
    floor: readonly Account[],
): Promise<StacksRow> {
    const { emulator } = setup;
    const floorTiming = await timed(emulator, () => runInProcess(setup, op, floor, run.concurrency, run.shards));
    const loadAverage = os.loadavg()[0] ?? NaN;
    const before = await callsIn(emulator, accounts);
    const timing = await timed(emulator, () =>
        run.shards > 1
            ? runShards(setup, op, accounts.length, run.concurrency, run.shards)
            : runInProcess(setup, op, accounts, run.concurrency),
    );
    const after = await callsIn(emulator, accounts);
    const calls = countsAdded(before.total.calls, after.total.calls);
    const iamCalls = callsOf(calls, (action) => !isS3(action));
    const throttled = countsAdded(before.total.faults, after.total.faults).Throttling ?? 0;
    // Each account's IAM calls that its quota admitted (STS, CloudTrail and S3 calls draw on none).
    const admitted = after.byAccount.map((counted, i) => {
        const added = countsAdded(before.byAccount[i]?.calls ?? {}, counted.calls);
        const throttledHere = countsAdded(before.byAccount[i]?.faults ?? {}, counted.faults).Throttling ?? 0;
        return callsOf(added, (action) => !isS3(action) && !STS_OR_CLOUDTRAIL.has(action)) - throttledHere;
    });
    const profilesInIam = await countProfiles(emulator, accounts);
    const expected = op === "destroy" ? 0 : run.accounts * run.perAccount;
    if (profilesInIam !== expected) {
        throw new Error(`stacks: after ${op} of ${run.name}, ${profilesInIam} login profiles in IAM, expected ${expected}`);
    }
    const row: StacksRow = {
        run: run.name,
        op,
        stacks: accounts.length,
        ms: timing.ms,
        floorStacks: floor.length,
        floorMs: floorTiming.ms,
        stackSeconds: median(timing.seconds),
        floorStackSeconds: median(floorTiming.seconds),
        overheadSeconds: median(timing.seconds) - median(floorTiming.seconds),
        cpuSecondsPerStack: timing.cpuMs / 1000 / accounts.length,
        floorCpuSecondsPerStack: floorTiming.cpuMs / 1000 / floor.length,
        emulatorCpuSeconds: timing.emulatorCpuMs / 1000,
        s3Calls: callsOf(calls, isS3),
        floorS3Calls: floorTiming.s3Calls,
        iamCalls,
        assumeRole: calls.AssumeRole ?? 0,
        throttled,
        throttledShare: iamCalls === 0 ? 0 : throttled / iamCalls,
        quotaSeconds: Math.max(0, ...admitted.map((n) => (n - ORG.rateLimitBurst) / ORG.rateLimitPerSecond)),
        profilesInIam,
        loadAverage,
    };
    say(
        `stacks: ${run.name}: ${op} ${seconds(row.ms)} (floor of ${row.floorStacks}: ${seconds(row.floorMs)}), ` +
            `per stack ${row.stackSeconds.toFixed(1)} s (floor ${row.floorStackSeconds.toFixed(1)} s), ${row.s3Calls} S3 calls, ` +
            `${row.iamCalls} IAM calls, ${row.throttled} throttled, load ${loadAverage.toFixed(1)}`,
    );
    return row;
}

/** The calls of the actions `filter` takes. */
function callsOf(calls: Readonly<Record<string, number>>, filter: (action: string) => boolean): number {
    return Object.entries(calls).reduce((total, [action, n]) => total + (filter(action) ? n : 0), 0);
}

/** The emulator's counts, in all accounts and in each of `accounts`. */
async function callsIn(emulator: Emulator, accounts: readonly Account[]): Promise<{ total: EmulatorCalls; byAccount: EmulatorCalls[] }> {
    const byAccount = await runPool(accounts, 16, (account) => emulator.calls(account.accountId));
    return { total: await emulator.calls(), byAccount };
}

/** What one set of stacks took. */
interface Timing {
    readonly ms: number;
    /** Each stack's own seconds. */
    readonly seconds: readonly number[];
    readonly cpuMs: number;
    readonly emulatorCpuMs: number;
    readonly s3Calls: number;
}

/** Times `run` (which answers its stacks' seconds), with the CPU and the S3 calls it took. */
async function timed(emulator: Emulator, run: () => Promise<number[]>): Promise<Timing> {
    const s3 = async (): Promise<number> => callsOf((await emulator.calls()).calls, isS3);
    const s3Before = await s3();
    const cpu = childrenCpuMs();
    const emulatorCpu = emulatorCpuMs();
    const start = process.hrtime.bigint();
    const stackSeconds = await run();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const cpuMs = childrenCpuMs() - cpu;
    return { ms, seconds: stackSeconds, cpuMs, emulatorCpuMs: emulatorCpuMs() - emulatorCpu, s3Calls: (await s3()) - s3Before };
}

/** organization.ts's up and refresh of this run, else of bench/results/organization.json when it has the same sizes. */
function oneProgram(organization: OrgResults | undefined): OneProgram | null {
    const file = path.join(REPO, "bench", "results", "organization.json");
    const results = organization ?? (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as OrgResults) : undefined);
    const up = results?.rows.find((row) => row.op === "up");
    const refresh = results?.rows.find((row) => row.op === "refresh");
    if (results?.accounts !== ORG.accounts || results.perAccount !== ORG.perAccount || !up || !refresh) {
        return null;
    }
    return {
        source: organization ? "this bench run (organization.ts)" : "bench/results/organization.json, an earlier run on this machine",
        upMs: up.ms,
        refreshMs: refresh.ms,
        refreshFloorMs: refresh.floorMs,
    };
}

/** Milliseconds as seconds, to 0.1 s. */
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The table, as docs/organizations.md shows it. */
export function organizationStacksTable(results: StacksResults): string {
    const loads = results.rows.map((row) => row.loadAverage);
    const goal = results.goal;
    const lines = [
        `A stack per account (examples/organization-stacks) on the emulator's S3 backend, each account throttled at ` +
            `${results.rateLimitPerSecond} IAM calls/s, bursts of ${results.rateLimitBurst}; the floor: stacks of 0 profiles at the same ` +
            `concurrency. Per stack: the median of the stacks' own times. 1-minute load average as the operations started: ` +
            `${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} on ${String(results.machine.nproc)} cores.`,
        "",
        "| run | operation | wall | per stack | floor: stacks, wall, per stack | overhead per stack | CPU per stack (floor) " +
            "| S3 calls per stack (floor) | IAM and STS calls | throttled | failed |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ...results.rows.map(
            (row) =>
                `| ${row.run} | ${row.op} | ${seconds(row.ms)} | ${row.stackSeconds.toFixed(1)} s | ` +
                `${row.floorStacks}, ${seconds(row.floorMs)}, ${row.floorStackSeconds.toFixed(1)} s | ${row.overheadSeconds.toFixed(1)} s | ` +
                `${row.cpuSecondsPerStack.toFixed(1)} s (${row.floorCpuSecondsPerStack.toFixed(1)} s) | ` +
                `${(row.s3Calls / row.stacks).toFixed(0)} (${(row.floorS3Calls / row.floorStacks).toFixed(0)}) | ${row.iamCalls} | ` +
                `${row.throttled} (${(row.throttledShare * 100).toFixed(1)} %) | 0 |`,
        ),
        "",
    ];
    const stacks = (op: Operation): StacksRow | undefined => results.rows.find((row) => row.run === large.name && row.op === op);
    if (stacks("refresh") === undefined) {
        // A run that BENCH_STACKS_RUN left out has no goal to judge.
        lines.push(`Goal: refresh of ${large.name}: not measured in this run (BENCH_STACKS_RUN).`, "");
        return lines.join("\n");
    }
    lines.push(
        `Goal: refresh of ${large.name} ≤ ${STACKS_GOAL.ratio} × max(floor ${seconds(goal.floorMs)}, quotas ${seconds(goal.quotaMs)}) ` +
            `= ${seconds(goal.boundMs)}: ${seconds(goal.refreshMs)}, ${goal.met ? "met" : "not met"}. The quotas' time: max over the ` +
            `accounts of max(0, IAM calls of its refresh − ${results.rateLimitBurst}) ÷ ${results.rateLimitPerSecond}/s, the accounts in parallel.`,
        "",
    );
    const one = results.oneProgram;
    if (one) {
        lines.push(
            `| ${ORG.accounts * ORG.perAccount} profiles | up | refresh |`,
            "| --- | --- | --- |",
            `| one program (organization.ts; ${one.source}) | ${seconds(one.upMs)} | ${seconds(one.refreshMs)} (floor ${seconds(one.refreshFloorMs)}) |`,
            `| ${large.name} | ${seconds(stacks("up")?.ms ?? NaN)} | ` +
                `${seconds(stacks("refresh")?.ms ?? NaN)} (floor ${seconds(stacks("refresh")?.floorMs ?? NaN)}) |`,
            "",
        );
    }
    return lines.join("\n");
}
