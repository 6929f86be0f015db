/**
 * The e2e files' shared build (tests/e2e/repoBuild.ts): its lock is taken over from a dead holder
 * and waited for while a live one holds it, and within one `npm test` run a build is made once.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { builtOnce, lockDir, withRepoLock } from "../e2e/repoBuild";

let tmp = "";
const saved = { TMPDIR: process.env.TMPDIR, PULUMI_IAM_LP_TEST_RUN: process.env.PULUMI_IAM_LP_TEST_RUN };

beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "repo-build-"));
    process.env.TMPDIR = tmp; // os.tmpdir() reads it at every call: the locks and builds go here
    delete process.env.PULUMI_IAM_LP_TEST_RUN;
});

afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) {
            delete process.env[name];
        } else {
            process.env[name] = value;
        }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** The id of a process that has ended. */
function deadPid(): number {
    const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    return Number(child.stdout);
}

describe("withRepoLock", () => {
    it("takes over a lock whose holder has died, and removes the lock when the work is done", () => {
        const lock = lockDir("build");
        expect(path.dirname(lock)).toBe(tmp);
        fs.mkdirSync(lock);
        fs.writeFileSync(path.join(lock, "pid"), String(deadPid()));

        const held = withRepoLock(() => fs.readFileSync(path.join(lock, "pid"), "utf8"));

        expect(held).toBe(String(process.pid));
        expect(fs.existsSync(lock)).toBe(false);
    });

    it("waits while a live process holds the lock, and runs once it is released", async () => {
        const lock = lockDir("build");
        const released = path.join(tmp, "released");
        // Another process takes the lock, holds it for a second, writes `released`, then releases it.
        const holder = spawn(process.execPath, [
            "-e",
            `const fs = require("fs");
             fs.mkdirSync(${JSON.stringify(lock)});
             fs.writeFileSync(${JSON.stringify(path.join(lock, "pid"))}, String(process.pid));
             console.log("held");
             setTimeout(() => { fs.writeFileSync(${JSON.stringify(released)}, ""); fs.rmSync(${JSON.stringify(lock)}, { recursive: true }); }, 1000);`,
        ]);
        await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));

        const ranAfterRelease = withRepoLock(() => fs.existsSync(released));
        await new Promise((resolve) => holder.once("close", resolve));

        expect(ranAfterRelease).toBe(true);
    });
});

describe("builtOnce", () => {
    it("builds into a new folder each time outside an npm test run", () => {
        const build = jest.fn((dir: string) => fs.writeFileSync(path.join(dir, "artifact.tgz"), "x"));

        const first = builtOnce("pack", build);
        const second = builtOnce("pack", build);

        expect(build).toHaveBeenCalledTimes(2);
        expect(first).not.toBe(second);
        expect(fs.readdirSync(second)).toStrictEqual(["artifact.tgz"]);
    });

    it("builds once per npm test run, and every later call gets that build", () => {
        process.env.PULUMI_IAM_LP_TEST_RUN = "4242-1";
        const build = jest.fn((dir: string) => fs.writeFileSync(path.join(dir, "artifact.tgz"), "x"));

        const first = builtOnce("pack", build);
        const second = builtOnce("pack", build);

        expect(build).toHaveBeenCalledTimes(1);
        expect(second).toBe(first);
        expect(first).toBe(path.join(tmp, "pulumi-iam-login-profile-run-4242-1", "pack"));
        expect(fs.readdirSync(first)).toStrictEqual(["artifact.tgz"]);
        expect(fs.existsSync(lockDir("run-pack"))).toBe(false);
    });

    it("builds again after a build that failed, rather than using what it left", () => {
        process.env.PULUMI_IAM_LP_TEST_RUN = "4242-2";
        expect(() =>
            builtOnce("pack", (dir) => {
                fs.writeFileSync(path.join(dir, "half.tgz"), "");
                throw new Error("npm pack failed");
            }),
        ).toThrow("npm pack failed");

        const dir = builtOnce("pack", (into) => fs.writeFileSync(path.join(into, "artifact.tgz"), "x"));

        expect(fs.readdirSync(dir)).toStrictEqual(["artifact.tgz"]);
    });
});
