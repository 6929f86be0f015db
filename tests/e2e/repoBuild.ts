/**
 * The repository's build as the end-to-end files share it when they run at once (scripts/test
 * runs two at a time). `npm run build` empties dist/ before it compiles, and `npm pack` builds
 * again (npm's `prepare`), so a file packing while another builds could pack half a dist/, and the
 * demo, which runs the repository's own dist/, could lose it mid-run. So whatever builds in the
 * repository, or runs from its dist/, holds the repository's lock, a folder that one process at a
 * time can make (`mkdir` is atomic); a lock whose holder has died is taken over.
 *
 * Within one `npm test` run (PULUMI_IAM_LP_TEST_RUN, which scripts/test sets), what is built from
 * the tree (the package's tarball, the plugin's releases, the SDKs) is built once, in a folder of
 * the run's that scripts/test removes at its end, and every file of the run uses it. A file run by
 * hand builds its own, as before, in a temporary folder.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The repository root. */
const REPO = path.resolve(__dirname, "../..");
/** A lock held longer than this is reported, not waited on: no build takes a tenth of it. */
const WAIT_MS = 15 * 60_000;
/** A lock folder with no holder written this long after it was made is of a process killed in between. */
const UNCLAIMED_MS = 60_000;
const POLL_MS = 200;

/**
 * The temporary folder: TMPDIR as this process's environment holds it, else the system's. Read
 * here rather than through os.tmpdir() alone, which reads the real environment, not the one a
 * jest test has changed.
 */
function temporaryFolder(): string {
    return process.env.TMPDIR || os.tmpdir();
}

/** The folder of lock `name` (`build`, or `run-<what>` for builtOnce) of this clone: two clones on one machine never share one. */
export function lockDir(name: string): string {
    const clone = createHash("sha256").update(REPO).digest("hex").slice(0, 12);
    return path.join(temporaryFolder(), `pulumi-iam-login-profile-${clone}-${name}.lock`);
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Takes lock `name` for this process, waiting while another live process holds it; returns its release. */
function acquire(name: string): () => void {
    const dir = lockDir(name);
    const holderFile = path.join(dir, "pid");
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
        try {
            fs.mkdirSync(dir);
            fs.writeFileSync(holderFile, String(process.pid));
            return () => fs.rmSync(dir, { recursive: true, force: true });
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
                throw error;
            }
        }
        let holder: number | undefined;
        let madeAt = Date.now();
        try {
            madeAt = fs.statSync(dir).mtimeMs;
            holder = Number(fs.readFileSync(holderFile, "utf8"));
        } catch {
            // Released meanwhile, or its holder is between mkdir and the write of its id.
        }
        const abandoned = holder === undefined ? madeAt < Date.now() - UNCLAIMED_MS : !alive(holder);
        if (abandoned) {
            fs.rmSync(dir, { recursive: true, force: true });
            continue;
        }
        if (Date.now() > deadline) {
            throw new Error(
                `${dir} has been held for ${WAIT_MS / 60_000} minutes by process ${String(holder)}; if no test runs, remove the folder`,
            );
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, POLL_MS);
    }
}

/** Runs `work` holding the repository's lock: for whatever builds in the repository or runs from its dist/. */
export function withRepoLock<T>(work: () => T): T {
    const release = acquire("build");
    try {
        return work();
    } finally {
        release();
    }
}

/** As withRepoLock, for asynchronous work (the lock is taken synchronously, before `work` starts). */
export async function withRepoLockAsync<T>(work: () => Promise<T>): Promise<T> {
    const release = acquire("build");
    try {
        return await work();
    } finally {
        release();
    }
}

/** The folder of this `npm test` run's shared builds (scripts/test removes it), or undefined outside one. */
export function runBuildsDir(): string | undefined {
    const run = process.env.PULUMI_IAM_LP_TEST_RUN;
    return run ? path.join(temporaryFolder(), `pulumi-iam-login-profile-run-${run}`) : undefined;
}

/**
 * A folder holding what `build` put there: in an `npm test` run, the one the run's first file
 * built (`name` says which), else a new temporary folder. `build` gets the empty folder.
 */
export function builtOnce(name: string, build: (dir: string) => void): string {
    const shared = runBuildsDir();
    if (shared === undefined) {
        const dir = fs.mkdtempSync(path.join(temporaryFolder(), `lp-${name}-`));
        build(dir);
        return dir;
    }
    const dir = path.join(shared, name);
    const done = path.join(shared, `${name}.done`);
    const release = acquire(`run-${name}`);
    try {
        if (!fs.existsSync(done)) {
            fs.rmSync(dir, { recursive: true, force: true });
            fs.mkdirSync(dir, { recursive: true });
            build(dir);
            fs.writeFileSync(done, "");
        }
        return dir;
    } finally {
        release();
    }
}
