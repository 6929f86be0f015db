/**
 * examples/organization-stacks under faults of the shared S3 backend, on the real CLI against the
 * emulator (set up as tests/e2e/organizationStacks.e2e.test.ts sets it up): two runs of one stack at
 * once, a shard killed mid-run and recovered by the README's steps, S3 errors and throttling on
 * state writes; and the quota of one account kept by ten provider processes at once. No password
 * or external id reaches the runner's output, the CLI's output or the bucket.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { countsAdded, startEmulator, type Emulator, type EmulatorCalls } from "../support/emulator";
import { Iam } from "../support/iam";
import {
    bucketObjects,
    leakedPasswords,
    LOGIN_PROFILE_TYPE,
    processesWithEnv,
    requirePulumiCli,
    type CliResult,
    type PendingOperation,
    type StackExport,
} from "./harness";
import { createExampleProject, exampleEnv, PROJECT, startProcess, USER, type Started } from "./organizationStacksProject";

// About 2.5 minutes on 2 idle cores; the limit leaves room for a machine that runs other work too.
jest.setTimeout(600_000);

/** The emulator's default account: the credentials' own, where the quota test's ten stacks work. */
const DEFAULT_ACCOUNT = "123456789012";
const LOCKED =
    "failed: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.";

let emulator: Emulator;
let project: string;
let env: NodeJS.ProcessEnv;
/** Every password and external id of the file: kept in memory for the scan, never printed. */
const secrets: string[] = [];

beforeAll(async () => {
    console.log(`e2e: ${requirePulumiCli()}`);
    emulator = await startEmulator();
    project = createExampleProject("lp-org-faults-");
    env = exampleEnv(emulator, project, "organization-stacks-faults-e2e");
});

afterAll(async () => {
    await endLeftovers();
    await emulator.stop();
    fs.rmSync(project, { recursive: true, force: true });
});

/** Starts `command` as startProcess does, with the suite's environment and the README's fallback to the state's secrets manager. */
function start(command: string, args: readonly string[], cwd: string, input?: string, shown = false): Started {
    return startProcess(command, args, cwd, { ...env, PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true" }, input, shown);
}

/** `node build/run.js <args>` in the project. */
function runner(args: readonly string[]): Started {
    return start("node", ["build/run.js", ...args], project);
}

/** `pulumi <args>` in the example's program, as the README's recovery steps run it. */
function pulumi(args: readonly string[], input?: string, shown = false): Promise<CliResult> {
    return start("pulumi", [...args, "--non-interactive"], path.join(project, "program"), input, shown).done;
}

/** Fails with the command's output unless it exited 0. */
async function succeeds(run: Promise<CliResult>, what: string): Promise<CliResult> {
    const result = await run;
    if (result.code !== 0) {
        throw new Error(`${what} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
    return result;
}

/** An accounts file of `accounts` (each with its own external id, one user each), written as `name`. */
function accountsFile(name: string, accounts: readonly string[]): string {
    const entries = accounts.map((accountId) => {
        const externalId = `ext-${randomBytes(9).toString("hex")}`;
        secrets.push(externalId);
        return { accountId, roleArn: `arn:aws:iam::${accountId}:role/OrganizationBreakGlass`, externalId, users: [USER] };
    });
    fs.writeFileSync(path.join(project, name), JSON.stringify({ accounts: entries }));
    return name;
}

/** Each account's administrator creates its break-glass user. */
async function createUsers(accounts: readonly string[]): Promise<void> {
    for (const account of accounts) {
        const member = await Iam.inAccount(emulator.endpoint, account);
        await member.createUser(USER);
        member.close();
    }
}

/** A run's lines per account: the status and the changes in parentheses (the time left out). */
function statuses(result: CliResult): Record<string, string> {
    const lines = result.stdout.split("\n").filter((line) => /^\d{12} {2}/.test(line));
    return Object.fromEntries(
        lines.map((line) => {
            const match = /^(\d{12}) {2}(.+?)(?: {2}\((.*?)(?:, )?\d+\.\d s\))?$/.exec(line);
            if (!match) {
                throw new Error(`unexpected line: ${line}`);
            }
            const [, account = "", status = "", changes] = match;
            return [account, changes ? `${status} (${changes})` : status] as const;
        }),
    );
}

/** Every account with the same status. */
function all<T>(status: T, accounts: readonly string[]): Record<string, T> {
    return Object.fromEntries(accounts.map((account) => [account, status]));
}

/** The run's summary, its time left out. */
function summary(result: CliResult): string {
    return (result.stdout.trim().split("\n").at(-1) ?? "").replace(/; \d+\.\d s$/, "");
}

/** Each stack's state as the bucket holds it: its LoginProfile ids and pending operations. */
function statesIn(accounts: readonly string[]): Record<string, { profiles: string[]; pending: PendingOperation[] }> {
    const objects = bucketObjects(emulator.backendUrl);
    return Object.fromEntries(
        accounts.map((account) => {
            const state = JSON.parse(objects[`.pulumi/stacks/${PROJECT}/${account}.json`] ?? "null") as {
                checkpoint: { latest: StackExport["deployment"] };
            };
            const resources = state.checkpoint.latest.resources ?? [];
            return [
                account,
                {
                    profiles: resources.filter((resource) => resource.type === LOGIN_PROFILE_TYPE).map((resource) => resource.id ?? ""),
                    pending: state.checkpoint.latest.pending_operations ?? [],
                },
            ];
        }),
    );
}

/** Each account's break-glass profile in IAM, as `{userName, passwordResetRequired}` or undefined. */
async function profilesInIam(accounts: readonly string[]): Promise<Record<string, unknown>> {
    const found: Record<string, unknown> = {};
    for (const account of accounts) {
        const member = await Iam.inAccount(emulator.endpoint, account);
        const profile = await member.profile(USER);
        member.close();
        found[account] = profile && { userName: profile.userName, passwordResetRequired: profile.passwordResetRequired };
    }
    return found;
}

/** Every account's state holds its one profile with nothing pending, and IAM has the profile. */
async function expectConverged(accounts: readonly string[]): Promise<void> {
    expect(statesIn(accounts)).toEqual(all({ profiles: [USER], pending: [] }, accounts));
    expect(await profilesInIam(accounts)).toEqual(all({ userName: USER, passwordResetRequired: true }, accounts));
}

/** The stack's password for the break-glass user (`pulumi stack output --show-secrets`), kept for the scan. */
async function password(stack: string, userName = USER): Promise<string> {
    const result = await pulumi(["stack", "output", "profiles", "--json", "--show-secrets", "--stack", stack], undefined, true);
    if (result.code !== 0) {
        throw new Error(`pulumi stack output --stack ${stack} failed: exit ${result.code}`);
    }
    const profiles = JSON.parse(result.stdout) as Record<string, { password?: string }>;
    const found = profiles[userName]?.password ?? "";
    secrets.push(found);
    return found;
}

/**
 * The account's throttled calls and the calls that draw on its quotas, IAM's and CloudTrail's
 * LookupEvents (not STS's or S3's), between two readings of its counts: the emulator counts a
 * throttle of either under "Throttling".
 */
function throttledOf(before: EmulatorCalls, after: EmulatorCalls): { throttled: number; iamCalls: number; actions: string } {
    const iam = Object.entries(countsAdded(before.calls, after.calls)).filter(
        ([action]) => !/Object|Bucket|Multipart|^AssumeRole$|^GetCallerIdentity$/.test(action),
    );
    return {
        throttled: (after.faults.Throttling ?? 0) - (before.faults.Throttling ?? 0),
        iamCalls: iam.reduce((sum, [, count]) => sum + count, 0),
        actions: iam.map(([action, count]) => `${action} ${count}`).join(", "),
    };
}

/** Waits until `done` holds (polled every 100 ms). */
async function until(done: () => Promise<boolean>): Promise<void> {
    while (!(await done())) {
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

/** Kills what a killed run left (the CLI, the language host, the providers: found by this file's PULUMI_HOME); the pids left. */
async function endLeftovers(timeoutMs = 10_000): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    const find = (): number[] => (env ? processesWithEnv(`PULUMI_HOME=${env.PULUMI_HOME ?? ""}`) : []);
    let left = find();
    while (left.length > 0 && Date.now() < deadline) {
        for (const pid of left) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // ended meanwhile
            }
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        left = find();
    }
    return left;
}

/** No password or external id of this file is in the bucket (every object) or in any output so far. */
function expectNoSecrets(): void {
    bucketObjects(emulator.backendUrl);
    expect(secrets.filter((secret) => secret === "")).toEqual([]);
    // Counted, never listed: a failure must not print them.
    expect(leakedPasswords(secrets).length).toBe(0);
}

describe("examples/organization-stacks under faults of the shared backend", () => {
    test("a second run of a stack while the first holds its lock fails with Pulumi's lock error, and nothing is lost", async () => {
        const accounts = ["410000000001"];
        const [account = ""] = accounts;
        await createUsers(accounts);
        const file = accountsFile("locked.json", accounts);

        // GIVEN a run whose create IAM answers slowly, holding the stack's lock.
        await emulator.configure({ latencyMs: 6000, faultActions: ["CreateLoginProfile"] });
        const first = runner(["up", "--accounts", file]);
        await until(async () => ((await emulator.calls(account)).calls.CreateLoginProfile ?? 0) >= 1);
        const locks = Object.keys(bucketObjects(emulator.backendUrl)).filter((key) =>
            new RegExp(`^\\.pulumi/locks/.*/${PROJECT}/${account}/[^/]+\\.json$`).test(key),
        );
        expect(locks).toHaveLength(1);

        // WHEN a second run of the same accounts starts, THEN it fails on the lock, and says so.
        const second = await runner(["up", "--accounts", file]).done;
        expect([second.code, statuses(second), summary(second)]).toEqual([1, { [account]: LOCKED }, "up: 1 account: 1 failed"]);

        // AND the first finishes as if alone; a third run finds nothing to do.
        const firstResult = await first.done;
        await emulator.configure({ latencyMs: 0, faultActions: null });
        expect([firstResult.code, statuses(firstResult)]).toEqual([0, { [account]: "created (create 2)" }]);
        const third = await runner(["up", "--accounts", file]).done;
        expect([third.code, statuses(third)]).toEqual([0, { [account]: "unchanged" }]);
        await expectConverged(accounts);
        await expect(emulator.signsIn(USER, await password(account), account)).resolves.toBe(true);
        expectNoSecrets();
    });

    test("a shard killed mid-run is finished by the README's steps: pulumi cancel, repair, and the shard's next run", async () => {
        const accounts = ["420000000001", "420000000002", "420000000003"];
        await createUsers(accounts);
        const file = accountsFile("killed.json", accounts);

        // GIVEN a shard whose creates are all in flight at IAM when its machine dies.
        await emulator.configure({ latencyMs: 3000, faultActions: ["CreateLoginProfile"] });
        const before = (await emulator.calls()).calls.CreateLoginProfile ?? 0;
        const killed = runner(["up", "--accounts", file, "--shard", "1/1"]);
        await until(
            async () =>
                ((await emulator.calls()).calls.CreateLoginProfile ?? 0) - before >= accounts.length || killed.child.exitCode !== null,
        );
        expect(killed.child.exitCode).toBeNull();
        process.kill(-(killed.child.pid ?? 0), "SIGKILL");
        const killedResult = await killed.done;
        expect(statuses(killedResult)).toEqual({});
        expect(await endLeftovers()).toEqual([]);
        await until(async () => (await emulator.calls()).inFlight === 0);
        await emulator.configure({ latencyMs: 0, faultActions: null });

        // WHEN the shard runs again, THEN every stack is still locked by the killed run.
        const locked = await runner(["up", "--accounts", file, "--shard", "1/1"]).done;
        expect([locked.code, statuses(locked), summary(locked)]).toEqual([1, all(LOCKED, accounts), "up: 3 accounts: 3 failed"]);

        // WHEN the README's steps are taken for each account the killed run had in flight (the accounts side by side).
        const repairs = await Promise.all(
            accounts.map(async (account) => {
                await succeeds(pulumi(["cancel", "--stack", account, "--yes"]), `pulumi cancel --stack ${account}`);
                const repair = await succeeds(
                    start(
                        path.join(project, "node_modules", ".bin", "pulumi-iam-login-profile"),
                        ["repair", "--stack", account, "--yes"],
                        path.join(project, "program"),
                    ).done,
                    `repair --stack ${account}`,
                );
                return repair.stdout.trim().split("\n");
            }),
        );
        // THEN each pending create whose profile IAM made becomes a resource in state.
        expect(repairs).toEqual(
            accounts.map((account) => [
                `completed  urn:pulumi:${account}::${PROJECT}::${LOGIN_PROFILE_TYPE}::${USER}: IAM user "${USER}" has a login profile (account ${account}); the next \`pulumi up\` sets its declared password in place`,
                `stack ${account} repaired: run \`pulumi up\``,
            ]),
        );

        // THEN the shard's next run finishes every account, setting each repaired profile's password.
        const rerun = await runner(["up", "--accounts", file, "--shard", "1/1"]).done;
        expect([rerun.code, statuses(rerun), summary(rerun)]).toEqual([
            0,
            all("updated (update 1)", accounts),
            "up: 3 accounts: 3 updated",
        ]);
        await expectConverged(accounts);
        for (const account of accounts) {
            expect(await emulator.signIn(USER, await password(account), account)).toEqual({ signedIn: true });
        }
        expectNoSecrets();
    });

    test("S3 errors and throttling on the state's writes: the runs end with each stack's state matching IAM", async () => {
        const accounts = ["430000000001", "430000000002", "430000000003"];
        await createUsers(accounts);
        const file = accountsFile("s3-faults.json", accounts);

        // GIVEN S3 answers a fifth of the backend's writes with SlowDown, InternalError or ServiceUnavailable.
        await emulator.configure({
            faultActions: ["PutObject", "CopyObject", "DeleteObject"],
            faultRate: 0.2,
            faultKinds: ["throttle", "5xx"],
            seed: 28,
        });
        // One stack at a time: the seed then draws the same faults on the same writes on every run
        // (measured: 15 of 87 writes, every one retried by the backend's S3 client and carried through).
        const before = await emulator.calls();
        const up = await runner(["up", "--accounts", file, "--concurrency", "1"]).done;
        const after = await emulator.calls();
        await emulator.configure({ faultRate: 0, faultActions: null });
        const faults = countsAdded(before.faults, after.faults);
        const injected = Object.values(faults).reduce((sum, count) => sum + count, 0);
        expect(injected).toBeGreaterThan(0);

        // THEN the backend's retries carried every stack through.
        expect([up.code, statuses(up), summary(up)]).toEqual([0, all("created (create 2)", accounts), "up: 3 accounts: 3 created"]);
        await expectConverged(accounts);
        expectNoSecrets();
    });

    test("ten stacks in one account at 20 IAM calls/s, run at once, keep to its quota", async () => {
        const stacks = Array.from({ length: 10 }, (_, i) => `quota-${i}`);
        const usersOf = (i: number): string[] => Array.from({ length: 5 }, (_, j) => `quota${i}-user${j}`);
        const admin = new Iam(emulator.endpoint);
        for (const user of stacks.flatMap((_, i) => usersOf(i))) {
            await admin.createUser(user);
        }
        admin.close();
        // Each stack of the example's program works in the credentials' own account, through a role there.
        await Promise.all(
            stacks.map(async (stack, i) => {
                await succeeds(pulumi(["stack", "init", stack]), `pulumi stack init ${stack}`);
                // The plain settings go straight into the stack's file (two CLI calls fewer per stack).
                fs.appendFileSync(
                    path.join(project, "program", "stacks", `Pulumi.${stack}.yaml`),
                    [
                        "config:",
                        `  ${PROJECT}:roleArn: arn:aws:iam::${DEFAULT_ACCOUNT}:role/OrganizationBreakGlass`,
                        `  ${PROJECT}:users: ${JSON.stringify(JSON.stringify(usersOf(i)))}`,
                        "",
                    ].join("\n"),
                );
                const externalId = `ext-${randomBytes(9).toString("hex")}`;
                secrets.push(externalId);
                await succeeds(
                    pulumi(["config", "set", "--secret", "externalId", "--stack", stack], externalId),
                    `pulumi config set --stack ${stack}`,
                );
            }),
        );

        // WHEN ten provider processes work in the account at once, through up, refresh and destroy.
        await emulator.configure({ rateLimitPerSecond: 20, rateLimitBurst: 20 });
        const results: CliResult[] = [];
        const measured: { operation: string; throttled: number; iamCalls: number; actions: string }[] = [];
        for (const operation of ["up", "refresh", "destroy"]) {
            const before = await emulator.calls(DEFAULT_ACCOUNT);
            const runs = await Promise.all(stacks.map((stack) => pulumi([operation, "--yes", "--skip-preview", "--stack", stack])));
            const after = await emulator.calls(DEFAULT_ACCOUNT);
            expect(runs.map((run) => run.code)).toEqual(stacks.map(() => 0));
            results.push(...runs);
            measured.push({ operation, ...throttledOf(before, after) });
            if (operation === "up") {
                secrets.push(await password("quota-0", usersOf(0)[0]));
            }
        }
        await emulator.configure({ rateLimitPerSecond: 0 });

        // THEN no call failed for throttling, and throttled calls are at most a tenth of the account's IAM and LookupEvents calls.
        expect(results.filter((run) => /throttl|rate exceeded/i.test(run.stdout + run.stderr)).length).toBe(0);
        const throttled = measured.reduce((sum, phase) => sum + phase.throttled, 0);
        const iamCalls = measured.reduce((sum, phase) => sum + phase.iamCalls, 0);
        const percent = (part: number, whole: number): string => `${((100 * part) / Math.max(whole, 1)).toFixed(1)} %`;
        const report = [
            `${throttled} of ${iamCalls} IAM and LookupEvents calls of account ${DEFAULT_ACCOUNT} throttled (${percent(throttled, iamCalls)})`,
            ...measured.map(
                (phase) =>
                    `${phase.operation} ${phase.throttled}/${phase.iamCalls} (${percent(phase.throttled, phase.iamCalls)}; ${phase.actions})`,
            ),
        ].join("; ");
        expect(throttled / iamCalls <= 0.1 ? "at most 10 %" : report).toBe("at most 10 %");
        expectNoSecrets();
    });
});
