/**
 * The client-side limit on one account's IAM calls: a few in flight, and a rate learnt from the
 * account's throttling, shared with the account's other provider processes through its board.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AccountLimiter, READ_EVERY_MS } from "../../provider/aws/accountLimiter";
import { FolderQuotaBoard } from "../../provider/aws/quotaBoard";

const THROTTLED = Object.assign(new Error("Rate exceeded"), { name: "Throttling" });
const isThrottling = (error: unknown): boolean => error === THROTTLED;

beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
});

afterEach(() => {
    jest.useRealTimers();
});

/** What `tracked` records. */
interface CallLog {
    started: number[];
    inFlight: number;
    most: number;
}

function newLog(): CallLog {
    return { started: [], inFlight: 0, most: 0 };
}

/** A call that ends after `ms`, recording when it started and how many ran at once. */
function tracked(log: CallLog, ms: number, fail = false): () => Promise<void> {
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
async function succeedOneByOne(limiter: AccountLimiter, log: CallLog, count: number): Promise<void> {
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
    it("does not raise the limit while calls do not wait for it: a rate that calls do not use proves nothing", async () => {
        const limiter = new AccountLimiter({ concurrency: 1 });
        const log = newLog();
        await succeedOneByOne(limiter, log, 20);
        const throttled = limiter.run(tracked(log, 10, true), isThrottling).catch(() => undefined);
        await jest.advanceTimersByTimeAsync(10);
        await throttled;

        // One call every 200 ms, under the 16 a second allowed, for three seconds.
        for (let i = 0; i < 15; i++) {
            await jest.advanceTimersByTimeAsync(190);
            await succeedOneByOne(limiter, log, 1);
        }
        expect(limiter.currentRate).toBe(16);
    });
});

describe("AccountLimiter with the account's other processes on the machine", () => {
    let dir = "";

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "limiter-board-"));
    });

    afterEach(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Process `pid`'s limiter on the board of `dir` (every process alive); its calls fall at the start of their turn. */
    function processLimiter(pid: number, concurrency = 4): AccountLimiter {
        return new AccountLimiter({ concurrency, board: async () => new FolderQuotaBoard(dir, pid, () => true), random: () => 0 });
    }

    /** Throttles one call of `limiter` after 20 successes one by one: the account's first limit, 16 a second. */
    async function firstLimit(limiter: AccountLimiter): Promise<void> {
        await succeedOneByOne(limiter, newLog(), 20);
        const throttled = limiter.run(tracked(newLog(), 10, true), isThrottling).catch(() => undefined);
        await jest.advanceTimersByTimeAsync(10);
        await throttled;
    }

    it("makes a process that starts while another works adopt the account's rate before its first call, and take its share", async () => {
        const first = processLimiter(101, 1);
        await firstLimit(first);
        expect(first.currentRate).toBe(16);

        const second = processLimiter(102);
        const log = newLog();
        const calls = Promise.all(Array.from({ length: 3 }, () => second.run(tracked(log, 1), isThrottling)));
        await jest.advanceTimersByTimeAsync(1_000);
        await calls;

        expect(second.currentRate).toBe(16);
        expect(second.currentShare).toBe(8);
        // Half of 16 a second: one call every 125 ms, from the first call on.
        expect(log.started.map((t) => t - log.started[0]!)).toEqual([0, 125, 250]);
    });

    it("halves the account's rate for every process when one sees a throttle, and not again for a call another sent before it knew", async () => {
        const first = processLimiter(101, 1);
        await firstLimit(first);
        const second = processLimiter(102, 1);
        await succeedOneByOne(second, newLog(), 1);
        await jest.advanceTimersByTimeAsync(READ_EVERY_MS);

        // Both calls are throttled: the second process's first, the first process's after it.
        const slow = first.run(tracked(newLog(), 50, true), isThrottling).catch(() => undefined);
        const fast = second.run(tracked(newLog(), 10, true), isThrottling).catch(() => undefined);
        await jest.advanceTimersByTimeAsync(200);
        await Promise.all([slow, fast]);

        expect(second.currentRate).toBe(8);
        expect(first.currentRate).toBe(8);
    });

    it("does not halve the rate for a call sent before every process could read it: their calls may still drain the quota", async () => {
        const first = processLimiter(101, 1);
        await firstLimit(first);

        // The second process adopts 16 a second at its first call, which is throttled at once.
        const second = processLimiter(102, 1);
        const throttled = second.run(tracked(newLog(), 10, true), isThrottling).catch(() => undefined);
        await jest.advanceTimersByTimeAsync(10);
        await throttled;
        expect(second.currentRate).toBe(16);

        // A call sent after READ_EVERY_MS judges the limit: at the share's pace (125 ms) these two
        // start 125 and 250 ms after the throttled one.
        const later = Promise.all([
            second.run(tracked(newLog(), 1), isThrottling),
            second.run(tracked(newLog(), 10, true), isThrottling).catch(() => undefined),
        ]);
        expect(READ_EVERY_MS).toBeLessThan(125);
        await jest.advanceTimersByTimeAsync(270);
        await later;
        expect(second.currentRate).toBe(8);
    });

    it("counts every process's successes in the first limit, which grows by half each second until the account throttles again", async () => {
        const first = processLimiter(101, 1);
        const second = processLimiter(102, 1);
        // Each learns of the other at its next reading of the board, then tells every success.
        await succeedOneByOne(first, newLog(), 1);
        await succeedOneByOne(second, newLog(), 1);
        await jest.advanceTimersByTimeAsync(READ_EVERY_MS);
        await succeedOneByOne(first, newLog(), 9);
        await succeedOneByOne(second, newLog(), 5);

        const throttled = second.run(tracked(newLog(), 10, true), isThrottling).catch(() => undefined);
        await jest.advanceTimersByTimeAsync(10);
        await throttled;
        // Four fifths of the 16 calls that succeeded in the account in the last second.
        expect(second.currentRate).toBeCloseTo(12.8, 5);

        const queued = Promise.all(Array.from({ length: 10 }, () => second.run(tracked(newLog(), 1), isThrottling)));
        await jest.advanceTimersByTimeAsync(1_500);
        await queued;
        expect(second.currentRate).toBeCloseTo(12.8 * 1.5, 5);
    });

    it("shares the account's calls in flight among its processes until the account has a rate", async () => {
        const first = processLimiter(101);
        const second = processLimiter(102);
        const firstLog = newLog();
        const secondLog = newLog();

        const firstCalls = Promise.all(Array.from({ length: 4 }, () => first.run(tracked(firstLog, 100), isThrottling)));
        await jest.advanceTimersByTimeAsync(1);
        const secondCalls = Promise.all(Array.from({ length: 6 }, () => second.run(tracked(secondLog, 100), isThrottling)));
        await jest.advanceTimersByTimeAsync(1_000);
        await Promise.all([firstCalls, secondCalls]);

        expect(firstLog.most).toBe(4); // it started alone
        expect(secondLog.most).toBe(2); // four in the account, two processes at work
    });

    it("works alone when its board cannot be found", async () => {
        const limiter = new AccountLimiter({ board: () => Promise.reject(new Error("no temporary folder")) });
        const log = newLog();

        const call = limiter.run(tracked(log, 10), isThrottling);
        await jest.advanceTimersByTimeAsync(10);

        await expect(call).resolves.toBeUndefined();
        expect(log.started).toHaveLength(1);
    });
});
