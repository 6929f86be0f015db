/**
 * `npm run bench` (scripts/bench runs this through bench/run.js): what the LoginProfile provider
 * costs its users, measured against the floor in one run.
 *
 * 1. IAM calls per operation, counted at the emulator.
 * 2. Serialized provider and state bytes per resource, with the package installed from its tarball.
 * 3. Wall time of preview, up, refresh and destroy for N profiles against a floor stack of N no-op
 *    dynamic resources (and a "bare SDK" stack making the same IAM calls with nothing else), same
 *    CLI, same kind of project, runs interleaved; medians and ratios; where the difference goes.
 * 4. The provider process (bench/probe.js): time to its first answer, whether @aws-sdk/client-iam
 *    is loaded during a preview, peak memory.
 * 5. Growth from the second-largest to the largest N, of time and of state size.
 * 6. Organization scale (organization.ts): 20 accounts × 50 profiles through a role each, every
 *    account throttled by the emulator; up, refresh and destroy against a floor of 1,000.
 *    BENCH_ORG_ONLY=1 measures this alone; BENCH_QUICK=1 measures 3 accounts × 5.
 * 7. The provider plugin (pluginFrontDoor.ts): its start-up, bundled and not, and N = 100 through
 *    the generated Node.js SDK beside the dynamic resource, the floor and a YAML program.
 *    BENCH_PLUGIN_ONLY=1 measures this alone.
 * 8. A stack per account (organizationStacks.ts): examples/organization-stacks on the emulator's S3
 *    backend, 100 accounts × 2 profiles at concurrency 4 and 8 and as 2 shards, and 20 × 50 as 20
 *    stacks against the one program of (6). BENCH_STACKS_ONLY=1 measures this alone.
 *
 * Prints tables (report.ts), writes results.json and time-vs-profiles.svg into bench/results/
 * (BENCH_QUICK=1: N = 1 and 3, one repetition, into .bench/). No password is ever printed.
 * BENCH_RENDER=<results.json> only prints the tables and redraws the chart from saved figures.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { leakedPasswords, packPackage, REPO, requirePulumiCli, TestProject, type ProfileSpec } from "../tests/e2e/harness";
import { callsDuring, startEmulator, type Emulator } from "../tests/support/emulator";
import { Iam } from "../tests/support/iam";
import { chartInput, renderChart } from "./chart";
import {
    ACCOUNT_READ_CALLS,
    CALLS_N,
    EVENTS_PER_PAGE,
    INVENTORY_USERS,
    KINDS,
    QUICK,
    REPS,
    RESOURCE_TYPES,
    SIZES,
    type CallRow,
    type InventoryRow,
    type Kind,
    type Op,
    type Run,
    type StateSize,
} from "./model";
import { childrenCpuMs, emulatorCpuMs } from "./cpu";
import { measureOrganization, ORG, organizationTable, type OrgResults } from "./organization";
import { measureOrganizationStacks, organizationStacksTable, type StacksResults } from "./organizationStacks";
import { measurePluginFrontDoor, pluginTable, type PluginResults } from "./pluginFrontDoor";
import { installProbe, probeRecords } from "./probeSetup";
import { summarize, type Results } from "./report";
import { stateSize } from "./stateSize";
import { tables } from "./tables";

const OUT_DIR = process.env.BENCH_OUT ?? path.join(REPO, QUICK ? ".bench" : path.join("bench", "results"));
const KEEP = process.env.BENCH_KEEP === "1";
/** Only the organization-scale measure (6). */
const ORG_ONLY = process.env.BENCH_ORG_ONLY === "1";
/** Only the plugin measure (7). */
const PLUGIN_ONLY = process.env.BENCH_PLUGIN_ONLY === "1";
/** Only the stack-per-account measure (8). */
const STACKS_ONLY = process.env.BENCH_STACKS_ONLY === "1";

/** The order the operations run in, each repetition: preview then sees an up-to-date stack of N. */
const RUN_ORDER: readonly Op[] = ["up", "preview", "refresh", "destroy"];
const OP_ARGS: Record<Op, readonly string[]> = {
    up: ["up", "--yes", "--skip-preview"],
    preview: ["preview", "--expect-no-changes"],
    refresh: ["refresh", "--yes", "--skip-preview"],
    destroy: ["destroy", "--yes", "--skip-preview"],
};
/** IAM user names by stack: the floor touches no IAM, so it shares the LoginProfile stack's (same lengths everywhere). */
const USER_PREFIX: Record<Kind, string> = { profiles: "bench-user-", floor: "bench-user-", sdk: "bench-bare-" };

const allPasswords: string[] = [];

/** A random password: never printed, never written anywhere but the secret stack config. */
function newPassword(): string {
    const password = `${crypto.randomBytes(18).toString("base64url")}-Aa1!`;
    allPasswords.push(password);
    return password;
}

function say(text: string): void {
    process.stderr.write(`bench: ${text}\n`);
}

async function main(): Promise<void> {
    const started = Date.now();
    const cli = requirePulumiCli();
    say(`${QUICK ? "quick mode: " : ""}N = ${SIZES.join(", ")}, ${REPS} repetition(s), Pulumi CLI ${cli}, Node ${process.version}`);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "lp-bench-"));
    const probeDir = path.join(scratch, "probe");
    fs.mkdirSync(probeDir);
    installProbe(scratch, probeDir);

    const emulator = await startEmulator();
    const iam = new Iam(emulator.endpoint);
    const projects = new Map<Kind, TestProject>();
    let tarball: string | undefined;
    const project = (kind: Kind): TestProject => {
        const found = projects.get(kind);
        if (!found) {
            throw new Error(`no ${kind} project`);
        }
        return found;
    };
    try {
        say(`packing the package and installing it into ${KINDS.length} temporary projects`);
        tarball = packPackage();
        const packed = tarball;
        /**
         * Runs a measure on projects of its own (bench/programs/<program>, disposed after unless
         * BENCH_KEEP), writes its results as JSON to `fileName` in OUT_DIR and prints its table.
         */
        const measureApart = async <R>(
            measure: (projectFor: (program: BenchProgram) => TestProject) => Promise<R>,
            table: (results: R) => string,
            fileName: string,
        ): Promise<R> => {
            const made: TestProject[] = [];
            const results = await measure((program) => {
                const created = benchProject(emulator.endpoint, packed, program);
                made.push(created);
                return created;
            });
            made.forEach((p) => (KEEP ? undefined : p.dispose()));
            fs.mkdirSync(OUT_DIR, { recursive: true });
            const file = path.join(OUT_DIR, fileName);
            fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
            process.stdout.write(`${table(results)}\nwritten: ${path.relative(REPO, file)}\n`);
            return results;
        };
        const organization = (): Promise<OrgResults> =>
            measureApart(
                (projectFor) => measureOrganization(emulator, projectFor, run, newPassword(), say),
                organizationTable,
                "organization.json",
            );
        const pluginFrontDoor = (): Promise<PluginResults> =>
            measureApart(
                (projectFor) => measurePluginFrontDoor(emulator, iam, projectFor, run, newPassword, say),
                pluginTable,
                "plugin.json",
            );
        const organizationStacks = (organizationResults?: OrgResults): Promise<StacksResults> =>
            measureApart(
                () =>
                    measureOrganizationStacks({
                        emulator,
                        tarball: packed,
                        cli,
                        say,
                        secret: (value) => allPasswords.push(value),
                        ...(organizationResults ? { organization: organizationResults } : {}),
                        keep: KEEP,
                    }),
                organizationStacksTable,
                "organization-stacks.json",
            );
        if (STACKS_ONLY) {
            const results = await organizationStacks();
            const text = `${JSON.stringify(results)}\n${organizationStacksTable(results)}`;
            if (leakedPasswords(allPasswords).length + allPasswords.filter((p) => text.includes(p)).length > 0) {
                throw new Error("a bench password or external id appeared in plaintext in CLI output, the bucket or the results");
            }
            process.stdout.write(
                `secret scan: none of the ${allPasswords.length} bench passwords and external ids appeared in CLI output, the bucket or the results\n`,
            );
            return;
        }
        if (PLUGIN_ONLY) {
            await pluginFrontDoor();
            if (leakedPasswords(allPasswords).length > 0) {
                throw new Error("a bench password appeared in plaintext in CLI output or state");
            }
            return;
        }
        if (ORG_ONLY) {
            await organization();
            if (leakedPasswords(allPasswords).length > 0) {
                throw new Error("a bench password appeared in plaintext in CLI output or state");
            }
            return;
        }
        for (const kind of KINDS) {
            projects.set(kind, benchProject(emulator.endpoint, tarball, kind));
        }

        const maxN = Math.max(...SIZES);
        const users = [
            ...new Set(KINDS.flatMap((kind) => Array.from({ length: maxN }, (_, i) => `${USER_PREFIX[kind]}${i}`))),
            ...Array.from({ length: CALLS_N }, (_, i) => `bench-calls-${i}`),
            "bench-calls-renamed",
            "bench-calls-aging",
            ...KINDS.map((kind) => `bench-warmup-${kind}`),
        ];
        say(`creating ${users.length} IAM users`);
        for (const user of users) {
            await iam.createUser(user);
        }

        say("warm-up: up and destroy of one resource in each project");
        for (const kind of KINDS) {
            const spec: ProfileSpec = { name: "w0", userName: `bench-warmup-${kind}`, passwordKey: "w0" };
            await project(kind).initStack("warmup", [spec], { w0: newPassword() });
            await run(project(kind), OP_ARGS.up, "warmup");
            await run(project(kind), OP_ARGS.destroy, "warmup");
        }

        say(`IAM calls per operation (${CALLS_N} profiles)`);
        const calls = await measureCalls(project("profiles"), emulator);
        say(`listLoginProfiles over ${INVENTORY_USERS.join(" and ")} users`);
        const inventory = await measureInventory(emulator, iam);

        const runs: Run[] = [];
        const states: StateSize[] = [];
        for (const n of SIZES) {
            const passwords = Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, newPassword()]));
            for (const kind of KINDS) {
                const specs = Array.from({ length: n }, (_, i): ProfileSpec => ({
                    name: `p${i}`,
                    userName: `${USER_PREFIX[kind]}${i}`,
                    passwordKey: `k${i}`,
                }));
                await project(kind).initStack(`n${n}`, specs, passwords);
            }
            for (let rep = 0; rep < REPS; rep++) {
                // Rotate which stack goes first, so that none always runs on a warmer (or busier) machine.
                const order = KINDS.map((_, i) => KINDS[(i + rep) % KINDS.length] ?? "profiles");
                for (const op of RUN_ORDER) {
                    for (const kind of order) {
                        const label = `${kind}-n${n}-${op}-r${rep}`;
                        const timing = await run(project(kind), OP_ARGS[op], label);
                        runs.push({ kind, n, op, rep, ...timing, label, providers: [], programs: [] });
                        say(`N=${n} rep ${rep + 1}/${REPS} ${op.padEnd(7)} ${kind.padEnd(8)} ${(timing.ms / 1000).toFixed(2)} s`);
                        if (op === "up" && rep === 0) {
                            states.push(await stateSize(project(kind), kind, n));
                        }
                    }
                }
            }
        }

        say("the provider plugin beside the dynamic resource");
        await pluginFrontDoor();
        say(`organization: ${ORG.accounts} accounts × ${ORG.perAccount} profiles`);
        const organizationResults = await organization();
        say("a stack per account");
        await organizationStacks(organizationResults);

        // Read once all runs are over: a provider process writes its last record as it is stopped.
        for (const r of runs) {
            const records = probeRecords(probeDir, r.label);
            r.providers.push(...records.filter((p) => p.role === "provider"));
            r.programs.push(...records.filter((p) => p.role === "program"));
        }
        const callProbes = probeRecords(probeDir, "calls-", true).filter((p) => p.role === "provider");
        const results = summarize({ cli, calls, inventory, states, runs, callProbes, elapsedMs: Date.now() - started });
        const json = JSON.stringify(results, null, 2);
        const svg = renderChart(chartInput(results));
        const table = tables(results);
        const leaks = leakedPasswords(allPasswords).length;
        const leaksInResults = allPasswords.filter((p) => json.includes(p) || svg.includes(p) || table.includes(p)).length;
        if (leaks + leaksInResults > 0) {
            throw new Error(
                `a bench password appeared in plaintext: in CLI output or state ${leaks} times, in the results ${leaksInResults}`,
            );
        }
        fs.mkdirSync(OUT_DIR, { recursive: true });
        const jsonFile = path.join(OUT_DIR, "results.json");
        const svgFile = path.join(OUT_DIR, "time-vs-profiles.svg");
        fs.writeFileSync(jsonFile, `${json}\n`);
        fs.writeFileSync(svgFile, svg);
        process.stdout.write(table);
        process.stdout.write(`\nwritten: ${path.relative(REPO, jsonFile)}, ${path.relative(REPO, svgFile)}\n`);
        process.stdout.write(
            `secret scan: none of the ${allPasswords.length} bench passwords appeared in CLI output, state exports or results\n`,
        );
    } finally {
        iam.close();
        await emulator.stop();
        if (KEEP) {
            say(`kept: ${[scratch, ...[...projects.values()].map((p) => p.dir)].join(" ")}`);
        } else {
            projects.forEach((p) => p.dispose());
            fs.rmSync(scratch, { recursive: true, force: true });
            if (tarball) {
                fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
            }
        }
    }
}

/** The programs under bench/programs. */
type BenchProgram = Kind | "organization" | "organizationFloor" | "plugin";

/** A TestProject (package installed from the tarball) whose program is bench/programs/<program>. */
function benchProject(endpoint: string, tarball: string, kind: BenchProgram): TestProject {
    const project = TestProject.create(endpoint, tarball);
    // The harness copies the e2e program; the bench runs its own, and nothing else.
    for (const file of fs.readdirSync(project.dir)) {
        if (file.endsWith(".ts")) {
            fs.rmSync(path.join(project.dir, file));
        }
    }
    fs.copyFileSync(path.join(REPO, "bench", "programs", kind, "index.ts"), path.join(project.dir, "index.ts"));
    return project;
}

/** What one CLI run took. */
interface Timing {
    readonly ms: number;
    readonly treeCpuMs: number;
    readonly emulatorCpuMs: number;
}

/** Runs the CLI with a probe label; fails with the end of its output when it fails. */
async function run(project: TestProject, args: readonly string[], label: string): Promise<Timing> {
    const tree = childrenCpuMs();
    const emulator = emulatorCpuMs();
    const start = process.hrtime.bigint();
    const result = await project.pulumi(args, { BENCH_PROBE_LABEL: label });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.code !== 0) {
        const tail = (text: string): string => text.split("\n").slice(-30).join("\n");
        throw new Error(`pulumi ${args.join(" ")} (${label}) exited ${result.code}\n${tail(result.stdout)}\n${tail(result.stderr)}`);
    }
    return { ms, treeCpuMs: childrenCpuMs() - tree, emulatorCpuMs: emulatorCpuMs() - emulator };
}

// ---------------------------------------------------------------------------------------------
// 1. IAM calls per operation

async function measureCalls(project: TestProject, emulator: Emulator): Promise<CallRow[]> {
    const n = CALLS_N;
    const passwords: Record<string, string> = { new0: newPassword(), new2: newPassword() };
    let specs = Array.from({ length: n }, (_, i): ProfileSpec => {
        passwords[`k${i}`] = newPassword();
        return { name: `p${i}`, userName: `bench-calls-${i}`, passwordKey: `k${i}` };
    });
    await project.initStack("calls", specs, passwords);

    const rows: CallRow[] = [];
    const count = async (op: string, args: readonly string[], resources: number, target: number): Promise<void> => {
        const calls = await callsDuring(emulator, () => run(project, args, `calls-${op.replace(/\W+/g, "_")}`));
        const total = Object.values(calls).reduce((a, b) => a + b, 0);
        rows.push({ op, resources, calls, total, target, met: total === target });
        say(`calls: ${op}: ${total} ${JSON.stringify(calls)}`);
    };
    const reconfigure = async (next: ProfileSpec[]): Promise<void> => {
        specs = next;
        await project.configure(specs, passwords);
    };
    const change = (i: number, extra: Partial<ProfileSpec>): ProfileSpec[] => specs.map((s, j) => (j === i ? { ...s, ...extra } : s));

    await count(`preview (create ${n})`, ["preview"], n, 0);
    await count(`create ${n}`, OP_ARGS.up, n, n);
    await count("preview (no changes)", ["preview", "--expect-no-changes"], n, 0);
    const exported = await project.exportStack();
    const first = (exported.deployment.resources ?? []).find((r) => r.type === RESOURCE_TYPES.profiles)?.urn ?? "";
    // A refresh reads each profile, and once per account per provider process ListUsers, the event
    // history (one LookupEvents per event name) and the credential report (2 calls).
    await count("read (refresh --target of 1)", ["refresh", "--yes", "--skip-preview", "--target", first], 1, 1 + ACCOUNT_READ_CALLS);
    await count(`refresh of ${n}`, OP_ARGS.refresh, n, n + ACCOUNT_READ_CALLS);
    await reconfigure(change(0, { passwordKey: "new0" }));
    await count("preview (update)", ["preview"], 1, 0);
    await count("update: password", OP_ARGS.up, 1, 1);
    await reconfigure(change(1, { passwordResetRequired: true }));
    await count("update: flag", OP_ARGS.up, 1, 1);
    await reconfigure(change(2, { passwordKey: "new2", passwordResetRequired: true }));
    await count("update: both", OP_ARGS.up, 1, 1);
    // A generated password rotated by age: preview sees it from state with no call; the rotation
    // is one UpdateLoginProfile, plus the account's password policy once per provider process.
    const aging: ProfileSpec = {
        name: "aging",
        userName: "bench-calls-aging",
        passwordKey: "none",
        extra: { password: null, rotateAfter: "5s" },
    };
    await reconfigure([...specs, aging]);
    // The account of the credentials (once per provider process), the policy, the create.
    await count("create 1 generated (rotateAfter 5s)", OP_ARGS.up, 1, 3);
    await new Promise((resolve) => setTimeout(resolve, 6000));
    await count("preview (rotateAfter passed)", ["preview"], 1, 0);
    await count("rotation (rotateAfter passed)", OP_ARGS.up, 1, 2);
    await reconfigure(specs.filter((spec) => spec !== aging));
    await count("delete the generated one", OP_ARGS.up, 1, 1);
    await reconfigure(change(3, { userName: "bench-calls-renamed" }));
    await count("replace: new userName (delete + create)", OP_ARGS.up, 1, 2);
    await reconfigure(specs.slice(0, n - 1));
    await count("delete 1 (removed from the program)", OP_ARGS.up, 1, 1);
    await count(`preview (destroy ${n - 1})`, ["destroy", "--preview-only"], n - 1, 0);
    await count(`destroy ${n - 1}`, OP_ARGS.destroy, n - 1, n - 1);
    return rows;
}

// ---------------------------------------------------------------------------------------------
// 1b. listLoginProfiles: a fixed number of calls however many users

/**
 * Lists the account's console users at each size of INVENTORY_USERS, adding users with a console
 * password up to that size first, in a fresh emulator state, with AWS's four-hour report: the list
 * after the first comes from that report and the event history. Runs listLoginProfiles in this
 * process, as a program would, against the emulator; then removes the users, so the timed stacks
 * see none.
 */
async function measureInventory(emulator: Emulator, iam: Iam): Promise<InventoryRow[]> {
    const saved = { ...process.env };
    Object.assign(process.env, {
        AWS_ENDPOINT_URL_IAM: emulator.endpoint,
        AWS_ENDPOINT_URL_STS: emulator.endpoint,
        AWS_ENDPOINT_URL_CLOUDTRAIL: emulator.cloudTrailEndpoint,
        AWS_ACCESS_KEY_ID: "bench",
        AWS_SECRET_ACCESS_KEY: "bench",
    });
    const { listLoginProfiles } = await import("../provider/dynamic/lookups");
    const rows: InventoryRow[] = [];
    const made: string[] = [];
    try {
        for (const users of INVENTORY_USERS) {
            while (made.length < users) {
                const name = `bench-inventory-${made.length}`;
                await iam.createUser(name);
                await iam.createProfile(name, newPassword());
                made.push(name);
            }
            // Every login-profile write the emulator has seen is in its event history: a page per 50 of each name.
            const written = (await emulator.calls()).calls;
            const pages = ["CreateLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile", "ChangePassword"]
                .map((name) => Math.max(1, Math.ceil((written[name] ?? 0) / EVENTS_PER_PAGE)))
                .reduce((a, b) => a + b, 0);
            let listed = 0;
            const start = process.hrtime.bigint();
            const calls = await callsDuring(emulator, async () => {
                listed = (await listLoginProfiles()).profiles.filter((p) => p.userName.startsWith("bench-inventory-")).length;
            });
            const ms = Number(process.hrtime.bigint() - start) / 1e6;
            const total = Object.values(calls).reduce((a, b) => a + b, 0);
            // 2 report calls, ListUsers, and the event history's pages.
            rows.push({ users, listed, calls, total, target: 3 + pages, ms });
            say(`inventory: ${users} users: ${total} calls ${JSON.stringify(calls)}, ${Math.round(ms)} ms`);
        }
    } finally {
        for (const name of made) {
            await iam.deleteProfile(name);
            await iam.deleteUser(name);
        }
        process.env = saved;
    }
    return rows;
}

/** BENCH_RENDER=<results.json>: prints the tables and redraws the chart next to it from saved figures, without measuring. */
function render(file: string): void {
    const results = JSON.parse(fs.readFileSync(file, "utf8")) as Results;
    const svgFile = path.join(path.dirname(file), "time-vs-profiles.svg");
    fs.writeFileSync(svgFile, renderChart(chartInput(results)));
    process.stdout.write(tables(results));
    process.stdout.write(`\nredrawn: ${path.relative(REPO, svgFile)}\n`);
}

(process.env.BENCH_RENDER ? Promise.resolve(render(process.env.BENCH_RENDER)) : main()).catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
