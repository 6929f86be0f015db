/**
 * The LookupEvents pace that the provider processes of one account on a machine keep together
 * (provider/aws/sharedPace.ts): each turn is taken by one process only, turns long past are
 * removed, and a folder that cannot be written leaves each process to its own pace.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openSharedPace, SharedPace } from "../../provider/aws/sharedPace";

let dir: string;
beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "shared-pace-"));
});
afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
});

describe("SharedPace", () => {
    it("gives each turn to one process: two processes asking for the same time get turns 500 ms apart", () => {
        const one = new SharedPace(dir, 500);
        const other = new SharedPace(dir, 500);
        expect(one.claim(10_000)).toBe(10_000);
        expect(other.claim(10_000)).toBe(10_500);
        expect(one.claim(10_001)).toBe(11_000);
        expect(other.claim(12_200)).toBe(12_500);
    });

    it("removes the turns long past, and keeps the recent ones", () => {
        const pace = new SharedPace(dir, 500);
        for (let turn = 0; turn < 5; turn++) {
            pace.claim(turn * 500);
        }
        expect(pace.claim(100 * 500)).toBe(50_000);
        expect(fs.readdirSync(dir).sort()).toEqual(["100"]);
        expect(pace.claim(101 * 500)).toBe(50_500);
        expect(fs.readdirSync(dir).sort()).toEqual(["100", "101"]);
    });

    it("answers no turn when its folder cannot be written, so that the caller keeps its own pace", () => {
        const file = path.join(dir, "a-file");
        fs.writeFileSync(file, "");
        expect(openSharedPace(path.join(file, "pace"), 500)).toBeUndefined();
        expect(new SharedPace(path.join(dir, "missing"), 500).claim(0)).toBeUndefined();
        expect(openSharedPace(path.join(dir, "made"), 500)?.claim(0)).toBe(0);
    });
});
