/**
 * A fixed pace for calls whose quota AWS publishes. CloudTrail's LookupEvents is "limited to two
 * per second, per account, per Region" (FACTS.md), so the calls of one account are started at
 * least half a second apart, whichever lookups ask for them. Unlike the IAM limiter
 * (accountLimiter.ts), which learns a quota AWS does not publish, this one never needs a throttle
 * to slow down: a throttled call would cost a retry and its backoff. The quota is the account's,
 * not the process's: where the provider processes of the account on this machine keep one pace
 * (sharedPace.ts), each call also takes a turn of it.
 */

/** The time source and the wait, in milliseconds; injected by tests. */
export interface PacerClock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: PacerClock = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Takes the first turn of a pace shared with other processes at or after a time (milliseconds on
 * the clock's scale) and answers when it starts; undefined when there is no shared pace.
 */
export type TurnClaim = (notBefore: number) => number | undefined;

/**
 * Starts calls no closer together than `1000 / callsPerSecond` milliseconds, and, with `claim`, at
 * turns no other process of the account has taken.
 */
export class CallPacer {
    private readonly intervalMs: number;
    /** When the next call may start. */
    private nextStartAt = Number.NEGATIVE_INFINITY;

    constructor(
        callsPerSecond: number,
        private readonly clock: PacerClock = REAL_CLOCK,
        private readonly claim: TurnClaim = () => undefined,
    ) {
        this.intervalMs = 1000 / callsPerSecond;
    }

    /** Runs `call` once its turn comes; turns are given in the order calls arrive. */
    async run<T>(call: () => Promise<T>): Promise<T> {
        const now = this.clock.now();
        const earliest = Math.max(now, this.nextStartAt);
        const startAt = this.claim(earliest) ?? earliest;
        this.nextStartAt = startAt + this.intervalMs;
        if (startAt > now) {
            await this.clock.sleep(startAt - now);
        }
        return call();
    }
}
