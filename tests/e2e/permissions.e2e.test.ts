/**
 * The least-privilege policy the docs give (docs/iam-policy.json) is complete and minimal: the
 * lifecycle, drift, lookups and plugin suites run with exactly its actions (the emulator's
 * `allowedActions`), and here, for each action it allows, a run without that one action fails at
 * its first use with a message naming the missing permission. The credential report's two actions
 * are optional: without either, a refresh warns, naming both, and goes on.
 */
import { policyActions } from "../support/policy";
import type { CliResult, ProfileSpec } from "./harness";
import { e2eSuite } from "./suite";

jest.setTimeout(600_000);

const suite = e2eSuite({ leastPrivilege: true });
const PASSWORDS = { first: "Perm1ssion-First-Passw0rd!", second: "Perm1ssion-Second-Passw0rd#" };

/** A case: what to set up with every permission, then the run that first uses the action. */
interface FirstUse {
    /** The profiles of the stack, and whether the set-up applies them (`up`) before the run. */
    readonly profile: (userName: string) => ProfileSpec;
    readonly applied: boolean;
    /** What changes before the run (the config), if anything. */
    readonly change?: (userName: string) => ProfileSpec;
    readonly run: readonly string[];
    /** Whether the run fails (exit 1) or warns and goes on (exit 0). */
    readonly fails: boolean;
}

const declared = (userName: string): ProfileSpec => ({ name: userName, userName, passwordKey: "first" });
const UP = ["up", "--yes", "--skip-preview"];
const REFRESH = ["refresh", "--yes", "--skip-preview"];

/** The first use of each action of the policy. */
const FIRST_USE: Record<string, FirstUse> = {
    "iam:CreateLoginProfile": { profile: declared, applied: false, run: UP, fails: true },
    "iam:GetLoginProfile": { profile: declared, applied: true, run: REFRESH, fails: true },
    "iam:UpdateLoginProfile": {
        profile: declared,
        applied: true,
        change: (userName) => ({ ...declared(userName), passwordKey: "second" }),
        run: UP,
        fails: true,
    },
    "iam:DeleteLoginProfile": { profile: declared, applied: true, run: ["destroy", "--yes", "--skip-preview"], fails: true },
    "iam:GetAccountPasswordPolicy": {
        profile: (userName) => ({ name: userName, userName, passwordKey: "none", extra: { password: null } }),
        applied: false,
        run: UP,
        fails: true,
    },
    "iam:GenerateCredentialReport": { profile: declared, applied: true, run: REFRESH, fails: false },
    "iam:GetCredentialReport": { profile: declared, applied: true, run: REFRESH, fails: false },
};

test("every action of the policy has its first use here", () => {
    expect(Object.keys(FIRST_USE).sort()).toEqual([...policyActions()].sort());
});

describe.each(policyActions())("without %s", (action) => {
    test("its first use names the missing permission", async () => {
        const use = FIRST_USE[action];
        if (use === undefined) {
            throw new Error(`no first use of ${action}: add one to FIRST_USE`);
        }
        const userName = `perm-${action.split(":")[1]?.toLowerCase() ?? "x"}`;
        await suite.iam.createUser(userName);
        await suite.project.initStack(userName, [use.profile(userName)], PASSWORDS);
        if (use.applied) {
            await suite.project.expectPulumi(UP);
        }
        if (use.change) {
            await suite.project.configure([use.change(userName)], PASSWORDS);
        }

        const allowed = policyActions().filter((a) => a !== action);
        const deniedBefore = (await suite.emulator.calls()).faults.AccessDenied ?? 0;
        await suite.emulator.configure({ allowedActions: allowed });
        let result: CliResult;
        try {
            result = await suite.project.pulumi(use.run);
        } finally {
            await suite.emulator.configure({ allowedActions: policyActions() });
        }

        const output = `${result.stdout}\n${result.stderr}`;
        expect(result.code).toBe(use.fails ? 1 : 0);
        if (use.fails) {
            expect(output).toContain(`is not authorized to perform: ${action} on resource: *`);
        } else {
            expect(output).toContain(
                "LoginProfile cannot read the IAM credential report (AccessDenied: it needs iam:GenerateCredentialReport and iam:GetCredentialReport)",
            );
        }
        // Denied once: the run stops at its first use, or reads no report after the first refusal.
        expect(((await suite.emulator.calls()).faults.AccessDenied ?? 0) - deniedBefore).toBe(1);
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });
});
