/**
 * examples/organization-stacks as the e2e suites set it up: copied as a user copies it, with this
 * package's tarball, installed and built; and the environment its runs share on the emulator (its
 * S3 bucket as the state backend, a passphrase, a PULUMI_HOME of the project's own).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../support/emulator";
import { lockedVersion, outputOf, packPackage, REPO, type CliResult } from "./harness";

const EXAMPLE = path.join(REPO, "examples", "organization-stacks");
/** The example program's project name (program/Pulumi.yaml): its stacks' state is under `.pulumi/stacks/<PROJECT>/`. */
export const PROJECT = "break-glass-account";
/** The break-glass user the suites give each account. */
export const USER = "breakglass";

/**
 * The example in a new temporary folder named `prefix…`: its files (no build, no stack files), its
 * package.json with this package's tarball and the SDK the lockfile pins, `npm install`, `npm run build`.
 */
export function createExampleProject(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.cpSync(EXAMPLE, dir, {
        recursive: true,
        filter: (source) => !/[/\\](node_modules|build|stacks)$/.test(source),
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    manifest.dependencies["@pulumi/pulumi"] = lockedVersion("@pulumi/pulumi");
    manifest.dependencies["pulumi-iam-login-profile"] = `file:${packPackage()}`;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "ignore" });
    execFileSync("npm", ["run", "--silent", "build"], { cwd: dir, stdio: "pipe" });
    return dir;
}

/** The environment of the runner and the CLI in `project`: the emulator's IAM, STS, CloudTrail and S3 bucket, and `passphrase`. */
export function exampleEnv(emulator: Emulator, project: string, passphrase: string): NodeJS.ProcessEnv {
    return {
        ...process.env,
        PULUMI_BACKEND_URL: emulator.backendUrl,
        PULUMI_CONFIG_PASSPHRASE: passphrase,
        PULUMI_HOME: path.join(project, ".pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        AWS_ENDPOINT_URL_IAM: emulator.endpoint,
        AWS_ENDPOINT_URL_STS: emulator.endpoint,
        AWS_ENDPOINT_URL_CLOUDTRAIL: emulator.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
    };
}

/** A process started by a test, and its result once it has ended. */
export interface Started {
    readonly child: ChildProcess;
    readonly done: Promise<CliResult>;
}

/**
 * Starts `command` in `cwd` with `env`, in a process group of its own (so that a kill reaches the
 * CLI it runs), `input` on its stdin; its output is recorded for the secret scan unless `shown`
 * says that it shows secrets on purpose (stderr always is).
 */
export function startProcess(
    command: string,
    args: readonly string[],
    cwd: string,
    env: NodeJS.ProcessEnv,
    input = "",
    shown = false,
): Started {
    const child = spawn(command, args, { cwd, env, detached: true });
    const done = outputOf(child, shown);
    child.stdin.end(input);
    return { child, done };
}
