/** The benchmark's figures from its raw measurements: the results JSON, the tables and the chart's input. */
import { machine } from "./machine";
import { median, medianOrNull, round } from "./stats";
import {
    type InventoryRow,
    CALLS_N,
    KIND_NAMES,
    KINDS,
    OPS,
    QUICK,
    RATIO_TARGETS,
    SDK_RATIO_TARGETS,
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
    /** The target for `ratioToSdk` (at the largest N only, where there is one). */
    readonly sdkTarget: number | null;
    readonly sdkMet: boolean | null;
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
    /** listLoginProfiles: its calls grow only with the event history's pages, not with the number of users. */
    readonly inventory: { readonly rows: readonly InventoryRow[]; readonly met: boolean };
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
    readonly inventory: InventoryRow[];
    readonly states: StateSize[];
    readonly runs: Run[];
    /** LoginProfile provider processes of the IAM-call count's runs. */
    readonly callProbes: ProbeRecord[];
    readonly elapsedMs: number;
}

export function summarize(measured: Measured): Results {
    const { cli, calls, inventory, states, runs, callProbes, elapsedMs } = measured;
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
            const sdkTarget = n === largest ? (SDK_RATIO_TARGETS[op] ?? null) : null;
            const ratioToSdk = pairedRatio("sdk");
            time.push({
                op,
                n,
                ms: byKind((kind) => of[kind].map((r) => round(r.ms))),
                medianMs: byKind((kind) => round(median(of[kind].map((r) => r.ms)))),
                ratio: round(ratio, 3),
                ratioOfMedians: round(median(of.profiles.map((r) => r.ms)) / median(of.floor.map((r) => r.ms)), 3),
                ratioToSdk: round(ratioToSdk, 3),
                target,
                met: target === null ? null : ratio <= target,
                sdkTarget,
                sdkMet: sdkTarget === null ? null : ratioToSdk <= sdkTarget,
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
        // The account of the credentials (GetCallerIdentity) is asked once per process, not per list.
        inventory: { rows: inventory, met: inventory.every((r) => r.total - (r.calls.GetCallerIdentity ?? 0) === r.target) },
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
