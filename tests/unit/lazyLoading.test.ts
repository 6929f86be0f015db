/**
 * `pulumi preview` must not load the AWS SDK: check and diff run without it. Proved by making the
 * SDK impossible to load, so these tests cannot pass by accident.
 */
import type * as Lifecycle from "../../provider/lifecycle";
import type * as Hooks from "../../provider/hooks";
import { inputsOf, stateOf, USER } from "./fixtures";

const SDK_LOADED = "@aws-sdk/client-iam was loaded";

/** Loads a provider module in a fresh module registry in which requiring the AWS SDK throws. */
function loadWithoutSdk<T extends object>(path: string): T {
    let loaded: T | undefined;
    jest.isolateModules(() => {
        jest.doMock("@aws-sdk/client-iam", () => {
            throw new Error(SDK_LOADED);
        });
        loaded = jest.requireActual<T>(path);
    });
    if (loaded === undefined) {
        throw new Error(`could not load ${path}`);
    }
    return loaded;
}

afterEach(() => {
    jest.dontMock("@aws-sdk/client-iam");
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
