/**
 * A fixed pace for calls whose quota AWS publishes. CloudTrail's LookupEvents is "limited to two
 * per second, per account, per Region" (FACTS.md), so the calls of one account are started at
 * least half a second apart, whichever lookups ask for them. Unlike the IAM limiter
 * (accountLimiter.ts), which learns a quota AWS does not publish, this one never needs a throttle
 * to slow down: a throttled call would cost a retry and its backoff.
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

/** Starts calls no closer together than `1000 / callsPerSecond` milliseconds. */
export class CallPacer {
    private readonly intervalMs: number;
    /** When the next call may start. */
    private nextStartAt = Number.NEGATIVE_INFINITY;

    constructor(
        callsPerSecond: number,
        private readonly clock: PacerClock = REAL_CLOCK,
    ) {
        this.intervalMs = 1000 / callsPerSecond;
    }

    /** Runs `call` once its turn comes; turns are given in the order calls arrive. */
    async run<T>(call: () => Promise<T>): Promise<T> {
        const now = this.clock.now();
        const startAt = Math.max(now, this.nextStartAt);
        this.nextStartAt = startAt + this.intervalMs;
        if (startAt > now) {
            await this.clock.sleep(startAt - now);
        }
        return call();
    }
}
