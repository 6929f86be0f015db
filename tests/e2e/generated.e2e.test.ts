/**
 * Generated passwords and PGP-encrypted output on the real Pulumi CLI, against the emulator with
 * the account password policy enforced: what the emulator accepts is what AWS would accept.
 */
import { IAMClient, UpdateAccountPasswordPolicyCommand } from "@aws-sdk/client-iam";
import { satisfiesPolicy, type PasswordPolicy } from "../../provider/password/policy";
import { callsDuring, startEmulator, type Emulator } from "../support/emulator";
import { Iam } from "../support/iam";
import { decryptPassword, generateTestKeyPair } from "../unit/pgpKeys";
import { requirePulumiCli, TestProject, type ProfileSpec, type StateResource } from "./harness";

jest.setTimeout(180_000);

/** The account policy the emulator enforces in this suite. */
const POLICY: PasswordPolicy = {
    source: "account",
    minimumLength: 30,
    requireUppercase: true,
    requireLowercase: true,
    requireNumbers: true,
    requireSymbols: true,
};

let emulator: Emulator;
let iam: Iam;
let project: TestProject;
let keys: { publicKey: string; privateKey: string };

/** The first LoginProfile in state, secrets shown (the test reads the generated password). */
async function profileWithSecrets(): Promise<StateResource> {
    const exported = await project.exportStack(true);
    const found = (exported.deployment.resources ?? []).find((r) => r.type.endsWith("LoginProfile"));
    if (!found) {
        throw new Error("no LoginProfile in state");
    }
    return found;
}

/** The plaintext of a secret in `pulumi stack export --show-secrets`. */
function shownSecret(value: unknown): string {
    const plaintext = (value as { plaintext?: unknown } | undefined)?.plaintext;
    if (typeof plaintext !== "string") {
        throw new Error("not a shown secret");
    }
    return JSON.parse(plaintext) as string;
}

function generated(userName: string, extra: Record<string, unknown>): ProfileSpec {
    return { name: userName, userName, passwordKey: "none", extra: { password: null, ...extra } };
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
            MinimumPasswordLength: POLICY.minimumLength,
            RequireUppercaseCharacters: true,
            RequireLowercaseCharacters: true,
            RequireNumbers: true,
            RequireSymbols: true,
        }),
    );
    client.destroy();
    await emulator.configure({ enforcePasswordPolicy: true });
    keys = await generateTestKeyPair("e2e");
    project = TestProject.create(emulator.endpoint);
});

afterAll(async () => {
    iam?.close();
    await emulator?.stop();
    project?.dispose();
});

describe("generated passwords", () => {
    let firstPassword = "";

    test("up generates a password that satisfies the account policy of 30 and the emulator accepts, with passwordLength omitted", async () => {
        await iam.createUser("gen");
        await project.initStack("gen", [generated("gen", {})], {});

        const calls = await callsDuring(emulator, () => project.expectPulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ GetCallerIdentity: 1, GetAccountPasswordPolicy: 1, CreateLoginProfile: 1 });
        const state = await profileWithSecrets();
        firstPassword = shownSecret(state.outputs?.password);
        // The default length is the larger of 20 and the policy's minimum.
        expect(firstPassword).toHaveLength(30);
        expect(satisfiesPolicy(firstPassword, POLICY)).toBe(true);
        expect(await iam.profile("gen")).toMatchObject({ userName: "gen" });
        await project.expectPulumi(["preview", "--expect-no-changes"]);
    });

    test("a new rotationTrigger generates a new password in place", async () => {
        await project.configure([generated("gen", { rotationTrigger: "2026-11" })], {});
        const preview = await project.expectPulumi(["preview", "--diff"]);
        expect(preview.stdout).toContain("~ pulumi-nodejs:dynamic/aws-iam:LoginProfile: (update)");
        expect(preview.stdout).not.toContain("replace");

        const calls = await callsDuring(emulator, () => project.expectPulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ GetAccountPasswordPolicy: 1, UpdateLoginProfile: 1 });
        const rotated = shownSecret((await profileWithSecrets()).outputs?.password);
        expect(rotated).not.toBe(firstPassword);
        expect(rotated).toHaveLength(30);
        expect(satisfiesPolicy(rotated, POLICY)).toBe(true);
        await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });
});

describe("PGP-encrypted password", () => {
    test("a declared passwordLength below the policy fails before any profile is created; encryptedPassword decrypts to a password within the policy; no plaintext in state", async () => {
        await iam.createUser("pgp");
        await project.initStack("pgp", [generated("pgp", { pgpKey: keys.publicKey, passwordLength: 20 })], {});
        const tooShort = await project.expectPulumi(["up", "--yes", "--skip-preview"], 1);
        expect(tooShort.stdout).toContain(
            "passwordLength is 20, but the account's password policy requires passwords of at least 30 characters: raise passwordLength to at least 30",
        );
        expect(await iam.profile("pgp")).toBeUndefined();

        await project.configure([generated("pgp", { pgpKey: keys.publicKey, passwordLength: 36 })], {});
        await project.expectPulumi(["up", "--yes", "--skip-preview"]);

        const state = await profileWithSecrets();
        expect(state.outputs).not.toHaveProperty("password");
        const encrypted = String(state.outputs?.encryptedPassword);
        const password = await decryptPassword(encrypted, keys.privateKey);

        expect(password).toHaveLength(36);
        expect(satisfiesPolicy(password, POLICY)).toBe(true);
        const shown = await project.expectPulumi(["stack", "export", "--show-secrets"]);
        expect(shown.stdout).not.toContain(password);
        expect(await iam.profile("pgp")).toMatchObject({ userName: "pgp" });
        await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });
});
