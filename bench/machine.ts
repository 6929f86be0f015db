/** The machine a benchmark ran on, for the results: cores, memory, versions, load. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO } from "../tests/e2e/harness";

/** What the results say about the machine and the software that produced them. */
export function machine(cli: string): Record<string, string | number> {
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
