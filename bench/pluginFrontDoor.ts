/**
 * The provider plugin measured beside the dynamic resource (issue 19):
 *
 * 1. Start-up: from the plugin's process start to its port on stdout, median of 10, for the
 *    bundled release (scripts/package-plugin: its launcher, with Node's compile cache warm after
 *    the first start, which is also shown) and for the unbundled plugin (bin/ running dist/).
 * 2. Side by side, N profiles (100; 3 in quick mode), interleaved runs, REPS repetitions: the same
 *    program on the generated Node.js SDK through the plugin, on the dynamic resource, and the
 *    no-op dynamic floor, and the YAML program on the plugin for reference: preview, up, refresh,
 *    destroy; median wall time and its ratio to the floor, IAM calls, state and `__provider` bytes
 *    per resource.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    PLATFORM,
    pluginReleases,
    REPO,
    runTool,
    sdkPackages,
    yamlProfiles,
    type ProfileSpec,
    type TestProject,
} from "../tests/e2e/harness";
import { callsDuring, type Emulator } from "../tests/support/emulator";
import type { Iam } from "../tests/support/iam";
import { QUICK } from "./model";
import { median } from "./stats";

/** Profiles per stack, repetitions, and start-ups per plugin. */
export const PLUGIN_BENCH = {
    n: Number(process.env.BENCH_PLUGIN_N ?? (QUICK ? 3 : 100)),
    reps: Number(process.env.BENCH_PLUGIN_REPS ?? (QUICK ? 1 : 3)),
    starts: 10,
};
/** Goals: start-up ≤ 100 ms; the plugin ≤ 1.0 × the floor on every operation. */
export const PLUGIN_GOALS = { startupMs: 100, ratio: 1.0 };

const STACKS = ["plugin", "dynamic", "floor", "yaml"] as const;
type Stack = (typeof STACKS)[number];
const STACK_NAMES: Record<Stack, string> = {
    plugin: "plugin (Node.js SDK)",
    dynamic: "dynamic resource",
    floor: "no-op floor",
    yaml: "plugin (YAML)",
};
const TYPES: Record<Stack, string> = {
    plugin: "iam-login-profile:index:LoginProfile",
    dynamic: "pulumi-nodejs:dynamic/aws-iam:LoginProfile",
    floor: "pulumi-nodejs:dynamic/bench:Floor",
    yaml: "iam-login-profile:index:LoginProfile",
};
const OPS = ["up", "preview", "refresh", "destroy"] as const;
type PluginOp = (typeof OPS)[number];
const OP_ARGS: Record<PluginOp, readonly string[]> = {
    up: ["up", "--yes", "--skip-preview"],
    preview: ["preview", "--expect-no-changes"],
    refresh: ["refresh", "--yes", "--skip-preview"],
    destroy: ["destroy", "--yes", "--skip-preview"],
};

/** Start-up of one plugin, milliseconds. */
export interface StartupRow {
    readonly plugin: string;
    readonly firstMs: number;
    readonly medianMs: number;
    readonly allMs: readonly number[];
}

/** One operation: each stack's median time, its ratio to the floor, and its IAM calls (first repetition). */
export interface PluginOpRow {
    readonly op: PluginOp;
    readonly ms: Record<Stack, number>;
    readonly ratioToFloor: Record<Stack, number>;
    readonly calls: Record<Stack, number>;
}

/** State per resource, after `up`. */
export interface PluginStateRow {
    readonly stack: Stack;
    readonly resourceBytes: number;
    readonly providerBytes: number;
}

/** The results of this measure. */
export interface PluginResults {
    readonly n: number;
    readonly reps: number;
    readonly node: string;
    readonly releaseBytes: Record<string, number>;
    readonly startup: readonly StartupRow[];
    readonly ops: readonly PluginOpRow[];
    readonly state: readonly PluginStateRow[];
}

/**
 * Milliseconds from spawning `command` to its first output on stdout (the plugin's port); kills it
 * `aliveMs` later (a Pulumi command keeps its plugins for at least that long).
 */
function timeToPort(command: string, env: NodeJS.ProcessEnv, aliveMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(command, [], { env, stdio: ["ignore", "pipe", "ignore"] });
        child.stdout.once("data", () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            setTimeout(() => {
                child.kill("SIGKILL");
                resolve(ms);
            }, aliveMs);
        });
        child.on("error", reject);
        child.on("exit", (code) => (code !== null && code !== 0 ? reject(new Error(`${command} exited ${code}`)) : undefined));
    });
}

/** Start-ups of `command`: the first (a cold compile cache of its own), then the median of PLUGIN_BENCH.starts. */
async function startup(plugin: string, command: string): Promise<StartupRow> {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "lp-compile-cache-"));
    // Without the benchmark's probe (NODE_OPTIONS), which would be timed too.
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_COMPILE_CACHE: cache };
    delete env.NODE_OPTIONS;
    try {
        // Alive for half a second, as in the shortest Pulumi command: the release writes its cache meanwhile.
        const firstMs = await timeToPort(command, env, 500);
        const allMs: number[] = [];
        for (let i = 0; i < PLUGIN_BENCH.starts; i++) {
            allMs.push(await timeToPort(command, env, 500));
        }
        return { plugin, firstMs, medianMs: median(allMs), allMs };
    } finally {
        fs.rmSync(cache, { recursive: true, force: true });
    }
}

/** The YAML program of `n` profiles, each with the stack's secret config `password`. */
function yamlProgram(n: number, userPrefix: string): string {
    const profiles = Array.from({ length: n }, (_, i) => ({ name: `p${i}`, userName: `${userPrefix}${i}`, passwordResetRequired: false }));
    return [...yamlProfiles(profiles), ""].join("\n");
}

/**
 * Measures start-up and the side-by-side runs. `projectFor` makes a project with the package
 * installed and bench/programs/<program> as its program; `run` times one CLI run.
 */
export async function measurePluginFrontDoor(
    emulator: Emulator,
    iam: Iam,
    projectFor: (program: "plugin" | "profiles" | "floor") => TestProject,
    run: (project: TestProject, args: readonly string[], label: string) => Promise<{ ms: number }>,
    newPassword: () => string,
    say: (text: string) => void,
): Promise<PluginResults> {
    const releases = pluginReleases();
    const releaseBytes = Object.fromEntries(Object.entries(releases).map(([platform, file]) => [platform, fs.statSync(file).size]));
    const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), "lp-release-unpacked-"));
    runTool("tar", ["-xzf", releases[PLATFORM] ?? "", "-C", unpacked], unpacked);
    say("plugin: start-up, bundled release and unbundled plugin");
    const startupRows = [
        await startup("bundled release", path.join(unpacked, "pulumi-resource-iam-login-profile")),
        await startup("unbundled (dist/ and node_modules)", path.join(REPO, "bin", "pulumi-resource-iam-login-profile")),
    ];
    fs.rmSync(unpacked, { recursive: true, force: true });
    startupRows.forEach((row) =>
        say(`plugin: start-up ${row.plugin}: first ${row.firstMs.toFixed(0)} ms, median ${row.medianMs.toFixed(1)} ms`),
    );

    const n = PLUGIN_BENCH.n;
    const prefix: Record<Stack, string> = { plugin: "pb-plugin-", dynamic: "pb-dynamic-", floor: "pb-floor-", yaml: "pb-yaml-" };
    say(`plugin: ${STACKS.length} projects, ${n} IAM users each`);
    const projects: Record<Stack, TestProject> = {
        plugin: projectFor("plugin"),
        dynamic: projectFor("profiles"),
        floor: projectFor("floor"),
        yaml: projectFor("floor"),
    };
    projects.plugin.addDependency(`@pulumi-iam-login-profile/sdk@file:${sdkPackages().nodejs}`);
    projects.plugin.installPlugin();
    projects.yaml.useYamlProgram(yamlProgram(n, prefix.yaml));
    const password = newPassword();
    for (const stack of STACKS) {
        for (let i = 0; i < n; i++) {
            await iam.createUser(`${prefix[stack]}${i}`);
        }
        await projects[stack].expectPulumi(["stack", "init", "plugin-bench"]);
        if (stack === "yaml") {
            await projects[stack].setConfig("password", password, true);
        } else {
            const specs = Array.from({ length: n }, (_, i): ProfileSpec => ({
                name: `p${i}`,
                userName: `${prefix[stack]}${i}`,
                passwordKey: "k",
            }));
            await projects[stack].configure(specs, { k: password });
        }
    }

    const times: Record<PluginOp, Record<Stack, number[]>> = Object.fromEntries(
        OPS.map((op) => [op, Object.fromEntries(STACKS.map((s) => [s, [] as number[]]))]),
    ) as Record<PluginOp, Record<Stack, number[]>>;
    const calls = Object.fromEntries(OPS.map((op) => [op, {}])) as Record<PluginOp, Record<Stack, number>>;
    const state: PluginStateRow[] = [];
    for (let rep = 0; rep < PLUGIN_BENCH.reps; rep++) {
        // Rotate which stack goes first, so that none always runs on a warmer (or busier) machine.
        const order = STACKS.map((_, i) => STACKS[(i + rep) % STACKS.length] ?? "floor");
        for (const op of OPS) {
            for (const stack of order) {
                let ms = 0;
                const counted = await callsDuring(emulator, async () => {
                    ms = (await run(projects[stack], OP_ARGS[op], `plugin-${stack}-${op}-r${rep}`)).ms;
                });
                times[op][stack].push(ms);
                if (rep === 0) {
                    calls[op][stack] = Object.values(counted).reduce((sum, c) => sum + c, 0);
                    if (op === "up") {
                        state.push(await stateOf(projects[stack], stack, n));
                    }
                }
                say(`plugin: rep ${rep + 1}/${PLUGIN_BENCH.reps} ${op.padEnd(7)} ${stack.padEnd(7)} ${(ms / 1000).toFixed(2)} s`);
            }
        }
    }
    const ops = OPS.map((op): PluginOpRow => {
        const ms = Object.fromEntries(STACKS.map((s) => [s, median(times[op][s])])) as Record<Stack, number>;
        const ratioToFloor = Object.fromEntries(STACKS.map((s) => [s, ms[s] / ms.floor])) as Record<Stack, number>;
        return { op, ms, ratioToFloor, calls: calls[op] };
    });
    return { n, reps: PLUGIN_BENCH.reps, node: process.version, releaseBytes, startup: startupRows, ops, state };
}

/** Bytes per resource of `stack`'s state, and of its serialized provider (`__provider`, none through the plugin). */
async function stateOf(project: TestProject, stack: Stack, n: number): Promise<PluginStateRow> {
    const resources = ((await project.exportStack()).deployment.resources ?? []).filter((r) => r.type === TYPES[stack]);
    if (resources.length !== n) {
        throw new Error(`plugin bench: ${stack}: expected ${n} resources of ${TYPES[stack]} in state, found ${resources.length}`);
    }
    const bytes = (value: unknown): number => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));
    return {
        stack,
        resourceBytes: Math.round(resources.reduce((sum, r) => sum + bytes(r), 0) / n),
        providerBytes: Math.round(resources.reduce((sum, r) => sum + bytes(r.inputs?.__provider) + bytes(r.outputs?.__provider), 0) / n),
    };
}

/** The tables, as the README shows them. */
export function pluginTable(results: PluginResults): string {
    const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
    const sizes = Object.entries(results.releaseBytes)
        .map(([platform, size]) => `${platform} ${(size / 1e6).toFixed(2)} MB`)
        .join(", ");
    return [
        `Plugin release (goal ≤ 5 MB each): ${sizes}`,
        "",
        `| plugin start-up, process start to port on stdout (${results.node}) | first | median of ${PLUGIN_BENCH.starts} (goal ≤ ${PLUGIN_GOALS.startupMs} ms) |`,
        "| --- | --- | --- |",
        ...results.startup.map((row) => `| ${row.plugin} | ${row.firstMs.toFixed(0)} ms | ${row.medianMs.toFixed(1)} ms |`),
        "",
        `Side by side, N = ${results.n}, median of ${results.reps} (÷ the no-op floor; goal for the plugin ≤ ${PLUGIN_GOALS.ratio.toFixed(1)}), IAM calls:`,
        "",
        `| operation | ${STACKS.map((stack) => STACK_NAMES[stack]).join(" | ")} |`,
        `| --- | ${STACKS.map(() => "---").join(" | ")} |`,
        ...results.ops.map(
            (row) =>
                `| ${row.op} | ${STACKS.map((stack) => `${s(row.ms[stack])} (${row.ratioToFloor[stack].toFixed(2)} ×, ${row.calls[stack] ?? 0} calls)`).join(" | ")} |`,
        ),
        `| state per resource (\`__provider\`) | ${STACKS.map((stack) => {
            const row = results.state.find((st) => st.stack === stack);
            return row ? `${row.resourceBytes} B (${row.providerBytes} B)` : "-";
        }).join(" | ")} |`,
        "",
    ].join("\n");
}
