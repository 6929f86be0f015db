/**
 * Shards: machine i of n takes its share of the accounts, so that a CI matrix of n jobs covers the
 * organization once. The split depends only on the account ids, never on the file's order or on
 * what another machine does: sorted by account id, the k-th account (from 0) goes to shard
 * (k mod n) + 1. Adding an account moves at most the accounts after it, one shard along.
 */

/** Shard `index` (from 1) of `count`. */
export interface Shard {
    readonly index: number;
    readonly count: number;
}

/** The whole organization: one shard of one. */
export const WHOLE: Shard = { index: 1, count: 1 };

/** Reads `i/n`; undefined unless 1 <= i <= n, both whole numbers. */
export function parseShard(text: string): Shard | undefined {
    const match = /^(\d+)\/(\d+)$/.exec(text.trim());
    if (!match) {
        return undefined;
    }
    const index = Number(match[1]);
    const count = Number(match[2]);
    return index >= 1 && index <= count && Number.isSafeInteger(count) ? { index, count } : undefined;
}

/** The accounts of `shard`, sorted by account id. */
export function takeShard<T extends { readonly accountId: string }>(accounts: readonly T[], shard: Shard): T[] {
    return [...accounts].sort((a, b) => a.accountId.localeCompare(b.accountId)).filter((_, k) => k % shard.count === shard.index - 1);
}
