/**
 * The set-up most end-to-end suites share: the CLI's version printed, one emulator, an IAM client
 * for arranging and inspecting, and one TestProject (the package installed from its tarball), all
 * ended after the suite.
 */
import { startEmulator, type Emulator } from "../support/emulator";
import { Iam } from "../support/iam";
import { policyActions } from "../support/policy";
import { requirePulumiCli, TestProject } from "./harness";

/** What a suite's tests use, available once the suite's beforeAll has run. */
export interface E2eSuite {
    readonly emulator: Emulator;
    readonly iam: Iam;
    readonly project: TestProject;
}

/**
 * Registers the suite's beforeAll and afterAll; call at the top of the test file. With
 * `leastPrivilege`, the provider's calls run with exactly the actions of the documented policy
 * (docs/iam-policy.json, as the emulator's `allowedActions`).
 */
export function e2eSuite(options: { readonly leastPrivilege?: boolean } = {}): E2eSuite {
    const suite: Partial<E2eSuite> = {};
    const made = <K extends keyof E2eSuite>(key: K): E2eSuite[K] => {
        const value = suite[key];
        if (value === undefined) {
            throw new Error(`the suite's ${key} is made in its beforeAll`);
        }
        return value;
    };
    beforeAll(async () => {
        console.log(`e2e: ${requirePulumiCli()}`);
        const emulator = await startEmulator();
        if (options.leastPrivilege) {
            await emulator.configure({ allowedActions: policyActions() });
        }
        Object.assign(suite, { emulator, iam: new Iam(emulator.endpoint), project: TestProject.create(emulator.endpoint) });
    });
    afterAll(async () => {
        suite.iam?.close();
        await suite.emulator?.stop();
        suite.project?.dispose();
    });
    return {
        get emulator() {
            return made("emulator");
        },
        get iam() {
            return made("iam");
        },
        get project() {
            return made("project");
        },
    };
}
