/**
 * What the provider processes working in one account on this machine tell each other of its IAM
 * quota (accountLimiter.ts says what they do with it). Each stack's `pulumi up`, `refresh` or
 * `destroy` runs the provider in a process of its own, so ten stacks of one account in flight on
 * one CI runner are ten limiters drawing on one quota.
 *
 * The board is a folder per account (and IAM endpoint) under the system's temporary folder, with
 * one small JSON file per process that only that process writes, whole, by an atomic rename: its
 * process id, when it last called IAM, its successes of the last second, and the latest decision
 * on the account's rate it knows. Readers take the latest decision of all, count the processes
 * that called in the last ACTIVE_MS, and add up their successes. There is no lock, so that a
 * process killed at any moment strands nothing: a dead process stops counting within ACTIVE_MS,
 * and its file is removed by the next reader unless it holds the latest decision (which a process
 * that starts next adopts); old decisions are ignored after DECISION_TTL_MS. Nothing relies on a
 * process living long or on its parent, and nothing of the board can fail a call: without it, a
 * limiter learns from throttles alone.
 *
 * The files hold no secret: an account id (or a digest of an access key id), rates, counts, times
 * and process ids. Processes on other machines share nothing here.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { accountOfRole } from "../model/account";
import { endpointOf } from "./endpoint";
import type { ClientSettings } from "./settings";

/** A decision on the rate of the whole account's IAM calls. */
export interface RateDecision {
    /** Calls a second, for every process of the account together. */
    readonly rate: number;
    /** When it was decided, in milliseconds since the epoch (one clock for every process of the machine). */
    readonly decidedAt: number;
    /** A first guess made while several processes started together: it grows faster (accountLimiter.ts). */
    readonly provisional?: boolean;
}

/** What a process tells the board. */
export interface BoardNote {
    /** The latest decision it knows, if any. */
    readonly decision?: RateDecision;
    /** Its calls that succeeded in the last second: with the others', what the account's quota allowed. */
    readonly succeeded: number;
}

/** What the board says now. */
export interface BoardReading {
    /** The latest decision of any process of the account, unless it is older than DECISION_TTL_MS. */
    readonly decision?: RateDecision;
    /** The processes that called the account's IAM in the last ACTIVE_MS, this one included (at least 1). */
    readonly participants: number;
    /** The successes of the last second that the other processes at work told in the last second. */
    readonly othersSucceeded: number;
}

/** A limiter's view of the other processes of its account; injected by tests. */
export interface QuotaBoard {
    /** The latest decision, and the processes at work. */
    read(now: number): BoardReading;
    /** Tells the others that this process works at `now`, the latest decision it knows and how its calls fare. */
    write(now: number, note: BoardNote): void;
    /** Takes this process off the board. */
    leave(): void;
}

/** A process that has not called IAM for this long no longer takes a share of the rate. */
export const ACTIVE_MS = 2_000;
/**
 * A decision older than this is not adopted: by then the quota has refilled, and a rate halved
 * by a burst long past would only slow a process that starts. Each `pulumi` command of a stack
 * starts its provider within seconds of the last one's end.
 */
export const DECISION_TTL_MS = 30_000;
/** The successes a process tells are those of the second before it wrote. */
const SUCCESS_WINDOW_MS = 1_000;

/** One process's file. */
interface Entry extends BoardNote {
    readonly pid: number;
    readonly activeAt: number;
}

/** Whether process `pid` runs (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** The board of one account in the folder `dir`, as process `pid`. */
export class FolderQuotaBoard implements QuotaBoard {
    private readonly file: string;

    constructor(
        private readonly dir: string,
        private readonly pid: number = process.pid,
        private readonly alive: (pid: number) => boolean = processAlive,
    ) {
        this.file = path.join(dir, `${pid}.json`);
    }

    read(now: number): BoardReading {
        const entries = this.entries();
        let latest: RateDecision | undefined;
        for (const { decision } of entries) {
            if (
                decision !== undefined &&
                decision.decidedAt > now - DECISION_TTL_MS &&
                decision.decidedAt > (latest?.decidedAt ?? -Infinity)
            ) {
                latest = decision;
            }
        }
        let others = 0;
        let othersSucceeded = 0;
        for (const entry of entries.filter((e) => e.pid !== this.pid)) {
            const alive = this.alive(entry.pid);
            if (alive && entry.activeAt > now - ACTIVE_MS) {
                others++;
                othersSucceeded += entry.activeAt > now - SUCCESS_WINDOW_MS ? entry.succeeded : 0;
            }
            // A dead process's file stays only while it holds the latest decision; a silent one's
            // (idle, or its id taken by another program) only while it is recent.
            const holdsLatest = latest !== undefined && entry.decision === latest;
            if (!holdsLatest && (!alive || entry.activeAt <= now - DECISION_TTL_MS)) {
                this.remove(entry.pid);
            }
        }
        return { ...(latest !== undefined ? { decision: latest } : {}), participants: others + 1, othersSucceeded };
    }

    write(now: number, note: BoardNote): void {
        const entry: Entry = { pid: this.pid, activeAt: now, ...note };
        const temporary = `${this.file}.tmp`;
        for (let attempt = 0; attempt < 2; attempt++) {
            try {
                fs.writeFileSync(temporary, JSON.stringify(entry), { mode: 0o600 });
                // Atomic: a reader sees the old file or the new one, never a part of one.
                fs.renameSync(temporary, this.file);
                return;
            } catch {
                // The folder was removed by the last process that left it: made again, once.
                makeFolder(this.dir);
            }
        }
    }

    leave(): void {
        this.remove(this.pid);
        try {
            fs.rmdirSync(this.dir); // only when no other process's file is left
        } catch {
            // Others are at work, or remember the latest decision.
        }
    }

    private entries(): Entry[] {
        let names: string[];
        try {
            names = fs.readdirSync(this.dir);
        } catch {
            return [];
        }
        return names.flatMap((name) => {
            const torn = /^(\d+)\.json\.tmp$/.exec(name);
            if (torn !== null && Number(torn[1]) !== this.pid && !this.alive(Number(torn[1]))) {
                this.remove(Number(torn[1])); // its writer was killed between the write and the rename
            }
            if (!/^\d+\.json$/.test(name)) {
                return [];
            }
            try {
                const entry: unknown = JSON.parse(fs.readFileSync(path.join(this.dir, name), "utf8"));
                return isEntry(entry) ? [entry] : [];
            } catch {
                return []; // removed meanwhile
            }
        });
    }

    private remove(pid: number): void {
        for (const name of [`${pid}.json`, `${pid}.json.tmp`]) {
            try {
                fs.rmSync(path.join(this.dir, name), { force: true });
            } catch {
                // Removed by another reader first.
            }
        }
    }
}

function isEntry(value: unknown): value is Entry {
    if (typeof value !== "object" || value === null) {
        return false;
    }
    const entry = value as Record<string, unknown>;
    const decision = entry.decision as Record<string, unknown> | undefined;
    return (
        typeof entry.pid === "number" &&
        typeof entry.activeAt === "number" &&
        typeof entry.succeeded === "number" &&
        (decision === undefined ||
            (typeof decision.rate === "number" &&
                decision.rate > 0 &&
                typeof decision.decidedAt === "number" &&
                (decision.provisional === undefined || typeof decision.provisional === "boolean")))
    );
}

function makeFolder(dir: string): void {
    try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch {
        // Not ours to make: the limiter works alone.
    }
}

/**
 * The folder of one account's board, `<tmp>/pulumi-iam-login-profile-quota-<uid>/<who>-<endpoint>`:
 * `who` from quotaBoardKey, `endpoint` a digest of the IAM endpoint's URL, so that two emulators
 * (or partitions) never share a board. Undefined when the user's folder cannot be made or is not
 * a folder of this user's (another user's, or a link planted in a shared temporary folder).
 */
export function quotaBoardDir(who: string, iamEndpoint: string, tmp: string = os.tmpdir()): string | undefined {
    const uid = process.getuid?.();
    const base = path.join(tmp, `pulumi-iam-login-profile-quota-${uid ?? "user"}`);
    try {
        fs.mkdirSync(base, { recursive: true, mode: 0o700 });
        const stat = fs.lstatSync(base);
        if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) {
            return undefined;
        }
    } catch {
        return undefined;
    }
    if (!swept) {
        swept = true;
        sweep(base, Date.now());
    }
    const dir = path.join(base, `${who}-${digest(iamEndpoint).slice(0, 8)}`);
    makeFolder(dir);
    return dir;
}

/** Whether this process has swept the user's boards yet: once is enough. */
let swept = false;
/** A board file untouched this long is of a process long gone (a live one writes while it works). */
export const SWEEP_AFTER_MS = 3_600_000;

/**
 * Removes the entries untouched for SWEEP_AFTER_MS, and the folders they leave empty: the boards of
 * accounts no process has worked in since (a test's emulator, an account left), which no reader
 * of their own would ever clear. A board's entries are files; a shared pace's (sharedPace.ts, a
 * folder beside the board) are empty folders, one per turn taken, which its users remove only
 * while they take turns.
 */
export function sweep(base: string, now: number): void {
    let folders: string[];
    try {
        folders = fs.readdirSync(base);
    } catch {
        return;
    }
    for (const folder of folders) {
        const dir = path.join(base, folder);
        try {
            for (const name of fs.readdirSync(dir)) {
                const file = path.join(dir, name);
                if (fs.statSync(file).mtimeMs < now - SWEEP_AFTER_MS) {
                    fs.rmSync(file, { recursive: true, force: true });
                }
            }
            fs.rmdirSync(dir); // only when empty
        } catch {
            // In use, removed meanwhile, or not a folder: left as it is.
        }
    }
}

/**
 * Who a board is of: the account id a role's ARN names, else (the default credentials, or a
 * profile's) a digest of the access key id, which belongs to one account and is the same in every
 * process that uses the same credentials. The digest keeps even the key id out of the file names.
 */
export function quotaBoardKey(roleAccount: string | undefined, accessKeyId: string | undefined): string | undefined {
    if (roleAccount !== undefined && /^\d{12}$/.test(roleAccount)) {
        return roleAccount;
    }
    return accessKeyId ? `key-${digest(accessKeyId).slice(0, 16)}` : undefined;
}

function digest(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

/**
 * The folder of the board of the account `settings` reach: known from the role's ARN, else from
 * the access key id of the client's credentials (`accessKeyId`), which the SDK resolves for the
 * first call's signature anyway. Undefined when there is none (see quotaBoardDir).
 */
export async function accountBoardDir(
    settings: ClientSettings,
    accessKeyId: () => Promise<string | undefined>,
): Promise<string | undefined> {
    const roleAccount = settings.assumeRole ? accountOfRole(settings.assumeRole.roleArn) : undefined;
    const who = quotaBoardKey(roleAccount, roleAccount === undefined ? await accessKeyId() : undefined);
    return who === undefined ? undefined : quotaBoardDir(who, endpointOf("IAM", settings.region).url);
}

/** The board of the account `settings` reach, for its IAM limiter (accountBoardDir). */
export async function accountBoard(
    settings: ClientSettings,
    accessKeyId: () => Promise<string | undefined>,
): Promise<QuotaBoard | undefined> {
    const dir = await accountBoardDir(settings, accessKeyId);
    return dir === undefined ? undefined : new FolderQuotaBoard(dir);
}
