/** The client-side limit on one account's IAM calls: a few in flight, and a rate learnt from the account's throttling. */
import { AccountLimiter } from "../../provider/aws/accountLimiter";

const THROTTLED = Object.assign(new Error("Rate exceeded"), { name: "Throttling" });
const isThrottling = (error: unknown): boolean => error === THROTTLED;

beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
});

afterEach(() => {
    jest.useRealTimers();
});

/** A call that ends after `ms`, recording when it started and how many ran at once. */
function tracked(log: { started: number[]; inFlight: number; most: number }, ms: number, fail = false): () => Promise<void> {
    return async () => {
        log.started.push(Date.now());
        log.inFlight++;
        log.most = Math.max(log.most, log.inFlight);
        await new Promise((resolve) => setTimeout(resolve, ms));
        log.inFlight--;
        if (fail) {
            throw THROTTLED;
        }
    };
}

/** Runs `count` calls of 10 ms one after another, each succeeding. */
async function succeedOneByOne(
    limiter: AccountLimiter,
    log: { started: number[]; inFlight: number; most: number },
    count: number,
): Promise<void> {
    for (let i = 0; i < count; i++) {
        const call = limiter.run(tracked(log, 10), isThrottling);
        await jest.advanceTimersByTimeAsync(10);
        await call;
    }
}

describe("AccountLimiter", () => {
    it("lets at most `concurrency` calls run at once, and no rate limit before the account throttles", async () => {
        const limiter = new AccountLimiter({ concurrency: 4 });
        const log = { started: [] as number[], inFlight: 0, most: 0 };

        const all = Promise.all(Array.from({ length: 12 }, () => limiter.run(tracked(log, 10), isThrottling)));
        await jest.advanceTimersByTimeAsync(100);
        await all;

        expect(log.most).toBe(4);
        expect(log.started.map((t) => t - 1_000_000)).toEqual([0, 0, 0, 0, 10, 10, 10, 10, 20, 20, 20, 20]);
        expect(limiter.currentRate).toBeUndefined();
    });

    it("after the first throttle, limits the rate to four fifths of what succeeded in the last second", async () => {
        const limiter = new AccountLimiter({ concurrency: 1 });
        const log = { started: [] as number[], inFlight: 0, most: 0 };
        await succeedOneByOne(limiter, log, 20);

        const throttled = limiter.run(tracked(log, 10, true), isThrottling).catch((error: unknown) => error);
        await jest.advanceTimersByTimeAsync(10);
        await expect(throttled).resolves.toBe(THROTTLED);
        expect(limiter.currentRate).toBe(16);

        log.started.length = 0;
        const next = Promise.all(Array.from({ length: 3 }, () => limiter.run(tracked(log, 1), isThrottling)));
        await jest.advanceTimersByTimeAsync(1_000);
        await next;
        // One call every 62.5 ms at 16 a second (timers wake on whole milliseconds).
        expect(log.started.map((t) => t - log.started[0]!)).toEqual([0, 63, 126]);

        const underTheLimit = limiter.run(tracked(log, 10, true), isThrottling).catch(() => undefined);
        await jest.advanceTimersByTimeAsync(200);
        await underTheLimit;
        expect(limiter.currentRate).toBe(8);
    });

    it("halves the limit when a call sent under it is throttled, but not for calls sent before it was set", async () => {
        const limiter = new AccountLimiter({ concurrency: 4, minimumRate: 0.25 });
        const log = { started: [] as number[], inFlight: 0, most: 0 };
        // Four calls in flight at once, all throttled: the first sets the limit, the other three were sent before it.
        const first = Promise.all(
            Array.from({ length: 4 }, () => limiter.run(tracked(log, 10, true), isThrottling).catch(() => undefined)),
        );
        await jest.advanceTimersByTimeAsync(10);
        await first;
        expect(limiter.currentRate).toBe(0.25); // nothing succeeded in the last second: the minimum

        const under = limiter.run(tracked(log, 10, true), isThrottling).catch(() => undefined);
        await jest.advanceTimersByTimeAsync(5_000);
        await under;
        expect(limiter.currentRate).toBe(0.25); // halved, but never below the minimum
        expect(log.started).toHaveLength(5);
    });

    it("raises the limit by a tenth each second that passes without a throttle", async () => {
        const limiter = new AccountLimiter({ concurrency: 1 });
        const log = { started: [] as number[], inFlight: 0, most: 0 };
        await succeedOneByOne(limiter, log, 20);
        const throttled = limiter.run(tracked(log, 10, true), isThrottling).catch(() => undefined);
        await jest.advanceTimersByTimeAsync(10);
        await throttled;
        expect(limiter.currentRate).toBe(16);

        const later = Promise.all(Array.from({ length: 25 }, () => limiter.run(tracked(log, 1), isThrottling)));
        await jest.advanceTimersByTimeAsync(5_000);
        await later;
        expect(limiter.currentRate).toBeCloseTo(16 * 1.1, 5);
    });
});
