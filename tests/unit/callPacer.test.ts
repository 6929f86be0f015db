/**
 * The fixed pace of LookupEvents (provider/aws/callPacer.ts): "two per second, per account, per
 * Region", so calls start at least 500 ms apart, in the order they arrive, on a fake clock.
 */
import { CallPacer, type PacerClock } from "../../provider/aws/callPacer";
import { LOOKUP_EVENTS_PER_SECOND } from "../../provider/aws/cloudTrail";

/** A clock the test moves: `sleep` resolves once `advance` has moved the time past its end. */
function fakeClock(): PacerClock & { advance(ms: number): Promise<void>; readonly sleeps: number[] } {
    let now = 0;
    const sleeps: number[] = [];
    let timers: { at: number; wake: () => void }[] = [];
    return {
        sleeps,
        now: () => now,
        sleep: (ms) => {
            sleeps.push(ms);
            return new Promise((resolve) => timers.push({ at: now + ms, wake: resolve }));
        },
        async advance(ms) {
            const until = now + ms;
            for (;;) {
                const due = timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
                if (due === undefined) {
                    break;
                }
                timers = timers.filter((timer) => timer !== due);
                now = due.at;
                due.wake();
                await settle();
            }
            now = until;
            await settle();
        },
    };
}

/** Lets every promise that can settle do so. */
function settle(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
}

describe("CallPacer", () => {
    it("is set to LookupEvents' published quota: two per second", () => {
        expect(LOOKUP_EVENTS_PER_SECOND).toBe(2);
    });

    it("starts calls that arrive together 500 ms apart at two a second, in the order they arrived", async () => {
        const clock = fakeClock();
        const pacer = new CallPacer(2, clock);
        const started: [string, number][] = [];
        const call = (name: string) => pacer.run(async () => started.push([name, clock.now()]) && name);

        const results = Promise.all(["a", "b", "c", "d"].map(call));
        await settle();
        expect(started).toStrictEqual([["a", 0]]);
        await clock.advance(499);
        expect(started).toStrictEqual([["a", 0]]);
        await clock.advance(1_600);

        await expect(results).resolves.toStrictEqual(["a", "b", "c", "d"]);
        expect(started).toStrictEqual([
            ["a", 0],
            ["b", 500],
            ["c", 1_000],
            ["d", 1_500],
        ]);
        expect(clock.sleeps).toStrictEqual([500, 1_000, 1_500]);
    });

    it("keeps the pace for a call that arrives while others wait, and starts one at once after a pause", async () => {
        const clock = fakeClock();
        const pacer = new CallPacer(2, clock);
        const started: [string, number][] = [];
        const call = (name: string): Promise<void> =>
            pacer.run(async () => {
                started.push([name, clock.now()]);
            });

        const first = [call("a"), call("b")];
        await clock.advance(300);
        const late = call("c"); // arrives at 300: its turn is after b's (500), at 1000
        await clock.advance(2_000);
        await Promise.all([...first, late]);
        const afterPause = call("d"); // arrives at 2300, long after c: no wait
        await settle();
        await afterPause;

        expect(started).toStrictEqual([
            ["a", 0],
            ["b", 500],
            ["c", 1_000],
            ["d", 2_300],
        ]);
        expect(clock.sleeps).toStrictEqual([500, 700]);
    });

    it("passes a call's error on, and the next call still waits its turn", async () => {
        const clock = fakeClock();
        const pacer = new CallPacer(4, clock);
        const failure = new Error("ThrottlingException");

        const failed = expect(pacer.run(() => Promise.reject(failure))).rejects.toBe(failure);
        const next = pacer.run(async () => clock.now());
        await clock.advance(250);

        await failed;
        await expect(next).resolves.toBe(250);
    });

    it("starts each call at a turn of the shared pace that no other process took", async () => {
        const clock = fakeClock();
        // Another process holds the turns at 0 and 1000: this one gets 500, then 1500.
        const taken = new Set([0, 1_000]);
        const claim = (notBefore: number): number => {
            let turn = Math.ceil(notBefore / 500) * 500;
            while (taken.has(turn)) {
                turn += 500;
            }
            taken.add(turn);
            return turn;
        };
        const pacer = new CallPacer(2, clock, claim);
        const started: number[] = [];
        const calls = [0, 1].map(() => pacer.run(async () => started.push(clock.now())));
        await clock.advance(2_000);
        await Promise.all(calls);
        expect(started).toStrictEqual([500, 1_500]);
    });
});
