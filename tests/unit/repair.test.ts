/**
 * `pulumi-iam-login-profile repair`: what it makes of a killed run's pending operations, read
 * through a stand-in `pulumi` on PATH (it serves the selected stack's name, `stack export` and
 * `config`, and keeps what `stack import` is given) and IAM stubbed at the SDK client. The
 * command line's grammar and help are tests/unit/cli.test.ts.
 */
import { GetLoginProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../provider/cli/main";
import {
    DYNAMIC_TYPE,
    PLUGIN_TYPE,
    repairDeployment,
    type Deployment,
    type PendingOperation,
} from "../../provider/cli/repair/pendingOperations";
import { awsError, CREATE_DATE, mockCloudTrail } from "./fixtures";

const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const STACK_URN = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
const DYNAMIC_PROVIDER = "urn:pulumi:dev::proj::pulumi:providers:pulumi-nodejs::default::0b1c";
const PLUGIN_PROVIDER_URN = "urn:pulumi:dev::proj::pulumi:providers:iam-login-profile::member";

function urnOf(type: string, name: string): string {
    return `urn:pulumi:dev::proj::${type}::${name}`;
}

/** A pending create of a dynamic LoginProfile for `userName`, its password and provider code encrypted. */
function dynamicCreate(userName: string, extra: Record<string, unknown> = {}): PendingOperation {
    return {
        type: "creating",
        resource: {
            urn: urnOf(DYNAMIC_TYPE, userName),
            custom: true,
            type: DYNAMIC_TYPE,
            parent: STACK_URN,
            provider: `${DYNAMIC_PROVIDER}::04da`,
            inputs: {
                userName,
                password: { ...SECRET, ciphertext: "v1:abc" },
                passwordResetRequired: false,
                __provider: { ...SECRET, ciphertext: "v1:code" },
                ...extra,
            },
        },
    };
}

const STATE: Deployment = {
    manifest: { time: "2026-12-02T00:00:00Z" },
    resources: [
        { urn: STACK_URN, custom: false, type: "pulumi:pulumi:Stack" },
        { urn: urnOf(DYNAMIC_TYPE, "kept"), custom: true, type: DYNAMIC_TYPE, id: "kept", outputs: { userName: "kept" } },
    ],
    pending_operations: [
        dynamicCreate("made"),
        dynamicCreate("missing"),
        dynamicCreate("kept"),
        { type: "updating", resource: { urn: urnOf(DYNAMIC_TYPE, "kept"), type: DYNAMIC_TYPE } },
        { type: "deleting", resource: { urn: urnOf(DYNAMIC_TYPE, "old"), type: DYNAMIC_TYPE } },
        { type: "creating", resource: { urn: urnOf("aws:iam/user:User", "u"), type: "aws:iam/user:User" } },
    ],
};

let iamMock: AwsClientStub<IAMClient>;
let cloudTrailMock: AwsClientStub<CloudTrailClient>;

/** The region of the client that sent the first IAM command. */
function regionOfFirstCall(): Promise<string> {
    return (iamMock.call(0).thisValue as IAMClient).config.region();
}

beforeEach(() => {
    iamMock = mockClient(IAMClient);
    cloudTrailMock = mockCloudTrail();
    iamMock.on(GetLoginProfileCommand).rejects(awsError.noSuchEntity());
    iamMock
        .on(GetLoginProfileCommand, { UserName: "made" })
        .resolves({ LoginProfile: { UserName: "made", CreateDate: CREATE_DATE, PasswordResetRequired: false } });
});

afterEach(() => {
    iamMock.restore();
    cloudTrailMock.restore();
});

describe("repairDeployment", () => {
    it("completes a create IAM carried out, drops one it did not, and clears the rest, one line each", async () => {
        const looked: string[] = [];
        const repaired = await repairDeployment(STATE, async (op) => {
            const userName = String(op.resource.inputs?.userName);
            looked.push(userName);
            return userName === "made"
                ? {
                      userName,
                      state: {
                          userName,
                          passwordResetRequired: false,
                          passwordResetPending: false,
                          createDate: "2026-11-02T10:20:30.000Z",
                          accountId: "123456789012",
                      },
                  }
                : { userName };
        });

        expect(looked).toEqual(["made", "missing"]);
        expect(repaired.lines).toEqual([
            `completed  ${urnOf(DYNAMIC_TYPE, "made")}: IAM user "made" has a login profile (account 123456789012); the next \`pulumi up\` sets its declared password in place`,
            `dropped    ${urnOf(DYNAMIC_TYPE, "missing")}: IAM user "missing" has no login profile; the next \`pulumi up\` creates it`,
            `cleared    ${urnOf(DYNAMIC_TYPE, "kept")}: a pending create that a later run completed`,
            `cleared    ${urnOf(DYNAMIC_TYPE, "kept")}: a pending update; the resource is in state, and the next \`pulumi up\` applies the update again`,
            `cleared    ${urnOf(DYNAMIC_TYPE, "old")}: a pending delete; the resource is in state, and the next \`pulumi destroy\` (or \`pulumi up\`, if it is no longer declared) deletes it again`,
            `dropped    ${urnOf("aws:iam/user:User", "u")}: a pending create of a aws:iam/user:User, not a LoginProfile; if it was created, bring it in with \`pulumi import\``,
        ]);
        expect(repaired.deployment.pending_operations).toEqual([]);
        expect(repaired.deployment.manifest).toEqual(STATE.manifest);
        const [, , completed] = repaired.deployment.resources ?? [];
        expect(repaired.deployment.resources).toHaveLength(3);
        // The pending create's own record, with the id and the profile as read; the serialized provider kept encrypted.
        expect(completed).toEqual({
            ...dynamicCreate("made").resource,
            id: "made",
            outputs: {
                userName: "made",
                passwordResetRequired: false,
                passwordResetPending: false,
                createDate: "2026-11-02T10:20:30.000Z",
                accountId: "123456789012",
                __provider: { ...SECRET, ciphertext: "v1:code" },
            },
        });
    });

    it("keeps a declared role as the inputs hold it, its external id still encrypted", async () => {
        const role = { roleArn: "arn:aws:iam::111111111111:role/BreakGlass", externalId: { ...SECRET, ciphertext: "v1:ext" } };
        const state: Deployment = { resources: [], pending_operations: [dynamicCreate("made", { assumeRole: role })] };

        const repaired = await repairDeployment(state, async () => ({
            userName: "made",
            state: {
                userName: "made",
                passwordResetRequired: false,
                passwordResetPending: false,
                createDate: "",
                accountId: "111111111111",
                assumeRole: { roleArn: role.roleArn, externalId: "plaintext-never-written" },
            },
        }));

        expect(repaired.deployment.resources?.[0]?.outputs?.assumeRole).toEqual(role);
        expect(JSON.stringify(repaired.deployment)).not.toContain("plaintext-never-written");
    });
});

describe("the command", () => {
    let dir: string;
    const savedPath = process.env.PATH;

    /**
     * A stand-in `pulumi` that serves `state` (and `revealed` with --show-secrets) and `config`,
     * keeps what it imports, and names `selected` as the selected stack (with Pulumi's message
     * when it is null: none is selected). It logs each command line, and the directory it ran in.
     */
    function fakePulumi(state: unknown, revealed: unknown, config: Record<string, unknown> = {}, selected: string | null = "dev"): void {
        fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify(state));
        fs.writeFileSync(path.join(dir, "revealed.json"), JSON.stringify(revealed));
        fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config));
        const showName =
            selected === null
                ? "echo 'error: no stack selected; please use `pulumi stack select` or `pulumi stack init` to choose one' >&2; exit 255"
                : `echo "${selected}"`;
        const script = [
            "#!/bin/sh",
            `echo "$*" >> "${dir}/calls"`,
            `pwd >> "${dir}/cwds"`,
            'case "$1 $2" in',
            `  "stack --show-name") ${showName} ;;`,
            `  "stack export") case "$*" in *--show-secrets*) cat "${dir}/revealed.json" ;; *) cat "${dir}/state.json" ;; esac ;;`,
            `  "config --json") cat "${dir}/config.json" ;;`,
            `  "stack import") cp "$4" "${dir}/imported.json" ;;`,
            '  *) echo "error: no such stack" >&2; exit 255 ;;',
            "esac",
        ].join("\n");
        fs.writeFileSync(path.join(dir, "pulumi"), script, { mode: 0o755 });
    }

    /** The command lines the stand-in ran, a temporary file's name as F. */
    function calls(): string[] {
        return fs
            .readFileSync(path.join(dir, "calls"), "utf8")
            .trim()
            .split("\n")
            .map((call) => call.replace(/--file \S+/, "--file F"));
    }

    function run(args: string[]): Promise<{ code: number; lines: string[] }> {
        const lines: string[] = [];
        return main(args, (line) => lines.push(line)).then((code) => ({ code, lines }));
    }

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "repair-test-"));
        process.env.PATH = `${dir}${path.delimiter}${savedPath ?? ""}`;
    });

    afterEach(() => {
        process.env.PATH = savedPath;
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const killed: Deployment = {
        resources: [{ urn: STACK_URN, type: "pulumi:pulumi:Stack" }],
        pending_operations: [dynamicCreate("made"), dynamicCreate("missing")],
    };
    const revealedKilled: Deployment = {
        ...killed,
        pending_operations: [
            dynamicCreate("made", { password: { ...SECRET, plaintext: '"Never-Printed-Passw0rd!"' } }),
            dynamicCreate("missing"),
        ],
    };

    it("without --yes says what it would do, reads IAM where the stack's config points, and writes nothing", async () => {
        fakePulumi(
            { version: 3, deployment: killed },
            { version: 3, deployment: revealedKilled },
            { "aws:region": { value: "eu-west-1", secret: false } },
        );

        const { code, lines } = await run(["repair", "--stack", "dev"]);

        expect(code).toBe(0);
        expect(lines).toEqual([
            expect.stringMatching(/^completed {2}urn:.*::made: IAM user "made" has a login profile \(account 123456789012\)/),
            expect.stringMatching(/^dropped {4}urn:.*::missing: IAM user "missing" has no login profile/),
            "nothing written: run again with --yes to write this to the stack's state",
        ]);
        expect(fs.existsSync(path.join(dir, "imported.json"))).toBe(false);
        expect(await regionOfFirstCall()).toBe("eu-west-1");
        expect(lines.join("\n")).not.toContain("Never-Printed");
    });

    it("with --yes imports the repaired state, as exported without secrets, with no pending operation", async () => {
        fakePulumi({ version: 3, deployment: killed }, { version: 3, deployment: revealedKilled });

        const { code, lines } = await run(["repair", "--stack=dev", "--yes"]);

        expect(code).toBe(0);
        expect(lines[lines.length - 1]).toBe("stack dev repaired: run `pulumi up`");
        const imported = JSON.parse(fs.readFileSync(path.join(dir, "imported.json"), "utf8")) as {
            version: number;
            deployment: Deployment;
        };
        expect(imported.version).toBe(3);
        expect(imported.deployment.pending_operations).toEqual([]);
        expect(imported.deployment.resources?.map((r) => r.id ?? r.urn)).toEqual([STACK_URN, "made"]);
        expect(JSON.stringify(imported)).not.toContain("Never-Printed");
        expect(calls()).toEqual([
            "stack export --stack dev --non-interactive",
            "stack export --show-secrets --stack dev --non-interactive",
            "config --json --show-secrets --stack dev --non-interactive",
            "stack import --file F --stack dev --non-interactive",
        ]);
    });

    it("without --stack repairs the selected stack: every pulumi command runs without --stack, and the messages name it", async () => {
        fakePulumi({ version: 3, deployment: killed }, { version: 3, deployment: revealedKilled }, {}, "prod");

        const { code, lines } = await run(["repair", "--yes"]);

        expect(code).toBe(0);
        expect(lines[lines.length - 1]).toBe("stack prod repaired: run `pulumi up`");
        expect(calls()).toEqual([
            "stack --show-name --non-interactive",
            "stack export --non-interactive",
            "stack export --show-secrets --non-interactive",
            "config --json --show-secrets --non-interactive",
            "stack import --file F --non-interactive",
        ]);
        const imported = JSON.parse(fs.readFileSync(path.join(dir, "imported.json"), "utf8")) as { deployment: Deployment };
        expect(imported.deployment.pending_operations).toEqual([]);
    });

    it("without --stack and with no stack selected, says how to choose one and runs nothing else", async () => {
        fakePulumi({ version: 3, deployment: killed }, { version: 3, deployment: revealedKilled }, {}, null);

        await expect(run(["repair", "--yes"])).rejects.toThrow(
            new Error("no stack selected: pass --stack NAME, or select the stack with `pulumi stack select NAME`"),
        );
        expect(calls()).toEqual(["stack --show-name --non-interactive"]);
    });

    it("runs every pulumi command in the project directory --cwd names", async () => {
        fakePulumi({ version: 3, deployment: { resources: [] } }, {});
        const project = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "repair-project-")));
        try {
            expect(await run(["repair", "-C", project])).toEqual({
                code: 0,
                lines: ["stack dev has no pending operations: nothing to repair"],
            });
            expect(fs.readFileSync(path.join(dir, "cwds"), "utf8")).toBe(`${project}\n${project}\n`);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });

    it("reads a plugin profile with its provider resource's configuration", async () => {
        const create: PendingOperation = {
            type: "creating",
            resource: {
                urn: urnOf(PLUGIN_TYPE, "made"),
                type: PLUGIN_TYPE,
                provider: `${PLUGIN_PROVIDER_URN}::a1`,
                inputs: { userName: "made" },
            },
        };
        const provider = {
            urn: PLUGIN_PROVIDER_URN,
            type: "pulumi:providers:iam-login-profile",
            id: "a1",
            inputs: { region: "ap-south-1", maxRetries: 0 },
        };
        const deployment: Deployment = { resources: [provider], pending_operations: [create] };
        fakePulumi({ version: 3, deployment }, { version: 3, deployment });

        const { lines } = await run(["repair", "--stack", "dev"]);

        expect(lines[0]).toMatch(/^completed {2}urn:.*::made:/);
        expect(await regionOfFirstCall()).toBe("ap-south-1");
    });

    it("says so when there is nothing to repair", async () => {
        fakePulumi({ version: 3, deployment: { resources: [] } }, {});

        expect(await run(["repair", "--stack", "dev"])).toEqual({
            code: 0,
            lines: ["stack dev has no pending operations: nothing to repair"],
        });
    });

    it("reports a failed pulumi command with its stderr, and a missing pulumi with how to get it", async () => {
        fakePulumi({}, {});
        fs.writeFileSync(path.join(dir, "pulumi"), '#!/bin/sh\necho "error: no stack named dev found" >&2\nexit 255\n', { mode: 0o755 });
        await expect(run(["repair", "--stack", "dev"])).rejects.toThrow(
            new Error("`pulumi stack export --stack dev` failed: error: no stack named dev found"),
        );

        fs.writeFileSync(path.join(dir, "pulumi"), '#!/bin/sh\necho "error: no Pulumi.yaml project file found" >&2\nexit 255\n', {
            mode: 0o755,
        });
        await expect(run(["repair"])).rejects.toThrow(
            new Error("`pulumi stack --show-name` failed: error: no Pulumi.yaml project file found"),
        );

        await expect(run(["repair", "--stack", "dev", "--cwd", path.join(dir, "absent")])).rejects.toThrow(
            new Error(`cannot run \`pulumi\` in ${path.join(dir, "absent")}: no such directory`),
        );

        process.env.PATH = dir; // no pulumi but the one removed next
        fs.rmSync(path.join(dir, "pulumi"));
        await expect(run(["repair", "--stack", "dev"])).rejects.toThrow(
            new Error("cannot run `pulumi`: it is not on PATH (install the Pulumi CLI: https://www.pulumi.com/docs/install/)"),
        );
    });
});
