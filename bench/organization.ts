/**
 * The benchmark at organization scale: ACCOUNTS accounts × PER_ACCOUNT break-glass profiles, each
 * account reached through a role (STS AssumeRole) and throttled by the emulator as IAM throttles an
 * account (a token bucket per account: RATE_LIMIT calls a second, bursts of RATE_BURST). Up,
 * refresh and destroy of the LoginProfile stack against a no-op floor of as many resources, in
 * the same run, with the calls that reached IAM: AssumeRole, credential-report calls, and those
 * throttled. Every operation must succeed (no call may fail for throttling), and leave exactly the
 * profiles it should.
 */
import type { TestProject } from "../tests/e2e/harness";
import { countsAdded, type Emulator } from "../tests/support/emulator";
import { Iam } from "../tests/support/iam";
import { QUICK } from "./model";

/** Accounts, profiles in each, and the emulator's per-account quota: the 20 × 50 under 20 a second, bursts of 20. */
export const ORG = {
    accounts: Number(process.env.BENCH_ORG_ACCOUNTS ?? (QUICK ? 3 : 20)),
    perAccount: Number(process.env.BENCH_ORG_PER_ACCOUNT ?? (QUICK ? 5 : 50)),
    rateLimitPerSecond: 20,
    rateLimitBurst: 20,
};
/** Goals: each operation ≤ 1.25 × the floor; one AssumeRole per account; ≤ 2 report calls per account; ≤ 5 % of calls throttled. */
export const ORG_GOALS = { ratio: 1.25, throttledShare: 0.05 };

const ROLE = "OrganizationBreakGlass";
/**
 * The operations, with the CLI's default parallelism (8 on 2 cores) and, for refresh, with 64: the
 * engine keeps P steps in flight in state order, account after account, so with P = 8 the reads in
 * flight are mostly in one or two accounts and wait for their quota, while with more they spread
 * over the accounts, each on its own quota.
 */
const OPS = ["up", "refresh", "refresh --parallel 64", "destroy"] as const;
type OrgOp = (typeof OPS)[number];
const OP_ARGS: Record<OrgOp, readonly string[]> = {
    up: ["up", "--yes", "--skip-preview"],
    refresh: ["refresh", "--yes", "--skip-preview"],
    "refresh --parallel 64": ["refresh", "--yes", "--skip-preview", "--parallel", "64"],
    destroy: ["destroy", "--yes", "--skip-preview"],
};

/** One operation of the organization stack, against the floor's. */
export interface OrgRow {
    readonly op: OrgOp;
    readonly resources: number;
    readonly ms: number;
    readonly floorMs: number;
    readonly ratio: number;
    /** Every call that reached the emulator (IAM and STS), throttled ones included. */
    readonly calls: number;
    readonly assumeRole: number;
    readonly reportCalls: number;
    readonly throttled: number;
    readonly throttledShare: number;
    /** LoginProfile resources in state afterwards (up, refresh: all; destroy: none). */
    readonly inState: number;
}

/** The organization measure's results. */
export interface OrgResults {
    readonly accounts: number;
    readonly perAccount: number;
    readonly rateLimitPerSecond: number;
    readonly rateLimitBurst: number;
    readonly rows: readonly OrgRow[];
}

/** The account ids of the benchmark: 100000000000, 100000000001, … */
function accountIds(): string[] {
    return Array.from({ length: ORG.accounts }, (_, i) => String(100000000000 + i));
}

/**
 * Measures up, refresh and destroy at organization scale. `projectFor` makes a project (the package
 * installed from its tarball) running bench/programs/<program>; `run` times one CLI run.
 */
export async function measureOrganization(
    emulator: Emulator,
    projectFor: (program: "organization" | "organizationFloor") => TestProject,
    run: (project: TestProject, args: readonly string[], label: string) => Promise<{ ms: number }>,
    password: string,
    say: (text: string) => void,
): Promise<OrgResults> {
    const accounts = accountIds();
    say(`organization: creating ${ORG.perAccount} IAM users in each of ${accounts.length} accounts`);
    for (const account of accounts) {
        const admin = await Iam.inAccount(emulator.endpoint, account);
        for (let i = 0; i < ORG.perAccount; i++) {
            await admin.createUser(`bg-${i}`);
        }
        admin.close();
    }
    const org = projectFor("organization");
    const floor = projectFor("organizationFloor");
    for (const project of [org, floor]) {
        await project.expectPulumi(["stack", "init", "org"]);
        await project.expectPulumi(["config", "set", "accounts", JSON.stringify(accounts)]);
        await project.expectPulumi(["config", "set", "perAccount", String(ORG.perAccount)]);
        await project.expectPulumi(["config", "set", "roleName", ROLE]);
        await project.setConfig("password", password, true);
    }
    await emulator.configure({ rateLimitPerSecond: ORG.rateLimitPerSecond, rateLimitBurst: ORG.rateLimitBurst });
    const rows: OrgRow[] = [];
    try {
        for (const op of OPS) {
            const label = op.replace(/\W+/g, "-");
            const floorTiming = await run(floor, OP_ARGS[op], `org-floor-${label}`);
            const before = await emulator.calls();
            const timing = await run(org, OP_ARGS[op], `org-${label}`);
            const after = await emulator.calls();
            const calls = countsAdded(before.calls, after.calls);
            const total = Object.values(calls).reduce((sum, n) => sum + n, 0);
            const throttled = countsAdded(before.faults, after.faults).Throttling ?? 0;
            const inState = (await org.profilesInState()).length;
            const row: OrgRow = {
                op,
                resources: accounts.length * ORG.perAccount,
                ms: timing.ms,
                floorMs: floorTiming.ms,
                ratio: timing.ms / floorTiming.ms,
                calls: total,
                assumeRole: calls.AssumeRole ?? 0,
                reportCalls: (calls.GenerateCredentialReport ?? 0) + (calls.GetCredentialReport ?? 0),
                throttled,
                throttledShare: total === 0 ? 0 : throttled / total,
                inState,
            };
            rows.push(row);
            say(
                `organization: ${op} ${(row.ms / 1000).toFixed(1)} s (floor ${(row.floorMs / 1000).toFixed(1)} s, ${row.ratio.toFixed(2)} ×), ` +
                    `${row.calls} calls, ${row.assumeRole} AssumeRole, ${row.reportCalls} report calls, ${row.throttled} throttled`,
            );
            const expected = op === "destroy" ? 0 : row.resources;
            if (inState !== expected) {
                throw new Error(`organization: after ${op}, ${inState} profiles in state, expected ${expected}`);
            }
        }
    } finally {
        await emulator.configure({ rateLimitPerSecond: 0 });
    }
    return {
        accounts: accounts.length,
        perAccount: ORG.perAccount,
        rateLimitPerSecond: ORG.rateLimitPerSecond,
        rateLimitBurst: ORG.rateLimitBurst,
        rows,
    };
}

/** The organization table, as the README shows it. */
export function organizationTable(results: OrgResults): string {
    const n = results.accounts * results.perAccount;
    const lines = [
        `Organization: ${results.accounts} accounts × ${results.perAccount} profiles (${n} resources), each account throttled at ${results.rateLimitPerSecond} calls/s, bursts of ${results.rateLimitBurst}`,
        "",
        `| operation | LoginProfile | floor | ÷ floor (goal ≤ ${ORG_GOALS.ratio}) | calls | AssumeRole (goal ${results.accounts}) ` +
            `| report calls (goal ≤ ${2 * results.accounts}) | throttled (goal ≤ ${ORG_GOALS.throttledShare * 100} %) | failed |`,
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ...results.rows.map(
            (row) =>
                `| ${row.op} | ${(row.ms / 1000).toFixed(1)} s | ${(row.floorMs / 1000).toFixed(1)} s | ${row.ratio.toFixed(2)} | ${row.calls} | ${row.assumeRole} | ${row.reportCalls} | ${row.throttled} (${(row.throttledShare * 100).toFixed(1)} %) | 0 |`,
        ),
        "",
    ];
    return lines.join("\n");
}
