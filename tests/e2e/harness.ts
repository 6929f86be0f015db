/**
 * The end-to-end harness: a temporary Pulumi project that installs this package from its
 * `npm pack` tarball, as a user would, driven by the real Pulumi CLI with a local file backend
 * and passphrase secrets, against the IAM emulator. Every CLI output and stack export passes
 * through `record`, so that the secret scan sees all of it.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { builtOnce, withRepoLock } from "./repoBuild";

/** The repository root. */
export const REPO = path.resolve(__dirname, "../..");

/** A CLI run in progress. */
export interface RunningCli {
    /** The `pulumi` process. */
    readonly child: ChildProcess;
    /** Its result once it has ended and its output streams have closed. */
    readonly done: Promise<CliResult>;
    /** Kills the CLI and its plugins (language host, providers) at once with SIGKILL, as when the machine running them dies. */
    readonly kill: () => void;
}

/** What a CLI run produced. */
export interface CliResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Everything the CLI, the provider and the state showed during the suite, for the secret scan. */
const transcript: string[] = [];

/** Adds text to the transcript the secret scan reads. */
export function record(text: string): string {
    transcript.push(text);
    return text;
}

/**
 * What `child` printed and how it ended, once it has ended and its output streams have closed.
 * Both streams are recorded for the secret scan, stdout unless `stdoutShowsSecrets` (a command
 * that shows them on purpose, such as `stack output --show-secrets`). A signal's end is code -1.
 */
export function outputOf(child: ChildProcess, stdoutShowsSecrets = false): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        let stdout = "";
        let stderr = "";
        child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code, signal) => {
            if (!stdoutShowsSecrets) {
                record(stdout);
            }
            record(stderr);
            resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr });
        });
    });
}

/** Records every file of the state backend in the project directory `dir` for the secret scan. */
export function recordStateFilesUnder(dir: string): void {
    for (const file of filesUnder(path.join(dir, ".state"))) {
        record(fs.readFileSync(file, "utf8"));
    }
}

/** Returns the passwords (of those given) that appear in plaintext anywhere in the transcript. */
export function leakedPasswords(passwords: readonly string[]): string[] {
    const all = transcript.join("\n");
    return passwords.filter((p) => all.includes(p));
}

/** Where to get a tool an end-to-end suite runs besides Pulumi, when it is missing. */
const TOOL_SOURCES: Readonly<Record<string, string>> = {
    go: "Go from go.dev",
    python3: "Python 3 with its venv module",
};

/**
 * Runs a tool for a suite (never with a password), failing with its output, or with how to get
 * the tool when it is not on PATH.
 */
export function runTool(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
    try {
        return execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
        const failed = error as { code?: string; stdout?: string; stderr?: string };
        if (failed.code === "ENOENT") {
            throw new Error(`${command} is not on PATH: install ${TOOL_SOURCES[command] ?? "it"} to run this suite`);
        }
        throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
    }
}

/**
 * Runs `pulumi <args> --non-interactive` in `dir` with `env` (`input` through stdin: never a secret
 * on a command line), recording its output for the secret scan; fails with the output unless it exits 0.
 */
export function runPulumi(dir: string, env: NodeJS.ProcessEnv, args: readonly string[], input?: string): string {
    try {
        return record(execFileSync("pulumi", [...args, "--non-interactive"], { cwd: dir, env, input, encoding: "utf8", stdio: "pipe" }));
    } catch (error) {
        const failed = error as { status?: number; stdout?: string; stderr?: string };
        record(`${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
        throw new Error(`pulumi ${args.join(" ")} exited ${String(failed.status)}\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
    }
}

/** Fails with a message saying how to get the Pulumi CLI when it is not on PATH. */
export function requirePulumiCli(): string {
    try {
        return execFileSync("pulumi", ["version"], { encoding: "utf8" }).trim();
    } catch {
        throw new Error(
            'The Pulumi CLI is not on PATH. Run `scripts/setup` and `eval "$(scripts/setup --print-env)"`, or run everything with `npm test`.',
        );
    }
}

let tarball: string | undefined;

/** Builds and packs this package once per test run (repoBuild.ts); returns the tarball's path. */
export function packPackage(): string {
    if (tarball) {
        return tarball;
    }
    const dir = builtOnce("pack", (into) =>
        withRepoLock(() => {
            execFileSync("npm", ["run", "--silent", "build"], { cwd: REPO, stdio: "ignore" });
            execFileSync("npm", ["pack", "--silent", "--pack-destination", into], { cwd: REPO, stdio: "ignore" });
        }),
    );
    const name = fs.readdirSync(dir).find((file) => file.endsWith(".tgz"));
    if (name === undefined) {
        throw new Error(`npm pack left no tarball in ${dir}`);
    }
    tarball = path.join(dir, name);
    return tarball;
}

/** This machine's platform as plugin releases name it (linux-amd64, darwin-arm64, …). */
export const PLATFORM = `${process.platform === "win32" ? "windows" : process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;

let pluginReleases_: Record<string, string> | undefined;

/**
 * The plugin's releases (`scripts/package-plugin`, packed once per test run), by platform: the
 * tarballs `pulumi plugin install resource iam-login-profile v<version> --file` takes.
 */
export function pluginReleases(): Record<string, string> {
    if (!pluginReleases_) {
        const dir = builtOnce("plugin-releases", (into) =>
            withRepoLock(() => runTool(path.join(REPO, "scripts", "package-plugin"), [into], REPO)),
        );
        pluginReleases_ = Object.fromEntries(
            fs.readdirSync(dir).flatMap((file) => {
                const platform = /^pulumi-resource-iam-login-profile-v[^-]+-(.+)\.tar\.gz$/.exec(file)?.[1];
                return platform === undefined ? [] : [[platform, path.join(dir, file)]];
            }),
        );
    }
    return pluginReleases_;
}

let sdkPackages_: { nodejs: string; python: string } | undefined;

/** The SDK packages users install (`scripts/build-sdks`, built once per test run): the Node.js tarball and the Python wheel. */
export function sdkPackages(): { nodejs: string; python: string } {
    if (!sdkPackages_) {
        const dir = builtOnce("sdks", (into) => runTool(path.join(REPO, "scripts", "build-sdks"), [into], REPO));
        const files = fs.readdirSync(dir).map((file) => path.join(dir, file));
        const nodejs = files.find((file) => file.endsWith(".tgz"));
        const python = files.find((file) => file.endsWith(".whl"));
        if (nodejs === undefined || python === undefined) {
            throw new Error(`scripts/build-sdks made ${files.join(", ")}, not a .tgz and a .whl`);
        }
        sdkPackages_ = { nodejs, python };
    }
    return sdkPackages_;
}

/** The package version, which is the plugin's. */
export const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string }).version;

/**
 * Installs this machine's plugin release into the PULUMI_HOME of `env`, as a user installs a plugin
 * (`pulumi plugin install … --file`): where the CLI finds it without a warning, unlike on PATH.
 */
export function installPlugin(env: NodeJS.ProcessEnv, cwd: string): void {
    const release = pluginReleases()[PLATFORM];
    if (release === undefined) {
        throw new Error(`scripts/package-plugin made no release for ${PLATFORM}`);
    }
    runTool(
        "pulumi",
        ["plugin", "install", "resource", "iam-login-profile", `v${VERSION}`, "--file", release, "--non-interactive"],
        cwd,
        env,
    );
}

/** A temporary Pulumi project with this package installed from a tarball. */
export class TestProject {
    /** The project directory. */
    public readonly dir: string;
    private readonly env: NodeJS.ProcessEnv;

    private constructor(dir: string, env: NodeJS.ProcessEnv) {
        this.dir = dir;
        this.env = env;
    }

    /**
     * Creates the project: Pulumi.yaml, the scenario program (or the program in `programDir`, such
     * as an example), and `npm install` of the tarball. `endpoint` is the IAM (and STS) endpoint
     * every CLI run and the provider see.
     */
    static create(endpoint: string, packageTarball: string = packPackage(), programDir = path.join(__dirname, "program")): TestProject {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lp-e2e-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: lp-e2e\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
        for (const file of fs.readdirSync(programDir).filter((name) => name.endsWith(".ts"))) {
            fs.copyFileSync(path.join(programDir, file), path.join(dir, file));
        }
        fs.writeFileSync(
            path.join(dir, "tsconfig.json"),
            JSON.stringify({
                compilerOptions: {
                    strict: true,
                    target: "ES2020",
                    module: "commonjs",
                    moduleResolution: "node",
                    esModuleInterop: true,
                    skipLibCheck: true,
                },
            }),
        );
        const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
            devDependencies: Record<string, string>;
        };
        fs.writeFileSync(
            path.join(dir, "package.json"),
            JSON.stringify({
                name: "lp-e2e",
                private: true,
                // As `pulumi new typescript` sets a project up: the SDK, TypeScript, and this package.
                dependencies: {
                    // The SDK the lockfile pins (the one the tests are proven on), not the newest the range allows.
                    "@pulumi/pulumi": lockedVersion("@pulumi/pulumi"),
                    typescript: manifest.devDependencies.typescript,
                    "@types/node": manifest.devDependencies["@types/node"],
                    "pulumi-iam-login-profile": `file:${packageTarball}`,
                },
            }),
        );
        execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "ignore" });
        return new TestProject(dir, cliEnv(dir, endpoint));
    }

    /**
     * A project that holds only a YAML program on the plugin (`program`: Pulumi.yaml without its
     * `name:` line), with no npm install; the plugin release is installed in its PULUMI_HOME.
     * `endpoint` is the IAM (and STS) endpoint every CLI run and the plugin see.
     */
    static createYaml(endpoint: string, program: string): TestProject {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lp-e2e-yaml-"));
        const project = new TestProject(dir, cliEnv(dir, endpoint));
        project.useYamlProgram(program);
        return project;
    }

    /** Adds `spec` (as `npm install` takes it: a name, or `name@file:<tarball>`) to the project's dependencies. */
    addDependency(spec: string): void {
        execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", spec], { cwd: this.dir, stdio: "ignore" });
    }

    /** Installs this machine's plugin release into the project's PULUMI_HOME (`pulumi plugin install`). */
    installPlugin(): void {
        installPlugin(this.env, this.dir);
    }

    /** Installs another build of the package (the upgrade scenario). */
    installPackage(packageTarball: string): void {
        execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", `pulumi-iam-login-profile@file:${packageTarball}`], {
            cwd: this.dir,
            stdio: "ignore",
        });
    }

    /** Sets stack config `key` to `value`, as a secret when `secret`, through stdin (never on a command line). */
    async setConfig(key: string, value: string, secret = false): Promise<void> {
        const child = spawn("pulumi", ["config", "set", ...(secret ? ["--secret"] : []), key, "--non-interactive"], {
            cwd: this.dir,
            env: this.env,
        });
        const output = outputOf(child);
        child.stdin.end(value);
        const result = await output;
        if (result.code !== 0) {
            throw new Error(`pulumi config set ${key} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
        }
    }

    /** Runs the Pulumi CLI; `env` overrides the project's environment (undefined removes a variable). */
    async pulumi(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
        return this.start(args, env).done;
    }

    /**
     * Starts the Pulumi CLI and returns its process, for a test that interrupts it, and a promise of
     * its result. Output is recorded for the secret scan as the process ends, however it ends.
     */
    start(args: readonly string[], env: Record<string, string | undefined> = {}): RunningCli {
        const merged: NodeJS.ProcessEnv = { ...this.env, ...env };
        for (const [key, value] of Object.entries(env)) {
            if (value === undefined) {
                delete merged[key];
            }
        }
        // A process group of its own, so that `kill` can end the CLI together with its plugins.
        const child = spawn("pulumi", [...args, "--non-interactive"], { cwd: this.dir, env: merged, detached: true });
        const done = outputOf(child);
        const kill = (): void => {
            if (child.pid !== undefined) {
                process.kill(-child.pid, "SIGKILL");
            }
            // The CLI starts each plugin in a process group of its own, so the group kill misses
            // them; they are found by the project they serve (its PULUMI_HOME), never by name.
            for (const pid of this.processes()) {
                killQuietly(pid);
            }
        };
        return { child, done, kill };
    }

    /** The running processes that serve this project (the CLI and its plugins), found by its PULUMI_HOME. */
    processes(): number[] {
        return processesWithEnv(`PULUMI_HOME=${this.env.PULUMI_HOME ?? ""}`);
    }

    /**
     * After a kill: ends whatever still serves this project (a plugin a language host was starting
     * as the CLI died), until none is left or `timeoutMs` has passed; returns those still running.
     */
    async endLeftovers(timeoutMs = 10_000): Promise<number[]> {
        const deadline = Date.now() + timeoutMs;
        let left = this.processes();
        while (left.length > 0 && Date.now() < deadline) {
            left.forEach(killQuietly);
            await new Promise((resolve) => setTimeout(resolve, 200));
            left = this.processes();
        }
        return left;
    }

    /** Runs the CLI and fails with its output when the exit code is not the expected one. */
    async expectPulumi(args: readonly string[], expectedCode = 0, env: Record<string, string | undefined> = {}): Promise<CliResult> {
        const result = await this.pulumi(args, env);
        if (result.code !== expectedCode) {
            throw new Error(`pulumi ${args.join(" ")} exited ${result.code}, expected ${expectedCode}\n${result.stdout}\n${result.stderr}`);
        }
        return result;
    }

    /** Creates and selects a stack with the scenario's profiles and passwords. */
    async initStack(stack: string, profiles: readonly ProfileSpec[], passwords: Record<string, string>): Promise<void> {
        await this.expectPulumi(["stack", "init", stack]);
        await this.configure(profiles, passwords);
    }

    /** Sets the scenario config on the selected stack: `profiles` plain, `passwords` secret. */
    async configure(profiles: readonly ProfileSpec[], passwords: Record<string, string>): Promise<void> {
        await this.expectPulumi(["config", "set", "profiles", JSON.stringify(profiles)]);
        await this.expectPulumi(["config", "set", "--secret", "passwords", JSON.stringify(passwords)]);
    }

    /** `pulumi stack export` of the selected stack, parsed (and recorded for the secret scan). */
    async exportStack(showSecrets = false): Promise<StackExport> {
        const result = await this.expectPulumi(["stack", "export", ...(showSecrets ? ["--show-secrets"] : [])]);
        return JSON.parse(result.stdout) as StackExport;
    }

    /**
     * A digest of the LoginProfile resources' inputs and outputs with secrets decrypted, to tell
     * whether the state changed: the ciphertexts change whenever the state is written, the
     * plaintexts do not. The plaintext is hashed here and never recorded or returned.
     */
    async profilesDigest(): Promise<string> {
        const result = await new Promise<string>((resolve, reject) => {
            execFile(
                "pulumi",
                ["stack", "export", "--show-secrets", "--non-interactive"],
                { cwd: this.dir, env: this.env, maxBuffer: 1 << 28 },
                (error, stdout) =>
                    error ? reject(new Error(`pulumi stack export --show-secrets failed: exit ${String(error.code)}`)) : resolve(stdout),
            );
        });
        const exported = JSON.parse(result) as StackExport;
        const profiles = (exported.deployment.resources ?? [])
            .filter((r) => r.type === LOGIN_PROFILE_TYPE)
            .map(({ urn, id, inputs, outputs }) => ({ urn, id, inputs, outputs }))
            .sort((a, b) => a.urn.localeCompare(b.urn)); // a write may reorder resources
        return createHash("sha256").update(JSON.stringify(profiles)).digest("hex");
    }

    /** Records every file of the project's state backend for the secret scan (`leakedPasswords`). */
    recordStateFiles(): void {
        recordStateFilesUnder(this.dir);
    }

    /**
     * Deletes the local backend's metadata sidecars (`*.attrs`) that a killed run left truncated,
     * and returns how many there were. The file backend (gocloud.dev fileblob) writes each state
     * file atomically (a temporary file, then a rename) but truncates and rewrites its `.attrs`
     * sidecar in place; a SIGKILL in between leaves it empty, and every later command that reads
     * that file fails with `error: failed to load checkpoint: EOF`. Without the sidecar fileblob
     * uses defaults, so deleting it is the repair.
     */
    repairTruncatedSidecars(): number {
        let repaired = 0;
        for (const file of filesUnder(path.join(this.dir, ".state"))) {
            if (!file.endsWith(".attrs")) {
                continue;
            }
            try {
                JSON.parse(fs.readFileSync(file, "utf8"));
            } catch {
                fs.rmSync(file);
                repaired++;
            }
        }
        return repaired;
    }

    /** `pulumi stack import` of `exported` into the selected stack (the file stays in the project, for the secret scan). */
    async importStack(exported: StackExport): Promise<void> {
        const file = path.join(this.dir, `import-${Date.now()}.json`);
        fs.writeFileSync(file, JSON.stringify(exported));
        await this.expectPulumi(["stack", "import", "--file", file]);
    }

    /** The LoginProfile resources in the selected stack's state, through either front door. */
    async profilesInState(): Promise<StateResource[]> {
        const exported = await this.exportStack();
        return (exported.deployment.resources ?? []).filter((r) => r.type === LOGIN_PROFILE_TYPE || r.type === PLUGIN_LOGIN_PROFILE_TYPE);
    }

    /**
     * Runs the package's command line as npm installed it in the project
     * (`node_modules/.bin/pulumi-iam-login-profile <args>`), in the project directory with the
     * project's environment; returns its output (recorded for the secret scan), failing with it
     * unless it exits 0.
     */
    runPackageCommand(args: readonly string[]): string {
        return record(runTool(path.join(this.dir, "node_modules", ".bin", "pulumi-iam-login-profile"), args, this.dir, this.env));
    }

    /**
     * Replaces the project's program with a YAML one (`Pulumi.yaml` without its `name:` line), and
     * installs the plugin release it runs on into the project's PULUMI_HOME.
     */
    useYamlProgram(program: string): void {
        fs.writeFileSync(path.join(this.dir, "Pulumi.yaml"), `name: lp-e2e\n${program}`);
        installPlugin(this.env, this.dir);
    }

    /** Removes the project and its state. */
    dispose(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** The environment of every CLI run in a TestProject in `dir`: projectEnv's, and a CLI that neither checks for updates nor downloads plugins. */
function cliEnv(dir: string, endpoint: string): NodeJS.ProcessEnv {
    return {
        ...projectEnv(dir, endpoint),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    };
}

/**
 * The environment of a test project in `dir`: a local backend in `dir/.state` (made here) with
 * passphrase secrets, a PULUMI_HOME of its own, and the AWS SDK pointed at the emulator's IAM, STS
 * and CloudTrail `endpoint` (one port serves all three) with dummy credentials of its default account.
 */
export function projectEnv(dir: string, endpoint: string): NodeJS.ProcessEnv {
    fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
    return {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
        PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
        PULUMI_HOME: path.join(dir, ".pulumi-home"),
        AWS_ENDPOINT_URL_IAM: endpoint,
        AWS_ENDPOINT_URL_STS: endpoint,
        AWS_ENDPOINT_URL_CLOUDTRAIL: endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
    };
}

/** The ids of the running processes whose environment holds exactly `entry` (`NAME=value`). */
export function processesWithEnv(entry: string): number[] {
    const found: number[] = [];
    for (const name of fs.readdirSync("/proc")) {
        const pid = Number(name);
        if (!Number.isInteger(pid) || pid === process.pid) {
            continue;
        }
        try {
            if (fs.readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(entry)) {
                found.push(pid);
            }
        } catch {
            // it ended meanwhile, or is not ours to read
        }
    }
    return found;
}

/** SIGKILL to `pid`, which may have ended already. */
function killQuietly(pid: number): void {
    try {
        process.kill(pid, "SIGKILL");
    } catch {
        // already gone
    }
}

/** The version of `name` that this repository's package-lock.json installs. */
export function lockedVersion(name: string): string {
    const lock = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8")) as {
        packages: Record<string, { version?: string }>;
    };
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (version === undefined) {
        throw new Error(`package-lock.json installs no ${name}`);
    }
    return version;
}

/** One LoginProfile a YAML program declares, with the stack's secret config `password`. */
export interface YamlProfile {
    readonly name: string;
    readonly userName: string;
    readonly passwordResetRequired: boolean;
}

/**
 * The lines of a YAML program on the plugin (Pulumi.yaml without its `name:` line) up to its
 * resources: the secret config `password`, and a LoginProfile with it for each of `profiles`.
 */
export function yamlProfiles(profiles: readonly YamlProfile[]): string[] {
    return [
        "runtime: yaml",
        "config:",
        "  password:",
        "    type: string",
        "    secret: true",
        "resources:",
        ...profiles.flatMap((p) => [
            `  ${p.name}:`,
            `    type: ${PLUGIN_LOGIN_PROFILE_TYPE}`,
            "    properties:",
            `      userName: ${p.userName}`,
            "      password: ${password}",
            `      passwordResetRequired: ${p.passwordResetRequired}`,
        ]),
    ];
}

/** Every file under `dir`, skipping directories named in `skip`. */
export function* filesUnder(dir: string, skip: readonly string[] = []): Generator<string> {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (!skip.includes(entry.name)) {
                yield* filesUnder(full, skip);
            }
        } else {
            yield full;
        }
    }
}

/** The resource type token of a LoginProfile. */
export const LOGIN_PROFILE_TYPE = "pulumi-nodejs:dynamic/aws-iam:LoginProfile";
/** The type of a LoginProfile through the provider plugin. */
export const PLUGIN_LOGIN_PROFILE_TYPE = "iam-login-profile:index:LoginProfile";

/** One profile the scenario program declares. */
export interface ProfileSpec {
    readonly name: string;
    readonly userName: string;
    readonly passwordKey: string;
    readonly passwordResetRequired?: boolean;
    readonly adoptExisting?: boolean;
    readonly plainPassword?: boolean;
    readonly importId?: string;
    readonly extra?: Record<string, unknown>;
    readonly userNameFrom?: "testUser" | "computed";
    /** The account to reach through the stack's role there (config `roleName`, secret `externalId`). */
    readonly account?: string;
}

/** A resource in `pulumi stack export`. */
export interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly id?: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly additionalSecretOutputs?: string[];
}

/** The parts of `pulumi stack export` the tests read. */
export interface StackExport {
    readonly version?: number;
    readonly deployment: { readonly resources?: StateResource[]; readonly pending_operations?: PendingOperation[] };
}

/** An operation an interrupted run left pending, in `pulumi stack export`. */
export interface PendingOperation {
    readonly type: string;
    readonly resource: StateResource;
}

/** Whether a state value is Pulumi's encrypted-secret envelope. */
export function isSecretEnvelope(value: unknown): boolean {
    return (
        typeof value === "object" &&
        value !== null &&
        (value as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270"
    );
}

/**
 * Every object of the S3 bucket that the DIY backend URL `backendUrl` names (`s3://BUCKET?endpoint=…`,
 * the emulator's `backendUrl`), by key, as text, read with boto3 from the emulator's Python (the
 * package has no S3 client of its own) and recorded for the secret scan.
 */
export function bucketObjects(backendUrl: string): Record<string, string> {
    const url = new URL(backendUrl);
    const endpoint = url.searchParams.get("endpoint");
    if (url.protocol !== "s3:" || endpoint === null) {
        throw new Error(`bucketObjects reads an s3:// backend URL with an endpoint, not ${backendUrl}`);
    }
    const python = runTool(path.join(REPO, "scripts", "install-emulator"), ["--print-python"], REPO).trim();
    const script = [
        "import base64, json, sys, boto3",
        "s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='testing', aws_secret_access_key='testing')",
        "objects = {}",
        "for page in s3.get_paginator('list_objects_v2').paginate(Bucket=sys.argv[2]):",
        "    for item in page.get('Contents', []):",
        "        body = s3.get_object(Bucket=sys.argv[2], Key=item['Key'])['Body'].read()",
        "        objects[item['Key']] = body.decode('utf-8', errors='replace')",
        "json.dump(objects, sys.stdout)",
    ].join("\n");
    const output = execFileSync(python, ["-c", script, endpoint, url.hostname], { encoding: "utf8", maxBuffer: 1 << 28 });
    const objects = JSON.parse(output) as Record<string, string>;
    Object.values(objects).forEach(record);
    return objects;
}
