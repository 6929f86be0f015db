/**
 * The least-privilege policy the docs give (docs/iam-policy.json) is complete and minimal: the
 * lifecycle, drift, lookups and plugin suites run with exactly its actions (the emulator's
 * `allowedActions`), and here, for each action it allows, a run without that one action fails at
 * its first use with a message naming the missing permission. The actions a refresh reads the
 * account with (the credential report's two, ListUsers, CloudTrail's LookupEvents) are optional:
 * without one, a refresh warns, naming it, and goes on with what it can read.
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
    /** Whether the run fails (exit 1), or warns with this text and goes on (exit 0). */
    readonly fails: boolean;
    readonly warning?: string;
}

const declared = (userName: string): ProfileSpec => ({ name: userName, userName, passwordKey: "first" });
const UP = ["up", "--yes", "--skip-preview"];
const REPORT_WARNING =
    "LoginProfile cannot read the IAM credential report of account 123456789012 (AccessDenied: it needs iam:GenerateCredentialReport and iam:GetCredentialReport)";
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
    "iam:GenerateCredentialReport": { profile: declared, applied: true, run: REFRESH, fails: false, warning: REPORT_WARNING },
    "iam:GetCredentialReport": { profile: declared, applied: true, run: REFRESH, fails: false, warning: REPORT_WARNING },
    "iam:ListUsers": {
        profile: declared,
        applied: true,
        run: REFRESH,
        fails: false,
        warning:
            "LoginProfile cannot list the IAM users of account 123456789012 (AccessDenied: it needs iam:ListUsers), so passwordLastUsed is not read live",
    },
    "cloudtrail:LookupEvents": {
        profile: declared,
        applied: true,
        run: REFRESH,
        fails: false,
        warning:
            "LoginProfile cannot read CloudTrail's event history in account 123456789012 (AccessDenied: it needs cloudtrail:LookupEvents), so a password changed in place outside Pulumi is seen only through the IAM credential report",
    },
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
            expect(output).toContain(use.warning);
        }
        // Denied once: the run stops at its first use, or reads that source no more after the first refusal.
        expect(((await suite.emulator.calls()).faults.AccessDenied ?? 0) - deniedBefore).toBe(1);
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });
});
