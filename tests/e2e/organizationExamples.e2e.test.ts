/**
 * The organization examples run as users would run them, on the real CLI against the emulator:
 * `examples/organization` (TypeScript, the dynamic resource, installed from the package tarball)
 * and `examples/organization/yaml` (the plugin, one explicit provider per account). Each seals the
 * break-glass user's password to a PGP key in every account, lists each account's console users,
 * and destroys; the password decrypted with the private key signs in, in that account only. The
 * emulator keeps each credential report four hours, as AWS does: the lists must be current anyway.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../support/emulator";
import { Iam } from "../support/iam";
import { decryptPassword, generateTestKeyPair, type TestKeyPair } from "../unit/pgpKeys";
import { installPlugin, leakedPasswords, projectEnv, REPO, requirePulumiCli, runPulumi, TestProject } from "./harness";

jest.setTimeout(300_000);

const USER = "breakglass";
const DEFAULT_ACCOUNT = "123456789012";
const MEMBERS = ["111111111111", "222222222222"] as const;
const EXTERNAL_ID = "org-example-external-id-51c0";

let emulator: Emulator;
let keys: TestKeyPair;
const decrypted: string[] = [];

beforeAll(async () => {
    console.log(`e2e: ${requirePulumiCli()}`);
    emulator = await startEmulator();
    keys = await generateTestKeyPair("break-glass");
});

afterAll(async () => {
    await emulator.stop();
    // Every password decrypted here stayed out of every output and state file.
    expect(leakedPasswords([...decrypted, EXTERNAL_ID])).toEqual([]);
});

/** Creates `breakglass` in the default account and in each member account. */
async function breakGlassUsers(): Promise<void> {
    await emulator.reset();
    const home = new Iam(emulator.endpoint);
    await home.createUser(USER);
    home.close();
    for (const account of MEMBERS) {
        const admin = await Iam.inAccount(emulator.endpoint, account);
        await admin.createUser(USER);
        admin.close();
    }
}

/** Decrypts a sealed password (never printed) and tells whether it signs in in `account` only. */
async function expectSealedFor(account: string, encryptedPassword: string): Promise<void> {
    const password = await decryptPassword(encryptedPassword, keys.privateKey);
    decrypted.push(password);
    await expect(emulator.signsIn(USER, password, account)).resolves.toBe(true);
    const others = [DEFAULT_ACCOUNT, ...MEMBERS].filter((other) => other !== account);
    for (const other of others) {
        await expect(emulator.signsIn(USER, password, other)).resolves.toBe(false);
    }
}

describe("examples/organization (TypeScript)", () => {
    test("seals the password in the program's own account and in each member, lists each account with no false finding, destroys", async () => {
        await breakGlassUsers();
        // A contractor of the first member account has a console password before the first run.
        const member = await Iam.inAccount(emulator.endpoint, MEMBERS[0]);
        await member.createUser("contractor");
        await member.createProfile("contractor", "Contr4ctor-Console-Passw0rd!");
        const project = TestProject.create(emulator.endpoint, undefined, path.join(REPO, "examples", "organization"));
        try {
            await project.expectPulumi(["stack", "init", "org"]);
            await project.expectPulumi(["config", "set", "accounts", JSON.stringify(MEMBERS)]);
            await project.setConfig("externalId", EXTERNAL_ID, true);
            await project.setConfig("pgpKey", keys.publicKey);

            type Shown = Record<
                string,
                { accountId: string; encryptedPassword: string; keyFingerprint: string; consoleUsers: string[]; findings: string[] }
            >;
            const shown = async (): Promise<Shown> =>
                JSON.parse((await project.expectPulumi(["stack", "output", "breakGlassProfiles", "--json"])).stdout) as Shown;

            await project.expectPulumi(["up", "--yes", "--skip-preview"]);

            // Each inventory waited for its account's profile: the break-glass user is listed at once.
            const first = await shown();
            expect(Object.keys(first).sort()).toEqual([...MEMBERS, "own"].sort());
            expect(first[MEMBERS[0]]).toMatchObject({ consoleUsers: ["breakglass", "contractor"], findings: ["contractor"] });
            for (const [key, account] of [["own", DEFAULT_ACCOUNT], ...MEMBERS.map((m) => [m, m])] as const) {
                expect(first[key]).toMatchObject({ accountId: account, keyFingerprint: keys.fingerprint });
                await expectSealedFor(account, first[key]?.encryptedPassword ?? "");
            }
            for (const key of ["own", MEMBERS[1]]) {
                expect(first[key]).toMatchObject({ consoleUsers: [USER], findings: [] });
            }

            // Within the four hours AWS keeps the report that run made: the contractor's password is
            // removed, and a newcomer is given one.
            await member.deleteProfile("contractor");
            await member.createUser("newcomer");
            await member.createProfile("newcomer", "Newc0mer-Console-Passw0rd!");
            await project.expectPulumi(["up", "--yes", "--skip-preview"]);

            const second = await shown();
            expect(second[MEMBERS[0]]).toMatchObject({ consoleUsers: ["breakglass", "newcomer"], findings: ["newcomer"] });
            member.close();
            await project.expectPulumi(["refresh", "--yes", "--skip-preview"]);
            await project.expectPulumi(["preview", "--expect-no-changes"]);

            await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
            // The destroy's, and in the first member account also the test's own delete of the contractor's.
            for (const account of [DEFAULT_ACCOUNT, ...MEMBERS]) {
                const profiles = (await emulator.calls(account)).calls.DeleteLoginProfile;
                expect(profiles).toBe(account === MEMBERS[0] ? 2 : 1);
            }
        } finally {
            project.dispose();
        }
    });
});

describe("examples/organization/yaml (the plugin, one explicit provider per account)", () => {
    test("seals the password in each member account, lists each account, destroys", async () => {
        await breakGlassUsers();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lp-org-yaml-"));
        fs.copyFileSync(path.join(REPO, "examples", "organization", "yaml", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        const env = projectEnv(dir, emulator.endpoint);
        installPlugin(env, dir);
        const pulumi = (args: readonly string[], input?: string): string => runPulumi(dir, env, args, input);
        try {
            pulumi(["stack", "init", "org"]);
            pulumi(["config", "set", "firstRoleArn", `arn:aws:iam::${MEMBERS[0]}:role/OrganizationBreakGlass`]);
            pulumi(["config", "set", "secondRoleArn", `arn:aws:iam::${MEMBERS[1]}:role/OrganizationBreakGlass`]);
            pulumi(["config", "set", "--secret", "externalId"], EXTERNAL_ID);
            pulumi(["config", "set", "pgpKey"], keys.publicKey);

            pulumi(["up", "--yes", "--skip-preview"]);
            pulumi(["up", "--yes", "--skip-preview"]);

            const outputs = JSON.parse(pulumi(["stack", "output", "--json"])) as Record<string, unknown>;
            expect(outputs).toMatchObject({
                firstAccountId: MEMBERS[0],
                secondAccountId: MEMBERS[1],
                firstConsoleUsers: [expect.objectContaining({ userName: USER })],
                secondConsoleUsers: [expect.objectContaining({ userName: USER })],
            });
            await expectSealedFor(MEMBERS[0], String(outputs.firstEncryptedPassword));
            await expectSealedFor(MEMBERS[1], String(outputs.secondEncryptedPassword));
            // The external id is encrypted in the state of each provider and profile.
            expect(pulumi(["stack", "export"])).not.toContain(EXTERNAL_ID);

            pulumi(["destroy", "--yes", "--skip-preview"]);
            for (const account of MEMBERS) {
                expect((await emulator.calls(account)).calls.DeleteLoginProfile).toBe(1);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
