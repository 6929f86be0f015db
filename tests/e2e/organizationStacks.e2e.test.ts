/**
 * examples/organization-stacks run as users run it, on the real CLI against the emulator: the
 * example copied into a project of its own with the package installed from its tarball, built
 * with `npm run build`, and run as `node build/run.js` on the emulator's S3 bucket as the state
 * backend. Twenty accounts become twenty stacks in two shards run by two processes at once; drift
 * made in one account shows in that account alone, a preview of its shard would correct it, `up`
 * corrects it, and `destroy` of one shard of four ends that shard's accounts. No
 * external id or password reaches the runner's output, the bucket, or the stacks' local files.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../support/emulator";
import { Iam } from "../support/iam";
import {
    bucketObjects,
    filesUnder,
    isSecretEnvelope,
    leakedPasswords,
    LOGIN_PROFILE_TYPE,
    processesWithEnv,
    record,
    requirePulumiCli,
    type CliResult,
    type StackExport,
} from "./harness";
import { createExampleProject, exampleEnv, PROJECT, startProcess, USER } from "./organizationStacksProject";

// About 2.5 minutes on 2 idle cores; the limit leaves room for a machine that runs other work too.
jest.setTimeout(600_000);

/** Twenty member accounts, listed out of order: the shards sort them. */
const ACCOUNTS = Array.from({ length: 20 }, (_, i) => String(400_000_000_000 + ((i * 7) % 20) + 1));
/** Where the accounts file takes the external id from the environment rather than holding it. */
const EXTERNAL_ID_ENV = "BREAK_GLASS_EXTERNAL_ID";
const SHARED_EXTERNAL_ID = `shared-${randomBytes(9).toString("hex")}`;
/** Each account's external id: its own in the file for half of them, the shared one from the environment for the rest. */
const EXTERNAL_IDS = new Map(
    ACCOUNTS.map((account, i) => [account, i % 2 === 0 ? `org-${randomBytes(9).toString("hex")}` : SHARED_EXTERNAL_ID]),
);

let emulator: Emulator;
let project: string;
let env: NodeJS.ProcessEnv;
/** Every password read from the stacks' outputs: kept in memory for the scan, never printed. */
const passwords: string[] = [];
/** An external id typed into the wrong field of an accounts file: scanned with the others. */
const misplaced: string[] = [];

beforeAll(async () => {
    console.log(`e2e: ${requirePulumiCli()}`);
    emulator = await startEmulator();
    project = createExampleProject("lp-org-stacks-");
    env = { ...exampleEnv(emulator, project, "organization-stacks-e2e"), [EXTERNAL_ID_ENV]: SHARED_EXTERNAL_ID };
    fs.writeFileSync(
        path.join(project, "accounts.json"),
        JSON.stringify({
            accounts: ACCOUNTS.map((accountId, i) => ({
                accountId,
                roleArn: `arn:aws:iam::${accountId}:role/OrganizationBreakGlass`,
                ...(i % 2 === 0 ? { externalId: EXTERNAL_IDS.get(accountId) } : { externalIdEnv: EXTERNAL_ID_ENV }),
                users: [USER],
            })),
        }),
    );
});

afterAll(async () => {
    // A run cut short (a timeout) leaves its CLI and plugins: they are found by this suite's PULUMI_HOME.
    for (const pid of env ? processesWithEnv(`PULUMI_HOME=${env.PULUMI_HOME ?? ""}`) : []) {
        try {
            process.kill(pid, "SIGKILL");
        } catch {
            // ended meanwhile
        }
    }
    await emulator.stop();
    fs.rmSync(project, { recursive: true, force: true });
});

/** `node build/run.js <args>` in the project, its output recorded for the secret scan. */
function runner(args: readonly string[], extraEnv: Record<string, string | undefined> = {}): Promise<CliResult> {
    return startProcess("node", ["build/run.js", ...args], project, { ...env, ...extraEnv }).done;
}

/** A run's lines per account: status word(s) and the changes in parentheses (the time left out). */
function statuses(result: CliResult): Record<string, string> {
    const lines = result.stdout.split("\n").filter((line) => /^\d{12} {2}/.test(line));
    return Object.fromEntries(
        lines.map((line) => {
            const match = /^(\d{12}) {2}(.+?)(?: {2}\((.*?)(?:, )?\d+\.\d s\))?$/.exec(line);
            if (!match) {
                throw new Error(`unexpected line: ${line}`);
            }
            const [, account = "", status = "", changes] = match;
            return [account, changes ? `${status} (${changes})` : status] as const;
        }),
    );
}

/** Shard `index` of `count` of the accounts sorted by id: the k-th (from 0) goes to shard (k mod count) + 1. */
function shardOf(sorted: readonly string[], index: number, count: number): string[] {
    return sorted.filter((_, k) => k % count === index - 1);
}

/** Every account with the same status. */
function all(status: string, accounts: readonly string[] = ACCOUNTS): Record<string, string> {
    return Object.fromEntries(accounts.map((account) => [account, status]));
}

/** The seconds each account's stack took, from a run's lines. */
function stackSeconds(result: CliResult): number[] {
    return [...result.stdout.matchAll(/^\d{12} {2}.*?(\d+\.\d) s\)$/gm)].map((match) => Number(match[1]));
}

/** A stack's outputs with secrets shown (never recorded): `pulumi stack output --show-secrets` in the program. */
function password(account: string): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(
            "pulumi",
            ["stack", "output", "profiles", "--json", "--show-secrets", "--stack", account, "--non-interactive"],
            { cwd: path.join(project, "program"), env },
            (error, stdout) => {
                if (error) {
                    reject(new Error(`pulumi stack output --stack ${account} failed: exit ${String(error.code)}`));
                    return;
                }
                const profiles = JSON.parse(stdout) as Record<string, { password?: string }>;
                const found = profiles[USER]?.password ?? "";
                passwords.push(found);
                resolve(found);
            },
        );
    });
}

function describeSeconds(label: string, wall: number, perStack: readonly number[]): string {
    const sorted = [...perStack].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    return `${label}: ${wall.toFixed(1)} s wall, per stack median ${median.toFixed(1)} s, slowest ${(sorted.at(-1) ?? 0).toFixed(1)} s`;
}

describe("examples/organization-stacks", () => {
    test("refuses a bad command line or accounts file with exit 2, naming the option or the entry and field, before any stack is touched", async () => {
        const usage = [
            { args: ["up", "--accounts", "accounts.json", "--shard", "3/2"], error: "error: --shard must be i/n with 1 <= i <= n" },
            { args: ["up", "--accounts", "accounts.json", "--shard", "0/2"], error: "error: --shard must be i/n with 1 <= i <= n" },
            {
                args: ["up", "--accounts", "accounts.json", "--concurrency", "0"],
                error: "error: --concurrency must be a whole number >= 1",
            },
            {
                args: ["up", "--accounts", "accounts.json", "--concurrency", "2.5"],
                error: "error: --concurrency must be a whole number >= 1",
            },
            { args: ["deploy", "--accounts", "accounts.json"], error: "error: the operation must be one of preview, up, refresh, destroy" },
            { args: ["up"], error: "error: --accounts FILE is required" },
        ];
        for (const { args, error } of usage) {
            const result = await runner(args);
            expect({ args, code: result.code, first: result.stderr.split("\n")[0] }).toEqual({ args, code: 2, first: error });
        }
        const noBackend = await runner(["up", "--accounts", "accounts.json"], { PULUMI_BACKEND_URL: undefined });
        expect([noBackend.code, noBackend.stderr.split("\n")[0]]).toEqual([
            2,
            "error: no state backend: give --backend URL or set PULUMI_BACKEND_URL (e.g. s3://my-state-bucket)",
        ]);
        const noKey = await runner(["up", "--accounts", "accounts.json"], { PULUMI_CONFIG_PASSPHRASE: undefined });
        expect([noKey.code, noKey.stderr.split("\n")[0]]).toEqual([
            2,
            "error: no secrets key: set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE, or give --secrets-provider (e.g. awskms://alias/break-glass)",
        ]);

        const secret = `typed-in-the-wrong-field-${randomBytes(6).toString("hex")}`;
        misplaced.push(secret);
        fs.writeFileSync(
            path.join(project, "bad-accounts.json"),
            JSON.stringify({
                accounts: [
                    {
                        accountId: "111111111111",
                        roleArn: "arn:aws:iam::222222222222:role/BreakGlass",
                        externalId: "abc-123",
                        users: ["a"],
                    },
                    {
                        accountId: "111111111111",
                        roleArn: "arn:aws:iam::111111111111:role/BreakGlass",
                        externalId: "abc-123",
                        users: ["a"],
                    },
                    { accountId: "33333333333", roleArn: secret, externalIdEnv: "NOT_SET_ANYWHERE", users: ["a", "A"] },
                    { accountId: "444444444444", roleArn: "arn:aws:iam::444444444444:role/BreakGlass", externalID: "abc-123", users: [] },
                ],
            }),
        );
        const bad = await runner(["up", "--accounts", "bad-accounts.json"]);
        expect(bad.code).toBe(2);
        expect(bad.stderr.trim().split("\n")).toEqual([
            "error: bad-accounts.json: accounts[0] (111111111111): roleArn must name a role in account 111111111111, not in 222222222222",
            "error: bad-accounts.json: accounts[1] (111111111111): accountId repeats accounts[0]: one entry per account",
            "error: bad-accounts.json: accounts[2]: accountId must be a string of 12 digits",
            "error: bad-accounts.json: accounts[2]: roleArn must be an IAM role ARN (arn:aws:iam::<accountId>:role/<name>)",
            "error: bad-accounts.json: accounts[2]: externalIdEnv names NOT_SET_ANYWHERE, which is not set",
            "error: bad-accounts.json: accounts[2]: users[1] repeats A (IAM user names ignore case)",
            'error: bad-accounts.json: accounts[3] (444444444444): unknown field "externalID" (expected accountId, roleArn, externalId, externalIdEnv, users)',
            "error: bad-accounts.json: accounts[3] (444444444444): give exactly one of externalId and externalIdEnv (the name of an environment variable that holds it)",
            "error: bad-accounts.json: accounts[3] (444444444444): users must be a non-empty list of IAM user names",
        ]);
        // Nothing was touched: the bucket holds no stack.
        expect(Object.keys(bucketObjects(emulator.backendUrl)).filter((key) => key.startsWith(".pulumi/stacks/"))).toEqual([]);
    });

    test("runs 20 accounts as 20 stacks in two shards at once, shows drift in one account alone, corrects it, destroys a shard, keeps every secret out of the bucket and the output", async () => {
        // GIVEN each account's administrator has created the break-glass user.
        for (const account of ACCOUNTS) {
            const member = await Iam.inAccount(emulator.endpoint, account);
            await member.createUser(USER);
            member.close();
        }

        // WHEN two machines each run their shard at the same time.
        let started = performance.now();
        const shards = await Promise.all([
            runner(["up", "--accounts", "accounts.json", "--shard", "1/2"]),
            runner(["up", "--accounts", "accounts.json", "--shard", "2/2"]),
        ]);
        const upSeconds = (performance.now() - started) / 1000;

        // THEN every account was created once, by the shard its sorted place gives it.
        const sorted = [...ACCOUNTS].sort();
        expect(shards.map((shard) => shard.code)).toEqual([0, 0]);
        expect(shards.map((shard) => shard.stdout.split("\n")[0])).toEqual([
            "up: 20 accounts in accounts.json, shard 1/2 takes 10, 4 at a time",
            "up: 20 accounts in accounts.json, shard 2/2 takes 10, 4 at a time",
        ]);
        expect(shards.map(statuses)).toEqual([
            all("created (create 2)", shardOf(sorted, 1, 2)),
            all("created (create 2)", shardOf(sorted, 2, 2)),
        ]);
        expect(shards.map((shard) => shard.stdout.trim().split("\n").at(-1))).toEqual([
            expect.stringMatching(/^up: 10 accounts: 10 created; \d+\.\d s$/),
            expect.stringMatching(/^up: 10 accounts: 10 created; \d+\.\d s$/),
        ]);
        // Each account's profile is in IAM, to be changed at first sign-in; a password of each shard,
        // and the one about to drift, signs in in its account.
        for (const account of ACCOUNTS) {
            const member = await Iam.inAccount(emulator.endpoint, account);
            expect(await member.profile(USER)).toMatchObject({ userName: USER, passwordResetRequired: true });
            member.close();
        }
        const drifted = sorted[7] ?? "";
        const first = new Map<string, string>();
        for (const account of [sorted[0] ?? "", sorted[1] ?? "", drifted]) {
            first.set(account, await password(account));
            await expect(emulator.signsIn(USER, first.get(account) ?? "", account)).resolves.toBe(true);
        }
        // Each stack's state is in the bucket, with the external id a secret there.
        const objects = bucketObjects(emulator.backendUrl);
        for (const account of ACCOUNTS) {
            const state = JSON.parse(objects[`.pulumi/stacks/${PROJECT}/${account}.json`] ?? "null") as {
                checkpoint: { latest: StackExport["deployment"] };
            };
            const profiles = (state.checkpoint.latest.resources ?? []).filter((resource) => resource.type === LOGIN_PROFILE_TYPE);
            expect(profiles.map((profile) => profile.id)).toEqual([USER]);
            const assumeRole = profiles[0]?.inputs?.assumeRole as Record<string, unknown>;
            expect(isSecretEnvelope(assumeRole.externalId)).toBe(true);
        }
        // The parallel runs installed no plugin into the shared PULUMI_HOME (pulumi/pulumi#22784 cannot arise).
        expect(fs.existsSync(path.join(env.PULUMI_HOME ?? "", "plugins"))).toBe(false);

        // WHEN an administrator deletes one account's profile outside Pulumi, and the next run is on
        // a machine that has never run these stacks (no Pulumi.<account>.yaml: the salt comes from the state).
        const admin = await Iam.inAccount(emulator.endpoint, drifted);
        await admin.deleteProfile(USER);
        fs.rmSync(path.join(project, "program", "stacks"), { recursive: true });
        started = performance.now();
        const refresh = await runner(["refresh", "--accounts", "accounts.json"]);
        const refreshSeconds = (performance.now() - started) / 1000;

        // THEN that account alone drifted.
        expect(refresh.code).toBe(0);
        expect(statuses(refresh)).toEqual({ ...all("unchanged"), [drifted]: "drifted (delete 1)" });
        expect(refresh.stdout.trim().split("\n").at(-1)).toMatch(/^refresh: 20 accounts: 1 drifted, 19 unchanged; \d+\.\d s$/);

        // WHEN the shard that holds that account is previewed, THEN it would make the profile again,
        // and makes nothing.
        const preview = await runner(["preview", "--accounts", "accounts.json", "--shard", "4/4"]);
        expect(preview.code).toBe(0);
        expect(statuses(preview)).toEqual({ ...all("unchanged", shardOf(sorted, 4, 4)), [drifted]: "would create (create 1)" });
        expect(await admin.profile(USER)).toBeUndefined();

        // WHEN up runs over all the accounts, THEN it makes that account's profile again and nothing else.
        started = performance.now();
        const up = await runner(["up", "--accounts", "accounts.json"]);
        const correctSeconds = (performance.now() - started) / 1000;
        expect(up.code).toBe(0);
        expect(statuses(up)).toEqual({ ...all("unchanged"), [drifted]: "created (create 1)" });
        expect(await admin.profile(USER)).toMatchObject({ userName: USER, passwordResetRequired: true });
        admin.close();
        const after = await password(drifted);
        expect(after === first.get(drifted)).toBe(false);
        await expect(emulator.signsIn(USER, after, drifted)).resolves.toBe(true);
        // A password the stack kept through the fresh machine's run still decrypts, and still signs in.
        const kept = sorted[0] ?? "";
        await expect(emulator.signsIn(USER, await password(kept), kept)).resolves.toBe(true);

        // WHEN one shard of four is destroyed, THEN its accounts' profiles are gone, and only theirs.
        const destroyed = shardOf(sorted, 1, 4);
        started = performance.now();
        const destroy = await runner(["destroy", "--accounts", "accounts.json", "--shard", "1/4"]);
        const destroySeconds = (performance.now() - started) / 1000;
        expect(destroy.code).toBe(0);
        expect(statuses(destroy)).toEqual(all("destroyed (delete 2)", destroyed));
        for (const account of ACCOUNTS) {
            const member = await Iam.inAccount(emulator.endpoint, account);
            expect([account, await member.profile(USER)]).toEqual([
                account,
                destroyed.includes(account) ? undefined : expect.objectContaining({ userName: USER }),
            ]);
            member.close();
        }

        // No password or external id is anywhere in the bucket (every object of every run), the
        // runner's output, or the stacks' local files.
        const everything = bucketObjects(emulator.backendUrl);
        expect(Object.keys(everything).filter((key) => key.startsWith(`.pulumi/stacks/${PROJECT}/`) && key.endsWith(".json"))).toHaveLength(
            20,
        );
        for (const file of filesUnder(path.join(project, "program"))) {
            record(fs.readFileSync(file, "utf8"));
        }
        expect(passwords).toHaveLength(5);
        // A count, not the list: a failure must not print what leaked.
        expect(leakedPasswords([...passwords, ...EXTERNAL_IDS.values(), ...misplaced]).length).toBe(0);

        console.log(
            [
                describeSeconds("up of 20 stacks in 2 shards at once (4 in flight each)", upSeconds, shards.flatMap(stackSeconds)),
                describeSeconds("refresh of 20 stacks (4 in flight)", refreshSeconds, stackSeconds(refresh)),
                describeSeconds("up of 20 stacks, 1 to correct (4 in flight)", correctSeconds, stackSeconds(up)),
                describeSeconds("destroy of 5 stacks (shard 1/4, 4 in flight)", destroySeconds, stackSeconds(destroy)),
            ].join("\n"),
        );
    });
});
