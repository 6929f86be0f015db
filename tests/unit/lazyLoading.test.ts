/**
 * `pulumi preview` must not load the AWS SDK: check and diff run without it, IAM's client and
 * CloudTrail's alike. Nor is the OpenPGP library loaded for a profile without a pgpKey, nor by
 * diff; check loads it only to parse a key it was given (rules/keys.ts). Proved by making each
 * impossible to load, so these tests cannot pass by accident.
 */
import type { LoginProfileApi } from "../../provider/aws/iam";
import type * as CloudTrail from "../../provider/aws/cloudTrail";
import type * as Lifecycle from "../../provider/lifecycle";
import type * as Hooks from "../../provider/hooks";
import { CREATE_DATE_ISO, generatedInputsOf, generatedStateOf, inputsOf, stateOf, USER } from "./fixtures";

const SDK_LOADED = "@aws-sdk/client-iam was loaded";
const CLOUDTRAIL_LOADED = "@aws-sdk/client-cloudtrail was loaded";
const OPENPGP_LOADED = "openpgp was loaded";
const PGP_KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ0000\n-----END PGP PUBLIC KEY BLOCK-----\n";

/** Loads a provider module in a fresh module registry in which requiring `blocked` throws `message`. */
function loadWithout<T extends object>(path: string, blocked: string, message: string): T {
    let loaded: T | undefined;
    jest.isolateModules(() => {
        jest.doMock(blocked, () => {
            throw new Error(message);
        });
        loaded = jest.requireActual<T>(path);
    });
    if (loaded === undefined) {
        throw new Error(`could not load ${path}`);
    }
    return loaded;
}

function loadWithoutSdk<T extends object>(path: string): T {
    return loadWithout<T>(path, "@aws-sdk/client-iam", SDK_LOADED);
}

function loadWithoutCloudTrail<T extends object>(path: string): T {
    return loadWithout<T>(path, "@aws-sdk/client-cloudtrail", CLOUDTRAIL_LOADED);
}

/** IAM calls that succeed without the SDK, for the OpenPGP tests. */
function fakeIam(): LoginProfileApi {
    return {
        create: async (userName) => ({ userName, createDate: CREATE_DATE_ISO, passwordResetRequired: false }),
        get: async (userName) => ({ userName, createDate: CREATE_DATE_ISO, passwordResetRequired: false }),
        update: async () => undefined,
        delete: async () => undefined,
        getAccountPasswordPolicy: async () => undefined,
        accountId: async () => "123456789012",
        generateCredentialReport: async () => "COMPLETE",
        getCredentialReport: async () => ({ content: "user,password_enabled,password_last_changed\n", generatedAt: new Date(0) }),
        listUsers: async () => [],
        lookupEvents: async () => ({ events: [] }),
    };
}

afterEach(() => {
    jest.dontMock("@aws-sdk/client-iam");
    jest.dontMock("@aws-sdk/client-cloudtrail");
    jest.dontMock("openpgp");
});

describe("the AWS SDK is loaded on the first IAM call, not before", () => {
    it("is not needed to load the hooks, nor to run check and diff", async () => {
        const { createLifecycle } = loadWithoutSdk<typeof Lifecycle>("../../provider/lifecycle");
        const lifecycle = createLifecycle({ env: {} });

        await expect(lifecycle.check({}, inputsOf())).resolves.toStrictEqual({ inputs: inputsOf(), failures: [] });
        await expect(lifecycle.diff(USER, stateOf(), inputsOf({ passwordResetRequired: true }))).resolves.toStrictEqual({
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
    });

    it("is loaded by create, which is how the two tests above would have noticed it", async () => {
        const { createLifecycle } = loadWithoutSdk<typeof Lifecycle>("../../provider/lifecycle");

        await expect(createLifecycle({ env: {} }).create(inputsOf())).rejects.toThrow(SDK_LOADED);
    });

    it("is not needed to load the module the serialized provider loads", async () => {
        const hooks = loadWithoutSdk<typeof Hooks>("../../provider/hooks");

        await expect(hooks.check({}, inputsOf())).resolves.toStrictEqual({ inputs: inputsOf(), failures: [] });
        await expect(hooks.diff(USER, stateOf(), inputsOf())).resolves.toStrictEqual({
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
    });

    it("is not needed to load the package's public entry point", () => {
        const index = loadWithoutSdk<typeof import("../../provider")>("../../provider");

        expect(typeof index.LoginProfile).toBe("function");
    });
});

describe("the AWS SDK's CloudTrail client is loaded on the first event lookup, not before", () => {
    it("is not needed to load the hooks, nor to run check and diff", async () => {
        const { createLifecycle } = loadWithoutCloudTrail<typeof Lifecycle>("../../provider/lifecycle");
        const lifecycle = createLifecycle({ env: {} });

        await expect(lifecycle.check({}, inputsOf())).resolves.toStrictEqual({ inputs: inputsOf(), failures: [] });
        await expect(lifecycle.diff(USER, stateOf(), inputsOf({ passwordResetRequired: true }))).resolves.toStrictEqual({
            changes: true,
            replaces: [],
            deleteBeforeReplace: false,
        });
    });

    it("is loaded by the first lookup of the event history, which is how the tests above and below would have noticed it", async () => {
        const { connectEventHistory } = loadWithoutCloudTrail<typeof CloudTrail>("../../provider/aws/cloudTrail");
        const events = connectEventHistory({ region: "us-east-1", maxAttempts: 3, retryMode: "standard" });

        await expect(events.lookupEvents("UpdateLoginProfile", new Date(0))).rejects.toThrow(CLOUDTRAIL_LOADED);
    });

    it("is not needed to load the module the serialized provider loads", async () => {
        const hooks = loadWithoutCloudTrail<typeof Hooks>("../../provider/hooks");

        await expect(hooks.check({}, inputsOf())).resolves.toStrictEqual({ inputs: inputsOf(), failures: [] });
        await expect(hooks.diff(USER, stateOf(), inputsOf())).resolves.toStrictEqual({
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
    });

    it("is not needed to load the package's public entry point", () => {
        const index = loadWithoutCloudTrail<typeof import("../../provider")>("../../provider");

        expect(typeof index.LoginProfile).toBe("function");
    });
});

describe("the OpenPGP library is loaded only to use a pgpKey", () => {
    function lifecycleWithoutOpenPgp(): Lifecycle.LoginProfileLifecycle {
        const { createLifecycle } = loadWithout<typeof Lifecycle>("../../provider/lifecycle", "openpgp", OPENPGP_LOADED);
        return createLifecycle({ env: {}, connect: async () => fakeIam() });
    }

    it("is not needed to check a profile without a key, nor to diff one with a pgpKey", async () => {
        const lifecycle = lifecycleWithoutOpenPgp();

        await expect(lifecycle.check({}, generatedInputsOf())).resolves.toMatchObject({ failures: [] });
        await expect(lifecycle.diff(USER, generatedStateOf(), generatedInputsOf({ pgpKey: PGP_KEY }))).resolves.toMatchObject({
            changes: true,
        });
    });

    it("is loaded by check to parse a pgpKey, so that preview reports one that cannot be encrypted to", async () => {
        await expect(lifecycleWithoutOpenPgp().check({}, generatedInputsOf({ pgpKey: PGP_KEY }))).rejects.toThrow(OPENPGP_LOADED);
    });

    it("is not needed to create and update a profile without a pgpKey", async () => {
        const lifecycle = lifecycleWithoutOpenPgp();

        await expect(lifecycle.create(generatedInputsOf())).resolves.toMatchObject({ id: USER });
        await expect(lifecycle.update(USER, generatedStateOf(), generatedInputsOf({ rotationTrigger: "2" }))).resolves.toMatchObject({
            outs: { rotationTrigger: "2" },
        });
    });

    it("is not needed when only the reset flag of a profile with a pgpKey changes", async () => {
        const olds = generatedStateOf({ password: undefined, pgpKey: PGP_KEY, encryptedPassword: "eA==", keyFingerprint: "ab" });

        const result = await lifecycleWithoutOpenPgp().update(
            USER,
            olds,
            generatedInputsOf({ pgpKey: PGP_KEY, passwordResetRequired: true }),
        );

        expect(result.outs).toMatchObject({ encryptedPassword: "eA==", keyFingerprint: "ab" });
    });

    it("is loaded by a create with a pgpKey, which is how the tests above would have noticed it", async () => {
        await expect(lifecycleWithoutOpenPgp().create(generatedInputsOf({ pgpKey: PGP_KEY }))).rejects.toThrow(OPENPGP_LOADED);
    });
});
