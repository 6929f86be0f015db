/**
 * Every behaviour users rely on, on the real Pulumi CLI against the IAM emulator, with the package
 * installed from its tarball. Scenarios share one project (one npm install) and use a stack each.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { callsDuring } from "../support/emulator";
import { e2eSuite } from "./suite";
import { isSecretEnvelope, leakedPasswords, packPackage, type ProfileSpec } from "./harness";

jest.setTimeout(180_000);

const PASSWORDS = {
    first: "E2e-First-Passw0rd!",
    second: "E2e-Second-Passw0rd#",
    third: "E2e-Third-Passw0rd$",
    adopted: "E2e-Adopted-Passw0rd%",
    outOfBand: "E2e-OutOfBand-Passw0rd^",
    plain: "E2e-Plain-Passw0rd&",
    badCharacter: "E2e-Bad-Passw0rd-\u{1F600}",
};
const ALL_PASSWORDS = Object.values(PASSWORDS);

// With exactly the permissions of the documented policy (docs/iam-policy.json).
const suite = e2eSuite({ leastPrivilege: true });

/** The steps `pulumi preview --json` plans for LoginProfile resources, as "op:name". */
async function plannedSteps(): Promise<string[]> {
    const result = await suite.project.expectPulumi(["preview", "--json"]);
    const plan = JSON.parse(result.stdout) as { steps?: { op: string; urn: string }[] };
    return (plan.steps ?? []).filter((s) => s.urn.includes("LoginProfile")).map((s) => `${s.op}:${s.urn.split("::").pop() ?? ""}`);
}

function profile(name: string, userName: string, passwordKey: keyof typeof PASSWORDS, extra: Partial<ProfileSpec> = {}): ProfileSpec {
    return { name, userName, passwordKey, ...extra };
}

describe("pulumi up, preview, refresh and destroy of a LoginProfile", () => {
    test("a. up creates the profile; preview then shows no changes; outputs as designed, password [secret]", async () => {
        await suite.iam.createUser("alice");
        await suite.project.initStack("a", [profile("alice", "alice", "first", { passwordResetRequired: true })], PASSWORDS);

        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["up", "--yes"]));
        // The account of the default credentials (the output accountId), asked once per provider process.
        expect(calls).toEqual({ GetCallerIdentity: 1, CreateLoginProfile: 1 });
        expect(await callsDuring(suite.emulator, () => suite.project.expectPulumi(["preview", "--expect-no-changes"]))).toEqual({});

        const [state] = await suite.project.profilesInState();
        expect(state?.id).toBe("alice");
        expect(state?.outputs).toMatchObject({ userName: "alice", passwordResetRequired: true, passwordResetPending: true });
        expect(isSecretEnvelope(state?.outputs?.password)).toBe(true);
        expect(isSecretEnvelope(state?.inputs?.password)).toBe(true);
        expect(String(state?.outputs?.createDate)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
        expect(await suite.iam.profile("alice")).toMatchObject({ userName: "alice", passwordResetRequired: true });

        const shown = await suite.project.expectPulumi(["stack", "output", "outputs"]);
        expect(shown.stdout).toContain("[secret]");
    });

    test("b. a new password is an in-place update with one UpdateLoginProfile call", async () => {
        await suite.project.configure([profile("alice", "alice", "second", { passwordResetRequired: true })], PASSWORDS);
        expect(await plannedSteps()).toEqual(["update:alice"]);
        const diff = await suite.project.expectPulumi(["preview", "--diff"]);
        expect(diff.stdout).toContain("~ pulumi-nodejs:dynamic/aws-iam:LoginProfile: (update)");
        expect(diff.stdout).not.toContain("replace");

        expect(await callsDuring(suite.emulator, () => suite.project.expectPulumi(["up", "--yes"]))).toEqual({ UpdateLoginProfile: 1 });
        await suite.project.expectPulumi(["preview", "--expect-no-changes"]);
    });

    test("c. a changed passwordResetRequired is an in-place update", async () => {
        await suite.project.configure([profile("alice", "alice", "second", { passwordResetRequired: false })], PASSWORDS);
        expect(await plannedSteps()).toEqual(["update:alice"]);
        expect(await callsDuring(suite.emulator, () => suite.project.expectPulumi(["up", "--yes"]))).toEqual({ UpdateLoginProfile: 1 });
        expect(await suite.iam.profile("alice")).toMatchObject({ passwordResetRequired: false });
        const [state] = await suite.project.profilesInState();
        expect(state?.outputs).toMatchObject({ passwordResetRequired: false, passwordResetPending: false });
    });

    test("d. a changed userName replaces the profile, deleting the old one first", async () => {
        await suite.iam.createUser("bob");
        await suite.project.configure([profile("alice", "bob", "second")], PASSWORDS);
        expect(await plannedSteps()).toEqual(["replace:alice"]);

        let output = "";
        const calls = await callsDuring(suite.emulator, async () => (output = (await suite.project.expectPulumi(["up", "--yes"])).stdout));
        expect(calls).toEqual({ DeleteLoginProfile: 1, GetCallerIdentity: 1, CreateLoginProfile: 1 });
        const deleted = output.indexOf("LoginProfile alice deleted original");
        expect(deleted).toBeGreaterThan(-1);
        expect(output.indexOf("LoginProfile alice created replacement")).toBeGreaterThan(deleted);
        expect(await suite.iam.profile("alice")).toBeUndefined();
        expect(await suite.iam.profile("bob")).toMatchObject({ userName: "bob" });
        const states = await suite.project.profilesInState();
        expect(states.map((s) => s.id)).toEqual(["bob"]);
    });

    test("e. a profile deleted out of band is dropped by refresh and recreated by up", async () => {
        await suite.iam.deleteProfile("bob");
        const refresh = await suite.project.expectPulumi(["refresh", "--yes"]);
        expect(refresh.stdout).toMatch(/- +pulumi-nodejs:dynamic\/aws-iam:LoginProfile +alice +deleted/);
        expect(await suite.project.profilesInState()).toEqual([]);

        expect(await callsDuring(suite.emulator, () => suite.project.expectPulumi(["up", "--yes"]))).toEqual({
            GetCallerIdentity: 1,
            CreateLoginProfile: 1,
        });
        expect(await suite.iam.profile("bob")).toMatchObject({ userName: "bob" });
    });

    test("f. the first sign-in clears passwordResetPending on refresh, shown as no change, and the next preview shows none", async () => {
        await suite.project.configure([profile("alice", "bob", "second", { passwordResetRequired: true })], PASSWORDS);
        await suite.project.expectPulumi(["up", "--yes"]);
        expect((await suite.project.profilesInState())[0]?.outputs).toMatchObject({
            passwordResetRequired: true,
            passwordResetPending: true,
        });

        await suite.iam.setResetFlag("bob", false); // what AWS does when the user sets a new password at sign-in
        const refresh = await suite.project.expectPulumi(["refresh", "--yes", "--diff"]);

        expect(refresh.stdout).toMatch(/Resources:\s+2 unchanged/);
        expect((await suite.project.profilesInState())[0]?.outputs).toMatchObject({
            passwordResetRequired: true,
            passwordResetPending: false,
        });
        expect(await callsDuring(suite.emulator, () => suite.project.expectPulumi(["preview", "--expect-no-changes"]))).toEqual({});
    });

    test("f. a reset forced out of band shows as drift on passwordResetRequired, and up clears it", async () => {
        await suite.project.configure([profile("alice", "bob", "second", { passwordResetRequired: false })], PASSWORDS);
        await suite.project.expectPulumi(["up", "--yes"]);
        await suite.iam.setResetFlag("bob", true);

        const refresh = await suite.project.expectPulumi(["refresh", "--yes", "--diff"]);

        expect(refresh.stdout).toMatch(/~ +passwordResetRequired *: *false => true/);
        expect((await suite.project.profilesInState())[0]?.outputs).toMatchObject({
            passwordResetRequired: false,
            passwordResetPending: true,
        });
        expect(await callsDuring(suite.emulator, () => suite.project.expectPulumi(["up", "--yes", "--skip-preview"]))).toEqual({
            UpdateLoginProfile: 1,
        });
        expect(await suite.iam.profile("bob")).toMatchObject({ passwordResetRequired: false });
    });

    test("j. destroy removes every profile; a second destroy changes nothing", async () => {
        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["destroy", "--yes"]));
        expect(calls).toEqual({ DeleteLoginProfile: 1 });
        expect(await suite.iam.profile("bob")).toBeUndefined();
        expect(await suite.project.profilesInState()).toEqual([]);
        expect(await callsDuring(suite.emulator, () => suite.project.expectPulumi(["destroy", "--yes"]))).toEqual({});
    });

    test("j. destroy succeeds after the IAM user was deleted out of band", async () => {
        await suite.iam.createUser("carol");
        await suite.project.initStack("j", [profile("carol", "carol", "first")], PASSWORDS);
        await suite.project.expectPulumi(["up", "--yes"]);
        await suite.iam.deleteProfile("carol"); // IAM refuses to delete a user that still has a profile
        await suite.iam.deleteUser("carol");
        expect(await callsDuring(suite.emulator, () => suite.project.expectPulumi(["destroy", "--yes"]))).toEqual({
            DeleteLoginProfile: 1,
        });
        expect(await suite.project.profilesInState()).toEqual([]);
    });
});

describe("taking over, preview without AWS, bad input", () => {
    test("g. an existing profile fails up with a message naming the user and the way out; adoptExisting takes it over", async () => {
        await suite.iam.createUser("dave");
        await suite.iam.createProfile("dave", PASSWORDS.outOfBand);
        await suite.project.initStack("g", [profile("dave", "dave", "adopted", { passwordResetRequired: true })], PASSWORDS);

        const failed = await suite.project.expectPulumi(["up", "--yes"], 1);
        expect(failed.stdout).toContain(
            'IAM user "dave" already has a login profile (console password) that this resource does not manage (another stack, another LoginProfile in this program, someone outside Pulumi, or a pulumi up killed while creating it made it). To take it over, set `adoptExisting: true` on this LoginProfile',
        );
        expect(await suite.project.profilesInState()).toEqual([]);

        await suite.project.configure(
            [profile("dave", "dave", "adopted", { passwordResetRequired: true, adoptExisting: true })],
            PASSWORDS,
        );
        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["up", "--yes"]));
        expect(calls).toEqual({ GetCallerIdentity: 1, CreateLoginProfile: 1, UpdateLoginProfile: 1, GetLoginProfile: 1 });
        expect(await suite.iam.profile("dave")).toMatchObject({ passwordResetRequired: true });
        expect((await suite.project.profilesInState()).map((s) => s.id)).toEqual(["dave"]);
        await suite.project.expectPulumi(["preview", "--expect-no-changes"]);
        await suite.project.expectPulumi(["destroy", "--yes"]);
    });

    test("g. the import resource option fails on this engine (the dynamic provider gets no code to load), so adoptExisting is the way", async () => {
        await suite.iam.createUser("judy");
        await suite.iam.createProfile("judy", PASSWORDS.outOfBand, true);
        await suite.project.initStack(
            "import",
            [profile("judy", "judy", "adopted", { passwordResetRequired: true, importId: "judy" })],
            PASSWORDS,
        );

        const calls = await callsDuring(suite.emulator, async () => {
            const imported = await suite.project.expectPulumi(["up", "--yes", "--skip-preview"], 1);
            expect(imported.stdout).toContain("LoginProfile judy **importing failed** error: code must be a string, not undefined");
        });
        expect(calls).toEqual({});
        expect(await suite.project.profilesInState()).toEqual([]);
    });

    test("h. preview of a new stack needs no credentials and no reachable endpoint", async () => {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "lp-nocreds-"));
        await suite.project.initStack("h", [profile("erin", "erin", "first")], PASSWORDS);
        const calls = await callsDuring(suite.emulator, () =>
            suite.project.expectPulumi(["preview"], 0, {
                AWS_ENDPOINT_URL_IAM: "http://127.0.0.1:9",
                AWS_ACCESS_KEY_ID: undefined,
                AWS_SECRET_ACCESS_KEY: undefined,
                AWS_PROFILE: undefined,
                AWS_CONFIG_FILE: path.join(home, "none"),
                AWS_SHARED_CREDENTIALS_FILE: path.join(home, "none"),
                AWS_EC2_METADATA_DISABLED: "true",
            }),
        );
        expect(calls).toEqual({});
        fs.rmSync(home, { recursive: true, force: true });
    });

    test("i. bad input fails preview naming the property and the rule; nothing is created", async () => {
        await suite.project.initStack("i", [profile("frank", "frank smith", "first")], PASSWORDS);
        const calls = await callsDuring(suite.emulator, async () => {
            const failed = await suite.project.expectPulumi(["preview"], 1);
            expect(failed.stdout).toContain(
                'userName may hold only ASCII letters, digits and _+=,.@- (IAM\'s [\\w+=,.@-]); it contains " "',
            );
            await suite.project.expectPulumi(["up", "--yes"], 1);

            await suite.project.configure([profile("frank", "frank", "badCharacter")], PASSWORDS);
            const badPassword = await suite.project.expectPulumi(["preview"], 1);
            expect(badPassword.stdout).toContain(
                "LoginProfile resource 'frank' has a problem: password may hold only tab, line feed, carriage return and the characters U+0020 to U+00FF; it holds another character",
            );
        });
        expect(calls).toEqual({});
        expect(await suite.project.profilesInState()).toEqual([]);
    });

    test("a plain-string password is stored as a secret all the same", async () => {
        await suite.iam.createUser("grace");
        await suite.project.initStack("plain", [profile("grace", "grace", "plain", { plainPassword: true })], PASSWORDS);
        await suite.project.expectPulumi(["up", "--yes"], 0, { E2E_PLAIN_PASSWORD: PASSWORDS.plain });
        const [state] = await suite.project.profilesInState();
        expect(isSecretEnvelope(state?.inputs?.password)).toBe(true);
        expect(isSecretEnvelope(state?.outputs?.password)).toBe(true);
        await suite.project.expectPulumi(["destroy", "--yes"]);
    });
});

describe("upgrade and sizes", () => {
    test("k. a stack created with one build is refreshed and destroyed by the newer build", async () => {
        await suite.iam.createUser("heidi");
        await suite.project.initStack("k", [profile("heidi", "heidi", "first")], PASSWORDS);
        await suite.project.expectPulumi(["up", "--yes"]);

        const marker = path.join(suite.project.dir, "upgrade-marker.log");
        suite.project.installPackage(newerBuild(marker));
        await suite.project.expectPulumi(["refresh", "--yes", "--skip-preview"]);
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
        expect(fs.readFileSync(marker, "utf8").trim().split("\n")).toEqual(["read heidi", "delete heidi"]);
    });

    test("prints the serialized provider's bytes and the whole state's bytes per resource", async () => {
        await suite.iam.createUser("ivan");
        await suite.project.initStack("sizes", [profile("ivan", "ivan", "first")], PASSWORDS);
        await suite.project.expectPulumi(["up", "--yes"]);
        const [state] = await suite.project.profilesInState();
        const providerBytes = Buffer.byteLength(String(state?.outputs?.__provider));
        const stateBytes = Buffer.byteLength(JSON.stringify(state));
        console.log(
            `e2e sizes (installed package): serialized provider ${providerBytes} bytes; whole state per resource ${stateBytes} bytes`,
        );
        expect(providerBytes).toBeLessThanOrEqual(2048);
        await suite.project.expectPulumi(["destroy", "--yes"]);
    });
});

describe("l. secret scan", () => {
    test("no test password appears in plaintext in any CLI output, stack export, state file or serialized provider", async () => {
        for (const stack of ["a", "j", "g", "import", "h", "i", "plain", "k", "sizes"]) {
            await suite.project.expectPulumi(["stack", "select", stack]);
            await suite.project.exportStack();
        }
        suite.project.recordStateFiles();
        expect(leakedPasswords(ALL_PASSWORDS)).toEqual([]);
    });
});

/**
 * A newer build of the package: the same code with a higher version whose read and delete hooks
 * also append a line to `marker`, so the test can tell which build ran.
 */
function newerBuild(marker: string): string {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "lp-newer-"));
    execFileSync("tar", ["-xzf", packPackage(), "-C", work]);
    const pkgDir = path.join(work, "package");
    const manifestPath = path.join(pkgDir, "package.json");
    const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { version: string };
    manifest.version = "99.0.0";
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const hooksPath = path.join(pkgDir, "dist", "hooks.js");
    const log = JSON.stringify(marker);
    fs.appendFileSync(
        hooksPath,
        `\nconst __fs = require("node:fs");\n` +
            `const __read = exports.read; exports.read = (id, props) => { __fs.appendFileSync(${log}, "read " + id + "\\n"); return __read(id, props); };\n` +
            `const __delete = exports.delete; exports.delete = (id, props) => { __fs.appendFileSync(${log}, "delete " + id + "\\n"); return __delete(id, props); };\n`,
    );
    // --ignore-scripts: the package's `prepare` builds from sources, which a packed package does not hold.
    execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", work], { cwd: pkgDir, stdio: "ignore" });
    return path.join(work, "pulumi-iam-login-profile-99.0.0.tgz");
}
