/**
 * Upgrading: stacks made by the package and the plugin as users have them from before `provider/`
 * was arranged by concept (tests/e2e/fixtures/upgrade/, built from commit b94693f), then refreshed,
 * updated and destroyed with this tree's package and plugin. The dynamic resource's state holds
 * its serialized provider, which loads the package's modules by their public names
 * (`pulumi-iam-login-profile/serializedProvider`, `…/hooks`) and runs on refresh and delete: a moved
 * or renamed export breaks every existing stack, and this suite fails. Each stack has a declared
 * password and a generated one encrypted to a PGP key; every output and state file is scanned for
 * the passwords.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { callsDuring, startEmulator, type Emulator } from "../support/emulator";
import { Iam } from "../support/iam";
import { policyActions } from "../support/policy";
import { decryptPassword, generateTestKeyPair, type TestKeyPair } from "../unit/pgpKeys";
import {
    filesUnder,
    isSecretEnvelope,
    leakedPasswords,
    packPackage,
    PLATFORM,
    PLUGIN_LOGIN_PROFILE_TYPE,
    pluginReleases,
    projectEnv,
    recordStateFilesUnder,
    requirePulumiCli,
    runPulumi,
    runTool,
    TestProject,
    VERSION,
    yamlProfiles,
    type ProfileSpec,
    type StateResource,
} from "./harness";

jest.setTimeout(300_000);

const FIXTURES = path.join(__dirname, "fixtures", "upgrade");
/** The package's `npm pack` tarball of commit b94693f (dist/ in the flat layout). */
const OLD_PACKAGE = path.join(FIXTURES, "pulumi-iam-login-profile-0.1.0.tgz");
/** The plugin's linux-amd64 release of commit b94693f. */
const OLD_PLUGIN = path.join(FIXTURES, "pulumi-resource-iam-login-profile-v0.1.0-linux-amd64.tar.gz");
/** The serialized provider as the old package stored it: the package's module by its public name. */
const STORED_PROVIDER = 'require("pulumi-iam-login-profile/serializedProvider")';

const PASSWORDS = {
    first: "Upgrade-First-Passw0rd!",
    second: "Upgrade-Second-Passw0rd#",
    pluginFirst: "Upgrade-Plugin-First-Passw0rd$",
    pluginSecond: "Upgrade-Plugin-Second-Passw0rd%",
};
/** The generated passwords, decrypted from encryptedPassword: scanned for too, never printed. */
const generatedPasswords: string[] = [];

let emulator: Emulator;
let iam: Iam;
let keys: TestKeyPair;
let work: string;

/** sha256 of a file's bytes. */
function sha256(file: string): string {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Every file under `dir` (relative path) with its sha256, to tell one build from another. */
function digestOf(dir: string): Record<string, string> {
    const files = [...filesUnder(dir)].map((file): [string, string] => [path.relative(dir, file), sha256(file)]);
    return Object.fromEntries(files.sort(([a], [b]) => a.localeCompare(b)));
}

/** The `dist/` of a package tarball, file by file. */
function tarballDist(tarball: string): Record<string, string> {
    const dir = fs.mkdtempSync(path.join(work, "unpacked-"));
    execFileSync("tar", ["-xzf", tarball, "-C", dir]);
    return digestOf(path.join(dir, "package", "dist"));
}

/** The `dist/` of the package as npm installed it in `project`, file by file. */
function installedDist(project: TestProject): Record<string, string> {
    return digestOf(path.join(project.dir, "node_modules", "pulumi-iam-login-profile", "dist"));
}

/** The generated password of `state`, decrypted from its encryptedPassword with the test key. */
async function decrypted(state: StateResource | undefined): Promise<string> {
    const encrypted = state?.outputs?.encryptedPassword;
    if (typeof encrypted !== "string" || encrypted === "") {
        throw new Error(`no encryptedPassword in the state of ${state?.urn ?? "the generated profile"}`);
    }
    const password = await decryptPassword(encrypted, keys.privateKey);
    generatedPasswords.push(password);
    return password;
}

beforeAll(async () => {
    console.log(`e2e: ${requirePulumiCli()}`);
    for (const fixture of [OLD_PACKAGE, OLD_PLUGIN]) {
        if (!fs.existsSync(fixture)) {
            throw new Error(`${path.relative(process.cwd(), fixture)} is missing: build it as tests/e2e/fixtures/upgrade/README.md says`);
        }
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), "lp-upgrade-"));
    emulator = await startEmulator();
    // With exactly the permissions of the documented policy (docs/iam-policy.json).
    await emulator.configure({ allowedActions: policyActions() });
    iam = new Iam(emulator.endpoint);
    keys = await generateTestKeyPair("upgrade");
});

afterAll(async () => {
    iam?.close();
    await emulator?.stop();
    if (work) {
        fs.rmSync(work, { recursive: true, force: true });
    }
});

describe("the dynamic resource: a stack made by the package before the move, run by this tree's package", () => {
    /** The stack's two profiles: one with the declared password `key`, one generated and encrypted to the test key. */
    const profiles = (key: "first" | "second"): ProfileSpec[] => [
        { name: "declared", userName: "dynamic-declared", passwordKey: key },
        { name: "generated", userName: "dynamic-generated", passwordKey: "none", extra: { password: null, pgpKey: keys.publicKey } },
    ];
    let project: TestProject;
    let generated = "";

    beforeAll(async () => {
        await iam.createUser("dynamic-declared");
        await iam.createUser("dynamic-generated");
        project = TestProject.create(emulator.endpoint, OLD_PACKAGE);
    });

    afterAll(() => {
        if (project) {
            project.recordStateFiles();
            project.dispose();
        }
    });

    test("the old package's up creates both profiles, and stores a provider that loads the package by its public name", async () => {
        expect(installedDist(project)).toEqual(tarballDist(OLD_PACKAGE));
        expect(Object.keys(installedDist(project))).toContain("iam.js");
        await project.initStack("upgrade", profiles("first"), PASSWORDS);

        await project.expectPulumi(["up", "--yes", "--skip-preview"]);

        const states = await project.profilesInState();
        expect(states.map((s) => s.id).sort()).toEqual(["dynamic-declared", "dynamic-generated"]);
        for (const state of states) {
            expect(String(state.outputs?.__provider)).toContain(STORED_PROVIDER);
        }
        const declared = states.find((s) => s.id === "dynamic-declared");
        expect(isSecretEnvelope(declared?.outputs?.password)).toBe(true);
        generated = await decrypted(states.find((s) => s.id === "dynamic-generated"));
        expect(await emulator.signsIn("dynamic-declared", PASSWORDS.first)).toBe(true);
        expect(await emulator.signsIn("dynamic-generated", generated)).toBe(true);
    });

    test("with this tree's package installed, refresh exits 0 running the stored provider, and changes nothing", async () => {
        project.installPackage(packPackage());
        expect(installedDist(project)).toEqual(tarballDist(packPackage()));
        expect(installedDist(project)).not.toEqual(tarballDist(OLD_PACKAGE));

        let refresh = "";
        const calls = await callsDuring(
            emulator,
            async () => (refresh = (await project.expectPulumi(["refresh", "--yes", "--skip-preview"])).stdout),
        );

        // Each profile read, and what tells whether a password changed or was used: ListUsers, the
        // event history (one LookupEvents per event name) and the credential report.
        expect(calls).toEqual({ GetLoginProfile: 2, ListUsers: 1, LookupEvents: 3, GenerateCredentialReport: 1, GetCredentialReport: 1 });
        expect(refresh).toMatch(/Resources:\s+3 unchanged/);
        await project.expectPulumi(["preview", "--expect-no-changes"]);
    });

    test("an up that changes the declared password exits 0 and updates it in place; the new password signs in", async () => {
        await project.configure(profiles("second"), PASSWORDS);
        const preview = await project.expectPulumi(["preview"]);
        expect(preview.stdout).toMatch(/~ +pulumi-nodejs:dynamic\/aws-iam:LoginProfile +declared +update/);
        expect(preview.stdout).not.toMatch(/LoginProfile +generated/);
        expect(preview.stdout).not.toContain("replace");

        const calls = await callsDuring(emulator, () => project.expectPulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ UpdateLoginProfile: 1 });
        expect(await emulator.signsIn("dynamic-declared", PASSWORDS.second)).toBe(true);
        expect(await emulator.signsIn("dynamic-declared", PASSWORDS.first)).toBe(false);
        expect(await emulator.signsIn("dynamic-generated", generated)).toBe(true);
    });

    test("destroy exits 0 and deletes both profiles", async () => {
        const calls = await callsDuring(emulator, () => project.expectPulumi(["destroy", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ DeleteLoginProfile: 2 });
        expect(await iam.profile("dynamic-declared")).toBeUndefined();
        expect(await iam.profile("dynamic-generated")).toBeUndefined();
        expect(await project.profilesInState()).toEqual([]);
    });
});

describe("the plugin: a stack made by the release before the move, run by this tree's release", () => {
    const dir = (): string => path.join(work, "lp-upgrade-plugin");
    let env: NodeJS.ProcessEnv;
    let generated = "";

    /** Runs the CLI in the project (stdin `input`), recording its output; fails unless it exits 0 with no `warning:` line. */
    function pulumi(args: readonly string[], input?: string): string {
        const output = runPulumi(dir(), env, args, input);
        expect(output.split("\n").filter((line) => line.includes("warning:"))).toEqual([]);
        return output;
    }

    /** `pulumi plugin install` of `release` as iam-login-profile v<VERSION>, over the one installed when `reinstall`. */
    function installRelease(release: string, reinstall: boolean): void {
        const args = ["plugin", "install", "resource", "iam-login-profile", `v${VERSION}`, "--file", release, "--non-interactive"];
        runTool("pulumi", reinstall ? [...args, "--reinstall"] : args, dir(), env);
    }

    /** The plugin's bundle as installed in the project's PULUMI_HOME, and as a release holds it. */
    const installedBundle = (): string =>
        sha256(path.join(env.PULUMI_HOME ?? "", "plugins", `resource-iam-login-profile-v${VERSION}`, "iam-login-profile.js"));
    const releaseBundle = (release: string): string =>
        createHash("sha256")
            .update(execFileSync("tar", ["-xzOf", release, "./iam-login-profile.js"], { maxBuffer: 1 << 26 }))
            .digest("hex");

    /** The LoginProfile resources of the stack's state. */
    function profilesInState(): StateResource[] {
        const exported = JSON.parse(pulumi(["stack", "export"])) as { deployment: { resources?: StateResource[] } };
        return (exported.deployment.resources ?? []).filter((r) => r.type === PLUGIN_LOGIN_PROFILE_TYPE);
    }

    beforeAll(async () => {
        try {
            execFileSync("sh", ["-c", "command -v pulumi-language-yaml"], { stdio: "ignore" });
        } catch {
            throw new Error(
                'pulumi-language-yaml is not on PATH: run `eval "$(scripts/setup --print-env --language-hosts)"`, or everything with `npm test`',
            );
        }
        if (PLATFORM !== "linux-amd64") {
            throw new Error(`the old plugin fixture is the linux-amd64 release; this machine is ${PLATFORM}`);
        }
        await iam.createUser("plugin-declared");
        await iam.createUser("plugin-generated");
        fs.mkdirSync(dir());
        env = {
            ...projectEnv(dir(), emulator.endpoint),
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        };
        const lines = yamlProfiles([{ name: "declared", userName: "plugin-declared", passwordResetRequired: false }]);
        lines.splice(lines.indexOf("resources:"), 0, "  pgpKey:", "    type: string");
        lines.push(
            "  generated:",
            `    type: ${PLUGIN_LOGIN_PROFILE_TYPE}`,
            "    properties:",
            "      userName: plugin-generated",
            "      pgpKey: ${pgpKey}",
            "      passwordResetRequired: false",
            "",
        );
        fs.writeFileSync(path.join(dir(), "Pulumi.yaml"), ["name: lp-upgrade-plugin", ...lines].join("\n"));
        installRelease(OLD_PLUGIN, false);
        pulumi(["stack", "init", "dev"]);
        pulumi(["config", "set", "--secret", "password"], PASSWORDS.pluginFirst);
        pulumi(["config", "set", "pgpKey"], keys.publicKey);
    });

    afterAll(() => {
        if (env) {
            recordStateFilesUnder(dir());
        }
    });

    test("the old release's up creates both profiles", async () => {
        expect(installedBundle()).toBe(releaseBundle(OLD_PLUGIN));

        pulumi(["up", "--yes", "--skip-preview"]);

        const states = profilesInState();
        expect(states.map((s) => s.id).sort()).toEqual(["plugin-declared", "plugin-generated"]);
        const declared = states.find((s) => s.id === "plugin-declared");
        expect(isSecretEnvelope(declared?.outputs?.password)).toBe(true);
        generated = await decrypted(states.find((s) => s.id === "plugin-generated"));
        expect(await emulator.signsIn("plugin-declared", PASSWORDS.pluginFirst)).toBe(true);
        expect(await emulator.signsIn("plugin-generated", generated)).toBe(true);
    });

    test("with this tree's release reinstalled over it (the same version), refresh exits 0 and changes nothing", async () => {
        const release = pluginReleases()[PLATFORM] ?? "";
        installRelease(release, true);
        expect(installedBundle()).toBe(releaseBundle(release));
        expect(installedBundle()).not.toBe(releaseBundle(OLD_PLUGIN));

        let refresh = "";
        const calls = await callsDuring(emulator, async () => (refresh = pulumi(["refresh", "--yes", "--skip-preview"])));

        expect(calls).toEqual({ GetLoginProfile: 2, ListUsers: 1, LookupEvents: 3, GenerateCredentialReport: 1, GetCredentialReport: 1 });
        expect(refresh).toMatch(/Resources:\s+3 unchanged/);
        pulumi(["preview", "--expect-no-changes"]);
    });

    test("an up that changes the declared password exits 0 and updates it in place; the new password signs in", async () => {
        pulumi(["config", "set", "--secret", "password"], PASSWORDS.pluginSecond);
        const preview = pulumi(["preview"]);
        expect(preview).toMatch(new RegExp(`~ +${PLUGIN_LOGIN_PROFILE_TYPE} +declared +update`));
        expect(preview).not.toMatch(new RegExp(`${PLUGIN_LOGIN_PROFILE_TYPE} +generated`));
        expect(preview).not.toContain("replace");

        const calls = await callsDuring(emulator, async () => pulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ UpdateLoginProfile: 1 });
        expect(await emulator.signsIn("plugin-declared", PASSWORDS.pluginSecond)).toBe(true);
        expect(await emulator.signsIn("plugin-declared", PASSWORDS.pluginFirst)).toBe(false);
        expect(await emulator.signsIn("plugin-generated", generated)).toBe(true);
    });

    test("destroy exits 0 and deletes both profiles", async () => {
        const calls = await callsDuring(emulator, async () => pulumi(["destroy", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ DeleteLoginProfile: 2 });
        expect(await iam.profile("plugin-declared")).toBeUndefined();
        expect(await iam.profile("plugin-generated")).toBeUndefined();
        expect(profilesInState()).toEqual([]);
    });
});

describe("secret scan", () => {
    test("no password, declared or generated, appears in any CLI output, stack export or state file", () => {
        // Counts and positions only: a password is never printed, not even by a failing assertion.
        expect(generatedPasswords.length).toBe(2);
        const all = [...Object.values(PASSWORDS), ...generatedPasswords];
        expect(leakedPasswords(all).map((p) => all.indexOf(p))).toEqual([]);
    });
});
