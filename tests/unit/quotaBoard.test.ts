/**
 * The board of one account's quota on this machine: one file per provider process, the latest
 * decision of all, the processes at work, and nothing that a killed process can strand.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    ACTIVE_MS,
    DECISION_TTL_MS,
    FolderQuotaBoard,
    processAlive,
    quotaBoardDir,
    quotaBoardKey,
    sweep,
    SWEEP_AFTER_MS,
} from "../../provider/aws/quotaBoard";

const NOW = 1_800_000_000_000;
let tmp = "";
let dir = "";

beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "quota-board-"));
    dir = path.join(tmp, "board");
    fs.mkdirSync(dir);
});

afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** Process `pid`'s board; `dead` names the processes that no longer run. */
function boardOf(pid: number, dead: readonly number[] = []): FolderQuotaBoard {
    return new FolderQuotaBoard(dir, pid, (other) => !dead.includes(other));
}

describe("FolderQuotaBoard", () => {
    it("reads one process at work and no decision from an empty board", () => {
        expect(boardOf(101).read(NOW)).toStrictEqual({ participants: 1, othersSucceeded: 0 });
    });

    it("counts the processes at work with their successes, and gives the latest decision of all", () => {
        boardOf(101).write(NOW - 100, { decision: { rate: 16, decidedAt: NOW - 5_000 }, succeeded: 12 });
        boardOf(102).write(NOW - 300, { decision: { rate: 8, decidedAt: NOW - 400, provisional: true }, succeeded: 5 });
        boardOf(103).write(NOW - 1_500, { succeeded: 7 });

        expect(boardOf(104).read(NOW)).toStrictEqual({
            decision: { rate: 8, decidedAt: NOW - 400, provisional: true },
            participants: 4,
            // 103 wrote more than a second ago: its successes are of a second before that.
            othersSucceeded: 17,
        });
        // A process counts itself once, and not its own successes among the others'.
        expect(boardOf(101).read(NOW)).toMatchObject({ participants: 3, othersSucceeded: 5 });
    });

    it("stops counting a process silent for ACTIVE_MS, and ignores a decision older than DECISION_TTL_MS", () => {
        boardOf(101).write(NOW - ACTIVE_MS, { decision: { rate: 16, decidedAt: NOW - DECISION_TTL_MS }, succeeded: 3 });

        expect(boardOf(102).read(NOW)).toStrictEqual({ participants: 1, othersSucceeded: 0 });
    });

    it("removes a dead process's file unless it holds the latest decision, which a process that starts next adopts", () => {
        boardOf(101).write(NOW - 2_000, { decision: { rate: 16, decidedAt: NOW - 3_000 }, succeeded: 3 });
        boardOf(102).write(NOW - 1_000, { decision: { rate: 12, decidedAt: NOW - 1_000 }, succeeded: 3 });

        const reading = boardOf(103, [101, 102]).read(NOW);

        expect(reading).toStrictEqual({ decision: { rate: 12, decidedAt: NOW - 1_000 }, participants: 1, othersSucceeded: 0 });
        expect(fs.readdirSync(dir)).toStrictEqual(["102.json"]);
    });

    it("removes the file of a process silent for DECISION_TTL_MS, alive or not (its id may be another program's now)", () => {
        boardOf(101).write(NOW - DECISION_TTL_MS, { decision: { rate: 16, decidedAt: NOW - DECISION_TTL_MS }, succeeded: 0 });
        boardOf(102).write(NOW - 100, { succeeded: 1 });

        boardOf(103).read(NOW);

        expect(fs.readdirSync(dir)).toStrictEqual(["102.json"]);
    });

    it("ignores what is not a process's whole entry: another file, a file being written, a foreign shape", () => {
        fs.writeFileSync(path.join(dir, "notes.txt"), "not an entry");
        fs.writeFileSync(path.join(dir, "105.json.tmp"), "{");
        fs.writeFileSync(path.join(dir, "106.json"), JSON.stringify({ pid: 106, activeAt: NOW, succeeded: "many" }));
        fs.writeFileSync(path.join(dir, "107.json"), "{ torn");

        expect(boardOf(101).read(NOW)).toStrictEqual({ participants: 1, othersSucceeded: 0 });
    });

    it("removes the half-written file of a process killed before its rename", () => {
        fs.writeFileSync(path.join(dir, "105.json.tmp"), "{");
        fs.writeFileSync(path.join(dir, "106.json.tmp"), "{");

        boardOf(101, [105]).read(NOW);

        expect(fs.readdirSync(dir)).toStrictEqual(["106.json.tmp"]);
    });

    it("writes each entry whole by a rename, with only the process id, times, counts and the decision", () => {
        boardOf(101).write(NOW, { decision: { rate: 16, decidedAt: NOW - 10 }, succeeded: 4 });

        expect(fs.readdirSync(dir)).toStrictEqual(["101.json"]);
        expect(JSON.parse(fs.readFileSync(path.join(dir, "101.json"), "utf8"))).toStrictEqual({
            pid: 101,
            activeAt: NOW,
            decision: { rate: 16, decidedAt: NOW - 10 },
            succeeded: 4,
        });
    });

    it("takes a process off the board and removes the folder it leaves empty; a write makes the folder again", () => {
        const board = boardOf(101);
        board.write(NOW, { succeeded: 1 });

        board.leave();
        expect(fs.existsSync(dir)).toBe(false);

        board.write(NOW, { succeeded: 2 });
        expect(fs.readdirSync(dir)).toStrictEqual(["101.json"]);
    });

    it("keeps the folder when another process's file is left in it", () => {
        boardOf(102).write(NOW, { succeeded: 1 });
        const board = boardOf(101);
        board.write(NOW, { succeeded: 1 });

        board.leave();

        expect(fs.readdirSync(dir)).toStrictEqual(["102.json"]);
    });
});

describe("processAlive", () => {
    it("tells this process alive and an unused process id dead", () => {
        expect(processAlive(process.pid)).toBe(true);
        expect(processAlive(2 ** 22 + 12_345)).toBe(false);
    });
});

describe("quotaBoardDir", () => {
    it("makes one folder per account and IAM endpoint in a folder of this user's, readable by this user alone", () => {
        const first = quotaBoardDir("111111111111", "https://iam.amazonaws.com", tmp);
        const again = quotaBoardDir("111111111111", "https://iam.amazonaws.com", tmp);
        const emulator = quotaBoardDir("111111111111", "http://127.0.0.1:18700", tmp);
        const other = quotaBoardDir("222222222222", "https://iam.amazonaws.com", tmp);

        expect(first).toBe(again);
        expect(new Set([first, emulator, other]).size).toBe(3);
        expect(path.dirname(first ?? "")).toBe(path.join(tmp, `pulumi-iam-login-profile-quota-${process.getuid?.() ?? "user"}`));
        expect(path.basename(first ?? "")).toMatch(/^111111111111-[0-9a-f]{8}$/);
        expect(fs.statSync(first ?? "").mode & 0o777).toBe(0o700);
    });

    it("gives no folder when the user's folder is a link planted in the temporary folder", () => {
        const elsewhere = fs.mkdtempSync(path.join(tmp, "elsewhere-"));
        fs.symlinkSync(elsewhere, path.join(tmp, `pulumi-iam-login-profile-quota-${process.getuid?.() ?? "user"}`));

        expect(quotaBoardDir("111111111111", "https://iam.amazonaws.com", tmp)).toBeUndefined();
        expect(fs.readdirSync(elsewhere)).toStrictEqual([]);
    });
});

describe("sweep", () => {
    it("removes the files untouched for SWEEP_AFTER_MS and the folders they leave empty, and keeps the others", () => {
        const now = Date.now();
        const old = new Date(now - SWEEP_AFTER_MS - 1_000);
        for (const [folder, files] of Object.entries({ gone: ["101.json"], mixed: ["102.json", "103.json"], live: ["104.json"] })) {
            fs.mkdirSync(path.join(tmp, folder));
            for (const file of files) {
                fs.writeFileSync(path.join(tmp, folder, file), "{}");
            }
        }
        for (const file of ["gone/101.json", "mixed/102.json"]) {
            fs.utimesSync(path.join(tmp, file), old, old);
        }

        sweep(tmp, now);

        expect(fs.readdirSync(tmp).sort()).toStrictEqual(["live", "mixed"]); // "board", empty, too
        expect(fs.readdirSync(path.join(tmp, "mixed"))).toStrictEqual(["103.json"]);
    });

    it("removes a shared pace's old turn folders too, and the pace's folder once they are all gone", () => {
        const now = Date.now();
        const old = new Date(now - SWEEP_AFTER_MS - 1_000);
        const paces = {
            "111111111111-abcd~LookupEvents-us-east-1": ["900", "901"],
            "222222222222-abcd~LookupEvents-us-east-1": ["902", "903"],
        };
        for (const [folder, turns] of Object.entries(paces)) {
            for (const turn of turns) {
                fs.mkdirSync(path.join(tmp, folder, turn), { recursive: true });
                fs.utimesSync(path.join(tmp, folder, turn), old, old);
            }
        }
        fs.utimesSync(path.join(tmp, "222222222222-abcd~LookupEvents-us-east-1", "903"), new Date(now), new Date(now));

        sweep(tmp, now);

        expect(fs.readdirSync(tmp)).toStrictEqual(["222222222222-abcd~LookupEvents-us-east-1"]);
        expect(fs.readdirSync(path.join(tmp, "222222222222-abcd~LookupEvents-us-east-1"))).toStrictEqual(["903"]);
    });
});

describe("quotaBoardKey", () => {
    it("names the board by the role's account, else by a digest of the access key id, else not at all", () => {
        const accessKeyId = "AKIAIOSFODNN7EXAMPLE";
        const byKey = quotaBoardKey(undefined, accessKeyId) ?? "";

        expect(quotaBoardKey("111111111111", accessKeyId)).toBe("111111111111");
        expect(byKey).toMatch(/^key-[0-9a-f]{16}$/);
        expect(byKey.includes(accessKeyId)).toBe(false);
        expect(quotaBoardKey(undefined, "AKIAI44QH8DHBEXAMPLE")).not.toBe(byKey);
        expect(quotaBoardKey(undefined, undefined)).toBeUndefined();
    });
});
