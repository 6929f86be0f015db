/**
 * The generated SDKs as users install them (README, "Every Pulumi language"): the Node.js package
 * `scripts/build-sdks` packs runs a TypeScript program through the plugin release (create, a
 * refresh that shows drift, update, destroy); the Go module resolves with `go get` at the
 * repository's module path and compiles the docs' Go example (examples/go). (The Python wheel runs the
 * plugin suite's Python program and imports the docs' Python example.) No Go language host is served by the Go module proxy here, so Go programs
 * cannot run (see README).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OUTSIDE_PASSWORD } from "../support/driftCases";
import { startEmulator, type Emulator } from "../support/emulator";
import { Iam } from "../support/iam";
import { updatedLine } from "./driftDisplay";
import {
    installPlugin,
    leakedPasswords,
    lockedVersion,
    projectEnv,
    REPO,
    requirePulumiCli,
    runPulumi,
    runTool,
    sdkPackages,
    VERSION,
} from "./harness";

jest.setTimeout(600_000);

const PASSWORDS = { first: "Sdk-Node-First-Passw0rd!", second: "Sdk-Node-Second-Passw0rd#" };
const TYPE = "iam-login-profile:index:LoginProfile";
/** The Go SDK's module: the repository's path (package.json) and /sdk. */
const GO_MODULE = `${(
    JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { repository: { url: string } }
).repository.url
    .replace(/^(git\+)?https:\/\//, "")
    .replace(/\.git$/, "")}/sdk`;

let work: string;
let emulator: Emulator;
let iam: Iam;

beforeAll(async () => {
    console.log(`sdks: ${requirePulumiCli()}`);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "lp-sdks-"));
    emulator = await startEmulator();
    iam = new Iam(emulator.endpoint);
});

afterAll(async () => {
    iam?.close();
    await emulator?.stop();
    fs.rmSync(work, { recursive: true, force: true });
});

describe("the Node.js SDK (npm install of the packed package), through the plugin release", () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;

    const pulumi = (args: readonly string[], input?: string): string => runPulumi(dir, env, args, input);

    beforeAll(() => {
        dir = path.join(work, "nodejs");
        fs.mkdirSync(dir);
        fs.writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            "name: lp-sdk-nodejs\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
        );
        fs.writeFileSync(
            path.join(dir, "package.json"),
            JSON.stringify({
                name: "lp-sdk-nodejs",
                private: true,
                dependencies: {
                    "@pulumi/pulumi": lockedVersion("@pulumi/pulumi"),
                    "@pulumi-iam-login-profile/sdk": `file:${sdkPackages().nodejs}`,
                    typescript: "~5.6.0",
                    "@types/node": "^22.0.0",
                },
            }),
        );
        fs.writeFileSync(
            path.join(dir, "tsconfig.json"),
            JSON.stringify({
                compilerOptions: { strict: true, target: "ES2020", module: "commonjs", moduleResolution: "node", skipLibCheck: true },
            }),
        );
        fs.writeFileSync(
            path.join(dir, "index.ts"),
            [
                'import * as pulumi from "@pulumi/pulumi";',
                'import * as lp from "@pulumi-iam-login-profile/sdk";',
                "",
                "const config = new pulumi.Config();",
                'const alice = new lp.LoginProfile("alice", {',
                '    userName: "sdk-alice",',
                '    password: config.requireSecret("password"),',
                "    passwordResetRequired: false,",
                "});",
                "export const createDate = alice.createDate;",
                "export const looked = lp.getLoginProfileOutput({ userName: alice.userName }).createDate;",
                "",
            ].join("\n"),
        );
        execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "ignore" });
        env = projectEnv(dir, emulator.endpoint);
        installPlugin(env, dir);
    });

    test("create, a refresh that shows drift, update and destroy, with no warning line", async () => {
        await iam.createUser("sdk-alice");
        pulumi(["stack", "init", "dev"]);
        pulumi(["config", "set", "--secret", "password"], PASSWORDS.first);

        const up = pulumi(["up", "--yes", "--skip-preview"]);
        expect(up).toMatch(new RegExp(`\\+ +${TYPE} +alice +created`));
        expect(await emulator.signsIn("sdk-alice", PASSWORDS.first)).toBe(true);
        const outputs = JSON.parse(pulumi(["stack", "output", "--json"])) as Record<string, string>;
        expect(outputs.looked).toBe(outputs.createDate);

        // The credential report's times are whole seconds: a change outside comes later than the resource's own.
        await new Promise((resolve) => setTimeout(resolve, 6_000));
        await iam.setPassword("sdk-alice", OUTSIDE_PASSWORD);
        const refresh = pulumi(["refresh", "--yes", "--skip-preview"]);
        expect(refresh).toMatch(updatedLine(TYPE, "alice", "password"));
        pulumi(["up", "--yes", "--skip-preview"]);
        expect(await emulator.signsIn("sdk-alice", PASSWORDS.first)).toBe(true);

        pulumi(["config", "set", "--secret", "password"], PASSWORDS.second);
        const update = pulumi(["up", "--yes", "--skip-preview"]);
        expect(update).toMatch(new RegExp(`~ +${TYPE} +alice +updated`));
        expect(await emulator.signsIn("sdk-alice", PASSWORDS.second)).toBe(true);

        pulumi(["destroy", "--yes", "--skip-preview"]);
        expect(await iam.profile("sdk-alice")).toBeUndefined();
        for (const output of [up, refresh, update]) {
            expect(output.split("\n").filter((line) => line.includes("warning:"))).toEqual([]);
        }
        expect(leakedPasswords([...Object.values(PASSWORDS), OUTSIDE_PASSWORD])).toEqual([]);
    });
});

/**
 * A Go module proxy holding the repository's sdk/ at v<version>, laid out as proxy.golang.org
 * serves a module (list, .info, .mod, .zip), which is what `go get` fetches for a module of a
 * repository tagged sdk/v<version>.
 */
function goProxyOfRepository(proxy: string): void {
    const base = path.join(proxy, GO_MODULE, "@v");
    fs.mkdirSync(base, { recursive: true });
    const version = `v${VERSION}`;
    fs.writeFileSync(path.join(base, "list"), `${version}\n`);
    fs.writeFileSync(path.join(base, `${version}.info`), JSON.stringify({ Version: version, Time: "2026-12-01T00:00:00Z" }));
    fs.copyFileSync(path.join(REPO, "sdk", "go.mod"), path.join(base, `${version}.mod`));
    // The module's files (go.mod, go.sum, go/…), under the zip's prefix <module>@<version>/.
    const root = path.join(work, "zip-root");
    const prefix = path.join(root, `${GO_MODULE}@${version}`);
    fs.mkdirSync(prefix, { recursive: true });
    for (const entry of ["go.mod", "go.sum", "go"]) {
        fs.cpSync(path.join(REPO, "sdk", entry), path.join(prefix, entry), { recursive: true });
    }
    runTool("python3", ["-c", ZIP_MODULE, path.join(base, `${version}.zip`), root], root);
}

/** Zips every file under argv[2] into argv[1], with paths relative to argv[2]. */
const ZIP_MODULE = [
    "import os, sys, zipfile",
    "out, root = sys.argv[1], sys.argv[2]",
    "with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:",
    "    for d, _, files in os.walk(root):",
    "        for f in files:",
    "            full = os.path.join(d, f)",
    "            z.write(full, os.path.relpath(full, root))",
].join("\n");

test("the Go SDK resolves with go get at the repository's module path, and the docs' Go example (examples/go) compiles against it", () => {
    const proxy = path.join(work, "goproxy");
    goProxyOfRepository(proxy);
    const dir = path.join(work, "go");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "go.mod"), "module example.com/loginprofiles\n\ngo 1.25\n");
    // The Go example the docs show (docs/_index.md), as a user's program.
    fs.copyFileSync(path.join(REPO, "examples", "go", "main.go"), path.join(dir, "main.go"));
    const env = {
        ...process.env,
        GOWORK: "off",
        GOFLAGS: "-mod=mod",
        GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? "local",
        // This repository's module from the local proxy; everything else from the usual one.
        GOPROXY: `file://${proxy},${process.env.GOPROXY ?? "https://proxy.golang.org"}`,
        GONOSUMDB: GO_MODULE,
    };
    runTool("go", ["get", `${GO_MODULE}@v${VERSION}`], dir, env);
    runTool("go", ["mod", "tidy"], dir, env);
    runTool("go", ["build", "-o", path.join(dir, "program"), "."], dir, env);

    expect(fs.readFileSync(path.join(dir, "go.mod"), "utf8")).toContain(`${GO_MODULE} v${VERSION}`);
    expect(fs.statSync(path.join(dir, "program")).size).toBeGreaterThan(0);
});
