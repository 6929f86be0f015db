/**
 * The runner's command line, read with Node's `util.parseArgs` strictly (an unknown option is an
 * error, never ignored) and checked whole before any stack is touched: a bad value names its
 * option and the rule it breaks.
 */
import { parseArgs } from "node:util";
import { DEFAULT_CONCURRENCY } from "./runAccounts";
import { OPERATIONS, type Operation } from "./report";
import { parseShard, WHOLE, type Shard } from "./shard";

/** The usage text, printed with `--help` and after a usage error. */
export const USAGE = `usage: node build/run.js <${OPERATIONS.join("|")}> --accounts FILE [--concurrency K] [--shard i/n] [--backend URL] [--secrets-provider URL]

Runs the program in program/ as one stack per account of FILE (the stack is named by the account id).

options:
  --accounts FILE          The accounts file (see accounts.example.json)
  --concurrency K          Stacks in flight at once (default ${DEFAULT_CONCURRENCY})
  --shard i/n              Take the i-th of n shares of the accounts (sorted by id, the k-th from 0 goes to shard (k mod n) + 1)
  --backend URL            The state backend (default: PULUMI_BACKEND_URL), e.g. s3://my-state-bucket
  --secrets-provider URL   The secrets provider of new stacks, e.g. awskms://alias/break-glass
                           (default: the passphrase in PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE)
  -h, --help               Print this help`;

/** The command line, checked. */
export interface RunArguments {
    readonly operation: Operation;
    readonly accountsFile: string;
    readonly concurrency: number;
    readonly shard: Shard;
    readonly backendUrl: string;
    readonly secretsProvider?: string;
}

/** A bad command line: exit 2 with the message and the usage. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** Reads `argv` (without node and the script); undefined for `--help`. */
export function parseArguments(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): RunArguments | undefined {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            allowPositionals: true,
            strict: true,
            options: {
                accounts: { type: "string" },
                concurrency: { type: "string" },
                shard: { type: "string" },
                backend: { type: "string" },
                "secrets-provider": { type: "string" },
                help: { type: "boolean", short: "h" },
            },
        });
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
        return undefined;
    }
    const [operation, ...extra] = positionals;
    if (operation === undefined || !(OPERATIONS as readonly string[]).includes(operation)) {
        throw new UsageError(`the operation must be one of ${OPERATIONS.join(", ")}`);
    }
    if (extra.length > 0) {
        throw new UsageError(`one operation at a time: unexpected ${extra.join(" ")}`);
    }
    if (values.accounts === undefined || values.accounts === "") {
        throw new UsageError("--accounts FILE is required");
    }
    const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(values.concurrency);
    if (values.concurrency !== undefined && (!/^\d+$/.test(values.concurrency) || concurrency < 1)) {
        throw new UsageError("--concurrency must be a whole number >= 1");
    }
    const shard = values.shard === undefined ? WHOLE : parseShard(values.shard);
    if (shard === undefined) {
        throw new UsageError("--shard must be i/n with 1 <= i <= n");
    }
    const backendUrl = values.backend ?? env.PULUMI_BACKEND_URL;
    if (backendUrl === undefined || backendUrl === "") {
        throw new UsageError("no state backend: give --backend URL or set PULUMI_BACKEND_URL (e.g. s3://my-state-bucket)");
    }
    const secretsProvider = values["secrets-provider"];
    const passphrase = (env.PULUMI_CONFIG_PASSPHRASE ?? "") !== "" || (env.PULUMI_CONFIG_PASSPHRASE_FILE ?? "") !== "";
    if ((secretsProvider === undefined || secretsProvider === "passphrase") && !passphrase) {
        throw new UsageError(
            "no secrets key: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE, or give --secrets-provider (e.g. awskms://alias/break-glass)",
        );
    }
    return {
        operation: operation as Operation,
        accountsFile: values.accounts,
        concurrency,
        shard,
        backendUrl,
        ...(secretsProvider !== undefined ? { secretsProvider } : {}),
    };
}
