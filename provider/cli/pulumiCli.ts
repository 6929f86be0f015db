/**
 * The Pulumi CLI commands `repair` runs, in the project directory, on one stack: the stack's name,
 * the state as `pulumi stack export` writes it (with or without secrets shown), the stack's config,
 * and `pulumi stack import`. Without a stack named, every command runs on the selected stack, as a
 * `pulumi` command typed there would. What a command prints on stdout may hold secrets and is never
 * echoed; a failure reports the command and its stderr.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Deployment } from "./repair/pendingOperations";

/** `pulumi stack export`'s document: a version and the deployment. */
export interface StackExport {
    readonly version: number;
    readonly deployment: Deployment;
}

/** A config value as `pulumi config --json` prints it. */
interface ConfigEntry {
    readonly value?: string;
}

/** The commands, bound to a stack (the selected one when `stack` is undefined) and a project directory. */
export class PulumiCli {
    constructor(
        private readonly stack: string | undefined,
        private readonly cwd: string,
        private readonly pulumi = "pulumi",
    ) {}

    /**
     * The stack's name, for messages: the one given, else the selected stack's, as
     * `pulumi stack --show-name` prints it. Fails, saying how to choose one, when none is selected.
     */
    async stackName(): Promise<string> {
        if (this.stack !== undefined) {
            return this.stack;
        }
        try {
            return (await this.run(["stack", "--show-name"])).trim();
        } catch (error) {
            // Pulumi's own message names `pulumi stack init`, which makes an empty stack: nothing to repair.
            if (error instanceof Error && error.message.includes("no stack selected")) {
                throw new Error("no stack selected: pass --stack NAME, or select the stack with `pulumi stack select NAME`");
            }
            throw error;
        }
    }

    /** The stack's state; with `showSecrets`, every secret in plaintext (for reading only, never for writing back). */
    async exportStack(showSecrets: boolean): Promise<StackExport> {
        return JSON.parse(await this.run(["stack", "export", ...(showSecrets ? ["--show-secrets"] : [])])) as StackExport;
    }

    /** The stack's config, secrets decrypted: `namespace:key` to its value as text. */
    async config(): Promise<Map<string, string>> {
        const entries = JSON.parse(await this.run(["config", "--json", "--show-secrets"])) as Record<string, ConfigEntry>;
        return new Map(Object.entries(entries).flatMap(([key, entry]) => (entry.value === undefined ? [] : [[key, entry.value]])));
    }

    /** Writes `state` as the stack's state (`pulumi stack import`), through a file only the user can read, removed after. */
    async importStack(state: StackExport): Promise<void> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iam-login-profile-repair-"));
        const file = path.join(dir, "state.json");
        try {
            fs.writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
            await this.run(["stack", "import", "--file", file]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }

    private run(args: readonly string[]): Promise<string> {
        const stack = this.stack === undefined ? [] : ["--stack", this.stack];
        const full = [...args, ...stack, "--non-interactive"];
        return new Promise((resolve, reject) => {
            execFile(
                this.pulumi,
                full,
                { cwd: this.cwd, env: process.env, maxBuffer: 1 << 30, encoding: "utf8" },
                (error, stdout, stderr) => {
                    if (error) {
                        reject(new Error(this.failure(error, [...args, ...stack], stderr)));
                        return;
                    }
                    resolve(stdout);
                },
            );
        });
    }

    /** What to say when `pulumi <args>` failed: a spawn failure (ENOENT) is a missing directory or a missing CLI, else its stderr. */
    private failure(
        error: { readonly code?: string | number | null; readonly message: string },
        args: readonly string[],
        stderr: string,
    ): string {
        if (error.code !== "ENOENT") {
            return `\`pulumi ${args.join(" ")}\` failed: ${stderr.trim() || error.message}`;
        }
        // Node reports a working directory that does not exist as the program not found.
        if (!fs.existsSync(this.cwd)) {
            return `cannot run \`${this.pulumi}\` in ${this.cwd}: no such directory`;
        }
        return `cannot run \`${this.pulumi}\`: it is not on PATH (install the Pulumi CLI: https://www.pulumi.com/docs/install/)`;
    }
}
