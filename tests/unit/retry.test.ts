/** Bounded retry with backoff for IAM's eventual consistency, on an instant clock. */
import { DEFAULT_RETRY_POLICY, retryTransient, RetryTimeoutError, SYSTEM_CLOCK, type RetryPolicy } from "../../provider/aws/retry";
import { instantClock, rejectionOf } from "./fixtures";

const TRANSIENT = new Error("not yet");
const isTransient = (error: unknown): boolean => error === TRANSIENT;
const POLICY: RetryPolicy = { timeoutMs: 10_000, initialDelayMs: 100, maxDelayMs: 1_000 };

/** An attempt that fails with each of `failures` in turn, then returns "done". */
function attemptsFailingWith(...failures: unknown[]): jest.Mock<Promise<string>, []> {
    const attempt = jest.fn<Promise<string>, []>();
    for (const failure of failures) {
        attempt.mockRejectedValueOnce(failure);
    }
    return attempt.mockResolvedValue("done");
}

describe("retryTransient", () => {
    it("returns the first success without waiting", async () => {
        const clock = instantClock();
        const attempt = attemptsFailingWith();

        await expect(retryTransient(attempt, isTransient, clock, POLICY)).resolves.toBe("done");
        expect(attempt).toHaveBeenCalledTimes(1);
        expect(clock.sleeps).toStrictEqual([]);
    });

    it("retries transient errors with doubling waits until the attempt succeeds", async () => {
        const clock = instantClock();
        const attempt = attemptsFailingWith(TRANSIENT, TRANSIENT, TRANSIENT);

        await expect(retryTransient(attempt, isTransient, clock, POLICY)).resolves.toBe("done");
        expect(attempt).toHaveBeenCalledTimes(4);
        expect(clock.sleeps).toStrictEqual([100, 200, 400]);
    });

    it("throws any other error at once, without retrying", async () => {
        const clock = instantClock();
        const other = new Error("denied");
        const attempt = attemptsFailingWith(TRANSIENT, other);

        await expect(retryTransient(attempt, isTransient, clock, POLICY)).rejects.toBe(other);
        expect(attempt).toHaveBeenCalledTimes(2);
        expect(clock.sleeps).toStrictEqual([100]);
    });

    it("caps each wait at maxDelayMs and gives up before the timeout would be passed", async () => {
        const clock = instantClock();
        const attempt = jest.fn<Promise<string>, []>().mockRejectedValue(TRANSIENT);

        const error = await rejectionOf(retryTransient(attempt, isTransient, clock, POLICY));

        // 100 + 200 + 400 + 800 = 1500, then 1000 each: 8 more reach 9500, and one more would pass 10000.
        expect(clock.sleeps).toStrictEqual([100, 200, 400, 800, ...Array<number>(8).fill(1_000)]);
        expect(clock.elapsed()).toBe(9_500);
        expect(attempt).toHaveBeenCalledTimes(13);
        expect(error).toBeInstanceOf(RetryTimeoutError);
        expect(error).toMatchObject({
            name: "RetryTimeoutError",
            message: "still failing after 13 attempts over 10 s",
            attempts: 13,
            lastError: TRANSIENT,
        });
    });

    it("waits about two minutes in all under the default policy", async () => {
        const clock = instantClock();
        const attempt = jest.fn<Promise<string>, []>().mockRejectedValue(TRANSIENT);

        const error = await rejectionOf(retryTransient(attempt, isTransient, clock, DEFAULT_RETRY_POLICY));

        expect(DEFAULT_RETRY_POLICY).toStrictEqual({ timeoutMs: 120_000, initialDelayMs: 500, maxDelayMs: 8_000 });
        expect(clock.elapsed()).toBe(119_500);
        expect((error as Error).message).toBe("still failing after 19 attempts over 120 s");
    });

    it("still waits when the wait ends exactly at the timeout", async () => {
        const clock = instantClock();
        const attempt = jest.fn<Promise<string>, []>().mockRejectedValue(TRANSIENT);

        await rejectionOf(retryTransient(attempt, isTransient, clock, { timeoutMs: 300, initialDelayMs: 100, maxDelayMs: 1_000 }));

        // 0 + 100 and 100 + 200 end at or before 300 ms; 300 + 400 would not.
        expect(clock.sleeps).toStrictEqual([100, 200]);
        expect(attempt).toHaveBeenCalledTimes(3);
    });

    it("makes one attempt only when the first wait would already pass the timeout", async () => {
        const clock = instantClock();
        const attempt = jest.fn<Promise<string>, []>().mockRejectedValue(TRANSIENT);

        const error = await rejectionOf(
            retryTransient(attempt, isTransient, clock, { timeoutMs: 50, initialDelayMs: 100, maxDelayMs: 100 }),
        );

        expect(attempt).toHaveBeenCalledTimes(1);
        expect(clock.sleeps).toStrictEqual([]);
        expect((error as Error).message).toBe("still failing after 1 attempts over 0 s");
    });
});

describe("SYSTEM_CLOCK", () => {
    it("tells the real time and really sleeps", async () => {
        const before = Date.now();

        await SYSTEM_CLOCK.sleep(5);

        expect(SYSTEM_CLOCK.now()).toBeGreaterThanOrEqual(before + 4);
    });
});
