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
 *
 * Prints tables (report.ts), writes results.json and time-vs-profiles.svg into bench/results/
 * (BENCH_QUICK=1: N = 1 and 3, one repetition, into .bench/). No password is ever printed.
 * BENCH_RENDER=<results.json> only prints the tables and redraws the chart from saved figures.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    leakedPasswords,
    packPackage,
    REPO,
    requirePulumiCli,
    TestProject,
    type ProfileSpec,
    type StackExport,
} from "../tests/e2e/harness";
import { startEmulator, type Emulator } from "../tests/support/emulator";
import { Iam } from "../tests/support/iam";
import { renderChart } from "./chart";
import {
    CALLS_N,
    KINDS,
    QUICK,
    REPS,
    RESOURCE_TYPES,
    SIZES,
    type CallRow,
    type Kind,
    type Op,
    type ProbeRecord,
    type Run,
    type StateSize,
} from "./model";
import { chartInput, summarize, tables, type Results } from "./report";

const OUT_DIR = process.env.BENCH_OUT ?? path.join(REPO, QUICK ? ".bench" : path.join("bench", "results"));
const KEEP = process.env.BENCH_KEEP === "1";

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
        for (const kind of KINDS) {
            projects.set(kind, benchProject(emulator.endpoint, tarball, kind));
        }

        const maxN = Math.max(...SIZES);
        const users = [
            ...new Set(KINDS.flatMap((kind) => Array.from({ length: maxN }, (_, i) => `${USER_PREFIX[kind]}${i}`))),
            ...Array.from({ length: CALLS_N }, (_, i) => `bench-calls-${i}`),
            "bench-calls-renamed",
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

        // Read once all runs are over: a provider process writes its last record as it is stopped.
        for (const r of runs) {
            const records = probeRecords(probeDir, r.label);
            r.providers.push(...records.filter((p) => p.role === "provider"));
            r.programs.push(...records.filter((p) => p.role === "program"));
        }
        const callProbes = probeRecords(probeDir, "calls-", true).filter((p) => p.role === "provider");
        const results = summarize({ cli, calls, states, runs, callProbes, elapsedMs: Date.now() - started });
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

/** A TestProject (package installed from the tarball) whose program is bench/programs/<kind>. */
function benchProject(endpoint: string, tarball: string, kind: Kind): TestProject {
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

/**
 * Puts a wrapper of the dynamic-provider plugin first on PATH (the CLI finds plugins on PATH
 * before its own directory) that notes its start time and runs the real shim, and preloads
 * bench/probe.js into node processes. All stacks run through both, so they cost them the same.
 */
function installProbe(scratch: string, probeDir: string): void {
    const plugin = "pulumi-resource-pulumi-nodejs";
    let real = "";
    try {
        real = execFileSync("sh", ["-c", `command -v ${plugin}`], { encoding: "utf8" }).trim();
    } catch {
        // Reported below.
    }
    if (!real) {
        throw new Error(`${plugin} is not on PATH: run scripts/setup, or npm run bench`);
    }
    const bin = path.join(scratch, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(
        path.join(bin, plugin),
        ["#!/bin/sh", "BENCH_PROBE_T0=$(date +%s%N)", "export BENCH_PROBE_T0", `exec "${real}" "$@"`, ""].join("\n"),
        { mode: 0o755 },
    );
    process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ""}`;
    process.env.BENCH_PROBE_DIR = probeDir;
    // Every node process under the CLI loads the probe; it acts only in the provider and the program.
    const probe = path.join(REPO, "bench", "probe.js");
    process.env.NODE_OPTIONS = `--require "${probe}"${process.env.NODE_OPTIONS ? ` ${process.env.NODE_OPTIONS}` : ""}`;
    // The same for every stack: the program is transpiled, not type-checked, so that the fixed cost
    // of a run is the engine's rather than TypeScript's (a stricter denominator for the ratios).
    process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
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

/** The probe's records of the processes whose label is `label`, or starts with it when `prefix`. */
function probeRecords(probeDir: string, label: string, prefix = false): ProbeRecord[] {
    return fs
        .readdirSync(probeDir)
        .filter((file) => file.endsWith(".json"))
        .map((file) => JSON.parse(fs.readFileSync(path.join(probeDir, file), "utf8")) as ProbeRecord)
        .filter((record) => (prefix ? record.label.startsWith(label) : record.label === label));
}

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** utime, stime, cutime, cstime of a process from /proc/<pid>/stat, in milliseconds. */
function procCpu(pid: number | "self"): [number, number, number, number] {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const at = (i: number): number => (Number(fields[i]) * 1000) / CLOCK_TICKS;
        return [at(11), at(12), at(13), at(14)];
    } catch {
        return [0, 0, 0, 0];
    }
}

/**
 * CPU time of this process's children that have ended and been waited for, and of theirs: the
 * `pulumi` CLI waits for its plugins and the language host for the program, so a run's delta is the
 * CPU of its whole process tree.
 */
function childrenCpuMs(): number {
    const [, , cutime, cstime] = procCpu("self");
    return cutime + cstime;
}

let emulatorPid: number | undefined;

/** CPU time used so far by the IAM emulator (our child running iam_emulator.server). */
function emulatorCpuMs(): number {
    if (emulatorPid === undefined) {
        for (const entry of fs.readdirSync("/proc")) {
            if (!/^\d+$/.test(entry)) {
                continue;
            }
            try {
                const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
                const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
                if (ppid === process.pid && fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("iam_emulator.server")) {
                    emulatorPid = Number(entry);
                    break;
                }
            } catch {
                // The process ended while we looked.
            }
        }
    }
    if (emulatorPid === undefined) {
        return 0;
    }
    const [utime, stime] = procCpu(emulatorPid);
    return utime + stime;
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
        const before = (await emulator.calls()).calls;
        await run(project, args, `calls-${op.replace(/\W+/g, "_")}`);
        const after = (await emulator.calls()).calls;
        const calls: Record<string, number> = {};
        for (const [action, value] of Object.entries(after)) {
            const delta = value - (before[action] ?? 0);
            if (delta > 0) {
                calls[action] = delta;
            }
        }
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
    await count("read (refresh --target of 1)", ["refresh", "--yes", "--skip-preview", "--target", first], 1, 1);
    await count(`refresh of ${n}`, OP_ARGS.refresh, n, n);
    await reconfigure(change(0, { passwordKey: "new0" }));
    await count("preview (update)", ["preview"], 1, 0);
    await count("update: password", OP_ARGS.up, 1, 1);
    await reconfigure(change(1, { passwordResetRequired: true }));
    await count("update: flag", OP_ARGS.up, 1, 1);
    await reconfigure(change(2, { passwordKey: "new2", passwordResetRequired: true }));
    await count("update: both", OP_ARGS.up, 1, 1);
    await reconfigure(change(3, { userName: "bench-calls-renamed" }));
    await count("replace: new userName (delete + create)", OP_ARGS.up, 1, 2);
    await reconfigure(specs.slice(0, n - 1));
    await count("delete 1 (removed from the program)", OP_ARGS.up, 1, 1);
    await count(`preview (destroy ${n - 1})`, ["destroy", "--preview-only"], n - 1, 0);
    await count(`destroy ${n - 1}`, OP_ARGS.destroy, n - 1, n - 1);
    return rows;
}

// ---------------------------------------------------------------------------------------------
// 2. State sizes

async function stateSize(project: TestProject, kind: Kind, n: number): Promise<StateSize> {
    const exported: StackExport = await project.exportStack();
    const type = RESOURCE_TYPES[kind];
    const resources = (exported.deployment.resources ?? []).filter((r) => r.type === type);
    if (resources.length !== n) {
        throw new Error(`${kind} N=${n}: expected ${n} resources of ${type} in state, found ${resources.length}`);
    }
    const providers = new Set<string>();
    let copies = 0;
    for (const r of resources) {
        for (const bag of [r.inputs, r.outputs]) {
            const provider = bag?.__provider;
            if (typeof provider === "string") {
                providers.add(provider);
                copies++;
            }
        }
    }
    if (providers.size !== 1) {
        throw new Error(`${kind} N=${n}: expected one serialized provider shared by all resources, found ${providers.size}`);
    }
    const [provider] = [...providers];
    return {
        kind,
        n,
        stateFileBytes: fs.statSync(stateFile(project, `n${n}`)).size,
        exportBytes: Buffer.byteLength(JSON.stringify(exported)),
        resourceBytes: Math.round(resources.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / n),
        serializedProviderBytes: Buffer.byteLength(provider ?? ""),
        providerCopies: copies / n,
    };
}

/** The stack's state file in the project's file backend (.state/.pulumi/stacks/<project>/<stack>.json). */
function stateFile(project: TestProject, stack: string): string {
    const stacks = path.join(project.dir, ".state", ".pulumi", "stacks");
    const found: string[] = [];
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                walk(full);
            } else if (entry.name === `${stack}.json`) {
                found.push(full);
            }
        }
    };
    walk(stacks);
    if (found.length !== 1 || !found[0]) {
        throw new Error(`expected one state file ${stack}.json under ${stacks}, found ${found.length}`);
    }
    return found[0];
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
