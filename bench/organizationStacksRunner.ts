/**
 * How organizationStacks.ts drives examples/organization-stacks: a copy of the example made as a
 * user makes it (the package installed from its tarball, `npm run build`), its stacks run with
 * `runAccounts` in this process or as shard processes of its command line, and what IAM holds
 * afterwards. Nothing here prints a password or an external id: the accounts file names the
 * external id's variable, and the passwords read for the leak scan are never recorded.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Account } from "../examples/organization-stacks/accounts";
import { runPool } from "../examples/organization-stacks/pool";
import type { AccountResult, Operation } from "../examples/organization-stacks/report";
import { runAccounts } from "../examples/organization-stacks/runAccounts";
import { takeShard } from "../examples/organization-stacks/shard";
import { lockedVersion, record, REPO } from "../tests/e2e/harness";
import type { Emulator } from "../tests/support/emulator";
import { Iam } from "../tests/support/iam";
import { ORG } from "./organization";

/** The example's copy the stacks run from, and the environment of their CLI runs. */
export interface StacksSetup {
    readonly exampleDir: string;
    readonly env: Readonly<Record<string, string>>;
    readonly emulator: Emulator;
}

const ROLE = "OrganizationBreakGlass";
/** The variable the shards' accounts file names for the external id (externalIdEnv). */
const EXTERNAL_ID_ENV = "BENCH_EXTERNAL_ID";
const ACCOUNTS_FILE = "accounts.bench.json";

/** Copies the example into `scratch` with the package from `tarball`, builds it; the stacks' CLI runs see `emulator`. */
export function setUpExample(scratch: string, tarball: string, emulator: Emulator, externalId: string): StacksSetup {
    const exampleDir = path.join(scratch, "organization-stacks");
    fs.cpSync(path.join(REPO, "examples", "organization-stacks"), exampleDir, {
        recursive: true,
        filter: (source) => !/[/\\](node_modules|build|stacks)$/.test(source),
    });
    const manifestFile = path.join(exampleDir, "package.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { dependencies: Record<string, string> };
    manifest.dependencies["pulumi-iam-login-profile"] = `file:${tarball}`;
    // The SDK the lockfile pins (the one the tests are proven on), not the newest the range allows.
    manifest.dependencies["@pulumi/pulumi"] = lockedVersion("@pulumi/pulumi");
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: exampleDir, stdio: "ignore" });
    execFileSync("npm", ["run", "--silent", "build"], { cwd: exampleDir, stdio: "ignore" });
    const env = {
        PULUMI_HOME: path.join(scratch, "pulumi-home"),
        PULUMI_CONFIG_PASSPHRASE: "bench-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        AWS_ENDPOINT_URL_IAM: emulator.endpoint,
        AWS_ENDPOINT_URL_STS: emulator.endpoint,
        AWS_ENDPOINT_URL_CLOUDTRAIL: emulator.cloudTrailEndpoint,
        AWS_REGION: "us-east-1",
        // The backend's credentials too: the emulator's S3 is in its default account.
        AWS_ACCESS_KEY_ID: "bench",
        AWS_SECRET_ACCESS_KEY: "bench",
        [EXTERNAL_ID_ENV]: externalId,
    };
    return { exampleDir, env, emulator };
}

/** Accounts `first`, `first + 1`, … each with the users bg-0 … bg-(perAccount − 1), reached through the same role. */
export function accountsOf(first: number, count: number, perAccount: number, externalId: string): Account[] {
    return Array.from({ length: count }, (_, i) => {
        const accountId = String(first + i);
        const users = Array.from({ length: perAccount }, (_, u) => `bg-${u}`);
        return { accountId, roleArn: `arn:aws:iam::${accountId}:role/${ROLE}`, externalId, users };
    });
}

/**
 * An empty emulator and bucket (a first run's), no stack config left from a run before, the
 * accounts' users, their accounts file for the shards, and each account's quota on.
 */
export async function prepareAccounts(setup: StacksSetup, accounts: readonly Account[]): Promise<void> {
    const { emulator } = setup;
    await emulator.reset();
    fs.rmSync(path.join(setup.exampleDir, "program", "stacks"), { recursive: true, force: true });
    await runPool(accounts, 8, async (account) => {
        const admin = await Iam.inAccount(emulator.endpoint, account.accountId);
        for (const user of account.users) {
            await admin.createUser(user);
        }
        admin.close();
    });
    const entries = accounts.map(({ accountId, roleArn, users }) => ({ accountId, roleArn, externalIdEnv: EXTERNAL_ID_ENV, users }));
    fs.writeFileSync(path.join(setup.exampleDir, ACCOUNTS_FILE), JSON.stringify({ accounts: entries }));
    await emulator.configure({ rateLimitPerSecond: ORG.rateLimitPerSecond, rateLimitBurst: ORG.rateLimitBurst });
}

/**
 * Runs `op` on the accounts' stacks with the example's runAccounts in this process, as `shards`
 * runners at once (each `concurrency` stacks in flight); each stack's seconds. Any failed stack
 * fails the bench, with its account and Pulumi's error line.
 */
export async function runInProcess(
    setup: StacksSetup,
    op: Operation,
    accounts: readonly Account[],
    concurrency: number,
    shards = 1,
): Promise<number[]> {
    const results = await Promise.all(
        Array.from({ length: shards }, (_, i) =>
            runAccounts({
                operation: op,
                accounts: takeShard(accounts, { index: i + 1, count: shards }),
                backendUrl: setup.emulator.backendUrl,
                concurrency,
                programDir: path.join(setup.exampleDir, "program"),
                env: setup.env,
            }),
        ),
    );
    return results.flat().map((result: AccountResult) => {
        if (result.error !== undefined) {
            throw new Error(`stacks: ${op} of account ${result.accountId} failed: ${record(result.error)}`);
        }
        return result.seconds;
    });
}

/** A runner's line for a finished stack: `<account>  <status>  (<changes>, <seconds> s)`. */
const RESULT_LINE = /^(\d{12}) {2}(.+) {2}\((?:.*, )?(\d+(?:\.\d+)?) s\)$/;

/**
 * Runs `op` on the accounts of the last `prepareAccounts` as `shards` processes of the example's
 * command line at once (`node build/run.js <op> --shard i/n --concurrency K`); each stack's
 * seconds, from the runner's lines. Fails unless every process exits 0 having finished every stack.
 */
export async function runShards(
    setup: StacksSetup,
    op: Operation,
    accounts: number,
    concurrency: number,
    shards: number,
): Promise<number[]> {
    const outputs = await Promise.all(
        Array.from({ length: shards }, (_, i) =>
            runCli(setup, [op, "--accounts", ACCOUNTS_FILE, "--shard", `${i + 1}/${shards}`, "--concurrency", String(concurrency)]),
        ),
    );
    const lines = outputs.flatMap((output) => output.split("\n"));
    const seconds = lines.flatMap((line) => {
        const match = RESULT_LINE.exec(line);
        return match && !(match[2] ?? "").startsWith("failed") ? [Number(match[3])] : [];
    });
    if (seconds.length !== accounts) {
        throw new Error(`stacks: ${op} in ${shards} shards finished ${seconds.length} of ${accounts} stacks:\n${lines.join("\n")}`);
    }
    return seconds;
}

/** `node build/run.js <args> --backend <the emulator's>` in the example's copy; its output (recorded for the leak scan). */
function runCli(setup: StacksSetup, args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [path.join("build", "run.js"), ...args, "--backend", setup.emulator.backendUrl], {
            cwd: setup.exampleDir,
            env: { ...process.env, ...setup.env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) => {
            record(output);
            if (code === 0) {
                resolve(output);
            } else {
                reject(new Error(`stacks: node build/run.js ${args.join(" ")} exited ${String(code)}\n${output}`));
            }
        });
    });
}

/** Login profiles of the accounts' users in IAM, read with the quota off, then on again (each bucket new, full). */
export async function countProfiles(emulator: Emulator, accounts: readonly Account[]): Promise<number> {
    await emulator.configure({ rateLimitPerSecond: 0 });
    const counts = await runPool(accounts, 8, async (account) => {
        const admin = await Iam.inAccount(emulator.endpoint, account.accountId);
        let found = 0;
        for (const user of account.users) {
            found += (await admin.profile(user)) === undefined ? 0 : 1;
        }
        admin.close();
        return found;
    });
    await emulator.configure({ rateLimitPerSecond: ORG.rateLimitPerSecond, rateLimitBurst: ORG.rateLimitBurst });
    return counts.reduce((a, b) => a + b, 0);
}

/** The generated passwords of one stack (`pulumi stack output --show-secrets`), for the leak scan only: never recorded or printed. */
export function stackPasswords(setup: StacksSetup, stack: string): string[] {
    let output: string;
    try {
        output = execFileSync(
            "pulumi",
            ["stack", "output", "profiles", "--show-secrets", "--json", "--stack", stack, "--non-interactive"],
            {
                cwd: path.join(setup.exampleDir, "program"),
                env: { ...process.env, ...setup.env, PULUMI_BACKEND_URL: setup.emulator.backendUrl },
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
    } catch (error) {
        // Not its output: that would hold the passwords.
        throw new Error(`stacks: pulumi stack output of ${stack} exited ${String((error as { status?: number }).status)}`);
    }
    const profiles = JSON.parse(output) as Record<string, { password?: string }>;
    return Object.values(profiles).flatMap((profile) => (profile.password === undefined ? [] : [profile.password]));
}
