/**
 * The policy pack `iam-login-profile-compliance` on the real Pulumi CLI, as users run it: the pack
 * of the package npm installed, given to `pulumi preview` and `pulumi up` with `--policy-pack`
 * (docs/compliance.md), on a TypeScript program (the dynamic resource) and a YAML program (the
 * plugin). A mandatory violation stops `up` before any IAM call; an advisory one warns and `up`
 * goes on; `--policy-pack-config` turns a rule off, changes its level and sets `breakGlassUsers`;
 * a compliant program passes clean; `login-profile-unused` fires once IAM's clock is 46 days on.
 * No policy output holds a password.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { callsDuring, startEmulator, type Emulator } from "../support/emulator";
import { Iam } from "../support/iam";
import { generateTestKeyPair } from "../unit/pgpKeys";
import {
    leakedPasswords,
    PLUGIN_LOGIN_PROFILE_TYPE,
    recordStateFilesUnder,
    requirePulumiCli,
    TestProject,
    type ProfileSpec,
} from "./harness";

jest.setTimeout(300_000);

const PASSWORDS = { short: "Short-Pw1!", long: "A-Long-Enough-Passw0rd!" };
const DAY_SECONDS = 86_400;

let emulator: Emulator;
let iam: Iam;
let project: TestProject;
let key: { publicKey: string; privateKey: string };

/** The pack as npm installed it with the package: what users give `--policy-pack`. */
function pack(): string {
    return path.join(project.dir, "node_modules", "pulumi-iam-login-profile", "policy-pack", "iam-login-profile-compliance");
}

/** Writes a `--policy-pack-config` file into the project; returns its path. */
function packConfig(name: string, config: Record<string, unknown>): string {
    const file = path.join(project.dir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
}

function declared(userName: string, passwordKey: keyof typeof PASSWORDS, passwordResetRequired: boolean): ProfileSpec {
    return { name: userName, userName, passwordKey, passwordResetRequired };
}

function sealed(userName: string): ProfileSpec {
    return { name: userName, userName, passwordKey: "none", extra: { password: null, pgpKey: key.publicKey } };
}

beforeAll(async () => {
    console.log(`e2e: ${requirePulumiCli()}`);
    emulator = await startEmulator();
    iam = new Iam(emulator.endpoint);
    key = await generateTestKeyPair("policy");
    for (const user of ["alice", "bob", "breakglass", "yaml-user"]) {
        await iam.createUser(user);
    }
    project = TestProject.create(emulator.endpoint);
});

afterAll(async () => {
    iam?.close();
    await emulator?.stop();
    project?.dispose();
});

describe("a TypeScript program", () => {
    test("the pack ships executable with the package", () => {
        expect(fs.statSync(pack()).mode & 0o111).not.toBe(0);
    });

    test("a mandatory violation stops up before any IAM call, naming the rule and never the password", async () => {
        await project.initStack("policy", [declared("alice", "short", true)], PASSWORDS);

        let up = { stdout: "", stderr: "" };
        const calls = await callsDuring(
            emulator,
            async () => (up = await project.expectPulumi(["up", "--yes", "--skip-preview", "--policy-pack", pack()], 1)),
        );

        expect(calls).toEqual({});
        expect(up.stdout).toContain("[mandatory]  login-profile-password-length");
        expect(up.stdout).toContain(
            'LoginProfile "alice" (IAM user "alice"): its declared password is shorter than 14 characters (login-profile-password-length; CIS AWS Foundations 1.7, AWS Security Hub IAM.15)',
        );
        expect(await iam.profile("alice")).toBeUndefined();
    });

    test("an advisory violation warns, and up goes on", async () => {
        await project.configure([declared("alice", "long", false)], PASSWORDS);

        const up = await project.expectPulumi(["up", "--yes", "--skip-preview", "--policy-pack", pack()]);

        expect(up.stdout).toContain("[advisory]  login-profile-reset-required");
        expect(up.stdout).toContain('LoginProfile "alice" (IAM user "alice"): its declared password is not reset at the first sign-in');
        expect(await iam.profile("alice")).toMatchObject({ userName: "alice" });
    });

    test("--policy-pack-config turns a rule off, raises its level, and sets breakGlassUsers", async () => {
        const off = packConfig("off", { "login-profile-reset-required": { enforcementLevel: "disabled" } });
        const preview = await project.expectPulumi(["preview", "--policy-pack", pack(), "--policy-pack-config", off]);
        expect(preview.stdout).not.toContain("login-profile-reset-required");

        const raised = packConfig("raised", { "login-profile-reset-required": { enforcementLevel: "mandatory" } });
        const stopped = await project.expectPulumi(["preview", "--policy-pack", pack(), "--policy-pack-config", raised], 1);
        expect(stopped.stdout).toContain("[mandatory]  login-profile-reset-required");

        const exempt = packConfig("exempt", { "login-profile-reset-required": { breakGlassUsers: ["ALICE*"] } });
        const clean = await project.expectPulumi(["preview", "--policy-pack", pack(), "--policy-pack-config", exempt]);
        expect(clean.stdout).not.toContain("login-profile-reset-required");
    });

    test("a compliant program passes clean", async () => {
        await project.configure([declared("alice", "long", true), sealed("bob")], PASSWORDS);

        const up = await project.expectPulumi(["up", "--yes", "--skip-preview", "--policy-pack", pack()]);

        expect(up.stdout).not.toMatch(/\[(advisory|mandatory)\]/);
        expect(await iam.profile("bob")).toMatchObject({ userName: "bob" });
    });

    test("login-profile-unused fires once IAM's clock is 46 days on, and spares breakGlassUsers", async () => {
        await emulator.configure({ clockOffsetSeconds: 46 * DAY_SECONDS });
        await project.expectPulumi(["refresh", "--yes", "--skip-preview"]);

        const preview = await project.expectPulumi(["preview", "--policy-pack", pack()]);
        expect(preview.stdout).toContain("[advisory]  login-profile-unused");
        expect(preview.stdout).toMatch(
            /LoginProfile "alice" \(IAM user "alice"\): its password has not been used for 46 days \(never used since the profile was created\)/,
        );
        expect(preview.stdout).toMatch(/LoginProfile "bob" \(IAM user "bob"\): its password has not been used for 46 days/);

        const exempt = packConfig("unused", { "login-profile-unused": { breakGlassUsers: ["alice", "bob"] } });
        const spared = await project.expectPulumi(["preview", "--policy-pack", pack(), "--policy-pack-config", exempt]);
        expect(spared.stdout).not.toContain("login-profile-unused");

        await emulator.configure({ clockOffsetSeconds: 0 });
        await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });
});

describe("a YAML program on the plugin", () => {
    test("a generated password kept in state stops up before any IAM call; sealed to a key it passes", async () => {
        const program = (sealedTo: string | undefined): string =>
            [
                "runtime: yaml",
                "resources:",
                "  generated:",
                `    type: ${PLUGIN_LOGIN_PROFILE_TYPE}`,
                "    properties:",
                "      userName: yaml-user",
                ...(sealedTo !== undefined
                    ? [
                          "      pgpKey: |",
                          ...sealedTo
                              .trim()
                              .split("\n")
                              .map((line) => `        ${line}`),
                      ]
                    : []),
                "",
            ].join("\n");
        const yaml = TestProject.createYaml(emulator.endpoint, program(undefined));
        try {
            await yaml.expectPulumi(["stack", "init", "policy", "--non-interactive"]);
            let up = { stdout: "" };
            const calls = await callsDuring(
                emulator,
                async () => (up = await yaml.expectPulumi(["up", "--yes", "--skip-preview", "--policy-pack", pack()], 1)),
            );

            expect(calls).toEqual({});
            expect(up.stdout).toContain("[mandatory]  login-profile-password-sealed");
            expect(up.stdout).toContain(
                `LoginProfile "generated" (IAM user "yaml-user"): its generated password would be kept in the stack's state`,
            );
            expect(up.stdout).toContain(PLUGIN_LOGIN_PROFILE_TYPE);

            yaml.useYamlProgram(program(key.publicKey));
            const passed = await yaml.expectPulumi(["up", "--yes", "--skip-preview", "--policy-pack", pack()]);
            expect(passed.stdout).not.toMatch(/\[(advisory|mandatory)\]/);
            expect(await iam.profile("yaml-user")).toMatchObject({ userName: "yaml-user" });
            recordStateFilesUnder(yaml.dir);
            await yaml.expectPulumi(["destroy", "--yes", "--skip-preview"]);
        } finally {
            yaml.dispose();
        }
    });
});

test("no policy output, CLI output or state file holds a password", () => {
    recordStateFilesUnder(project.dir);
    expect(leakedPasswords(Object.values(PASSWORDS))).toEqual([]);
});
