/**
 * The provider plugin's front door: it translates between Pulumi's provider protocol and the
 * hooks (secrets on the wire, function tokens, an import's read) and decides nothing; its schema
 * is generated from the TypeScript types' TSDoc and must be current.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { CreateLoginProfileCommand, GetLoginProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { configValues, receiveEngineRequests, type EngineRequestReceiver } from "../../provider/plugin/engineRequests";
import { createPluginProvider, LOGIN_PROFILE_TOKEN } from "../../provider/plugin/provider";
import schema from "../../provider/plugin/schema.json";
import { plain, unwrapSecrets, withSecrets } from "../../provider/plugin/secrets";
import { ACCOUNT_ID, CREATE_DATE, CREATE_DATE_ISO, failOnWarning, PASSWORD, sentCommands, USER, mockCloudTrail } from "./fixtures";

const URN = `urn:pulumi:dev::proj::${LOGIN_PROFILE_TOKEN}::alice`;
const SECRET = (value: unknown): Record<string, unknown> => ({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    value,
});

let iamMock: AwsClientStub<IAMClient>;
let cloudTrailMock: AwsClientStub<CloudTrailClient>;

beforeEach(() => {
    iamMock = mockClient(IAMClient);
    cloudTrailMock = mockCloudTrail();
});

afterEach(() => {
    iamMock.restore();
    cloudTrailMock.restore();
});

/** A receiver of the engine's requests that ignores what a test does not look at. */
function receiver(overrides: Partial<EngineRequestReceiver>): EngineRequestReceiver {
    return { configure: () => undefined, withOperation: (_operation, run) => run(), ...overrides };
}

describe("the schema", () => {
    it("is current: generated from the TSDoc of LoginProfileArgs, LoginProfile and the lookups' types", () => {
        const repo = path.resolve(__dirname, "../..");
        expect(execFileSync("node", [path.join(repo, "scripts", "generate-schema.mjs"), "--check"], { encoding: "utf8" })).toContain(
            "provider/plugin/schema.json is current",
        );
    });

    it("has a current API reference, generated from the schema (docs/api-reference.md)", () => {
        const repo = path.resolve(__dirname, "../..");
        expect(execFileSync("node", [path.join(repo, "scripts", "generate-api-docs.mjs"), "--check"], { encoding: "utf8" })).toBe(
            "docs/api-reference.md is current\n",
        );
    });

    it("declares every input check accepts, marks password secret, and documents each", () => {
        const resource = schema.resources[LOGIN_PROFILE_TOKEN as keyof typeof schema.resources];
        expect(Object.keys(resource.inputProperties).sort()).toStrictEqual(
            [
                "adoptExisting",
                "assumeRole",
                "profile",
                "passwordLength",
                "passwordResetRequired",
                "password",
                "pgpKey",
                "pgpKeys",
                "threshold",
                "region",
                "rotationTrigger",
                "rotateBeforeExpiry",
                "rotateAfter",
                "rotateAfterUse",
                "userName",
            ].sort(),
        );
        expect(resource.inputProperties.pgpKeys).toMatchObject({ type: "array", items: { type: "string" } });
        expect(resource.inputProperties.threshold).toMatchObject({ type: "integer" });
        expect(resource.inputProperties.rotateBeforeExpiry).toMatchObject({ type: "string" });
        expect(resource.inputProperties.rotateAfter).toMatchObject({ type: "string" });
        expect(resource.inputProperties.rotateAfterUse).toMatchObject({ type: "boolean" });
        expect(resource.inputProperties.password).toMatchObject({ type: "string", secret: true });
        expect(resource.inputProperties.assumeRole).toMatchObject({ $ref: "#/types/iam-login-profile:index:AssumeRole" });
        expect(schema.types["iam-login-profile:index:AssumeRole"].properties.externalId).toMatchObject({ type: "string", secret: true });
        expect(schema.types["iam-login-profile:index:AssumeRole"].required).toStrictEqual(["roleArn"]);
        expect(resource.properties.password).toMatchObject({ secret: true });
        expect(resource.requiredInputs).toStrictEqual(["userName"]);
        for (const property of [...Object.values(resource.inputProperties), ...Object.values(resource.properties)]) {
            expect(property.description.length).toBeGreaterThan(20);
        }
        expect(resource.inputProperties.passwordLength.description).toContain(
            "Default: 20, or the account password policy's minimum length",
        );
    });
});

describe("secrets on the wire", () => {
    it("unwraps secrets at any depth and wraps the secret outputs", () => {
        expect(unwrapSecrets({ a: SECRET("x"), b: [SECRET({ c: SECRET(1) })] })).toStrictEqual({ a: "x", b: [{ c: 1 }] });
        expect(withSecrets({ password: "p", passwordHash: "h", userName: "u" })).toStrictEqual({
            password: SECRET("p"),
            passwordHash: SECRET("h"),
            userName: "u",
        });
        expect(plain(undefined)).toStrictEqual({});
    });
});

describe("the plugin provider", () => {
    it("creates through the hooks with the plain password, and returns it as a secret output", async () => {
        iamMock
            .on(CreateLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        const plugin = createPluginProvider({ env: {}, warn: failOnWarning });

        const created = await plugin.create?.(URN, { userName: USER, password: SECRET(PASSWORD), passwordResetRequired: false });

        expect(sentCommands(iamMock)).toStrictEqual([
            ["CreateLoginProfileCommand", { UserName: USER, Password: PASSWORD, PasswordResetRequired: false }],
        ]);
        expect(created?.id).toBe(USER);
        expect((created?.outs as Record<string, unknown>).password).toStrictEqual(SECRET(PASSWORD));
    });

    it("reads an import (no state) as AWS reports it, and gives the engine the inputs it needs: user and flag, no password", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: true } });
        const plugin = createPluginProvider({ env: {}, warn: failOnWarning });

        await expect(plugin.read?.(USER, URN, {})).resolves.toStrictEqual({
            id: USER,
            props: {
                userName: USER,
                passwordResetRequired: true,
                passwordResetPending: true,
                createDate: CREATE_DATE_ISO,
                accountId: ACCOUNT_ID,
            },
            inputs: { userName: USER, passwordResetRequired: true },
        });
    });

    it("checks with the hooks' rules and keeps the password secret in the checked inputs", async () => {
        const plugin = createPluginProvider({ env: {}, warn: failOnWarning });

        await expect(plugin.check?.(URN, {}, { userName: "bad name", password: SECRET(PASSWORD) })).resolves.toStrictEqual({
            inputs: { userName: "bad name", password: SECRET(PASSWORD), passwordResetRequired: false },
            failures: [
                {
                    property: "userName",
                    reason: 'userName may hold only ASCII letters, digits and _+=,.@- (IAM\'s [\\w+=,.@-]); it contains " "',
                },
            ],
        });
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });

    it("invokes the lookups by their schema tokens, and names the functions it offers for any other", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        const plugin = createPluginProvider({ env: {}, warn: failOnWarning });

        await expect(plugin.invoke?.("iam-login-profile:index:getLoginProfile", { userName: USER })).resolves.toStrictEqual({
            outputs: { userName: USER, createDate: CREATE_DATE_ISO, passwordResetRequired: false },
        });
        await expect(plugin.invoke?.("iam-login-profile:index:nope", {})).rejects.toThrow(
            "unknown function iam-login-profile:index:nope: iam-login-profile offers iam-login-profile:index:getLoginProfile and iam-login-profile:index:listLoginProfiles",
        );
    });

    it("refuses a resource type it does not serve", async () => {
        const plugin = createPluginProvider({ env: {}, warn: failOnWarning });

        await expect(plugin.create?.("urn:pulumi:dev::proj::iam-login-profile:index:Other::x", {})).rejects.toThrow(
            "unknown resource type iam-login-profile:index:Other: iam-login-profile serves iam-login-profile:index:LoginProfile",
        );
    });
});

describe("the generated SDKs", () => {
    it("are current and untouched: generated from this schema, every file as scripts/generate-sdks wrote it", () => {
        const repo = path.resolve(__dirname, "../..");
        expect(execFileSync("node", [path.join(repo, "scripts", "sdk-manifest.mjs"), "--check"], { encoding: "utf8" })).toContain(
            "the SDKs under sdk/ are current",
        );
    });
});

describe("the plugin's configuration", () => {
    it("takes its own package's variables, in the engine's form or the short one, and ignores the others", () => {
        expect(
            configValues([
                ["iam-login-profile:config:region", "eu-west-1"],
                ["iam-login-profile:profile", "audit"],
                ["iam-login-profile:config:detectPasswordChanges", "false"],
                ["iam-login-profile:config:other", "x"],
                ["aws:config:region", "us-west-2"],
            ]),
        ).toStrictEqual({ region: "eu-west-1", profile: "audit", detectPasswordChanges: "false" });
    });

    it("reaches the plugin from the engine's Configure call before the SDK answers it, once the service is registered", () => {
        const calls: string[] = [];
        class Server {
            addService(_service: unknown, implementation: Record<string, unknown>): void {
                calls.push(`addService(${Object.keys(implementation).join(",")})`);
                (implementation.configure as (call: unknown, callback: () => void) => void)(
                    { request: { getVariablesMap: () => new Map([["iam-login-profile:config:region", "eu-west-1"]]) } },
                    () => calls.push("answered"),
                );
            }
        }
        const original: unknown = Reflect.get(Server.prototype, "addService");
        const sdkService = { configure: (_call: unknown, callback: () => void) => callback() };

        receiveEngineRequests({ Server }, receiver({ configure: (values) => calls.push(`configure(${JSON.stringify(values)})`) }));
        new Server().addService("ResourceProvider", sdkService);

        expect(calls).toStrictEqual(["addService(configure)", 'configure({"region":"eu-west-1"})', "answered"]);
        expect(Reflect.get(Server.prototype, "addService")).toBe(original);
    });

    it("runs Create, Read, Update and Delete on the resource and within the timeout their request carries (a resource's customTimeouts)", async () => {
        const seen: string[] = [];
        const urn = (name: string): string => `urn:pulumi:dev::project::iam-login-profile:index:LoginProfile::${name}`;
        class Server {
            addService(_service: unknown, implementation: Record<string, unknown>): void {
                for (const [operation, timeout] of [
                    ["create", 30],
                    ["read", undefined],
                    ["update", 0],
                    ["delete", 7.5],
                ] as const) {
                    const request = { getUrn: () => urn(operation), ...(timeout === undefined ? {} : { getTimeout: () => timeout }) };
                    (implementation[operation] as (call: unknown, callback: () => void) => void)({ request }, () =>
                        seen.push(`${operation} answered`),
                    );
                }
            }
        }
        const answer = async (_call: unknown, callback: () => void): Promise<void> => callback();
        const sdkService = { create: answer, read: answer, update: answer, delete: answer };

        receiveEngineRequests(
            { Server },
            receiver({
                withOperation: async (operation, run) => {
                    seen.push(`${operation.urn.split("::").pop() ?? ""} within ${String(operation.timeoutSeconds)}`);
                    return run();
                },
            }),
        );
        new Server().addService("ResourceProvider", sdkService);
        await new Promise((resolve) => setImmediate(resolve));

        expect(seen).toStrictEqual([
            "create within 30",
            "create answered",
            "read within undefined",
            "read answered",
            "update within 0",
            "update answered",
            "delete within 7.5",
            "delete answered",
        ]);
    });

    it("answers Configure with the error when the configuration is refused", () => {
        let answer: unknown;
        class Server {
            addService(_service: unknown, implementation: Record<string, unknown>): void {
                (implementation.configure as (call: unknown, callback: (error: unknown) => void) => void)(
                    { request: { getVariablesMap: () => new Map() } },
                    (error) => (answer = error),
                );
            }
        }

        receiveEngineRequests(
            { Server },
            receiver({
                configure: () => {
                    throw new Error("refused");
                },
            }),
        );
        new Server().addService("ResourceProvider", { configure: () => undefined });

        expect(answer).toStrictEqual(new Error("refused"));
    });

    it("detectPasswordChanges false turns off the event history and the credential report for the plugin's reads", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        const plugin = createPluginProvider({ env: {}, warn: failOnWarning });
        plugin.configure({ detectPasswordChanges: "false" });
        const state = {
            userName: USER,
            password: SECRET(PASSWORD),
            passwordResetRequired: false,
            passwordResetPending: false,
            createDate: CREATE_DATE_ISO,
            passwordSetAt: CREATE_DATE_ISO,
        };

        await plugin.read?.(USER, URN, state);

        // ListUsers stays: it is where passwordLastUsed comes from.
        expect(sentCommands(iamMock).map(([name]) => name)).toStrictEqual(["GetLoginProfileCommand", "ListUsersCommand"]);
        expect(cloudTrailMock).not.toHaveReceivedAnyCommand();
    });
});
