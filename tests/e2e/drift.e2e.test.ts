/**
 * Drift on the real CLI, with the emulator as AWS is: its credential report kept four hours. Every
 * row of DESIGN.md's Drift table (tests/support/driftCases.ts): for each, the profile is made by
 * `pulumi up`, changed outside Pulumi, then the default `pulumi preview --refresh` and `pulumi
 * refresh` displays are read, `pulumi up` runs, and the emulator tells what it did: the calls, the
 * reset flag, and whether the declared password signs in. Then what CloudTrail's event history
 * adds: a change seen within minutes, with who made it, and a warning wherever nothing could see.
 */
import { OUTSIDE_PASSWORD, DRIFT_CASES, upCallsInOwnProcess } from "../support/driftCases";
import { callsDuring } from "../support/emulator";
import { e2eSuite } from "./suite";
import { expectDisplayed, expectPlanned, updatedLine } from "./driftDisplay";
import { leakedPasswords, type ProfileSpec } from "./harness";
import { policyActions } from "../support/policy";
import { PASSWORD_CHANGE_TOLERANCE_MS } from "../../provider/rules/drift";

jest.setTimeout(240_000);

const PASSWORDS = { declared: "Decl4red-Drift-Passw0rd!" };
const TYPE = "pulumi-nodejs:dynamic/aws-iam:LoginProfile";

// With exactly the permissions of the documented policy (docs/iam-policy.json).
const suite = e2eSuite({ leastPrivilege: true });

describe.each(DRIFT_CASES.map((c, i) => [c.name, c, `drift${i}`] as const))("%s", (_name, driftCase, user) => {
    const spec: ProfileSpec = {
        name: user,
        userName: user,
        passwordKey: "declared",
        passwordResetRequired: driftCase.declaredResetRequired,
    };

    test("refresh shows it as the table says, up corrects it, and preview --refresh then expects no changes", async () => {
        await suite.iam.createUser(user);
        await suite.project.initStack(user, [spec], PASSWORDS);
        await suite.project.expectPulumi(["up", "--yes", "--skip-preview"]);
        // A change later than the tolerance after the resource set the password, as any real one is.
        await new Promise((resolve) => setTimeout(resolve, PASSWORD_CHANGE_TOLERANCE_MS + 1_500));

        await driftCase.change(suite.iam, user);

        const previewed = await suite.project.expectPulumi(["preview", "--refresh"]);
        expectPlanned(previewed.stdout, TYPE, user, driftCase.refresh);
        const refreshed = await suite.project.expectPulumi(["refresh", "--yes"]);
        expectDisplayed(refreshed.stdout, TYPE, user, driftCase.refresh);
        if (driftCase.refresh === "unchanged") {
            expect(refreshed.stdout).toMatch(/Resources:\s+2 unchanged/);
        } else if (driftCase.refresh !== "deleted") {
            expect(refreshed.stdout).toMatch(/~ 1 updated/);
        }

        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual(upCallsInOwnProcess(driftCase.upCalls));
        expect(await suite.emulator.signsIn(user, PASSWORDS.declared)).toBe(driftCase.declaredPasswordSignsIn);
        expect(await suite.emulator.signsIn(user, OUTSIDE_PASSWORD)).toBe(!driftCase.declaredPasswordSignsIn);
        expect((await suite.iam.profile(user))?.passwordResetRequired).toBe(driftCase.resetPendingAfterUp);
        await suite.project.expectPulumi(["preview", "--refresh", "--expect-no-changes"]);
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });
});

/** A refresh, then a change by another principal, then a refresh: the second must see it. */
async function changedAfterARefresh(stack: string, user: string, outsider: string): Promise<string> {
    await suite.iam.createUser(user);
    const { iam: other, arn } = await suite.iam.principal(outsider);
    await suite.project.initStack(stack, [{ name: user, userName: user, passwordKey: "declared" }], PASSWORDS);
    await suite.project.expectPulumi(["up", "--yes", "--skip-preview"]);
    // The account's report is made here, and AWS keeps it four hours: it cannot show what follows.
    await suite.project.expectPulumi(["refresh", "--yes", "--skip-preview"]);
    await new Promise((resolve) => setTimeout(resolve, PASSWORD_CHANGE_TOLERANCE_MS + 1_500));
    await other.setPassword(user, OUTSIDE_PASSWORD);
    return arn;
}

/** The state's outputs of the profile of `user`. */
async function outputsOf(user: string): Promise<Record<string, unknown>> {
    const resource = (await suite.project.profilesInState()).find((r) => r.id === user);
    return resource?.outputs ?? {};
}

describe("CloudTrail's event history", () => {
    test("a password changed by another principal after a refresh is seen by the next, with who changed it; up sets it back", async () => {
        const arn = await changedAfterARefresh("events", "events1", "colleague1");

        const refreshed = await suite.project.expectPulumi(["refresh", "--yes", "--skip-preview"]);

        expect(refreshed.stdout).toMatch(updatedLine(TYPE, "events1", "password"));
        expect(refreshed.stdout).not.toContain("warning:");
        const outputs = await outputsOf("events1");
        expect(outputs.passwordChangedBy).toMatch(new RegExp(`^${arn} \\(UpdateLoginProfile at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)$`));
        expect(Date.parse(String(outputs.driftCheckedAt))).toBeGreaterThan(Date.now() - 60_000);

        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ UpdateLoginProfile: 1 });
        expect(await suite.emulator.signsIn("events1", PASSWORDS.declared)).toBe(true);
        expect((await outputsOf("events1")).passwordChangedBy).toBeUndefined();
        await suite.project.expectPulumi(["preview", "--refresh", "--expect-no-changes"]);
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });

    test("without cloudtrail:LookupEvents the next refresh warns, naming the account, the resource and when AWS makes a newer report", async () => {
        await changedAfterARefresh("blind", "blind1", "colleague2");
        const allowed = policyActions().filter((action) => action !== "cloudtrail:LookupEvents");
        const checkedBefore = (await outputsOf("blind1")).driftCheckedAt;

        await suite.emulator.configure({ allowedActions: allowed });
        let refreshed;
        try {
            refreshed = await suite.project.expectPulumi(["refresh", "--yes", "--skip-preview"]);
        } finally {
            await suite.emulator.configure({ allowedActions: policyActions() });
        }

        const diagnostics = refreshed.stdout.slice(refreshed.stdout.indexOf("Diagnostics:"));
        expect(diagnostics).toContain(
            "LoginProfile cannot read CloudTrail's event history in account 123456789012 (AccessDenied: it needs cloudtrail:LookupEvents)",
        );
        expect(diagnostics).toMatch(
            /LoginProfile could not check the login profile of IAM user "blind1" in account 123456789012 for a password changed in place outside Pulumi since this resource last set it: CloudTrail's event history could not be read \(AccessDenied: it needs cloudtrail:LookupEvents\), and the account's credential report was made at (\S+), before the password was last set; AWS makes a newer one from (\S+), four hours after it\./,
        );
        const [, madeAt = "", renewedAt = ""] =
            /report was made at (\S+), before .* newer one from (\S+), four hours/.exec(diagnostics) ?? [];
        expect(Date.parse(renewedAt) - Date.parse(madeAt)).toBe(4 * 3600 * 1000);
        expect(refreshed.stdout).toMatch(/Resources:\s+2 unchanged/);
        // What the state says it last saw is unchanged: nothing could look past it.
        expect((await outputsOf("blind1")).driftCheckedAt).toBe(checkedBefore);
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });

    test("passwordLastUsed is the sign-in a moment ago, from ListUsers", async () => {
        await suite.iam.createUser("used1");
        await suite.project.initStack("used", [{ name: "used1", userName: "used1", passwordKey: "declared" }], PASSWORDS);
        await suite.project.expectPulumi(["up", "--yes", "--skip-preview"]);
        expect((await outputsOf("used1")).passwordLastUsed).toBeUndefined();
        const before = Date.now();
        expect(await suite.emulator.signsIn("used1", PASSWORDS.declared)).toBe(true);

        await suite.project.expectPulumi(["refresh", "--yes", "--skip-preview"]);

        const used = Date.parse(String((await outputsOf("used1")).passwordLastUsed));
        expect(used).toBeGreaterThanOrEqual(before - 1_000);
        expect(used).toBeLessThanOrEqual(Date.now());
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });
});

describe("the credential report", () => {
    test("without permission for it, refresh warns once and still shows a forced reset; nothing fails", async () => {
        const users = ["denied1", "denied2"];
        for (const user of users) {
            await suite.iam.createUser(user);
        }
        await suite.project.initStack(
            "denied",
            users.map((user) => ({ name: user, userName: user, passwordKey: "declared" })),
            PASSWORDS,
        );
        await suite.project.expectPulumi(["up", "--yes", "--skip-preview"]);
        await suite.emulator.configure({ deniedActions: ["GenerateCredentialReport", "GetCredentialReport"] });
        await suite.iam.setResetFlag("denied1", true);

        let refreshed;
        try {
            refreshed = await suite.project.expectPulumi(["refresh", "--yes", "--skip-preview"]);
        } finally {
            await suite.emulator.configure({ deniedActions: [] });
        }

        const warning =
            "LoginProfile cannot read the IAM credential report of account 123456789012 (AccessDenied: it needs iam:GenerateCredentialReport and iam:GetCredentialReport)";
        // Once, under Diagnostics (the progress display also shows the latest message of the stack).
        const diagnostics = refreshed.stdout.slice(refreshed.stdout.indexOf("Diagnostics:"));
        expect(diagnostics.split(warning).length - 1).toBe(1);
        expect(refreshed.stdout).toMatch(updatedLine(TYPE, "denied1", "passwordResetRequired"));
        expect(refreshed.stdout).not.toMatch(/denied2 +updated/);
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });

    test("a refresh of N profiles reads each once, and the account's users, events and report once each", async () => {
        const users = ["many1", "many2", "many3", "many4"];
        for (const user of users) {
            await suite.iam.createUser(user);
        }
        await suite.project.initStack(
            "many",
            users.map((user) => ({ name: user, userName: user, passwordKey: "declared" })),
            PASSWORDS,
        );
        await suite.project.expectPulumi(["up", "--yes", "--skip-preview"]);

        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["refresh", "--yes", "--skip-preview"]));

        // One LookupEvents per event name a refresh looks for (CreateLoginProfile, UpdateLoginProfile, ChangePassword).
        expect(calls).toEqual({ GetLoginProfile: 4, ListUsers: 1, LookupEvents: 3, GenerateCredentialReport: 1, GetCredentialReport: 1 });
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });

    test("stack config iam-login-profile:detectPasswordChanges false turns it off: no report or event history calls", async () => {
        await suite.iam.createUser("nodetect");
        await suite.project.initStack("nodetect", [{ name: "nodetect", userName: "nodetect", passwordKey: "declared" }], PASSWORDS);
        await suite.project.expectPulumi(["config", "set", "iam-login-profile:detectPasswordChanges", "false"]);
        await suite.project.expectPulumi(["up", "--yes", "--skip-preview"]);

        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["refresh", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ GetLoginProfile: 1, ListUsers: 1 });
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });
});

describe("secret scan", () => {
    test("neither the declared nor the outside password appears in any output, state file or backup", async () => {
        suite.project.recordStateFiles();
        expect(leakedPasswords([PASSWORDS.declared, OUTSIDE_PASSWORD])).toEqual([]);
    });
});
