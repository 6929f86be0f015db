/**
 * What a failed AWS call and a wait for IAM say on the real CLI's default output, through both
 * front doors: the dynamic resource (the scenario program, with the package from its tarball) and
 * the provider plugin (a YAML program on its release).
 *
 * - With only AWS_ENDPOINT_URL_IAM pointing at the emulator, the account lookup's STS call goes to
 *   AWS's own endpoint, which this machine cannot resolve: the error names that call, that endpoint
 *   and why it was chosen (neither AWS_ENDPOINT_URL_STS nor AWS_ENDPOINT_URL is set), gives no
 *   advice about IAM's variable, and shows no stack trace; for a create and for LoginProfile.get.
 * - A LoginProfile for a user that does not exist says once how long it waits for IAM to settle and
 *   which setting said so, then fails within that time saying how long it waited: the stack's
 *   iam-login-profile:propagationTimeoutSeconds, or, through the plugin, the resource's customTimeouts.
 *
 * The STS cases set iam-login-profile:maxRetries to 0, so that the unreachable endpoint fails at
 * once rather than after the SDK's retries. Every output and state file is scanned for the passwords.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { callsDuring } from "../support/emulator";
import { e2eSuite } from "./suite";
import {
    leakedPasswords,
    LOGIN_PROFILE_TYPE,
    PLUGIN_LOGIN_PROFILE_TYPE,
    TestProject,
    yamlProfiles,
    type CliResult,
    type ProfileSpec,
} from "./harness";

jest.setTimeout(180_000);

const PASSWORDS = {
    declared: "Errors-Declared-Passw0rd!",
    outside: "Errors-Outside-Passw0rd#",
};

// With exactly the permissions of the documented policy (docs/iam-policy.json).
const suite = e2eSuite({ leastPrivilege: true });

/** A run's environment with only IAM's endpoint set: STS (and CloudTrail) calls go to AWS's own endpoints for the region. */
const ONLY_IAM_ENDPOINT = { AWS_ENDPOINT_URL_STS: undefined, AWS_ENDPOINT_URL_CLOUDTRAIL: undefined, AWS_ENDPOINT_URL: undefined };

/** Where the account lookup was sent, and why, as the error says it. */
const AWS_STS =
    "at the STS endpoint https://sts.us-east-1.amazonaws.com: AWS's own for us-east-1, as neither AWS_ENDPOINT_URL_STS nor AWS_ENDPOINT_URL is set. " +
    "Check the network, that endpoint and the region.";

/**
 * The CLI's default output of a run, split where it sums up: the rows it prints as it goes, and
 * its "Diagnostics:" summary. A line a provider writes once to stderr is shown once in each
 * (under the stack); a resource's error on each of its last rows, and once in the summary, under
 * the resource.
 */
function display(result: CliResult): { rows: string; diagnostics: string } {
    const [rows = "", diagnostics = ""] = result.stdout.split("\nDiagnostics:\n");
    return { rows, diagnostics };
}

/** How many times `text` holds `part`. */
function occurrences(text: string, part: string): number {
    return text.split(part).length - 1;
}

/** `text` as a regular expression that matches it literally. */
function literally(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The summary's block for one resource with one error, `error` a regular expression of its
 * message, after the messages the provider said about the resource (the plugin's notices are
 * shown under it).
 */
function errorBlock(type: string, name: string, error: string): RegExp {
    return new RegExp(`^  ${literally(type)} \\(${literally(name)}\\):\n(?:    (?!error: )[^\n]*\n)*    error: ${error}$`, "m");
}

/**
 * That the run `result`, which failed in the account lookup for `userName` (resource `name` of
 * `type`), says that STS GetCallerIdentity could not reach AWS's STS endpoint (this machine
 * resolves no public name: ENOTFOUND, or EAI_AGAIN), says nothing of IAM's endpoint variable, and
 * shows no stack trace.
 */
function expectStsUnreachable(result: CliResult, type: string, name: string, userName: string): void {
    const output = `${result.stdout}\n${result.stderr}`;
    const lead = `Finding the account of the credentials for IAM user "${userName}" failed: STS GetCallerIdentity: cannot reach STS (`;
    expect(output).toContain(lead);
    expect(output).toContain(AWS_STS);
    expect(display(result).diagnostics).toMatch(
        errorBlock(
            type,
            name,
            `${literally(lead)}(ENOTFOUND|EAI_AGAIN): getaddrinfo \\1 sts\\.us-east-1\\.amazonaws\\.com\\) ${literally(AWS_STS)}`,
        ),
    );
    expect(output).not.toContain("AWS_ENDPOINT_URL_IAM");
    expect(output).not.toMatch(/^\s+at .+\(.*:\d+:\d+\)$/m);
    expect(output).not.toContain("    at ");
}

/** The subject of the notice and of the error of a create for `userName`, a user that does not exist. */
function missingUser(userName: string): string {
    return `IAM user "${userName}" does not exist, or IAM has not propagated it yet if it was created a moment ago`;
}

/**
 * That the failed create of resource `name` of `type`, for `userName`, a user that does not exist,
 * waited at most `timeoutSeconds` for IAM to settle, retrying, and said so naming `source`, the
 * setting that set the wait.
 */
function expectWaitedOut(result: CliResult, type: string, name: string, userName: string, timeoutSeconds: number, source: string): void {
    const error = `${literally(missingUser(userName))}: IAM still answered NoSuchEntity after (\\d+) attempts over (\\d+) s ${literally(`(${source})`)}`;
    const { diagnostics } = display(result);
    expect(diagnostics).toMatch(errorBlock(type, name, error));
    const [, attempts, seconds] = errorBlock(type, name, error).exec(diagnostics) ?? [];
    expect(Number(attempts)).toBeGreaterThanOrEqual(2);
    expect(Number(seconds)).toBeLessThanOrEqual(timeoutSeconds);
}

/** The notice a create for `userName`, a user that does not exist, gives when it starts to wait. */
function waitNotice(userName: string, timeoutSeconds: number, source: string): string {
    return `${missingUser(userName)}: waiting up to ${timeoutSeconds} s for IAM to settle (${source})`;
}

/**
 * That the default output of `result` shows `notice` as a message said once: once among the rows
 * and once in the summary (under the stack for the dynamic resource, whose provider host writes it
 * to stderr; under the resource for the plugin, which sends it to the engine's Log).
 */
function expectNoticeOnce(result: CliResult, notice: string): void {
    const { rows, diagnostics } = display(result);
    expect({ notice, rows: occurrences(rows, notice), diagnostics: occurrences(diagnostics, notice) }).toEqual({
        notice,
        rows: 1,
        diagnostics: 1,
    });
}

/**
 * Runs `pulumi <args>` in `project` expecting exit 1; returns the result, how many seconds it took,
 * and the IAM and STS calls the emulator received meanwhile.
 */
async function failing(
    project: TestProject,
    args: readonly string[],
    env: Record<string, string | undefined> = {},
): Promise<{ result: CliResult; seconds: number; calls: Record<string, number> }> {
    const started = Date.now();
    let result: CliResult = { code: -1, stdout: "", stderr: "" };
    const calls = await callsDuring(suite.emulator, async () => {
        result = await project.expectPulumi(args, 1, env);
    });
    return { result, seconds: (Date.now() - started) / 1000, calls };
}

/** A LoginProfile of the scenario program, `name` for `userName`, with the declared password. */
function profile(name: string, userName: string): ProfileSpec {
    return { name, userName, passwordKey: "declared" };
}

describe("the dynamic resource", () => {
    test("with only AWS_ENDPOINT_URL_IAM set, up of a new profile fails naming STS GetCallerIdentity and AWS's STS endpoint, with no stack trace", async () => {
        await suite.iam.createUser("sts-create");
        await suite.project.initStack("sts-create", [profile("sts-create", "sts-create")], PASSWORDS);
        await suite.project.expectPulumi(["config", "set", "iam-login-profile:maxRetries", "0"]);

        const run = await failing(suite.project, ["up", "--yes", "--skip-preview"], ONLY_IAM_ENDPOINT);

        expectStsUnreachable(run.result, LOGIN_PROFILE_TYPE, "sts-create", "sts-create");
        expect(run.seconds).toBeLessThan(60);
        // The lookup comes before CreateLoginProfile: no call reached the emulator, and nothing was made.
        expect(run.calls).toEqual({});
        expect(await suite.iam.profile("sts-create")).toBeUndefined();
        expect(await suite.project.profilesInState()).toEqual([]);
        console.log(`awsErrors: dynamic resource, up with STS unreachable failed after ${run.seconds.toFixed(1)} s`);
    });

    test("with only AWS_ENDPOINT_URL_IAM set, LoginProfile.get fails the same way, with no stack trace", async () => {
        await suite.iam.createUser("sts-read");
        await suite.iam.createProfile("sts-read", PASSWORDS.outside);
        // `reads`: LoginProfile.get, and getLoginProfileOutput, which reads the profile in the program with no STS call.
        await suite.project.initStack("sts-read", [], PASSWORDS);
        await suite.project.expectPulumi(["config", "set", "reads", JSON.stringify(["sts-read"])]);
        await suite.project.expectPulumi(["config", "set", "iam-login-profile:maxRetries", "0"]);

        const run = await failing(suite.project, ["up", "--yes", "--skip-preview"], ONLY_IAM_ENDPOINT);

        expectStsUnreachable(run.result, LOGIN_PROFILE_TYPE, "read-sts-read", "sts-read");
        expect(run.result.stdout).not.toContain("unhandled exception");
        expect(run.seconds).toBeLessThan(60);
        // IAM at the emulator answered the function's read and the get's (a read asks for the account
        // after the profile); the get's account lookup reached nothing.
        expect(run.calls).toEqual({ GetLoginProfile: 2, ListUsers: 1 });
        expect(await suite.iam.profile("sts-read")).toMatchObject({ userName: "sts-read" });
        expect(await suite.emulator.signsIn("sts-read", PASSWORDS.outside)).toBe(true);
        console.log(`awsErrors: dynamic resource, LoginProfile.get with STS unreachable failed after ${run.seconds.toFixed(1)} s`);
    });

    test("for a user that does not exist, up says once that it waits iam-login-profile:propagationTimeoutSeconds (3 s), then fails saying so", async () => {
        await suite.project.initStack("wait", [profile("nobody", "nobody")], PASSWORDS);
        await suite.project.expectPulumi(["config", "set", "iam-login-profile:propagationTimeoutSeconds", "3"]);

        const { result, seconds } = await failing(suite.project, ["up", "--yes", "--skip-preview"]);

        expect(seconds).toBeLessThan(60);
        console.log(`awsErrors: dynamic resource, up for a missing user with a 3 s wait failed after ${seconds.toFixed(1)} s`);
        const source = "iam-login-profile:propagationTimeoutSeconds is 3";
        expectWaitedOut(result, LOGIN_PROFILE_TYPE, "nobody", "nobody", 3, source);
        expect(await suite.project.profilesInState()).toEqual([]);
        expectNoticeOnce(result, waitNotice("nobody", 3, source));
    });
});

describe("the provider plugin, from a YAML program", () => {
    let yaml: TestProject;

    /** The YAML program: one LoginProfile `profile` for `userName`, with `options` (the lines under `options:`). */
    function program(userName: string, options: readonly string[] = []): string {
        return [
            ...yamlProfiles([{ name: "profile", userName, passwordResetRequired: false }]),
            ...(options.length > 0 ? ["    options:", ...options.map((line) => `      ${line}`)] : []),
            "",
        ].join("\n");
    }

    /** Replaces the project's program (the plugin stays installed), and makes and selects the stack `stack` for it. */
    async function stackFor(stack: string, text: string): Promise<void> {
        fs.writeFileSync(path.join(yaml.dir, "Pulumi.yaml"), `name: lp-e2e\n${text}`);
        await yaml.expectPulumi(["stack", "init", stack]);
        await yaml.setConfig("password", PASSWORDS.declared, true);
    }

    beforeAll(() => {
        yaml = TestProject.createYaml(suite.emulator.endpoint, program("yaml-sts"));
    });

    afterAll(() => {
        if (yaml) {
            yaml.recordStateFiles();
            yaml.dispose();
        }
    });

    test("with only AWS_ENDPOINT_URL_IAM set, up of a new profile fails naming STS GetCallerIdentity and AWS's STS endpoint, with no stack trace", async () => {
        await suite.iam.createUser("yaml-sts");
        await stackFor("sts", program("yaml-sts"));
        await yaml.expectPulumi(["config", "set", "iam-login-profile:maxRetries", "0"]);

        const run = await failing(yaml, ["up", "--yes", "--skip-preview"], ONLY_IAM_ENDPOINT);

        expectStsUnreachable(run.result, PLUGIN_LOGIN_PROFILE_TYPE, "profile", "yaml-sts");
        expect(run.seconds).toBeLessThan(60);
        expect(run.calls).toEqual({});
        expect(await suite.iam.profile("yaml-sts")).toBeUndefined();
        expect(await yaml.profilesInState()).toEqual([]);
        console.log(`awsErrors: plugin, up with STS unreachable failed after ${run.seconds.toFixed(1)} s`);
    });

    test("for a user that does not exist, up says once that it waits the resource's customTimeouts (create: 4s), then fails saying so", async () => {
        await stackFor("custom-timeouts", program("yaml-nobody", ["customTimeouts:", "  create: 4s"]));

        const { result, seconds } = await failing(yaml, ["up", "--yes", "--skip-preview"]);

        expect(seconds).toBeLessThan(60);
        console.log(`awsErrors: plugin, up for a missing user with customTimeouts create 4s failed after ${seconds.toFixed(1)} s`);
        expectWaitedOut(result, PLUGIN_LOGIN_PROFILE_TYPE, "profile", "yaml-nobody", 4, "the resource's customTimeouts");
        expect(await yaml.profilesInState()).toEqual([]);
        expectNoticeOnce(result, waitNotice("yaml-nobody", 4, "the resource's customTimeouts"));
    });

    test("for a user that does not exist, up says once that it waits the plugin's iam-login-profile:propagationTimeoutSeconds (2 s) without customTimeouts, then fails saying so", async () => {
        await stackFor("config-timeout", program("yaml-nobody"));
        await yaml.expectPulumi(["config", "set", "iam-login-profile:propagationTimeoutSeconds", "2"]);

        const { result, seconds } = await failing(yaml, ["up", "--yes", "--skip-preview"]);

        expect(seconds).toBeLessThan(60);
        console.log(`awsErrors: plugin, up for a missing user with a 2 s wait failed after ${seconds.toFixed(1)} s`);
        expectWaitedOut(result, PLUGIN_LOGIN_PROFILE_TYPE, "profile", "yaml-nobody", 2, "iam-login-profile:propagationTimeoutSeconds is 2");
        expect(await yaml.profilesInState()).toEqual([]);
        expectNoticeOnce(result, waitNotice("yaml-nobody", 2, "iam-login-profile:propagationTimeoutSeconds is 2"));
    });
});

describe("secret scan", () => {
    test("no password appears in any output, stack export or state file", async () => {
        for (const stack of ["sts-create", "sts-read", "wait"]) {
            await suite.project.expectPulumi(["stack", "select", stack]);
            await suite.project.exportStack();
        }
        suite.project.recordStateFiles();
        expect(leakedPasswords(Object.values(PASSWORDS))).toEqual([]);
    });
});
