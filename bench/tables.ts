/** The benchmark's tables, as printed: one section per measure, figures against their targets. */
import { KIND_NAMES, KINDS, OPS } from "./model";
import type { Compared, Results } from "./report";
import { round } from "./stats";

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

    section(
        "1b. listLoginProfiles (the account's console users: the credential report, the event history, ListUsers), counted at the emulator",
        ["IAM users", "listed", "AWS calls", "by action", "target", "time"],
        (results.inventory?.rows ?? []).map((r) => [
            r.users,
            r.listed,
            r.total,
            Object.entries(r.calls)
                .map(([a, v]) => `${a} ${v}`)
                .join(", "),
            r.target ?? "",
            `${Math.round(r.ms)} ms`,
        ]),
    );
    out.push(`calls: 3, and one LookupEvents page per 50 events of each name, however many users: ${mark(results.inventory?.met ?? null)}`);

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
        ["operation", "N", "LoginProfile", "floor", "bare SDK", "ratio", "target", "", "÷ bare SDK", "target", ""],
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
            t.sdkTarget === null || t.sdkTarget === undefined ? "" : `≤ ${t.sdkTarget.toFixed(2)}`,
            mark(t.sdkMet ?? null),
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
