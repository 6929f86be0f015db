/** The SDK's standard retries without the retry quota that a long faulty run drains. */
import { unlimitedRetries, type RetryErrorInfo } from "../../provider/aws/retryStrategy";

const TRANSIENT: RetryErrorInfo = { errorType: "TRANSIENT" };

describe("unlimitedRetries", () => {
    it("retries up to maxAttempts attempts, then refuses as the SDK does", async () => {
        const strategy = unlimitedRetries(3, () => 0.5);
        const first = await strategy.acquireInitialRetryToken("");
        const second = await strategy.refreshRetryTokenForRetry(first, TRANSIENT);
        const third = await strategy.refreshRetryTokenForRetry(second, TRANSIENT);

        expect([first.getRetryCount(), second.getRetryCount(), third.getRetryCount()]).toEqual([0, 1, 2]);
        await expect(strategy.refreshRetryTokenForRetry(third, TRANSIENT)).rejects.toThrow("No retry token available");
    });

    it("backs off as the SDK does: random × 2^retries × 100 ms, 500 ms after throttling, at most 20 s", async () => {
        const strategy = unlimitedRetries(20, () => 0.5);
        const token = await strategy.acquireInitialRetryToken("");
        expect((await strategy.refreshRetryTokenForRetry(token, TRANSIENT)).getRetryDelay()).toBe(50);
        expect((await strategy.refreshRetryTokenForRetry(token, { errorType: "THROTTLING" })).getRetryDelay()).toBe(250);
        const late = { getRetryCount: () => 15, getRetryDelay: () => 0 };
        expect((await strategy.refreshRetryTokenForRetry(late, TRANSIENT)).getRetryDelay()).toBe(20_000);
    });

    it("never retries a client error (IAM's answer stands)", async () => {
        const strategy = unlimitedRetries(11);
        const token = await strategy.acquireInitialRetryToken("");
        await expect(strategy.refreshRetryTokenForRetry(token, { errorType: "CLIENT_ERROR" })).rejects.toThrow("No retry token available");
        await expect(strategy.refreshRetryTokenForRetry(token, { errorType: "SERVER_ERROR" })).rejects.toThrow("No retry token available");
    });

    it("keeps retrying however many failed retries came before: no quota to drain", async () => {
        const strategy = unlimitedRetries(2, () => 0);
        for (let call = 0; call < 1_000; call++) {
            const token = await strategy.acquireInitialRetryToken("");
            const retry = await strategy.refreshRetryTokenForRetry(token, TRANSIENT);
            await expect(strategy.refreshRetryTokenForRetry(retry, TRANSIENT)).rejects.toThrow();
        }
        const fresh = await strategy.acquireInitialRetryToken("");
        expect((await strategy.refreshRetryTokenForRetry(fresh, TRANSIENT)).getRetryCount()).toBe(1);
    });
});
