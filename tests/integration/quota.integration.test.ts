/**
 * Stacks in one account, run at once, keep to the account's IAM quota together (issue 28, part 3).
 * Each stack's `pulumi up`, `refresh` and `destroy` runs the provider in a process of its own, so
 * each stack here is three Node processes one after the other (quotaStack.ts, bundled from these
 * sources), and the stacks run side by side: K provider processes in one account, none knowing
 * the others but through what they share on this machine. The emulator throttles the account as
 * IAM does, with a token bucket (20 calls a second, bursts of 10, its default).
 *
 * Every step must succeed (no call fails for throttling), and at most a tenth of the account's
 * IAM calls, and of its IAM and LookupEvents calls together, may be throttled: with one limiter
 * per process, unaware of the others, 9–14 % of IAM calls were with two stacks and 14–17 % with
 * ten, and with LookupEvents paced per process, 41 of 91 lookups with ten. The emulator counts
 * CloudTrail's throttled LookupEvents with IAM's under one name; the processes count their own
 * refused lookups, which tell the two apart.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { build } from "esbuild";
import { countsAdded } from "../support/emulator";
import { Iam } from "../support/iam";
import { integrationSuite } from "../support/integrationSuite";
import type { Job, Outcome } from "./quotaStack";

jest.setTimeout(300_000);

const ACCOUNT = "333333333333";
const ROLE = { roleArn: `arn:aws:iam::${ACCOUNT}:role/OrganizationBreakGlass`, externalId: "org-quota-5e2a" };
const QUOTA = { rateLimitPerSecond: 20, rateLimitBurst: 10 };
/** Profiles per stack: a stack of break-glass and operator users, as one account holds. */
const PROFILES = 15;
const OPERATIONS = ["up", "refresh", "destroy"] as const;
/** The actions that are not the account's IAM calls: STS's, made by the caller's account, and CloudTrail's. */
const NOT_IAM = new Set(["AssumeRole", "GetCallerIdentity", "LookupEvents"]);

const suite = integrationSuite();
let work = "";
let program = "";

beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "quota-test-"));
    program = path.join(work, "quotaStack.js");
    await build({
        entryPoints: [path.join(__dirname, "quotaStack.ts")],
        bundle: true,
        platform: "node",
        target: "node22",
        format: "cjs",
        outfile: program,
        logLevel: "error",
        // @pulumi/pulumi's runtime resolves its own files at load: it stays a package, found from the repository.
        external: ["@pulumi/pulumi", "@pulumi/pulumi/*"],
    });
});

afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
});

beforeEach(async () => {
    await suite.emulator.reset();
});

/** One provider process: the job's operation; resolves with what it reports. */
function providerProcess(job: Job, jobFile: string, tmp: string): Promise<Outcome> {
    fs.writeFileSync(jobFile, JSON.stringify(job), { mode: 0o600 });
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [program, jobFile], {
            // A temporary folder of the run's own: the quota boards of this machine's other runs stay apart.
            env: { ...process.env, NODE_PATH: path.join(__dirname, "..", "..", "node_modules"), TMPDIR: tmp },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        child.once("error", reject);
        child.once("exit", (code) => {
            try {
                if (code !== 0) {
                    throw new Error(`exited with ${String(code)}`);
                }
                resolve(JSON.parse(stdout) as Outcome);
            } catch (error) {
                reject(new Error(`a ${job.operation} process failed: ${(error as Error).message}: ${stderr.trim().slice(-500)}`));
            }
        });
    });
}

/** What a run of K stacks measured in the account. */
interface Measure {
    /** Each stack's failures, by operation ("up: …"). */
    readonly failures: readonly string[];
    /** The account's IAM calls, throttled attempts included. */
    readonly iamCalls: number;
    readonly iamThrottled: number;
    readonly lookups: number;
    readonly lookupsRefused: number;
    readonly wallMs: number;
}

/** Runs `stacks` stacks of PROFILES profiles in ACCOUNT at once, each up, refresh then destroy. */
async function runStacks(stacks: number): Promise<Measure> {
    const admin = await Iam.inAccount(suite.emulator.endpoint, ACCOUNT);
    const usersOf = (stack: number): string[] => Array.from({ length: PROFILES }, (_, i) => `stack${stack}-user${i}`);
    for (let stack = 0; stack < stacks; stack++) {
        for (const user of usersOf(stack)) {
            await admin.createUser(user);
        }
    }
    admin.close();
    await suite.emulator.configure(QUOTA);
    const tmp = fs.mkdtempSync(path.join(work, `run${stacks}-`));
    const before = await suite.emulator.calls(ACCOUNT);
    const started = Date.now();

    const outcomes = await Promise.all(
        Array.from({ length: stacks }, async (_, stack) => {
            const stateFile = path.join(work, `stack${stack}.state.json`);
            const outcomes: [string, Outcome][] = [];
            for (const operation of OPERATIONS) {
                const job: Job = { operation, users: usersOf(stack), role: ROLE, stateFile };
                outcomes.push([operation, await providerProcess(job, path.join(work, `stack${stack}.job.json`), tmp)]);
            }
            return outcomes;
        }),
    );
    const wallMs = Date.now() - started;
    const after = await suite.emulator.calls(ACCOUNT);

    const calls = countsAdded(before.calls, after.calls);
    const throttled = countsAdded(before.faults, after.faults).Throttling ?? 0;
    const all = outcomes.flat();
    const lookupsRefused = all.reduce((sum, [, outcome]) => sum + outcome.lookups.refused, 0);
    return {
        failures: all.flatMap(([operation, outcome]) => outcome.failures.map((failure) => `${operation}: ${failure}`)),
        iamCalls: Object.entries(calls).reduce((sum, [action, count]) => sum + (NOT_IAM.has(action) ? 0 : count), 0),
        iamThrottled: throttled - lookupsRefused,
        lookups: calls.LookupEvents ?? 0,
        lookupsRefused,
        wallMs,
    };
}

/** The measure as one line, for the run's log. */
function describeMeasure(stacks: number, measure: Measure): string {
    const share = (measure.iamThrottled / measure.iamCalls) * 100;
    return (
        `quota: ${stacks} stacks × ${PROFILES} profiles, up + refresh + destroy in ${(measure.wallMs / 1000).toFixed(1)} s: ` +
        `${measure.iamCalls} IAM calls, ${measure.iamThrottled} throttled (${share.toFixed(1)} %); ` +
        `${measure.lookups} LookupEvents, ${measure.lookupsRefused} throttled`
    );
}

describe.each([2, 10])("%i stacks in one account at 20 calls/s, run at once", (stacks) => {
    it("succeed in every step, with at most a tenth of the account's IAM calls, and of all its calls under a quota, throttled", async () => {
        const measure = await runStacks(stacks);
        console.log(describeMeasure(stacks, measure));

        expect(measure.failures).toStrictEqual([]);
        // The IAM calls each stack makes: a password policy read and a create per profile (up), a
        // read per profile with the account's users and credential report (refresh), a delete per profile.
        expect(measure.iamCalls - measure.iamThrottled).toBe(stacks * (1 + PROFILES + PROFILES + 3 + PROFILES));
        expect(measure.iamThrottled / measure.iamCalls).toBeLessThanOrEqual(0.1);
        expect((measure.iamThrottled + measure.lookupsRefused) / (measure.iamCalls + measure.lookups)).toBeLessThanOrEqual(0.1);
    });
});
