/** Sets up bench/probe.js for the CLI's node processes, and reads what it recorded. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO } from "../tests/e2e/harness";
import type { ProbeRecord } from "./model";

/**
 * Puts a wrapper of the dynamic-provider plugin first on PATH (the CLI finds plugins on PATH
 * before its own directory) that notes its start time and runs the real shim, and preloads
 * bench/probe.js into node processes. All stacks run through both, so they cost them the same.
 */
export function installProbe(scratch: string, probeDir: string): void {
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

/** The probe's records of the processes whose label is `label`, or starts with it when `prefix`. */
export function probeRecords(probeDir: string, label: string, prefix = false): ProbeRecord[] {
    return fs
        .readdirSync(probeDir)
        .filter((file) => file.endsWith(".json"))
        .map((file) => JSON.parse(fs.readFileSync(path.join(probeDir, file), "utf8")) as ProbeRecord)
        .filter((record) => (prefix ? record.label.startsWith(label) : record.label === label));
}
