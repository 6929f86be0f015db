/**
 * A break-glass password over its life, on the real Pulumi CLI against the emulator with AWS's own
 * clock rules (issue 26, DESIGN.md "Over its life"): expiry seen in time and corrected by `up`,
 * rotation by age seen by `pulumi preview` with no IAM call, rotation after use, and custodians
 * who open a password together with the package's `combine` command, through the dynamic resource
 * (TypeScript) and the plugin (YAML). Every generated password is sealed to a test key, so the
 * suite never asks the CLI to show a secret, and the scan at the end finds no password or share in
 * any output, state file or emulator log.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { IAMClient, UpdateAccountPasswordPolicyCommand } from "@aws-sdk/client-iam";
import { callsDuring, startEmulator, type Emulator } from "../support/emulator";
import { Iam } from "../support/iam";
import { decryptPassword, generateTestKeyPair } from "../unit/pgpKeys";
import { updatedLine } from "./driftDisplay";
import {
    LOGIN_PROFILE_TYPE,
    leakedPasswords,
    PLUGIN_LOGIN_PROFILE_TYPE,
    record,
    recordStateFilesUnder,
    requirePulumiCli,
    TestProject,
    type ProfileSpec,
    type StateResource,
} from "./harness";

jest.setTimeout(300_000);

/** The account policy: passwords expire after 90 days, and an expired one locks the user out. */
const MAX_PASSWORD_AGE_DAYS = 90;
const DAY_SECONDS = 86_400;
/** The declared password of the declared-password profile. */
const DECLARED = "Declared-Break-Glass-Passw0rd!";

let emulator: Emulator;
let iam: Iam;
let project: TestProject;
let key: { publicKey: string; privateKey: string };
let custodians: { publicKey: string; privateKey: string }[];
/** Every password and decrypted share the suite saw, for the scan at the end. */
const secrets: string[] = [DECLARED];

/** A generated password sealed to the suite's key, with `extra` inputs. */
function sealed(userName: string, extra: Record<string, unknown> = {}): ProfileSpec {
    return { name: userName, userName, passwordKey: "none", extra: { password: null, pgpKey: key.publicKey, ...extra } };
}

/** The LoginProfile `userName` in the selected stack's state. */
async function stateOf(target: TestProject, userName: string): Promise<StateResource> {
    const found = (await target.profilesInState()).find((r) => r.outputs?.userName === userName);
    if (!found) {
        throw new Error(`no LoginProfile for ${userName} in state`);
    }
    return found;
}

/** The password of `userName`, decrypted from its `encryptedPassword` with the suite's key. */
async function passwordOf(userName: string): Promise<string> {
    const password = await decryptPassword(String((await stateOf(project, userName)).outputs?.encryptedPassword), key.privateKey);
    secrets.push(password);
    return password;
}

/** Moves the emulator's clock (IAM's) `days` days ahead of real time. */
async function clockDaysAhead(days: number): Promise<void> {
    await emulator.configure({ clockOffsetSeconds: days * DAY_SECONDS });
}

/**
 * Runs `pulumi-iam-login-profile combine` on `files`, as a custodian would, with the command npm
 * installed in the TypeScript project (no stack, no AWS access needed); its output is the
 * password, never recorded.
 */
function combine(files: readonly string[]): { code: number; stdout: string; stderr: string } {
    const bin = path.join(project.dir, "node_modules", ".bin", "pulumi-iam-login-profile");
    try {
        const stdout = execFileSync(bin, ["combine", ...files], { cwd: os.tmpdir(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        return { code: 0, stdout, stderr: "" };
    } catch (error) {
        const failed = error as { status?: number; stdout?: string; stderr?: string };
        return { code: failed.status ?? -1, stdout: failed.stdout ?? "", stderr: record(failed.stderr ?? "") };
    }
}

/** Each custodian's share, decrypted with their key, written to a file of its own (as `gpg --decrypt > share` would). */
async function decryptShares(state: StateResource, dir: string): Promise<string[]> {
    const shares = state.outputs?.encryptedShares as { keyFingerprint: string; encryptedShare: string }[];
    return Promise.all(
        shares.map(async (share, index) => {
            const text = await decryptPassword(share.encryptedShare, custodians[index]?.privateKey ?? "");
            secrets.push(text.trim());
            const file = path.join(dir, `share-${index}.txt`);
            fs.writeFileSync(file, text);
            return file;
        }),
    );
}

/** The custodians' procedure against a profile's state: 2 of 3 open it, 1 or a tampered share does not. */
async function expectCustodiansOpen(target: TestProject, userName: string): Promise<void> {
    const state = await stateOf(target, userName);
    const shares = state.outputs?.encryptedShares as { keyFingerprint: string }[];
    expect(shares.map((share) => share.keyFingerprint)).toEqual(
        await Promise.all(custodians.map(async (custodian) => (await fingerprintOf(custodian.publicKey)).toLowerCase())),
    );
    expect(state.outputs).not.toHaveProperty("password");
    expect(state.outputs).not.toHaveProperty("encryptedPassword");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lp-shares-"));
    try {
        const files = await decryptShares(state, dir);
        const opened = combine([files[0] ?? "", files[2] ?? ""]);
        expect(opened.code).toBe(0);
        const password = opened.stdout.replace(/\n$/, "");
        secrets.push(password);
        expect(await emulator.signIn(userName, password)).toEqual({ signedIn: true });

        const alone = combine([files[1] ?? ""]);
        expect(alone.code).toBe(1);
        expect(alone.stdout).toBe("");
        expect(alone.stderr).toContain("1 share given, but this password needs 2 of its 3 shares");

        const tampered = path.join(dir, "tampered.txt");
        const line = fs.readFileSync(files[1] ?? "", "utf8").trim();
        // One character of the share's data changed, as a transmission error would.
        const at = Math.floor(line.length / 2);
        fs.writeFileSync(tampered, `${line.slice(0, at)}${line[at] === "A" ? "B" : "A"}${line.slice(at + 1)}\n`);
        const altered = combine([files[0] ?? "", tampered]);
        expect(altered.code).toBe(1);
        expect(altered.stdout).toBe("");
        expect(altered.stderr).toContain("was altered");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** A public key's fingerprint, as the OpenPGP library reads it. */
async function fingerprintOf(publicKey: string): Promise<string> {
    const openpgp = await import("openpgp");
    return (await openpgp.readKey({ armoredKey: publicKey })).getFingerprint();
}

beforeAll(async () => {
    console.log(`e2e: ${requirePulumiCli()}`);
    emulator = await startEmulator();
    iam = new Iam(emulator.endpoint);
    const client = new IAMClient({
        endpoint: emulator.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "t", secretAccessKey: "t" },
    });
    await client.send(
        new UpdateAccountPasswordPolicyCommand({
            MinimumPasswordLength: 14,
            RequireUppercaseCharacters: true,
            RequireLowercaseCharacters: true,
            RequireNumbers: true,
            RequireSymbols: true,
            MaxPasswordAge: MAX_PASSWORD_AGE_DAYS,
            HardExpiry: true,
        }),
    );
    client.destroy();
    key = await generateTestKeyPair("break-glass");
    custodians = await Promise.all(["officer-1", "officer-2", "officer-3"].map((name) => generateTestKeyPair(name)));
    project = TestProject.create(emulator.endpoint);
});

afterAll(async () => {
    iam?.close();
    await emulator?.stop();
    project?.dispose();
});

describe("expiry seen in time", () => {
    test("80 days on, refresh shows the generated profile drifted and warns of the declared one; up rotates the generated one alone", async () => {
        await iam.createUser("bg-expiring");
        await iam.createUser("bg-declared");
        await project.initStack(
            "expiry",
            [sealed("bg-expiring"), { name: "bg-declared", userName: "bg-declared", passwordKey: "declared" }],
            {
                declared: DECLARED,
            },
        );
        await project.expectPulumi(["up", "--yes", "--skip-preview"]);
        const created = await stateOf(project, "bg-expiring");
        const lastChanged = Date.parse(String(created.outputs?.passwordLastChanged));
        expect(created.outputs?.passwordExpiresAt).toBe(new Date(lastChanged + MAX_PASSWORD_AGE_DAYS * DAY_SECONDS * 1000).toISOString());
        const first = await passwordOf("bg-expiring");

        await clockDaysAhead(80);
        const refresh = await project.expectPulumi(["refresh", "--yes", "--skip-preview"]);

        expect(refresh.stdout).toMatch(updatedLine(LOGIN_PROFILE_TYPE, "bg-expiring", "password"));
        expect(refresh.stdout).not.toMatch(/bg-declared +updated/);
        const declared = await stateOf(project, "bg-declared");
        const expiresAt = String(declared.outputs?.passwordExpiresAt);
        expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
        const warning = `The console password of IAM user "bg-declared" in account 123456789012 expires at ${expiresAt}, within rotateBeforeExpiry (14d)`;
        expect(refresh.stdout + refresh.stderr).toContain(warning);
        expect((await stateOf(project, "bg-expiring")).outputs?.rotationDue).toBe("expiring");

        let up = { stdout: "", stderr: "" };
        const calls = await callsDuring(emulator, async () => (up = await project.expectPulumi(["up", "--yes", "--skip-preview"])));
        expect(up.stdout).toMatch(/bg-expiring +updated/);
        expect(up.stdout).not.toMatch(/bg-declared +updated/);
        expect(up.stdout + up.stderr).toContain(warning);
        expect(calls).toEqual({ GetAccountPasswordPolicy: 1, UpdateLoginProfile: 1 });
        const rotated = await passwordOf("bg-expiring");
        expect(rotated === first).toBe(false); // compared apart: a failure must not print a password
        expect(await emulator.signIn("bg-expiring", rotated)).toEqual({ signedIn: true });
        expect(await emulator.signIn("bg-expiring", first)).toEqual({ signedIn: false, reason: "wrong-password" });
        expect(await emulator.signIn("bg-declared", DECLARED)).toEqual({ signedIn: true });
    });

    test("91 days after that rotation with no up between, sign-in answers expired; refresh and up restore access", async () => {
        const rotated = await passwordOf("bg-expiring");
        await clockDaysAhead(80 + 91);
        expect(await emulator.signIn("bg-expiring", rotated)).toEqual({ signedIn: false, reason: "expired", hardExpiry: true });

        const refresh = await project.expectPulumi(["refresh", "--yes", "--skip-preview"]);
        expect(refresh.stdout).toMatch(updatedLine(LOGIN_PROFILE_TYPE, "bg-expiring", "password"));
        expect(refresh.stdout + refresh.stderr).toMatch(
            /The console password of IAM user "bg-declared" in account 123456789012 expired at /,
        );
        await project.expectPulumi(["up", "--yes", "--skip-preview"]);

        const restored = await passwordOf("bg-expiring");
        expect(await emulator.signIn("bg-expiring", restored)).toEqual({ signedIn: true });
        expect(await emulator.signIn("bg-declared", DECLARED)).toEqual({ signedIn: false, reason: "expired", hardExpiry: true });
        await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
        await emulator.configure({ clockOffsetSeconds: 0 });
    });
});

describe("rotation by age", () => {
    test('with rotateAfter "20s", a preview 25 s on shows [diff: ~password] with no IAM call, and up rotates with one UpdateLoginProfile', async () => {
        await iam.createUser("bg-aged");
        await project.initStack("age", [sealed("bg-aged", { rotateAfter: "20s" })], {});
        await project.expectPulumi(["up", "--yes", "--skip-preview"]);
        const first = await passwordOf("bg-aged");
        await project.expectPulumi(["preview", "--expect-no-changes"]);

        await new Promise((resolve) => setTimeout(resolve, 25_000));
        let preview = { stdout: "" };
        const previewCalls = await callsDuring(emulator, async () => (preview = await project.expectPulumi(["preview"])));

        expect(previewCalls).toEqual({});
        expect(preview.stdout).toMatch(
            new RegExp(`~ +${LOGIN_PROFILE_TYPE.replace(/\//g, "\\/")} +bg-aged +update +\\[diff: ~password\\]`),
        );
        const upCalls = await callsDuring(emulator, () => project.expectPulumi(["up", "--yes", "--skip-preview"]));
        expect(upCalls).toEqual({ GetAccountPasswordPolicy: 1, UpdateLoginProfile: 1 });
        const rotated = await passwordOf("bg-aged");
        expect(rotated === first).toBe(false);
        expect(await emulator.signIn("bg-aged", rotated)).toEqual({ signedIn: true });
        await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });
});

describe("rotation by age, through the plugin", () => {
    test('a YAML program with rotateAfter "20s": a preview 25 s on shows [diff: ~password] with no IAM call, and up rotates', async () => {
        await iam.createUser("bg-yaml-aged");
        const yaml = TestProject.createYaml(
            emulator.endpoint,
            [
                "runtime: yaml",
                "resources:",
                "  aged:",
                `    type: ${PLUGIN_LOGIN_PROFILE_TYPE}`,
                "    properties:",
                "      userName: bg-yaml-aged",
                "      rotateAfter: 20s",
                "      pgpKey: |",
                ...key.publicKey
                    .trim()
                    .split("\n")
                    .map((line) => `        ${line}`),
                "",
            ].join("\n"),
        );
        try {
            await yaml.expectPulumi(["stack", "init", "age", "--non-interactive"]);
            await yaml.expectPulumi(["up", "--yes", "--skip-preview"]);
            const encrypted = async (): Promise<string> => String((await stateOf(yaml, "bg-yaml-aged")).outputs?.encryptedPassword);
            const first = await encrypted();
            await yaml.expectPulumi(["preview", "--expect-no-changes"]);

            await new Promise((resolve) => setTimeout(resolve, 25_000));
            let preview = { stdout: "" };
            const previewCalls = await callsDuring(emulator, async () => (preview = await yaml.expectPulumi(["preview"])));

            expect(previewCalls).toEqual({});
            expect(preview.stdout).toMatch(new RegExp(`~ +${PLUGIN_LOGIN_PROFILE_TYPE} +aged +update +\\[diff: ~password\\]`));
            const upCalls = await callsDuring(emulator, () => yaml.expectPulumi(["up", "--yes", "--skip-preview"]));
            expect(upCalls).toEqual({ GetAccountPasswordPolicy: 1, UpdateLoginProfile: 1 });
            const rotated = await encrypted();
            expect(rotated).not.toBe(first);
            const password = await decryptPassword(rotated, key.privateKey);
            secrets.push(password);
            expect(await emulator.signIn("bg-yaml-aged", password)).toEqual({ signedIn: true });
            recordStateFilesUnder(yaml.dir);
            await yaml.expectPulumi(["destroy", "--yes", "--skip-preview"]);
        } finally {
            yaml.dispose();
        }
    });
});

describe("rotation after use", () => {
    test("with rotateAfterUse, a sign-in makes refresh show drift; up sets a new password that signs in", async () => {
        await iam.createUser("bg-used");
        await project.initStack("use", [sealed("bg-used", { rotateAfterUse: true })], {});
        await project.expectPulumi(["up", "--yes", "--skip-preview"]);
        const first = await passwordOf("bg-used");
        // IAM reports a use to the second: sign in a second after the set at least.
        await new Promise((resolve) => setTimeout(resolve, 1100));
        expect(await emulator.signIn("bg-used", first)).toEqual({ signedIn: true });

        const refresh = await project.expectPulumi(["refresh", "--yes", "--skip-preview"]);
        expect(refresh.stdout).toMatch(updatedLine(LOGIN_PROFILE_TYPE, "bg-used", "password"));
        expect((await stateOf(project, "bg-used")).outputs?.rotationDue).toBe("used");
        await project.expectPulumi(["up", "--yes", "--skip-preview"]);

        const rotated = await passwordOf("bg-used");
        expect(rotated === first).toBe(false);
        expect(await emulator.signIn("bg-used", rotated)).toEqual({ signedIn: true });
        expect(await emulator.signIn("bg-used", first)).toEqual({ signedIn: false, reason: "wrong-password" });
        await project.expectPulumi(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
        await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });
});

describe("custodians, 2 of 3", () => {
    test("a TypeScript program: two decrypted shares combined sign in; one share, or a tampered one, fails with its message", async () => {
        await iam.createUser("bg-custodians");
        await project.initStack(
            "custodians",
            [
                {
                    name: "bg-custodians",
                    userName: "bg-custodians",
                    passwordKey: "none",
                    extra: { password: null, pgpKeys: custodians.map((c) => c.publicKey), threshold: 2 },
                },
            ],
            {},
        );
        await project.expectPulumi(["up", "--yes", "--skip-preview"]);
        await expectCustodiansOpen(project, "bg-custodians");
        await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });

    test("a YAML program on the plugin: the same", async () => {
        await iam.createUser("bg-yaml");
        const keys = custodians.flatMap((c) => [
            "        - |",
            ...c.publicKey
                .trim()
                .split("\n")
                .map((line) => `          ${line}`),
        ]);
        const yaml = TestProject.createYaml(
            emulator.endpoint,
            [
                "runtime: yaml",
                "resources:",
                "  custodians:",
                `    type: ${PLUGIN_LOGIN_PROFILE_TYPE}`,
                "    properties:",
                "      userName: bg-yaml",
                "      threshold: 2",
                "      pgpKeys:",
                ...keys,
                "",
            ].join("\n"),
        );
        try {
            await yaml.expectPulumi(["stack", "init", "custodians", "--non-interactive"]);
            await yaml.expectPulumi(["up", "--yes", "--skip-preview"]);
            await expectCustodiansOpen(yaml, "bg-yaml");
            recordStateFilesUnder(yaml.dir);
            await yaml.expectPulumi(["destroy", "--yes", "--skip-preview"]);
        } finally {
            yaml.dispose();
        }
    });
});

test("no password or share is in any CLI output, state file or emulator log", () => {
    recordStateFilesUnder(project.dir);
    record(emulator.log());
    expect(secrets.length).toBeGreaterThan(10);
    expect(leakedPasswords(secrets)).toEqual([]);
});
