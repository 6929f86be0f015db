/**
 * Drift on the real CLI: every row of DESIGN.md's Drift table (tests/support/driftCases.ts). For
 * each, the profile is made by `pulumi up`, changed outside Pulumi, then the default `pulumi
 * preview --refresh` and `pulumi refresh` displays are read, `pulumi up` runs, and the emulator
 * tells what it did: the calls, the reset flag, and whether the declared password signs in.
 */
import { OUTSIDE_PASSWORD, DRIFT_CASES, upCallsInOwnProcess } from "../support/driftCases";
import { callsDuring } from "../support/emulator";
import { e2eSuite } from "./suite";
import { expectDisplayed, expectPlanned, updatedLine } from "./driftDisplay";
import { leakedPasswords, type ProfileSpec } from "./harness";
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
        await suite.emulator.configure({ credentialReportMaxAgeSeconds: 0 });
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
            "LoginProfile cannot read the IAM credential report (AccessDenied: it needs iam:GenerateCredentialReport and iam:GetCredentialReport)";
        // Once, under Diagnostics (the progress display also shows the latest message of the stack).
        const diagnostics = refreshed.stdout.slice(refreshed.stdout.indexOf("Diagnostics:"));
        expect(diagnostics.split(warning).length - 1).toBe(1);
        expect(refreshed.stdout).toMatch(updatedLine(TYPE, "denied1", "passwordResetRequired"));
        expect(refreshed.stdout).not.toMatch(/denied2 +updated/);
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });

    test("a refresh of N profiles reads each once and the report at most once (2 calls)", async () => {
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

        expect(calls).toEqual({ GetLoginProfile: 4, GenerateCredentialReport: 1, GetCredentialReport: 1 });
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });

    test("stack config iam-login-profile:detectPasswordChanges false turns it off: no report calls", async () => {
        await suite.iam.createUser("nodetect");
        await suite.project.initStack("nodetect", [{ name: "nodetect", userName: "nodetect", passwordKey: "declared" }], PASSWORDS);
        await suite.project.expectPulumi(["config", "set", "iam-login-profile:detectPasswordChanges", "false"]);
        await suite.project.expectPulumi(["up", "--yes", "--skip-preview"]);

        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["refresh", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ GetLoginProfile: 1 });
        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });
});

describe("secret scan", () => {
    test("neither the declared nor the outside password appears in any output, state file or backup", async () => {
        suite.project.recordStateFiles();
        expect(leakedPasswords([PASSWORDS.declared, OUTSIDE_PASSWORD])).toEqual([]);
    });
});
