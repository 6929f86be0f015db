/**
 * A pace that the provider processes of one account on this machine keep together. CloudTrail's
 * LookupEvents is "limited to two per second, per account, per Region"; each stack's run has a
 * provider process of its own, and ten refreshes of one account at once, each keeping the pace by
 * itself, would call ten times too often. So the pace's turns are claimed in a folder of the
 * account's quota board (quotaBoard.ts): turn k starts at k × interval (on the machine's clock),
 * and a process takes it by making the folder named k, which only one process can make. A turn
 * taken by another is skipped; a process that is killed holds no more than the turns it took.
 * Folders of turns long past are removed by whichever process takes a turn after them; the last
 * ones, once no process uses the pace, by the quota board's sweep of what is an hour old
 * (quotaBoard.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Turns this far in the past are removed: no process asks for a turn before now. */
const KEEP_TURNS = 20;
/** A process looks this many turns ahead at most; beyond, it takes the last one (a machine this busy is throttled anyway). */
const MAX_TURNS_AHEAD = 10_000;

/** Claims turns of one account's pace in the folder `dir`. */
export class SharedPace {
    private swept = Number.NEGATIVE_INFINITY;

    constructor(
        private readonly dir: string,
        private readonly intervalMs: number,
    ) {}

    /**
     * The start of the first free turn at or after `notBefore` (milliseconds since the epoch),
     * now taken by this process; undefined when the folder cannot be written (the caller then
     * keeps its own pace).
     */
    claim(notBefore: number): number | undefined {
        const first = Math.ceil(notBefore / this.intervalMs);
        for (let turn = first; turn < first + MAX_TURNS_AHEAD; turn++) {
            try {
                fs.mkdirSync(path.join(this.dir, String(turn)));
            } catch (error) {
                if ((error as NodeJS.ErrnoException).code === "EEXIST") {
                    continue;
                }
                return undefined;
            }
            this.sweep(first);
            return turn * this.intervalMs;
        }
        return undefined;
    }

    /** Removes the turns more than KEEP_TURNS before `current`, at most once every KEEP_TURNS turns. */
    private sweep(current: number): void {
        if (current - this.swept < KEEP_TURNS) {
            return;
        }
        this.swept = current;
        let names: string[];
        try {
            names = fs.readdirSync(this.dir);
        } catch {
            return;
        }
        for (const name of names) {
            if (/^\d+$/.test(name) && Number(name) < current - KEEP_TURNS) {
                fs.rmSync(path.join(this.dir, name), { recursive: true, force: true });
            }
        }
    }
}

/** The shared pace kept in `dir`, which is made if missing (private to this user); undefined when it cannot be. */
export function openSharedPace(dir: string, intervalMs: number): SharedPace | undefined {
    try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch {
        return undefined;
    }
    return new SharedPace(dir, intervalMs);
}
