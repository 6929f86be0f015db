/**
 * The AWS SDK's standard retries without its retry quota. The SDK's standard strategy keeps 500
 * tokens per client and spends 5 on each retry (10 after a timeout or a closed connection),
 * refunding them only when the retried call succeeds. A long run through a flaky network drains
 * it, and so do answers lost after IAM acted (the retry of a create that IAM carried out ends in
 * EntityAlreadyExists, whose tokens never come back): from then on every call fails at its first
 * error, unretried. Measured: 50 profiles created, updated and deleted with 30 % of the answers
 * lost ran the quota dry before the deletes were done. As terraform-provider-aws turns the Go SDK's
 * quota off (`ratelimit.None`), this strategy retries throttling, 5xx and connection failures up
 * to `maxAttempts` with the SDK's own backoff; the account limiter (accountLimiter.ts) is what
 * keeps a run's calls within IAM's quota.
 */

/** How the SDK classifies a failed attempt (`RetryErrorInfo` of @smithy/types). */
export interface RetryErrorInfo {
    readonly errorType: "TRANSIENT" | "THROTTLING" | "SERVER_ERROR" | "CLIENT_ERROR";
}

/** A retry token: how many retries so far, and how long to wait before the next attempt. */
export interface RetryToken {
    getRetryCount(): number;
    getRetryDelay(): number;
}

/** The SDK's retry strategy interface (`RetryStrategyV2` of @smithy/types). */
export interface RetryStrategy {
    readonly mode: string;
    acquireInitialRetryToken(scope: string): Promise<RetryToken>;
    refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken>;
    recordSuccess(token: RetryToken): void;
}

/** The SDK's backoff: a random wait up to base × 2^retries, 100 ms base (500 ms after throttling), at most 20 s. */
const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

/** Up to `maxAttempts` attempts of every call that failed with throttling, a transient 5xx or no answer; no quota. */
export function unlimitedRetries(maxAttempts: number, random: () => number = Math.random): RetryStrategy {
    const token = (retries: number, delay: number): RetryToken => ({ getRetryCount: () => retries, getRetryDelay: () => delay });
    return {
        mode: "standard",
        acquireInitialRetryToken: () => Promise.resolve(token(0, 0)),
        refreshRetryTokenForRetry(previous, errorInfo) {
            const retries = previous.getRetryCount();
            // As the SDK's: throttling and transient failures (500, 502, 503, 504, timeouts, closed connections).
            const retryable = errorInfo.errorType === "THROTTLING" || errorInfo.errorType === "TRANSIENT";
            if (!retryable || retries + 1 >= maxAttempts) {
                return Promise.reject(new Error("No retry token available"));
            }
            const base = errorInfo.errorType === "THROTTLING" ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
            return Promise.resolve(token(retries + 1, Math.floor(Math.min(MAX_DELAY_MS, random() * 2 ** retries * base))));
        },
        recordSuccess: () => undefined,
    };
}
