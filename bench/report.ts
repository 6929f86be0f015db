/** The benchmark's figures from its raw measurements: the results JSON, the tables and the chart's input. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO } from "../tests/e2e/harness";
import type { ChartInput } from "./chart";
import {
    CALLS_N,
    KIND_NAMES,
    KINDS,
    OPS,
    QUICK,
    RATIO_TARGETS,
    REPS,
    SERIALIZED_PROVIDER_TARGET,
    SIZES,
    type CallRow,
    type Kind,
    type Op,
    type ProbeRecord,
    type Run,
    type StateSize,
} from "./model";

/** Wall time of one operation at one N. */
export interface TimeRow {
    readonly op: Op;
    readonly n: number;
    /** Every run, milliseconds, by stack, in repetition order. */
    readonly ms: Record<Kind, number[]>;
    readonly medianMs: Record<Kind, number>;
    /** LoginProfile ÷ floor: the median of the per-repetition ratios (each run over the floor run next to it). */
    readonly ratio: number;
    /** LoginProfile ÷ floor: median over median. */
    readonly ratioOfMedians: number;
    /** LoginProfile ÷ bare SDK, median of the per-repetition ratios. */
    readonly ratioToSdk: number;
    /** The target for `ratio` (at the largest N only). */
    readonly target: number | null;
    readonly met: boolean | null;
}

/** A median for each stack, and the median paired difference of the LoginProfile stack from another. */
export interface Compared {
    readonly profiles: number;
    readonly floor: number;
    readonly sdk: number;
    /** LoginProfile minus floor, median of the per-repetition differences. */
    readonly deltaFloor: number;
    /** LoginProfile minus bare SDK, median of the per-repetition differences. */
    readonly deltaSdk: number;
}

/** Where the LoginProfile stack's extra time goes, for one operation at one N (milliseconds). */
export interface BreakdownRow {
    readonly op: Op;
    readonly n: number;
    readonly wallMs: Compared;
    /** CPU of the whole `pulumi` process tree. */
    readonly treeCpuMs: Compared;
    /** CPU of the provider process (from the probe). */
    readonly providerCpuMs: Compared;
    /** CPU of the Pulumi program's process (from the probe). */
    readonly programCpuMs: Compared;
    /** The rest of the tree: the engine (the CLI), the language host, the plugin shim. */
    readonly engineCpuMs: Compared;
    /** CPU of the IAM emulator during the run. */
    readonly emulatorCpuMs: Compared;
    /** Time to load @aws-sdk/client-iam in the LoginProfile provider process, when it was loaded. */
    readonly iamClientLoadMs: number | null;
}

/** The provider process of one stack, for one operation at one N (medians over the runs). */
export interface ProviderRow {
    readonly kind: Kind;
    readonly op: Op;
    readonly n: number;
    /** Provider processes per CLI run. */
    readonly processes: number;
    /** From the plugin shim's start to the port handshake on stdout. */
    readonly msToHandshake: number | null;
    /** From the plugin shim's start to the first RPC answered. */
    readonly msToFirstRpc: number | null;
    /** From the plugin shim's start to the first `check` answered (the provider's own code loaded). */
    readonly msToFirstCheck: number | null;
    readonly iamClientLoaded: boolean;
    /** Largest over the runs. */
    readonly peakRssMb: number;
    readonly cpuMs: number;
    /** Time inside the RPC handlers, summed (they overlap). */
    readonly handlerMs: number;
}

export interface Results {
    readonly generated: string;
    readonly quick: boolean;
    readonly command: string;
    readonly machine: Record<string, string | number>;
    readonly settings: { readonly sizes: readonly number[]; readonly repetitions: number } & Record<string, unknown>;
    readonly calls: { readonly profiles: number; readonly rows: readonly CallRow[]; readonly met: boolean };
    readonly state: {
        readonly sizes: readonly StateSize[];
        readonly serializedProviderBytes: number;
        readonly target: number;
        readonly met: boolean;
        /** At the largest N: state file ÷ N, one resource's JSON, and (state file at the largest N − at the second largest) ÷ ΔN. */
        readonly perResource: Record<Kind, { stateFileBytes: number; resourceBytes: number; marginalStateFileBytes: number | null }>;
    };
    readonly time: { readonly rows: readonly TimeRow[]; readonly met: boolean; readonly breakdown: readonly BreakdownRow[] };
    readonly provider: {
        readonly rows: readonly ProviderRow[];
        readonly iamClientLoadedDuringPreview: boolean;
        /** LoginProfile provider processes of preview runs checked (timed runs and the IAM-call count's previews). */
        readonly previewProcesses: number;
    };
    readonly growth: {
        readonly from: number;
        readonly to: number;
        /** Median time at `to` ÷ median time at `from`, and the marginal milliseconds per resource. */
        readonly time: Record<Op, { factor: Record<Kind, number>; marginalMsPerResource: Record<Kind, number> }> | null;
        /** State file at `to` ÷ at `from`. */
        readonly stateFile: Record<Kind, number> | null;
    };
    readonly runs: readonly { kind: Kind; n: number; op: Op; rep: number; ms: number; treeCpuMs: number; emulatorCpuMs: number }[];
    readonly durationSeconds: number;
}

/** What main.ts measured. */
export interface Measured {
    readonly cli: string;
    readonly calls: CallRow[];
    readonly states: StateSize[];
    readonly runs: Run[];
    /** LoginProfile provider processes of the IAM-call count's runs. */
    readonly callProbes: ProbeRecord[];
    readonly elapsedMs: number;
}

export function summarize(measured: Measured): Results {
    const { cli, calls, states, runs, callProbes, elapsedMs } = measured;
    const largest = Math.max(...SIZES);
    const runsOf = (kind: Kind, n: number, op: Op): Run[] =>
        runs.filter((r) => r.kind === kind && r.n === n && r.op === op).sort((a, b) => a.rep - b.rep);
    const byKind = <T>(value: (kind: Kind) => T): Record<Kind, T> => ({
        profiles: value("profiles"),
        floor: value("floor"),
        sdk: value("sdk"),
    });

    const time: TimeRow[] = [];
    const breakdown: BreakdownRow[] = [];
    for (const n of SIZES) {
        for (const op of OPS) {
            const of = byKind((kind) => runsOf(kind, n, op));
            const pairedRatio = (other: Kind): number => median(of.profiles.map((r, i) => r.ms / (of[other][i]?.ms ?? NaN)));
            const ratio = pairedRatio("floor");
            const target = n === largest ? RATIO_TARGETS[op] : null;
            time.push({
                op,
                n,
                ms: byKind((kind) => of[kind].map((r) => round(r.ms))),
                medianMs: byKind((kind) => round(median(of[kind].map((r) => r.ms)))),
                ratio: round(ratio, 3),
                ratioOfMedians: round(median(of.profiles.map((r) => r.ms)) / median(of.floor.map((r) => r.ms)), 3),
                ratioToSdk: round(pairedRatio("sdk"), 3),
                target,
                met: target === null ? null : ratio <= target,
            });

            const compare = (value: (r: Run) => number): Compared => {
                const delta = (other: Kind): number => round(median(of.profiles.map((r, i) => value(r) - value(of[other][i] ?? r))));
                return {
                    profiles: round(median(of.profiles.map(value))),
                    floor: round(median(of.floor.map(value))),
                    sdk: round(median(of.sdk.map(value))),
                    deltaFloor: delta("floor"),
                    deltaSdk: delta("sdk"),
                };
            };
            const providerCpu = (r: Run): number => r.providers.reduce((sum, p) => sum + p.cpuMs, 0);
            const programCpu = (r: Run): number => r.programs.reduce((sum, p) => sum + p.cpuMs, 0);
            breakdown.push({
                op,
                n,
                wallMs: compare((r) => r.ms),
                treeCpuMs: compare((r) => r.treeCpuMs),
                providerCpuMs: compare(providerCpu),
                programCpuMs: compare(programCpu),
                engineCpuMs: compare((r) => r.treeCpuMs - providerCpu(r) - programCpu(r)),
                emulatorCpuMs: compare((r) => r.emulatorCpuMs),
                iamClientLoadMs: medianOrNull(of.profiles.flatMap((r) => r.providers.map((p) => p.iamClientLoadMs))),
            });
        }
    }

    const providerRows: ProviderRow[] = [];
    for (const kind of KINDS) {
        for (const n of SIZES) {
            for (const op of OPS) {
                const selected = runsOf(kind, n, op);
                const records = selected.flatMap((r) => r.providers);
                providerRows.push({
                    kind,
                    op,
                    n,
                    processes: round(records.length / Math.max(1, selected.length), 2),
                    msToHandshake: medianOrNull(records.map((r) => r.msToHandshake)),
                    msToFirstRpc: medianOrNull(records.map((r) => r.msToFirstRpc)),
                    msToFirstCheck: medianOrNull(records.map((r) => r.msToFirstCheck)),
                    iamClientLoaded: records.some((r) => r.iamClientLoaded),
                    peakRssMb: round(Math.max(0, ...records.map((r) => r.maxRssKb)) / 1024, 1),
                    cpuMs: round(median(selected.map((r) => r.providers.reduce((sum, p) => sum + p.cpuMs, 0)))),
                    handlerMs: round(
                        median(
                            selected.map((r) =>
                                r.providers.reduce((sum, p) => sum + Object.values(p.rpcs).reduce((s, x) => s + x.ms, 0), 0),
                            ),
                        ),
                    ),
                });
            }
        }
    }
    const previewProbes = [
        ...runs.filter((r) => r.kind === "profiles" && r.op === "preview").flatMap((r) => r.providers),
        ...callProbes.filter((p) => p.label.startsWith("calls-preview")),
    ];

    const perResource = byKind((kind) => {
        const mine = states.filter((s) => s.kind === kind).sort((a, b) => a.n - b.n);
        const big = mine[mine.length - 1];
        const small = mine[mine.length - 2];
        return {
            stateFileBytes: big ? Math.round(big.stateFileBytes / big.n) : 0,
            resourceBytes: big?.resourceBytes ?? 0,
            marginalStateFileBytes: big && small ? Math.round((big.stateFileBytes - small.stateFileBytes) / (big.n - small.n)) : null,
        };
    });
    const serializedProviderBytes = Math.max(...states.filter((s) => s.kind === "profiles").map((s) => s.serializedProviderBytes));

    const from = SIZES.length > 1 ? (SIZES[SIZES.length - 2] ?? 1) : largest;
    let growthTime: Results["growth"]["time"] = null;
    let growthState: Results["growth"]["stateFile"] = null;
    if (from !== largest) {
        const medianAt = (op: Op, n: number, kind: Kind): number => time.find((t) => t.op === op && t.n === n)?.medianMs[kind] ?? NaN;
        growthTime = Object.fromEntries(
            OPS.map((op) => [
                op,
                {
                    factor: byKind((kind) => round(medianAt(op, largest, kind) / medianAt(op, from, kind), 2)),
                    marginalMsPerResource: byKind((kind) =>
                        round((medianAt(op, largest, kind) - medianAt(op, from, kind)) / (largest - from), 1),
                    ),
                },
            ]),
        ) as NonNullable<Results["growth"]["time"]>;
        const sizeAt = (kind: Kind, n: number): number => states.find((s) => s.kind === kind && s.n === n)?.stateFileBytes ?? NaN;
        growthState = byKind((kind) => round(sizeAt(kind, largest) / sizeAt(kind, from), 2));
    }

    return {
        generated: new Date().toISOString(),
        quick: QUICK,
        command: QUICK ? "BENCH_QUICK=1 npm run bench" : "npm run bench",
        machine: machine(cli),
        settings: {
            sizes: SIZES,
            repetitions: REPS,
            callsProfiles: CALLS_N,
            stacks: KIND_NAMES,
            order:
                "per size: for each repetition, up, preview, refresh, destroy; each operation on the three stacks one after another, " +
                "the first stack rotating every repetition",
            args: {
                up: "up --yes --skip-preview",
                preview: "preview --expect-no-changes (on the stack of N just created)",
                refresh: "refresh --yes --skip-preview",
                destroy: "destroy --yes --skip-preview",
            },
            PULUMI_NODEJS_TRANSPILE_ONLY: "true (every stack)",
            emulator: "moto 5.2.5 with scripts/iam_emulator, realism switches off, on the same machine",
        },
        calls: { profiles: CALLS_N, rows: calls, met: calls.every((c) => c.met) },
        state: {
            sizes: states,
            serializedProviderBytes,
            target: SERIALIZED_PROVIDER_TARGET,
            met: serializedProviderBytes <= SERIALIZED_PROVIDER_TARGET,
            perResource,
        },
        time: { rows: time, met: time.every((t) => t.met !== false), breakdown },
        provider: {
            rows: providerRows,
            iamClientLoadedDuringPreview: previewProbes.some((p) => p.iamClientLoaded),
            previewProcesses: previewProbes.length,
        },
        growth: { from, to: largest, time: growthTime, stateFile: growthState },
        runs: runs.map((r) => ({
            kind: r.kind,
            n: r.n,
            op: r.op,
            rep: r.rep,
            ms: round(r.ms),
            treeCpuMs: round(r.treeCpuMs),
            emulatorCpuMs: round(r.emulatorCpuMs),
        })),
        durationSeconds: Math.round(elapsedMs / 1000),
    };
}

function machine(cli: string): Record<string, string | number> {
    const sh = (command: string): string => {
        try {
            return execFileSync("sh", ["-c", command], { encoding: "utf8" }).trim();
        } catch {
            return "";
        }
    };
    const sdk = JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as {
        version: string;
    };
    return {
        nproc: os.availableParallelism(),
        cpu: os.cpus()[0]?.model ?? "",
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        freeG: sh("free -g | sed -n 2p").replace(/\s+/g, " "),
        os: `${os.type()} ${os.release()} ${os.arch()}`,
        node: process.version,
        pulumiCli: cli,
        pulumiSdk: sdk.version,
        commit: sh(`git -C "${REPO}" rev-parse --short HEAD`),
        /** The package is built from the working tree: does it match the commit? */
        providerChangesSinceCommit:
            sh(`git -C "${REPO}" status --porcelain -- provider package.json tsconfig.build.json`) === "" ? "none" : "uncommitted changes",
        /** Other work on the machine while the bench ran. */
        loadAverageAtEnd: os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(" "),
    };
}

export function chartInput(results: Results): ChartInput {
    const { sizes, repetitions } = results.settings;
    const series = OPS.map((op) => {
        const rows = sizes.map((n) => results.time.rows.find((t) => t.op === op && t.n === n));
        return {
            op,
            profiles: rows.map((r) => (r?.medianMs.profiles ?? 0) / 1000),
            floor: rows.map((r) => (r?.medianMs.floor ?? 0) / 1000),
            sdk: rows.map((r) => (r?.medianMs.sdk ?? 0) / 1000),
            ratio: rows.map((r) => r?.ratio ?? 1),
            target: RATIO_TARGETS[op],
        };
    });
    const m = results.machine;
    return {
        sizes,
        series,
        title: "pulumi-iam-login-profile: wall time against the number of profiles",
        caption:
            `median of ${repetitions} interleaved runs · ${m.nproc} cores, ${m.memoryGiB} GiB · Node ${m.node} · Pulumi CLI ${m.pulumiCli} · ` +
            `${results.generated.slice(0, 10)}${results.quick ? " · QUICK" : ""}`,
    };
}

// ---------------------------------------------------------------------------------------------
// Tables

export function tables(results: Results): string {
    const out: string[] = [];
    const section = (title: string, head: string[], rows: (string | number)[][]): void => {
        const cells = [head, ...rows.map((r) => r.map(String))];
        const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
        out.push("", title, "");
        cells.forEach((r, j) => {
            out.push(
                r
                    .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
                    .join("  ")
                    .trimEnd(),
            );
            if (j === 0) {
                out.push(widths.map((w) => "-".repeat(w)).join("  "));
            }
        });
    };
    const mark = (met: boolean | null): string => (met === null ? "" : met ? "met" : "MISSED");
    const m = results.machine;
    const { sizes, repetitions } = results.settings;
    const largest = Math.max(...sizes);
    out.push(
        `pulumi-iam-login-profile benchmark${results.quick ? " (QUICK: a smoke test, not for the README)" : ""}`,
        `machine: ${m.nproc} cores (${m.cpu}), ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}; Pulumi CLI ${m.pulumiCli}; ` +
            `@pulumi/pulumi ${m.pulumiSdk}; commit ${m.commit} (provider/: ${m.providerChangesSinceCommit}); load average at the end ${m.loadAverageAtEnd}`,
    );

    section(
        `1. IAM calls per operation, counted at the emulator (a stack of ${results.calls.profiles} profiles)`,
        ["operation", "resources", "IAM calls", "by action", "target", ""],
        results.calls.rows.map((c) => [
            c.op,
            c.resources,
            c.total,
            Object.entries(c.calls)
                .map(([a, v]) => `${a} ${v}`)
                .join(", ") || "-",
            c.target,
            mark(c.met),
        ]),
    );

    const st = results.state;
    section(
        "2. State size after `up`, package installed from its tarball",
        ["stack", "N", "state file", "per resource", "one resource", "__provider", "copies"],
        st.sizes.map((s) => [
            KIND_NAMES[s.kind],
            s.n,
            bytes(s.stateFileBytes),
            bytes(s.stateFileBytes / s.n),
            bytes(s.resourceBytes),
            `${s.serializedProviderBytes} B`,
            s.providerCopies,
        ]),
    );
    out.push(
        "",
        `serialized provider: ${st.serializedProviderBytes} bytes (target ≤ ${st.target}: ${mark(st.met)}); marginal state per resource: ` +
            KINDS.map((k) => `${KIND_NAMES[k]} ${st.perResource[k].marginalStateFileBytes ?? "-"} B`).join(", "),
    );

    section(
        `3. Wall time, median of ${repetitions}; ratio = LoginProfile ÷ floor, the median of the per-repetition ratios`,
        ["operation", "N", "LoginProfile", "floor", "bare SDK", "ratio", "target", "", "÷ bare SDK"],
        results.time.rows.map((t) => [
            t.op,
            t.n,
            seconds(t.medianMs.profiles),
            seconds(t.medianMs.floor),
            seconds(t.medianMs.sdk),
            t.ratio.toFixed(3),
            t.target === null ? "" : `≤ ${t.target.toFixed(2)}`,
            mark(t.met),
            t.ratioToSdk.toFixed(3),
        ]),
    );

    const rows = results.time.breakdown.filter((b) => b.n === largest);
    const pair = (c: { deltaFloor: number; deltaSdk: number }): string => `${ms(c.deltaFloor)} / ${ms(c.deltaSdk)}`;
    section(
        `3b. Where the difference goes at N = ${largest}: LoginProfile minus floor / minus bare SDK (medians of per-repetition differences)`,
        ["operation", "wall", "CPU, all", "provider", "program", "engine etc.", "emulator", "SDK load"],
        rows.map((b) => [
            b.op,
            pair(b.wallMs),
            pair(b.treeCpuMs),
            pair(b.providerCpuMs),
            pair(b.programCpuMs),
            pair(b.engineCpuMs),
            pair(b.emulatorCpuMs),
            ms(b.iamClientLoadMs),
        ]),
    );
    section(
        `3c. CPU by process at N = ${largest}, LoginProfile / floor / bare SDK (medians)`,
        ["operation", "all processes", "provider", "program", "engine etc.", "emulator"],
        rows.map((b) => [
            b.op,
            triple(b.treeCpuMs),
            triple(b.providerCpuMs),
            triple(b.programCpuMs),
            triple(b.engineCpuMs),
            triple(b.emulatorCpuMs),
        ]),
    );

    section(
        "4. The provider process (medians; times from the plugin shim's start)",
        ["stack", "operation", "N", "procs", "handshake", "1st answer", "1st check", "client-iam", "CPU", "peak RSS"],
        results.provider.rows
            .filter((r) => r.n === largest || r.n === Math.min(...sizes))
            .map((r) => [
                KIND_NAMES[r.kind],
                r.op,
                r.n,
                r.processes,
                ms(r.msToHandshake),
                ms(r.msToFirstRpc),
                ms(r.msToFirstCheck),
                r.iamClientLoaded ? "loaded" : "no",
                ms(r.cpuMs),
                `${r.peakRssMb} MB`,
            ]),
    );
    out.push(
        "",
        `@aws-sdk/client-iam loaded during a preview: ${results.provider.iamClientLoadedDuringPreview ? "YES (target: not) MISSED" : "no (target: not) met"}, ` +
            `in ${results.provider.previewProcesses} LoginProfile provider processes of previews`,
    );

    const g = results.growth;
    if (g.time && g.stateFile) {
        const timeGrowth = g.time;
        const stateGrowth = g.stateFile;
        section(
            `5. Growth from N = ${g.from} to N = ${g.to} (×${round(g.to / g.from, 1)} the resources)`,
            ["measure", ...KINDS.map((k) => KIND_NAMES[k]), ...KINDS.map((k) => `per added resource, ${KIND_NAMES[k]}`)],
            [
                ...OPS.map((op) => [
                    `time: ${op}`,
                    ...KINDS.map((k) => `×${timeGrowth[op].factor[k]}`),
                    ...KINDS.map((k) => ms(timeGrowth[op].marginalMsPerResource[k])),
                ]),
                [
                    "state file",
                    ...KINDS.map((k) => `×${stateGrowth[k]}`),
                    ...KINDS.map((k) => `${st.perResource[k].marginalStateFileBytes ?? "-"} B`),
                ],
            ],
        );
    }
    out.push("", `took ${Math.round(results.durationSeconds / 6) / 10} min`, "");
    return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Helpers

export function median(values: readonly number[]): number {
    const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    if (sorted.length === 0) {
        return NaN;
    }
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

function medianOrNull(values: readonly (number | null)[]): number | null {
    const present = values.filter((v): v is number => v !== null);
    return present.length === 0 ? null : round(median(present), 1);
}

function round(value: number, digits = 0): number {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}

function bytes(value: number): string {
    return value >= 1024 ? `${(value / 1024).toFixed(1)} KB` : `${Math.round(value)} B`;
}

function seconds(value: number): string {
    return `${(value / 1000).toFixed(2)} s`;
}

function ms(value: number | null): string {
    return value === null || !Number.isFinite(value) ? "-" : `${Math.round(value)} ms`;
}

function triple(c: Compared): string {
    return `${Math.round(c.profiles)} / ${Math.round(c.floor)} / ${Math.round(c.sdk)} ms`;
}
