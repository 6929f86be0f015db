/**
 * CPU time from /proc, so that the benchmark can say where a run's time went: the CLI's whole
 * process tree (plugins and program included) and the IAM emulator.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";

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
export function childrenCpuMs(): number {
    const [, , cutime, cstime] = procCpu("self");
    return cutime + cstime;
}

let emulatorPid: number | undefined;

/** CPU time used so far by the IAM emulator (our child running iam_emulator.server). */
export function emulatorCpuMs(): number {
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
