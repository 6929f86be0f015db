/**
 * Bounded retry for IAM's eventual consistency: a user created a moment ago can answer
 * NoSuchEntity to CreateLoginProfile, and a profile created a moment ago answers
 * EntityTemporarilyUnmodifiable to Update and Delete. Throttling and 5xx are not handled here:
 * the AWS SDK's own retry strategy covers them.
 */

/** The clock a retry runs on; injectable so that tests run instantly. */
export interface RetryClock {
    /** Waits `ms` milliseconds. */
    readonly sleep: (ms: number) => Promise<void>;
    /** The current time in milliseconds. */
    readonly now: () => number;
}

/** How long to keep trying; the Terraform provider waits about two minutes for IAM to settle. */
export interface RetryPolicy {
    /** Give up once this much time has passed since the first attempt. @default 120000 */
    readonly timeoutMs: number;
    /** The first wait; each later one doubles, up to `maxDelayMs`. @default 500 */
    readonly initialDelayMs: number;
    /** The longest single wait. @default 8000 */
    readonly maxDelayMs: number;
}

/** The real clock. */
export const SYSTEM_CLOCK: RetryClock = {
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
};

/** About two minutes in all, as the Terraform provider waits for IAM propagation. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { timeoutMs: 120_000, initialDelayMs: 500, maxDelayMs: 8_000 };

/** The outcome of an attempt that kept failing with a transient error until time ran out. */
export class RetryTimeoutError extends Error {
    /** The error of the last attempt. */
    public readonly lastError: unknown;
    /** How many attempts were made. */
    public readonly attempts: number;

    constructor(lastError: unknown, attempts: number, elapsedMs: number) {
        super(`still failing after ${attempts} attempts over ${Math.round(elapsedMs / 1000)} s`);
        this.name = "RetryTimeoutError";
        this.lastError = lastError;
        this.attempts = attempts;
    }
}

/**
 * Runs `attempt` until it succeeds, retrying while `isTransient(error)` holds with exponential
 * backoff, and throws RetryTimeoutError once the policy's time is spent. Any other error is
 * thrown at once.
 */
export async function retryTransient<T>(
    attempt: () => Promise<T>,
    isTransient: (error: unknown) => boolean,
    clock: RetryClock,
    policy: RetryPolicy,
): Promise<T> {
    const started = clock.now();
    let delay = policy.initialDelayMs;
    for (let attempts = 1; ; attempts++) {
        try {
            return await attempt();
        } catch (error) {
            if (!isTransient(error)) {
                throw error;
            }
            const elapsed = clock.now() - started;
            if (elapsed + delay > policy.timeoutMs) {
                throw new RetryTimeoutError(error, attempts, elapsed);
            }
            await clock.sleep(delay);
            delay = Math.min(delay * 2, policy.maxDelayMs);
        }
    }
}
