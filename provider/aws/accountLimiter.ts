/**
 * A client-side limit on one account's IAM calls. AWS counts IAM request quotas per account, in
 * token buckets whose rates it does not publish, and answers "Rate exceeded" (Throttling) beyond
 * them; a stack of hundreds of profiles in one account, or a thousand across an organization, meets
 * it at once. So each account's calls go through one limiter (every attempt, retries included):
 *
 * - at most `concurrency` calls in flight, so that a burst of a thousand resources reaches an
 *   account a few calls at a time, and the calls already sent when the quota runs out are few;
 * - no rate limit until the account first throttles; then four fifths of the rate that the
 *   account's quota just allowed (the calls that succeeded in the last second), halved on every
 *   further throttle of a call sent under the limit and raised by a tenth of itself each second
 *   that passes without one (multiplicative decrease, gradual increase), so that the limit follows
 *   the quota without knowing it.
 *
 * A call that is throttled anyway is retried by the AWS SDK's retry strategy after it has waited
 * here again: no call fails for throttling while the retry budget lasts.
 */

/** The time source, in milliseconds; injected by tests. */
export type Now = () => number;

/** How a limiter behaves; every field has a default. */
export interface LimiterOptions {
    /** Calls in flight at once. @default 4 */
    readonly concurrency?: number;
    /** The rate is never set below this, in calls a second. @default 1 */
    readonly minimumRate?: number;
}

const SUCCESS_WINDOW_MS = 1_000;
/** The share of the rate the quota allowed that the first limit takes: room for the quota's own refill to be slower than its burst. */
const FIRST_LIMIT_SHARE = 0.8;

/** The limiter of one account. */
export class AccountLimiter {
    private readonly concurrency: number;
    private readonly minimumRate: number;
    private inFlight = 0;
    private readonly waiting: (() => void)[] = [];
    /** Calls a second once the account has throttled; undefined before. */
    private rate: number | undefined;
    private nextStartAt = 0;
    /** When the rate last changed. */
    private changedAt = Number.NEGATIVE_INFINITY;
    private readonly successes: number[] = [];
    private timer: ReturnType<typeof setTimeout> | undefined;

    constructor(
        options: LimiterOptions = {},
        private readonly now: Now = Date.now,
    ) {
        this.concurrency = options.concurrency ?? 4;
        this.minimumRate = options.minimumRate ?? 1;
    }

    /** The current rate limit in calls a second, or undefined while there is none. */
    get currentRate(): number | undefined {
        return this.rate;
    }

    /** Runs `call` once a slot (and, after a throttle, the rate) allows; tells the limiter how it went. */
    async run<T>(call: () => Promise<T>, isThrottling: (error: unknown) => boolean): Promise<T> {
        await this.acquire();
        const startedAt = this.now();
        try {
            const result = await call();
            this.succeeded();
            return result;
        } catch (error) {
            if (isThrottling(error)) {
                this.throttled(startedAt);
            }
            throw error;
        } finally {
            this.release();
        }
    }

    private acquire(): Promise<void> {
        return new Promise((resolve) => {
            this.waiting.push(resolve);
            this.dispatch();
        });
    }

    private release(): void {
        this.inFlight--;
        this.dispatch();
    }

    /** Starts waiting calls while a slot is free and the rate allows; else wakes up when it will. */
    private dispatch(): void {
        while (this.waiting.length > 0 && this.inFlight < this.concurrency) {
            const at = this.now();
            if (this.rate !== undefined && at < this.nextStartAt) {
                this.wakeAt(this.nextStartAt - at);
                return;
            }
            if (this.rate !== undefined) {
                this.nextStartAt = Math.max(at, this.nextStartAt) + 1_000 / this.rate;
            }
            this.inFlight++;
            this.waiting.shift()?.();
        }
    }

    private wakeAt(delayMs: number): void {
        if (this.timer !== undefined) {
            return;
        }
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.dispatch();
        }, Math.ceil(delayMs));
    }

    private succeeded(): void {
        const at = this.now();
        this.successes.push(at);
        while ((this.successes[0] ?? at) <= at - SUCCESS_WINDOW_MS) {
            this.successes.shift();
        }
        if (this.rate !== undefined && at - this.changedAt >= SUCCESS_WINDOW_MS) {
            this.rate *= 1.1;
            this.changedAt = at;
        }
    }

    private throttled(startedAt: number): void {
        const at = this.now();
        if (this.rate === undefined) {
            // The first throttle: four fifths of what the quota allowed in the last second.
            const allowed = this.successes.filter((t) => t > at - SUCCESS_WINDOW_MS).length;
            this.rate = Math.max(this.minimumRate, allowed * FIRST_LIMIT_SHARE);
        } else if (startedAt >= this.changedAt) {
            // A call sent under the current limit was throttled: halve it. (Calls sent before the
            // limit changed say nothing about it.)
            this.rate = Math.max(this.minimumRate, this.rate / 2);
        } else {
            return;
        }
        this.changedAt = at;
        this.nextStartAt = at + 1_000 / this.rate;
    }
}
