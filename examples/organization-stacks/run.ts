/**
 * The command line: `node build/run.js <preview|up|refresh|destroy> --accounts FILE [--concurrency K]
 * [--shard i/n] [--backend URL] [--secrets-provider URL]` (see USAGE and the README). Exit codes:
 * 0 when every account's stack succeeded, 1 when any failed (the others still finish), 2 for a bad
 * command line or accounts file, before any stack is touched.
 */
import { AccountsError, readAccounts } from "./accounts";
import { parseArguments, USAGE, UsageError, type RunArguments } from "./arguments";
import { formatHeader, formatResult, formatSummary } from "./report";
import { runAccounts } from "./runAccounts";
import { takeShard } from "./shard";

async function main(): Promise<number> {
    let args: RunArguments | undefined;
    let accounts;
    try {
        args = parseArguments(process.argv.slice(2));
        if (args === undefined) {
            console.log(USAGE);
            return 0;
        }
        accounts = readAccounts(args.accountsFile);
    } catch (error) {
        if (error instanceof UsageError) {
            console.error(`error: ${error.message}\n\n${USAGE}`);
            return 2;
        }
        if (error instanceof AccountsError) {
            console.error(error.message.replace(/^/gm, "error: "));
            return 2;
        }
        throw error;
    }
    const mine = takeShard(accounts.accounts, args.shard);
    // Counts only: the file's external ids (and the users' names) stay out of logs.
    console.log(formatHeader(args.operation, args.accountsFile, accounts.accounts.length, args.shard, mine.length, args.concurrency));
    const started = performance.now();
    const results = await runAccounts({
        operation: args.operation,
        accounts: mine,
        backendUrl: args.backendUrl,
        concurrency: args.concurrency,
        ...(args.secretsProvider !== undefined ? { secretsProvider: args.secretsProvider } : {}),
        ...(accounts.pgpKey !== undefined ? { pgpKey: accounts.pgpKey } : {}),
        onResult: (result) => console.log(formatResult(result)),
    });
    console.log(formatSummary(args.operation, results, (performance.now() - started) / 1000));
    return results.some((result) => result.error !== undefined) ? 1 : 0;
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
    },
);
