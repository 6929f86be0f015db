/**
 * The provider plugin (`iam-login-profile`) on the real CLI: the same hooks as the dynamic resource
 * behind Pulumi's provider protocol, driven by a YAML program and by a Python program with the
 * generated Python SDK. Each creates profiles with a secret password, refreshes them through every
 * row of the Drift table (the one the dynamic resource's e2e suite runs), updates them in place and
 * destroys them, and invokes a function. Both run on the plugin release for this machine that
 * `scripts/package-plugin` packs, installed with `pulumi plugin install` into each project's
 * PULUMI_HOME, and no CLI run prints a `warning:` line. `pulumi import` and the `import` resource option bring
 * profiles made outside Pulumi under management without replacing them. Every output and state
 * file is scanned for the passwords.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PASSWORD_CHANGE_TOLERANCE_MS } from "../../provider/rules/drift";
import { DRIFT_CASES, OUTSIDE_PASSWORD } from "../support/driftCases";
import { callsDuring, startEmulator, type Emulator } from "../support/emulator";
import { Iam } from "../support/iam";
import { policyActions } from "../support/policy";
import { expectDisplayed, expectPlanned } from "./driftDisplay";
import {
    filesUnder,
    installPlugin,
    isSecretEnvelope,
    leakedPasswords,
    PLATFORM,
    pluginReleases,
    projectEnv,
    record,
    REPO,
    requirePulumiCli,
    runTool,
    sdkPackages,
    VERSION,
    yamlProfiles,
    type YamlProfile,
} from "./harness";

jest.setTimeout(300_000);

const PASSWORDS = {
    first: "Plugin-First-Passw0rd!",
    second: "Plugin-Second-Passw0rd#",
    imported: "Plugin-Imp0rted-Passw0rd%",
    made: "Made-By-Hand-Passw0rd^",
};
const TYPE = "iam-login-profile:index:LoginProfile";
/** The Python SDK's dependency, at the newest release PyPI serves here that the SDK supports. */
const PULUMI_PYTHON = "pulumi>=3.270,<4";

let emulator: Emulator;
let iam: Iam;
let work: string;
/** A virtual environment with `pulumi` from PyPI and the generated Python SDK, as a user's would be. */
let venv: string;

/** The languages the plugin serves here, and the programs each writes. */
type Language = "yaml" | "python";

/** One LoginProfile a program declares, with the password from the stack's secret config `password`. */
type DeclaredProfile = YamlProfile;

/** A project's files by name: Pulumi.yaml (without its `name:` line), and the program beside it. */
type ProjectFiles = { "Pulumi.yaml": string } & Record<string, string>;

/** The project's Pulumi.yaml and program for `profiles`; the first is looked up with getLoginProfile. */
function program(language: Language, profiles: readonly [DeclaredProfile, ...DeclaredProfile[]]): ProjectFiles {
    const [first] = profiles;
    if (language === "yaml") {
        return {
            "Pulumi.yaml": [
                ...yamlProfiles(profiles),
                "variables:",
                "  looked:",
                "    fn::invoke:",
                "      function: iam-login-profile:index:getLoginProfile",
                "      arguments:",
                `        userName: \${${first.name}.userName}`,
                "outputs:",
                `  createDate: \${${first.name}.createDate}`,
                "  lookedCreateDate: ${looked.createDate}",
                `  password: \${${first.name}.password}`,
                "",
            ].join("\n"),
        };
    }
    const declared = profiles.map(
        (p) => `    (${JSON.stringify(p.name)}, ${JSON.stringify(p.userName)}, ${p.passwordResetRequired ? "True" : "False"}),`,
    );
    return {
        "Pulumi.yaml": "runtime: python\n",
        "__main__.py": [
            "import pulumi",
            "import pulumi_iam_login_profile as lp",
            "",
            'password = pulumi.Config().require_secret("password")',
            "profiles = {",
            "    name: lp.LoginProfile(name, user_name=user, password=password, password_reset_required=reset)",
            "    for name, user, reset in [",
            ...declared,
            "    ]",
            "}",
            `first = profiles[${JSON.stringify(first.name)}]`,
            "looked = lp.get_login_profile_output(user_name=first.user_name)",
            'pulumi.export("createDate", first.create_date)',
            'pulumi.export("lookedCreateDate", looked.create_date)',
            'pulumi.export("password", first.password)',
            "",
        ].join("\n"),
    };
}

/** A plugin project in its own directory, with a local backend, against the emulator. */
class PluginProject {
    private constructor(
        readonly dir: string,
        private readonly env: NodeJS.ProcessEnv,
    ) {}

    /**
     * A project of `files`, with the plugin release installed in its own PULUMI_HOME (`pulumi
     * plugin install`). A Python project runs in `venv`.
     */
    static create(name: string, files: ProjectFiles): PluginProject {
        const dir = path.join(work, name);
        const env = projectEnv(dir, emulator.endpoint);
        for (const [file, text] of Object.entries(files)) {
            fs.writeFileSync(path.join(dir, file), file === "Pulumi.yaml" ? `name: ${name}\n${text}` : text);
        }
        const python = files["Pulumi.yaml"].startsWith("runtime: python");
        if (python) {
            Object.assign(env, { VIRTUAL_ENV: venv, PATH: [path.join(venv, "bin"), process.env.PATH].join(path.delimiter) });
        }
        installPlugin(env, dir);
        return new PluginProject(dir, env);
    }

    /** The project in `dir` (its program written already), run with `env`. */
    static at(dir: string, env: NodeJS.ProcessEnv): PluginProject {
        return new PluginProject(dir, env);
    }

    /**
     * Runs the CLI, recording its output for the secret scan; fails unless it exits `code`, and
     * unless its only `warning:` lines are those that start with one of `warnings`.
     */
    pulumi(args: readonly string[], code = 0, input?: string, warnings: readonly string[] = []): string {
        let stdout = "";
        let exit = 0;
        try {
            stdout = execFileSync("pulumi", [...args, "--non-interactive"], {
                cwd: this.dir,
                env: this.env,
                encoding: "utf8",
                input,
                stdio: ["pipe", "pipe", "pipe"],
            });
        } catch (error) {
            const failed = error as { status?: number; stdout?: string; stderr?: string };
            exit = failed.status ?? -1;
            stdout = `${failed.stdout ?? ""}\n${failed.stderr ?? ""}`;
        }
        record(stdout);
        if (exit !== code) {
            throw new Error(`pulumi ${args.join(" ")} exited ${exit}, expected ${code}\n${stdout}`);
        }
        // A quiet CLI: plugins where a Pulumi install keeps them, none found through PATH.
        const unexpected = stdout
            .split("\n")
            .filter((line) => line.includes("warning:"))
            .filter((line) => !warnings.some((warning) => line.slice(line.indexOf("warning:") + "warning: ".length).startsWith(warning)));
        expect(unexpected).toEqual([]);
        return stdout;
    }

    /** A new stack `dev` whose secret config `password` is `password`. */
    initStack(password: string): void {
        this.pulumi(["stack", "init", "dev"]);
        this.setPassword(password);
    }

    /** Sets the secret config `password` (through stdin: never on a command line). */
    setPassword(password: string): void {
        this.pulumi(["config", "set", "--secret", "password"], 0, password);
    }

    /** The LoginProfile resources of the selected stack's state. */
    profiles(): { id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] {
        const exported = JSON.parse(this.pulumi(["stack", "export"])) as {
            deployment: {
                resources?: { type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[];
            };
        };
        return (exported.deployment.resources ?? []).filter((r) => r.type === TYPE);
    }
}

/** The sum of call counts, as IAM sees them when one `up` does all of them. */
function sumCalls(...counts: readonly Readonly<Record<string, number>>[]): Record<string, number> {
    const sum: Record<string, number> = {};
    for (const [name, count] of counts.flatMap((c) => Object.entries(c))) {
        sum[name] = (sum[name] ?? 0) + count;
    }
    return sum;
}

beforeAll(async () => {
    console.log(`e2e: ${requirePulumiCli()}`);
    for (const tool of ["pulumi-language-yaml", "pulumi-language-python", "python3"]) {
        try {
            execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
        } catch {
            throw new Error(
                `${tool} is not on PATH: run \`eval "$(scripts/setup --print-env --language-hosts)"\`, or everything with \`npm test\``,
            );
        }
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), "lp-plugin-"));
    venv = path.join(work, "venv");
    runTool("python3", ["-m", "venv", venv], work);
    const pip = [path.join(venv, "bin", "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"] as const;
    runTool(pip[0], [...pip.slice(1), PULUMI_PYTHON, "setuptools", "wheel"], work);
    // Installed as a user would: the wheel scripts/build-sdks makes (pip wheel), with pip.
    runTool(pip[0], [...pip.slice(1), "--no-deps", sdkPackages().python], work);
    emulator = await startEmulator();
    // With exactly the permissions of the documented policy (docs/iam-policy.json).
    await emulator.configure({ allowedActions: policyActions() });
    iam = new Iam(emulator.endpoint);
});

afterAll(async () => {
    iam?.close();
    await emulator?.stop();
    if (work) {
        fs.rmSync(work, { recursive: true, force: true });
    }
});

describe("the plugin release", () => {
    const PLATFORMS = ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64"];

    test("one tarball per platform, each at most 5 MB, holding the bundle and that platform's launcher", () => {
        const releases = pluginReleases();
        expect(Object.keys(releases).sort()).toEqual([...PLATFORMS].sort());
        for (const platform of PLATFORMS) {
            const tarball = releases[platform] ?? "";
            expect(path.basename(tarball)).toBe(`pulumi-resource-iam-login-profile-v${VERSION}-${platform}.tar.gz`);
            const size = fs.statSync(tarball).size;
            console.log(`plugin: release ${platform}: ${(size / 1e6).toFixed(2)} MB`);
            expect(size).toBeLessThanOrEqual(5e6);
            const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
                .split("\n")
                .filter((f) => f && !f.endsWith("/"));
            const launcher = platform.startsWith("windows")
                ? "./pulumi-resource-iam-login-profile.cmd"
                : "./pulumi-resource-iam-login-profile";
            expect(files.sort()).toEqual(
                [
                    "./LICENSE",
                    "./iam-login-profile.js",
                    "./launcher.js",
                    launcher,
                    "./node_modules/@aws-sdk/client-cloudtrail/index.js",
                    "./node_modules/@aws-sdk/client-iam/index.js",
                    "./node_modules/@aws-sdk/client-sts/index.js",
                    "./node_modules/openpgp/index.js",
                ].sort(),
            );
        }
    });

    test("the launcher says what it needs when node is missing from PATH or older than 22", () => {
        const dir = fs.mkdtempSync(path.join(work, "launcher-"));
        execFileSync("tar", ["-xzf", pluginReleases()[PLATFORM] ?? "", "-C", dir]);
        const run = (command: string, args: string[], env: NodeJS.ProcessEnv): string => {
            try {
                execFileSync(command, args, { env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
                return "exit 0";
            } catch (error) {
                const failed = error as { status?: number; stderr?: string };
                return `exit ${String(failed.status)}: ${failed.stderr ?? ""}`;
            }
        };

        expect(run(path.join(dir, "pulumi-resource-iam-login-profile"), [], { PATH: "/nonexistent" })).toBe(
            "exit 1: pulumi-resource-iam-login-profile needs Node.js 22 or newer on PATH, and there is no node on PATH. Install it from https://nodejs.org\n",
        );
        const older = `Object.defineProperty(process, "version", { value: "v20.11.1" }); Object.defineProperty(process.versions, "node", { value: "20.11.1" }); require(${JSON.stringify(path.join(dir, "launcher.js"))});`;
        expect(run(process.execPath, ["-e", older], process.env)).toBe(
            `exit 1: pulumi-resource-iam-login-profile needs Node.js 22 or newer on PATH; ${process.execPath} is v20.11.1. Install a newer one from https://nodejs.org\n`,
        );
    });
});

describe.each(["yaml", "python"] as const)("a %s program with the provider plugin", (language) => {
    // One profile per row of the Drift table, after one that no row touches (the one looked up).
    const rows = DRIFT_CASES.map((driftCase, i) => ({
        driftCase,
        name: `drift${i}`,
        userName: `${language}-drift${i}`,
        passwordResetRequired: driftCase.declaredResetRequired,
    }));
    const profiles: [DeclaredProfile, ...DeclaredProfile[]] = [
        { name: "main", userName: `${language}-main`, passwordResetRequired: false },
        ...rows,
    ];
    let project: PluginProject;

    beforeAll(async () => {
        for (const p of profiles) {
            await iam.createUser(p.userName);
        }
        project = PluginProject.create(`lp-${language}`, program(language, profiles));
        project.initStack(PASSWORDS.first);
    });

    test("up creates every profile with a secret password, and a function reads one", async () => {
        const calls = await callsDuring(emulator, async () => project.pulumi(["up", "--yes", "--skip-preview"]));

        // The program's getLoginProfile: GetLoginProfile, and ListUsers for the password's last use.
        expect(calls).toEqual({ GetCallerIdentity: 1, CreateLoginProfile: profiles.length, GetLoginProfile: 1, ListUsers: 1 });
        for (const p of profiles) {
            expect(await emulator.signsIn(p.userName, PASSWORDS.first)).toBe(true);
        }
        const states = project.profiles();
        expect(states.map((s) => s.id).sort()).toEqual(profiles.map((p) => p.userName).sort());
        for (const state of states) {
            expect(isSecretEnvelope(state.inputs?.password)).toBe(true);
            expect(isSecretEnvelope(state.outputs?.password)).toBe(true);
        }
        const outputs = JSON.parse(project.pulumi(["stack", "output", "--json"])) as Record<string, unknown>;
        expect(outputs.lookedCreateDate).toBe(outputs.createDate);
        expect(outputs.password).toBe("[secret]");
    });

    test("refresh shows every row of the Drift table as the dynamic resource does, and up corrects them", async () => {
        await new Promise((resolve) => setTimeout(resolve, PASSWORD_CHANGE_TOLERANCE_MS + 1_500));
        for (const row of rows) {
            await row.driftCase.change(iam, row.userName);
        }

        const previewed = project.pulumi(["preview", "--refresh"]);
        const refreshed = project.pulumi(["refresh", "--yes"]);
        for (const row of rows) {
            expectPlanned(previewed, TYPE, row.name, row.driftCase.refresh);
            expectDisplayed(refreshed, TYPE, row.name, row.driftCase.refresh);
        }
        const calls = await callsDuring(emulator, async () => project.pulumi(["up", "--yes", "--skip-preview"]));

        // One provider process for the whole up: one GetCallerIdentity before the create a deleted profile needs.
        expect(calls).toEqual(sumCalls({ GetLoginProfile: 1, ListUsers: 1, GetCallerIdentity: 1 }, ...DRIFT_CASES.map((c) => c.upCalls)));
        for (const { driftCase, userName } of rows) {
            expect(await emulator.signsIn(userName, PASSWORDS.first)).toBe(driftCase.declaredPasswordSignsIn);
            expect(await emulator.signsIn(userName, OUTSIDE_PASSWORD)).toBe(!driftCase.declaredPasswordSignsIn);
            expect((await iam.profile(userName))?.passwordResetRequired).toBe(driftCase.resetPendingAfterUp);
        }
        project.pulumi(["preview", "--refresh", "--expect-no-changes"]);
    });

    test("a new password is set in place on every profile, and destroy removes them", async () => {
        project.setPassword(PASSWORDS.second);

        const preview = project.pulumi(["preview"]);
        for (const p of profiles) {
            expect(preview).toMatch(new RegExp(`~ +${TYPE} +${p.name} +update`));
        }
        expect(preview).not.toContain("replace");
        const calls = await callsDuring(emulator, async () => project.pulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ UpdateLoginProfile: profiles.length, GetLoginProfile: 1, ListUsers: 1 });
        for (const p of profiles) {
            expect(await emulator.signsIn(p.userName, PASSWORDS.second)).toBe(true);
        }
        project.pulumi(["destroy", "--yes", "--skip-preview"]);
        for (const p of profiles) {
            expect(await iam.profile(p.userName)).toBeUndefined();
        }
    });
});

describe("importing a profile made outside Pulumi", () => {
    /** A user with a profile made by hand, its reset pending; returns when AWS says it was made. */
    async function madeByHand(userName: string): Promise<Date | undefined> {
        await iam.createUser(userName);
        await iam.createProfile(userName, PASSWORDS.made, true);
        return (await iam.profile(userName))?.createDate;
    }

    /** A YAML project declaring the profile of `userName`, with the `import` option when `importId` is given. */
    function importingProject(name: string, userName: string, importId?: string): PluginProject {
        const files = program("yaml", [{ name: "imported", userName, passwordResetRequired: true }]);
        if (importId !== undefined) {
            files["Pulumi.yaml"] = files["Pulumi.yaml"].replace(
                "      passwordResetRequired: true\n",
                `      passwordResetRequired: true\n    options:\n      import: ${importId}\n`,
            );
        }
        const project = PluginProject.create(name, files);
        project.initStack(PASSWORDS.imported);
        return project;
    }

    test("pulumi import brings it under management without replacing it; the next up sets the declared password in place", async () => {
        const created = await madeByHand("imported");
        const project = importingProject("lp-import", "imported");

        const imported = project.pulumi(["import", TYPE, "imported", "imported", "--yes", "--protect=false"]);

        expect(imported).toMatch(new RegExp(`= +${TYPE} +imported +imported`));
        const [state] = project.profiles();
        expect(state?.id).toBe("imported");
        expect(state?.outputs).toMatchObject({ userName: "imported", passwordResetPending: true });
        expect(state?.outputs).not.toHaveProperty("password");
        expect(await emulator.signsIn("imported", PASSWORDS.made)).toBe(true);

        const preview = project.pulumi(["preview"]);
        expect(preview).toMatch(new RegExp(`~ +${TYPE} +imported +update`));
        expect(preview).not.toContain("replace");
        const calls = await callsDuring(emulator, async () => project.pulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ UpdateLoginProfile: 1, GetLoginProfile: 1, ListUsers: 1 });
        expect(await emulator.signsIn("imported", PASSWORDS.imported)).toBe(true);
        expect((await iam.profile("imported"))?.createDate).toEqual(created);
        project.pulumi(["destroy", "--yes", "--skip-preview"]);
    });

    test("the import resource option imports it and sets the declared password in place, in one up", async () => {
        const created = await madeByHand("optioned");
        const project = importingProject("lp-import-option", "optioned", "optioned");

        const preview = project.pulumi(["preview"]);
        expect(preview).toMatch(new RegExp(`= +${TYPE} +imported +import`));
        expect(preview).toMatch(new RegExp(`~ +${TYPE} +imported +update +\\[diff: \\+password\\]`));
        expect(preview).not.toContain("replace");
        const calls = await callsDuring(emulator, async () => project.pulumi(["up", "--yes", "--skip-preview"]));

        // The import's read records the account of the credentials (GetCallerIdentity, once per provider
        // process); the import's read and the program's getLoginProfile share one ListUsers.
        expect(calls).toEqual({ GetCallerIdentity: 1, GetLoginProfile: 2, ListUsers: 1, UpdateLoginProfile: 1 });
        expect(await emulator.signsIn("optioned", PASSWORDS.imported)).toBe(true);
        expect((await iam.profile("optioned"))?.createDate).toEqual(created);
        expect((await iam.profile("optioned"))?.passwordResetRequired).toBe(true);
        const [state] = project.profiles();
        expect(isSecretEnvelope(state?.outputs?.password)).toBe(true);
        project.pulumi(["preview", "--expect-no-changes"]);
        project.pulumi(["destroy", "--yes", "--skip-preview"]);
        expect(await iam.profile("optioned")).toBeUndefined();
    });
});

describe("CloudTrail's event history through the plugin", () => {
    /** A YAML project of one profile for `userName`, applied and refreshed (the refresh makes the account's four-hour report). */
    async function refreshedProject(name: string, userName: string): Promise<PluginProject> {
        await iam.createUser(userName);
        const project = PluginProject.create(name, program("yaml", [{ name: "watched", userName, passwordResetRequired: false }]));
        project.initStack(PASSWORDS.first);
        project.pulumi(["up", "--yes", "--skip-preview"]);
        project.pulumi(["refresh", "--yes", "--skip-preview"]);
        await new Promise((resolve) => setTimeout(resolve, PASSWORD_CHANGE_TOLERANCE_MS + 1_500));
        return project;
    }

    test("a password changed by another principal after a refresh is seen by the next, with who changed it; up sets it back", async () => {
        const project = await refreshedProject("lp-events", "plugin-events1");
        const { iam: other, arn } = await iam.principal("plugin-colleague1");
        await other.setPassword("plugin-events1", OUTSIDE_PASSWORD);

        const refreshed = project.pulumi(["refresh", "--yes", "--skip-preview"]);

        expectDisplayed(refreshed, TYPE, "watched", "~password");
        const [state] = project.profiles().filter((p) => p.id === "plugin-events1");
        expect(String(state?.outputs?.passwordChangedBy)).toMatch(new RegExp(`^${arn} \\(UpdateLoginProfile at \\S+Z\\)$`));
        project.pulumi(["up", "--yes", "--skip-preview"]);
        expect(await emulator.signsIn("plugin-events1", PASSWORDS.first)).toBe(true);
        project.pulumi(["preview", "--refresh", "--expect-no-changes"]);
        project.pulumi(["destroy", "--yes", "--skip-preview"]);
    });

    test("without cloudtrail:LookupEvents the next refresh warns, naming the account and the resource", async () => {
        const project = await refreshedProject("lp-blind", "plugin-blind1");
        const { iam: other } = await iam.principal("plugin-colleague2");
        await other.setPassword("plugin-blind1", OUTSIDE_PASSWORD);

        await emulator.configure({ allowedActions: policyActions().filter((action) => action !== "cloudtrail:LookupEvents") });
        let refreshed: string;
        try {
            refreshed = project.pulumi(["refresh", "--yes", "--skip-preview"], 0, undefined, [
                "LoginProfile cannot read CloudTrail's event history in account 123456789012",
                "LoginProfile could not check the login profile of IAM user",
            ]);
        } finally {
            await emulator.configure({ allowedActions: policyActions() });
        }

        expect(refreshed).toContain(
            "LoginProfile could not check the login profile of IAM user \"plugin-blind1\" in account 123456789012 for a password changed in place outside Pulumi since this resource last set it: CloudTrail's event history could not be read (AccessDenied: it needs cloudtrail:LookupEvents), and the account's credential report was made at ",
        );
        project.pulumi(["destroy", "--yes", "--skip-preview"]);
    });
});

describe("the plugin's configuration", () => {
    test("stack config iam-login-profile:detectPasswordChanges false reaches the plugin: a refresh reads no report or event history", async () => {
        await iam.createUser("configured");
        const project = PluginProject.create(
            "lp-config",
            program("yaml", [{ name: "configured", userName: "configured", passwordResetRequired: false }]),
        );
        project.initStack(PASSWORDS.first);
        project.pulumi(["up", "--yes", "--skip-preview"]);
        const refresh = async (): Promise<Record<string, number>> =>
            callsDuring(emulator, async () => project.pulumi(["refresh", "--yes", "--skip-preview"]));

        expect(await refresh()).toEqual({
            GetLoginProfile: 1,
            ListUsers: 1,
            LookupEvents: 3,
            GenerateCredentialReport: 1,
            GetCredentialReport: 1,
        });
        project.pulumi(["config", "set", "iam-login-profile:detectPasswordChanges", "false"]);
        // A refresh configures the default provider from its state: `up` records the new setting there.
        project.pulumi(["up", "--yes", "--skip-preview"]);
        expect(await refresh()).toEqual({ GetLoginProfile: 1, ListUsers: 1 });
        project.pulumi(["destroy", "--yes", "--skip-preview"]);
    });
});

describe("the docs' examples (docs/_index.md)", () => {
    test("the Python example imports and registers its resource and function under Pulumi's mocks, with the installed wheel", () => {
        const check = [
            "import runpy, sys, pulumi",
            "registered = []",
            "class Mocks(pulumi.runtime.Mocks):",
            "    def new_resource(self, args):",
            "        registered.append(args.typ)",
            "        return [args.name + '_id', dict(args.inputs, createDate='2026-12-02T00:00:00Z')]",
            "    def call(self, args):",
            "        registered.append(args.token)",
            "        return {'userName': args.args['userName'], 'createDate': '2026-12-02T00:00:00Z', 'passwordResetRequired': True}",
            "pulumi.runtime.set_mocks(Mocks(), project='console-access-python', stack='dev', preview=False)",
            "pulumi.runtime.set_all_config({'console-access-python:password': 'Mock-Passw0rd!'}, ['console-access-python:password'])",
            "runpy.run_path(sys.argv[1], run_name='__main__')",
            "import asyncio",
            "asyncio.get_event_loop().run_until_complete(asyncio.sleep(0.5))",
            "print(sorted(set(registered)))",
        ].join("\n");
        const printed = runTool(
            path.join(venv, "bin", "python"),
            ["-c", check, path.join(REPO, "examples", "python", "__main__.py")],
            work,
        );

        expect(printed.trim().split("\n").pop()).toBe(
            "['iam-login-profile:index:LoginProfile', 'iam-login-profile:index:getLoginProfile']",
        );
    });

    test("the YAML example runs: up sets alice's password, the function reads the profile back, destroy removes it", async () => {
        await iam.createUser("alice");
        const dir = path.join(work, "console-access");
        fs.mkdirSync(dir);
        fs.copyFileSync(path.join(REPO, "examples", "yaml", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        const env = projectEnv(dir, emulator.endpoint);
        installPlugin(env, dir);
        const project = PluginProject.at(dir, env);
        project.initStack(PASSWORDS.first);

        project.pulumi(["up", "--yes", "--skip-preview"]);

        expect(await emulator.signsIn("alice", PASSWORDS.first)).toBe(true);
        const outputs = JSON.parse(project.pulumi(["stack", "output", "--json"])) as Record<string, unknown>;
        expect(outputs.passwordResetPending).toBe(true);
        expect(String(outputs.createDate)).toMatch(/^\d{4}-\d\d-\d\dT/);
        project.pulumi(["destroy", "--yes", "--skip-preview"]);
        expect(await iam.profile("alice")).toBeUndefined();
    });
});

describe("secret scan", () => {
    test("no password appears in any output, state file or backup", () => {
        for (const file of filesUnder(work, ["venv", ".pulumi-home"])) {
            if (file.includes(`${path.sep}.state${path.sep}`)) {
                record(fs.readFileSync(file, "utf8"));
            }
        }
        expect(leakedPasswords([...Object.values(PASSWORDS), OUTSIDE_PASSWORD])).toEqual([]);
    });
});
