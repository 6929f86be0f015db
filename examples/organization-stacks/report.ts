/**
 * What the runner prints: one line per account as its stack finishes, and a summary at the end.
 * The format is stable (scripts and CI read it, see the README): the account id, two spaces, the
 * status, then for a stack that ran, its changes and its time in parentheses. A status is one of
 * `created`, `updated`, `drifted`, `destroyed`, `unchanged`, `would create`, `would update`,
 * `would destroy`, or `failed: <Pulumi's error line>`. Nothing the CLI printed reaches the output
 * except that one error line, so no secret can (Pulumi masks secrets in its own messages).
 */

import type { Shard } from "./shard";

/** The operations the runner offers, as the Pulumi CLI names them. */
export const OPERATIONS = ["preview", "up", "refresh", "destroy"] as const;

/** One of `OPERATIONS`. */
export type Operation = (typeof OPERATIONS)[number];

/** Resource operations by kind, as Pulumi counts them (`create`, `update`, `same`, …), the stack resource included. */
export type Changes = Readonly<Record<string, number>>;

/** How one account's stack ended. */
export interface AccountResult {
    readonly accountId: string;
    /** The status word(s): see the file's comment. */
    readonly status: string;
    /** Pulumi's change counts, when the operation finished. */
    readonly changes?: Changes;
    /** Pulumi's error line, when it failed. */
    readonly error?: string;
    /** From the first CLI call for the stack to the end of its operation. */
    readonly seconds: number;
}

/** The status of a finished operation, from its change counts. */
export function statusOf(operation: Operation, changes: Changes): string {
    const changed = Object.entries(changes).filter(([kind, count]) => kind !== "same" && count > 0);
    if (changed.length === 0) {
        return "unchanged";
    }
    const onlyCreates = changed.every(([kind]) => kind === "create");
    switch (operation) {
        case "preview":
            return onlyCreates ? "would create" : "would update";
        case "up":
            return onlyCreates ? "created" : "updated";
        case "refresh":
            return "drifted";
        case "destroy":
            return "destroyed";
    }
}

/** The line printed when an account's stack finishes. */
export function formatResult(result: AccountResult): string {
    if (result.error !== undefined) {
        return `${result.accountId}  failed: ${result.error}`;
    }
    const changes = Object.entries(result.changes ?? {})
        .filter(([kind, count]) => kind !== "same" && count > 0)
        .map(([kind, count]) => `${kind} ${count}`);
    return `${result.accountId}  ${result.status}  (${[...changes, `${result.seconds.toFixed(1)} s`].join(", ")})`;
}

/** The closing line: accounts by status, in a fixed order, and the wall time; `failed` last. */
export function formatSummary(operation: Operation, results: readonly AccountResult[], wallSeconds: number): string {
    const counts = new Map<string, number>();
    for (const result of results) {
        const status = result.error !== undefined ? "failed" : result.status;
        counts.set(status, (counts.get(status) ?? 0) + 1);
    }
    const order = [...counts.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    const parts = order.map((status) => `${counts.get(status) ?? 0} ${status}`);
    return `${operation}: ${accountCount(results.length)}${parts.length > 0 ? `: ${parts.join(", ")}` : ""}; ${wallSeconds.toFixed(1)} s`;
}

/** The opening line: how many accounts the file lists and how many this shard takes; counts only, no id or secret. */
export function formatHeader(operation: Operation, file: string, listed: number, shard: Shard, taken: number, concurrency: number): string {
    return `${operation}: ${accountCount(listed)} in ${file}, shard ${shard.index}/${shard.count} takes ${taken}, ${concurrency} at a time`;
}

/** "1 account", "20 accounts". */
function accountCount(count: number): string {
    return `${count} ${count === 1 ? "account" : "accounts"}`;
}

function rank(status: string): number {
    return status === "failed" ? 2 : status === "unchanged" ? 1 : 0;
}

/** Pulumi's generic closing errors, which say less than the error before them. */
const GENERIC = /^(update|preview|refresh|destroy) failed$|^one or more errors occurred/i;

/**
 * The first meaningful line of a failed operation: the Automation API's error carries the CLI's
 * whole output; this is its first `error: …` line other than a generic closing one ("update
 * failed"), without the `error: ` prefix; else the first line of its stderr (a CLI that could not
 * be started); else the error's first line.
 */
export function errorLine(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error);
    const found = [...text.matchAll(/^\s*error: (.+)$/gm)].map((match) => (match[1] ?? "").trim());
    const line = found.find((candidate) => !GENERIC.test(candidate)) ?? found[0];
    const stderr = /^ stderr: *(?:error: )?(\S.*)$/m.exec(text)?.[1];
    const first = text
        .split("\n")
        .map((part) => part.trim())
        .find((part) => part !== "");
    return line || stderr?.trim() || first || "unknown error";
}
