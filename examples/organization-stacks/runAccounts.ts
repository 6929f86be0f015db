/**
 * Runs one operation over many accounts, a stack each, at most `concurrency` stacks in flight:
 * what the command line (run.ts) does after reading its arguments, for a program (a benchmark, a
 * test) that wants it in-process. Every account finishes, whatever the others do.
 */
import * as path from "node:path";
import * as fs from "node:fs";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import type { Account } from "./accounts";
import { runAccountStack } from "./accountStack";
import { runPool } from "./pool";
import type { AccountResult, Operation } from "./report";

/** What `runAccounts` needs. */
export interface RunOptions {
    readonly operation: Operation;
    /** The accounts to run, in the order to start them. */
    readonly accounts: readonly Account[];
    /** The state backend's URL. */
    readonly backendUrl: string;
    /** Stacks in flight at once. @default 4 */
    readonly concurrency?: number;
    /** The secrets provider of new stacks (awskms://…). @default the passphrase in PULUMI_CONFIG_PASSPHRASE(_FILE) */
    readonly secretsProvider?: string;
    /** An OpenPGP public key to seal every password to. */
    readonly pgpKey?: string;
    /** The Pulumi program's directory. @default `defaultProgramDir()` */
    readonly programDir?: string;
    /** Variables for every CLI run besides this process's environment. */
    readonly env?: Readonly<Record<string, string>>;
    /** Called as each account's stack finishes, in the order they finish. */
    readonly onResult?: (result: AccountResult) => void;
}

/** The default number of stacks in flight: each runs the CLI, a language host and a provider process. */
export const DEFAULT_CONCURRENCY = 4;

/** Runs `options.operation` on every account's stack; the results are in the order of `options.accounts`. */
export async function runAccounts(options: RunOptions): Promise<AccountResult[]> {
    const pulumiCommand = await PulumiCommand.get();
    const settings = {
        programDir: options.programDir ?? defaultProgramDir(),
        pulumiCommand,
        backendUrl: options.backendUrl,
        ...(options.secretsProvider !== undefined ? { secretsProvider: options.secretsProvider } : {}),
        ...(options.pgpKey !== undefined ? { pgpKey: options.pgpKey } : {}),
        ...(options.env !== undefined ? { env: options.env } : {}),
    };
    return runPool(options.accounts, options.concurrency ?? DEFAULT_CONCURRENCY, async (account) => {
        const result = await runAccountStack(account, options.operation, settings);
        options.onResult?.(result);
        return result;
    });
}

/** program/ beside this file, whether it runs from its source or from build/ (`npm run build`). */
export function defaultProgramDir(): string {
    const candidates = [path.join(__dirname, "program"), path.join(__dirname, "..", "program")];
    return candidates.find((dir) => fs.existsSync(path.join(dir, "Pulumi.yaml"))) ?? (candidates[0] as string);
}
