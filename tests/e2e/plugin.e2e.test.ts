/**
 * The provider plugin (`iam-login-profile`) on the real CLI, driven by YAML programs: the same
 * hooks as the dynamic resource behind Pulumi's provider protocol. A profile with a secret
 * password is created, refreshed (drift shown and corrected), updated in place and destroyed; a
 * function is invoked; and `pulumi import` brings a profile made outside Pulumi under management
 * without replacing it. Every output and state file is scanned for the passwords.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PASSWORD_CHANGE_TOLERANCE_MS } from "../../provider/drift";
import { callsDuring, startEmulator, type Emulator } from "../support/emulator";
import { Iam } from "../support/iam";
import { filesUnder, leakedPasswords, record, REPO, requirePulumiCli } from "./harness";

jest.setTimeout(240_000);

const PASSWORDS = {
    first: "Yaml-First-Passw0rd!",
    second: "Yaml-Second-Passw0rd#",
    outside: "Yaml-Outs1de-Passw0rd$",
    imported: "Yaml-Imp0rted-Passw0rd%",
    made: "Made-By-Hand-Passw0rd^",
};
const TYPE = "iam-login-profile:index:LoginProfile";

let emulator: Emulator;
let iam: Iam;
let work: string;

/** A YAML Pulumi project in its own directory, with a local backend, against the emulator. */
class YamlProject {
    constructor(
        readonly dir: string,
        private readonly env: NodeJS.ProcessEnv,
    ) {}

    static create(name: string, program: string): YamlProject {
        const dir = path.join(work, name);
        fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: yaml\n${program}`);
        return new YamlProject(dir, {
            ...process.env,
            PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
            PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
            PULUMI_HOME: path.join(dir, ".pulumi-home"),
            AWS_ENDPOINT_URL_IAM: emulator.endpoint,
            AWS_REGION: "us-east-1",
            AWS_ACCESS_KEY_ID: "testing",
            AWS_SECRET_ACCESS_KEY: "testing",
        });
    }

    /** Runs the CLI, recording its output for the secret scan; fails unless it exits `code`. */
    pulumi(args: readonly string[], code = 0, input?: string): string {
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
        return stdout;
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

/** Whether a state value is Pulumi's encrypted-secret envelope. */
function isSecret(value: unknown): boolean {
    return typeof value === "object" && value !== null && "ciphertext" in value;
}

beforeAll(async () => {
    console.log(`e2e: ${requirePulumiCli()}`);
    for (const tool of ["pulumi-resource-iam-login-profile", "pulumi-language-yaml"]) {
        try {
            execFileSync("sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
        } catch {
            throw new Error(`${tool} is not on PATH: run \`eval "$(scripts/setup --print-env)"\`, or everything with \`npm test\``);
        }
    }
    execFileSync("npm", ["run", "--silent", "build"], { cwd: REPO, stdio: "ignore" });
    emulator = await startEmulator();
    iam = new Iam(emulator.endpoint);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "lp-plugin-"));
});

afterAll(async () => {
    iam?.close();
    await emulator?.stop();
    if (work) {
        fs.rmSync(work, { recursive: true, force: true });
    }
});

describe("a YAML program with the provider plugin", () => {
    let project: YamlProject;

    test("up creates the profile with a secret password, and a function reads it", async () => {
        await iam.createUser("yaml");
        project = YamlProject.create(
            "lp-yaml",
            [
                "config:",
                "  password:",
                "    type: string",
                "    secret: true",
                "resources:",
                "  profile:",
                `    type: ${TYPE}`,
                "    properties:",
                "      userName: yaml",
                "      password: ${password}",
                "variables:",
                "  looked:",
                "    fn::invoke:",
                "      function: iam-login-profile:index:getLoginProfile",
                "      arguments:",
                "        userName: ${profile.userName}",
                "outputs:",
                "  createDate: ${profile.createDate}",
                "  lookedCreateDate: ${looked.createDate}",
                "  password: ${profile.password}",
                "",
            ].join("\n"),
        );
        project.pulumi(["stack", "init", "dev"]);
        project.pulumi(["config", "set", "--secret", "password"], 0, PASSWORDS.first);

        const calls = await callsDuring(emulator, async () => project.pulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ CreateLoginProfile: 1, GetLoginProfile: 1 });
        expect(await emulator.signsIn("yaml", PASSWORDS.first)).toBe(true);
        const [state] = project.profiles();
        expect(state?.id).toBe("yaml");
        expect(isSecret(state?.inputs?.password)).toBe(true);
        expect(isSecret(state?.outputs?.password)).toBe(true);
        const outputs = JSON.parse(project.pulumi(["stack", "output", "--json"])) as Record<string, unknown>;
        expect(outputs.lookedCreateDate).toBe(outputs.createDate);
        expect(outputs.password).toBe("[secret]");
    });

    test("refresh shows a password set outside Pulumi as drift, and up sets the declared one again", async () => {
        await new Promise((resolve) => setTimeout(resolve, PASSWORD_CHANGE_TOLERANCE_MS + 1_500));
        await emulator.configure({ credentialReportMaxAgeSeconds: 0 });
        await iam.setPassword("yaml", PASSWORDS.outside);

        const refreshed = project.pulumi(["refresh", "--yes"]);

        expect(refreshed).toMatch(new RegExp(`~ +${TYPE} +profile +updated +(\\([\\d.]+m?s\\) +)?\\[diff: ~password\\]`));
        const calls = await callsDuring(emulator, async () => project.pulumi(["up", "--yes", "--skip-preview"]));
        expect(calls).toEqual({ UpdateLoginProfile: 1, GetLoginProfile: 1 });
        expect(await emulator.signsIn("yaml", PASSWORDS.first)).toBe(true);
        project.pulumi(["preview", "--refresh", "--expect-no-changes"]);
    });

    test("a new password is set in place, and destroy removes the profile", async () => {
        project.pulumi(["config", "set", "--secret", "password"], 0, PASSWORDS.second);

        const preview = project.pulumi(["preview"]);
        expect(preview).toMatch(new RegExp(`~ +${TYPE} +profile +update`));
        expect(preview).not.toContain("replace");
        const calls = await callsDuring(emulator, async () => project.pulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ UpdateLoginProfile: 1, GetLoginProfile: 1 });
        expect(await emulator.signsIn("yaml", PASSWORDS.second)).toBe(true);
        project.pulumi(["destroy", "--yes", "--skip-preview"]);
        expect(await iam.profile("yaml")).toBeUndefined();
    });
});

describe("pulumi import with the provider plugin", () => {
    test("brings a profile made outside Pulumi under management without replacing it; the next up sets the declared password in place", async () => {
        await iam.createUser("imported");
        await iam.createProfile("imported", PASSWORDS.made, true);
        const created = (await iam.profile("imported"))?.createDate;
        const project = YamlProject.create(
            "lp-import",
            [
                "config:",
                "  password:",
                "    type: string",
                "    secret: true",
                "resources:",
                "  imported:",
                `    type: ${TYPE}`,
                "    properties:",
                "      userName: imported",
                "      password: ${password}",
                "      passwordResetRequired: true",
                "",
            ].join("\n"),
        );
        project.pulumi(["stack", "init", "dev"]);
        project.pulumi(["config", "set", "--secret", "password"], 0, PASSWORDS.imported);

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

        expect(calls).toEqual({ UpdateLoginProfile: 1 });
        expect(await emulator.signsIn("imported", PASSWORDS.imported)).toBe(true);
        expect((await iam.profile("imported"))?.createDate).toEqual(created);
        project.pulumi(["destroy", "--yes", "--skip-preview"]);
    });
});

describe("secret scan", () => {
    test("no password appears in any output, state file or backup", () => {
        for (const file of filesUnder(work)) {
            if (file.includes(`${path.sep}.state${path.sep}`)) {
                record(fs.readFileSync(file, "utf8"));
            }
        }
        expect(leakedPasswords(Object.values(PASSWORDS))).toEqual([]);
    });
});
