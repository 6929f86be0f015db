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
 *   that passes without one while it holds calls back (multiplicative decrease, gradual increase),
 *   so that the limit follows the quota without knowing it.
 *
 * The quota is the account's, not the process's: each stack's `pulumi up`, `refresh` or `destroy`
 * runs the provider in a process of its own (the dynamic provider host, or the plugin), and several
 * stacks of one account often run at once on one machine. Through the account's board
 * (quotaBoard.ts) the limiters of those processes act as one:
 *
 * - the rate is the whole account's, decided by whichever process saw the throttle or the quiet
 *   second, and adopted by the others within READ_EVERY_MS (50 ms); each process takes its share, the rate
 *   divided by the processes at work, and the calls in flight are shared out the same way until
 *   the account has a rate;
 * - the first limit counts every process's successes; made while several processes started
 *   together, it is a guess (the successes of the calls still being answered are missing), so it
 *   grows by half each second, measured again, until the account throttles again (slow start);
 * - a process that starts while the others work (or within DECISION_TTL_MS of them) takes their
 *   rate before its first call, instead of bursting into the quota they share.
 *
 * Processes on other machines meet only in the account's throttles, each machine's halving on its
 * own, as single processes do. A call that is throttled anyway is retried by the AWS SDK's retry
 * strategy after it has waited here again: no call fails for throttling while the retry budget lasts.
 */
import type { BoardReading, QuotaBoard } from "./quotaBoard";

/** The time source, in milliseconds; injected by tests. */
export type Now = () => number;

/** How a limiter behaves; every field has a default. */
export interface LimiterOptions {
    /** Calls in flight at once, in the account (shared out among its processes until it has a rate). @default 4 */
    readonly concurrency?: number;
    /** The account's rate is never set below this, in calls a second. @default 1 */
    readonly minimumRate?: number;
    /**
     * Finds the board this process shares with the account's others on the machine, at the first
     * call (the account may be known only from the credentials); undefined works alone.
     * @default none: the limiter works alone
     */
    readonly board?: () => Promise<QuotaBoard | undefined>;
    /** A number in [0, 1): where a process's calls fall among the others'. @default Math.random */
    readonly random?: () => number;
}

const SUCCESS_WINDOW_MS = 1_000;
/** The share of the rate the quota allowed that the first limit takes: room for the quota's own refill to be slower than its burst. */
const FIRST_LIMIT_SHARE = 0.8;
/** How much a provisional (first, shared) rate grows each second that holds calls back without a throttle. */
const PROVISIONAL_GROWTH = 1.5;
/** How often the board is read while calls wait: the others' decisions reach this process within it. */
export const READ_EVERY_MS = 50;
/** How often this process tells the board that it is still at work (well within the board's ACTIVE_MS). */
const WRITE_EVERY_MS = 500;

/** The limiter of one account. */
export class AccountLimiter {
    private readonly concurrency: number;
    private readonly minimumRate: number;
    private readonly random: () => number;
    private inFlight = 0;
    private readonly waiting: (() => void)[] = [];
    /** The account's calls a second once it has throttled (all of its processes together); undefined before. */
    private rate: number | undefined;
    /** Whether the rate is a first guess made with other processes at work (see PROVISIONAL_GROWTH). */
    private provisional = false;
    /** The processes of the account at work, this one included: each takes this share of the rate. */
    private participants = 1;
    private nextStartAt = 0;
    private lastStartAt = Number.NEGATIVE_INFINITY;
    /** When the rate was last decided, by this process or another: the account's rate rises once a second at most. */
    private decidedAt = Number.NEGATIVE_INFINITY;
    /** Since when this process has paced its calls by the current rate: only a call sent since then can judge it. */
    private limitSince = Number.NEGATIVE_INFINITY;
    private readonly successes: number[] = [];
    private timer: ReturnType<typeof setTimeout> | undefined;
    private findBoard: (() => Promise<QuotaBoard | undefined>) | undefined;
    private finding: Promise<void> | undefined;
    private board: QuotaBoard | undefined;
    private readAt = Number.NEGATIVE_INFINITY;
    private wroteAt = Number.NEGATIVE_INFINITY;

    constructor(
        options: LimiterOptions = {},
        private readonly now: Now = Date.now,
    ) {
        this.concurrency = options.concurrency ?? 4;
        this.minimumRate = options.minimumRate ?? 1;
        this.findBoard = options.board;
        this.random = options.random ?? Math.random;
    }

    /** The account's current rate limit in calls a second, or undefined while there is none. */
    get currentRate(): number | undefined {
        return this.rate;
    }

    /** This process's share of the rate in calls a second (the rate, when it works alone), or undefined while there is none. */
    get currentShare(): number | undefined {
        return this.rate === undefined ? undefined : this.rate / this.participants;
    }

    /** Runs `call` once a slot (and, after a throttle, the rate) allows; tells the limiter how it went. */
    async run<T>(call: () => Promise<T>, isThrottling: (error: unknown) => boolean): Promise<T> {
        await this.joinBoard();
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

    /** Takes this process off the board (for tests that play several provider processes in one). */
    leave(): void {
        this.board?.leave();
    }

    /** Finds the board once, before the first call; a board that cannot be found leaves the limiter alone. */
    private async joinBoard(): Promise<void> {
        const find = this.findBoard;
        if (find !== undefined) {
            this.findBoard = undefined;
            this.finding = find().then(
                (board) => {
                    this.board = board;
                },
                () => undefined,
            );
        }
        if (this.finding !== undefined) {
            await this.finding;
            this.finding = undefined;
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
        while (this.waiting.length > 0) {
            const at = this.now();
            this.share(at);
            if (this.inFlight >= this.slots()) {
                return;
            }
            if (this.rate !== undefined && at < this.nextStartAt) {
                this.wakeAt(this.nextStartAt - at);
                return;
            }
            if (this.rate !== undefined) {
                this.nextStartAt = Math.max(at, this.nextStartAt) + this.interval();
            }
            this.lastStartAt = at;
            this.inFlight++;
            this.waiting.shift()?.();
        }
    }

    /**
     * Calls in flight at once: `concurrency`, shared out among the processes at work until the
     * account has a rate, so that the calls already sent when its quota first runs out are few in
     * the account, not in each process. Once there is a rate, it keeps the calls apart.
     */
    private slots(): number {
        return this.rate === undefined ? Math.max(1, Math.ceil(this.concurrency / this.participants)) : this.concurrency;
    }

    /** Milliseconds between this process's calls: its share of the account's rate. */
    private interval(): number {
        return (1_000 * this.participants) / (this.rate ?? Number.POSITIVE_INFINITY);
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
        if ((this.rate === undefined || this.provisional) && this.participants > 1) {
            // Until the account throttles, and while its first limit is a guess, every success is
            // told at once to the others at work: the process that decides counts what the quota
            // allowed from all of them. (Alone, the board hears of them every WRITE_EVERY_MS.)
            this.tell(at);
        }
        // The rate rises only while it holds calls back: a rate that calls do not use proves nothing.
        if (this.rate === undefined || this.waiting.length === 0 || at - this.decidedAt < SUCCESS_WINDOW_MS) {
            return;
        }
        // Another process may have decided within the second: it is the account's rate that rises.
        const reading = this.share(at, true);
        if (at - this.decidedAt < SUCCESS_WINDOW_MS) {
            return;
        }
        if (this.provisional) {
            // A first guess grows faster, and is measured again: the successes of the calls that
            // were still being answered when it was made count now.
            this.decide(at, Math.max(this.rate * PROVISIONAL_GROWTH, this.allowed(at, reading)), true);
        } else {
            this.decide(at, this.rate * 1.1);
        }
    }

    private throttled(startedAt: number): void {
        const at = this.now();
        // A decision another process made since this call was sent is adopted (limitSince moves
        // on), and this throttle says nothing of it: the call was sent under the rate before.
        const reading = this.share(at, true);
        if (this.rate === undefined) {
            // The first throttle: four fifths of what the quota allowed in the last second, to
            // this process and, through the board, to the others at work.
            this.decide(at, this.allowed(at, reading), this.participants > 1);
        } else if (startedAt >= this.limitSince + (this.participants > 1 ? READ_EVERY_MS : 0)) {
            // A call sent under the current limit was throttled: halve it. Calls sent before the
            // limit changed say nothing about it, nor, with others at work, those sent before
            // they could read it: until then their calls still drain the quota.
            this.decide(at, this.rate / 2);
        }
    }

    /** Four fifths of the account's calls that succeeded in the last second, as this process and the board know them. */
    private allowed(at: number, reading: BoardReading | undefined): number {
        const succeeded = this.successes.filter((t) => t > at - SUCCESS_WINDOW_MS).length;
        return (succeeded + (reading?.othersSucceeded ?? 0)) * FIRST_LIMIT_SHARE;
    }

    private decide(at: number, rate: number, provisional = false): void {
        this.rate = Math.max(this.minimumRate, rate);
        this.provisional = provisional;
        this.decidedAt = at;
        this.limitSince = at;
        this.nextStartAt = at + this.interval();
        this.tell(at);
    }

    /**
     * Reads the board (every READ_EVERY_MS, or now when `fresh`): counts the processes at work,
     * adopts a later decision of another's, and says that this one works.
     */
    private share(at: number, fresh = false): BoardReading | undefined {
        const board = this.board;
        if (board === undefined || (!fresh && at - this.readAt < READ_EVERY_MS)) {
            return undefined;
        }
        this.readAt = at;
        const reading = board.read(at);
        this.participants = reading.participants;
        const decision = reading.decision;
        if (decision !== undefined && decision.decidedAt > this.decidedAt) {
            this.rate = decision.rate;
            this.provisional = decision.provisional === true;
            this.decidedAt = decision.decidedAt;
            this.limitSince = at;
            // The next call keeps the new rate's distance from the last one sent, at a random point
            // of it: processes that adopt one decision together must not call together.
            this.nextStartAt = Math.max(this.nextStartAt, this.lastStartAt + this.interval() * this.random());
        }
        if (at - this.wroteAt >= WRITE_EVERY_MS) {
            this.tell(at);
        }
        return reading;
    }

    /** Tells the board that this process works, the decision it follows and its successes of the last second. */
    private tell(at: number): void {
        if (this.board === undefined) {
            return;
        }
        this.wroteAt = at;
        const succeeded = this.successes.filter((t) => t > at - SUCCESS_WINDOW_MS).length;
        const decision =
            this.rate === undefined
                ? undefined
                : { rate: this.rate, decidedAt: this.decidedAt, ...(this.provisional ? { provisional: true } : {}) };
        this.board.write(at, { ...(decision !== undefined ? { decision } : {}), succeeded });
    }
}
