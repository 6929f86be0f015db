/**
 * The provider Pulumi stores in every resource's state (`__provider`): serialized the way
 * `dynamic.Resource` does it, loaded back the way the provider process does, small, and holding
 * nothing it must not (no password, no credentials, no environment).
 *
 * The text is measured from the local build (dist/), loaded outside ts-jest: under `--coverage` the
 * source module is instrumented, and the coverage counters it would capture are ten times the stub.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
    CreateLoginProfileCommand,
    DeleteLoginProfileCommand,
    GetLoginProfileCommand,
    IAMClient,
    UpdateLoginProfileCommand,
} from "@aws-sdk/client-iam";
import * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import * as serializedProvider from "../../provider/serializedProvider";
import type { LoginProfileState } from "../../provider/model/types";
import {
    appliedOf,
    CREATE_DATE,
    inputsOf,
    NEW_PASSWORD,
    PASSWORD,
    sentCommands,
    stateOf,
    stackConfig,
    USER,
    mockCloudTrail,
} from "./fixtures";

type Provider = Required<dynamic.ResourceProvider<Record<string, unknown>, LoginProfileState>>;
/** `require-from-string`, as the dynamic provider host (`cmd/dynamic-provider`) uses it. */
type RequireFromString = (code: string) => Record<string, unknown>;

const ROOT = path.resolve(__dirname, "../..");
const BUILD_HINT = "run `npm run build` and scripts/setup";
const MAX_BYTES = 2200;
const PACKAGE_NAME = "pulumi-iam-login-profile";
const FAKE_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKEKEYFORTESTS";

const requireFromString = jest.requireActual<RequireFromString>("require-from-string");

/**
 * What a hook loaded back resolved to, as plain objects of this test's realm: the provider process
 * loads dist/ through Node itself, outside jest's sandbox, so its objects have other prototypes.
 */
async function settled(result: Promise<unknown>): Promise<unknown> {
    return JSON.parse(JSON.stringify(await result)) as unknown;
}

/** Where the provider process's own `require` finds the hooks, or why it cannot. */
function resolveHooksAsTheProviderProcessDoes(): string {
    try {
        const resolved = requireFromString('module.exports = require.resolve("pulumi-iam-login-profile/hooks");');
        return resolved as unknown as string;
    } catch (error) {
        throw new Error(`the serialized provider cannot load pulumi-iam-login-profile/hooks (${(error as Error).message}): ${BUILD_HINT}`);
    }
}

/** Fails when a provider source file is newer than its build: the test would measure old code. */
function assertBuildIsCurrent(): void {
    for (const file of fs.readdirSync(path.join(ROOT, "provider")).filter((f) => f.endsWith(".ts"))) {
        const built = path.join(ROOT, "dist", file.replace(/\.ts$/, ".js"));
        if (!fs.existsSync(built) || fs.statSync(built).mtimeMs < fs.statSync(path.join(ROOT, "provider", file)).mtimeMs) {
            throw new Error(`dist/ is older than provider/${file}: ${BUILD_HINT}`);
        }
    }
}

describe("the serialized provider", () => {
    let text: string;
    let containsSecrets: boolean;
    let savedSecret: string | undefined;

    beforeAll(async () => {
        expect(resolveHooksAsTheProviderProcessDoes()).toBe(path.join(ROOT, "dist", "hooks.js"));
        assertBuildIsCurrent();

        savedSecret = process.env.AWS_SECRET_ACCESS_KEY;
        process.env.AWS_SECRET_ACCESS_KEY = FAKE_SECRET_ACCESS_KEY;
        // Exactly what dynamic.Resource does (node_modules/@pulumi/pulumi/dynamic/index.js).
        const provider = jest.requireActual<object>(path.join(ROOT, "dist", "serializedProvider.js"));
        const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
        text = serialized.text;
        containsSecrets = serialized.containsSecrets;
    });

    afterAll(() => {
        if (savedSecret === undefined) {
            delete process.env.AWS_SECRET_ACCESS_KEY;
        } else {
            process.env.AWS_SECRET_ACCESS_KEY = savedSecret;
        }
    });

    it(`is at most ${MAX_BYTES} bytes`, () => {
        const bytes = Buffer.byteLength(text, "utf8");
        console.log(`serialized provider: ${bytes} bytes (by value, local build)`);

        expect(bytes).toBeLessThanOrEqual(MAX_BYTES);
    });

    it("loads the implementation by the package's public name when a hook runs", () => {
        for (const hook of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
            expect(text).toContain(`require("pulumi-iam-login-profile/hooks").${hook}(...a)`);
        }
    });

    it("captures no client, no configuration and no secret", () => {
        expect(text).not.toContain("IAMClient");
        expect(text).not.toContain("Config");
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(FAKE_SECRET_ACCESS_KEY);
        expect(containsSecrets).toBe(false);
    });

    it("captures no value of the environment", () => {
        // The package's own name is in the text by design; npm also puts it in npm_package_name.
        const captured = Object.entries(process.env)
            .filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1].length > 8)
            .filter(([, value]) => value !== PACKAGE_NAME)
            .filter(([, value]) => text.includes(value))
            .map(([name]) => name);

        expect(captured).toStrictEqual([]);
    });

    describe("loaded back as the provider process loads it", () => {
        let provider: Provider;

        beforeAll(() => {
            const loaded = requireFromString(text) as { handler: () => Provider };
            provider = loaded.handler();
        });

        it("offers every hook", () => {
            expect(Object.keys(provider).sort()).toStrictEqual(["check", "configure", "create", "delete", "diff", "read", "update"]);
        });

        it("checks inputs", async () => {
            await expect(settled(provider.check({}, { userName: USER, password: PASSWORD }))).resolves.toStrictEqual({
                inputs: inputsOf(),
                failures: [],
            });
            await expect(settled(provider.check({}, inputsOf({ userName: "" })))).resolves.toStrictEqual({
                inputs: inputsOf({ userName: "" }),
                failures: [{ property: "userName", reason: "userName must be 1 to 64 characters long, not 0" }],
            });
        });

        it("diffs state against inputs", async () => {
            await expect(settled(provider.diff(USER, stateOf(), inputsOf()))).resolves.toStrictEqual({
                changes: false,
                replaces: [],
                deleteBeforeReplace: false,
            });
            await expect(settled(provider.diff(USER, stateOf(), inputsOf({ userName: "bob" })))).resolves.toStrictEqual({
                changes: true,
                replaces: ["userName"],
                deleteBeforeReplace: true,
            });
        });
    });
});

describe("the serialized provider's source module", () => {
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

    it("delegates every hook to the package's hooks module", async () => {
        iamMock
            .on(CreateLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        iamMock.on(UpdateLoginProfileCommand).resolves({});
        iamMock.on(DeleteLoginProfileCommand).resolves({});
        const p = serializedProvider;

        // Without the event history and the credential report, so that read makes only its GetLoginProfile call
        // and ListUsers (for passwordLastUsed).
        await p.configure(stackConfig({ "aws:region": "eu-west-1", "iam-login-profile:detectPasswordChanges": "false" }));
        await expect(p.check({}, inputsOf())).resolves.toStrictEqual({ inputs: inputsOf(), failures: [] });
        await expect(p.diff(USER, stateOf(), inputsOf())).resolves.toStrictEqual({
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
        const setAt = expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown as string;
        await expect(p.create(inputsOf())).resolves.toStrictEqual({ id: USER, outs: stateOf(appliedOf(inputsOf(), setAt)) });
        await expect(p.read(USER, stateOf())).resolves.toStrictEqual({ id: USER, props: stateOf() });
        await expect(p.update(USER, stateOf(), inputsOf({ password: NEW_PASSWORD }))).resolves.toStrictEqual({
            outs: stateOf({ password: NEW_PASSWORD, ...appliedOf(inputsOf({ password: NEW_PASSWORD }), setAt) }),
        });
        await expect(p.delete(USER, stateOf())).resolves.toBeUndefined();

        expect(sentCommands(iamMock)).toStrictEqual([
            ["CreateLoginProfileCommand", { UserName: USER, Password: PASSWORD, PasswordResetRequired: false }],
            ["GetLoginProfileCommand", { UserName: USER }],
            ["ListUsersCommand", { MaxItems: 1000 }],
            ["UpdateLoginProfileCommand", { UserName: USER, Password: NEW_PASSWORD }],
            ["DeleteLoginProfileCommand", { UserName: USER }],
        ]);
        expect(cloudTrailMock).not.toHaveReceivedAnyCommand();
        await expect((iamMock.call(0).thisValue as IAMClient).config.region()).resolves.toBe("eu-west-1");
    });
});
