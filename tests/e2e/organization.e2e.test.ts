/**
 * Break-glass users across accounts on the real CLI, through the dynamic resource: one program
 * manages the profile of `breakglass` in three accounts (the default credentials' and two reached
 * through a role with a secret external id). A password changed outside in one account is shown on
 * that profile only by the default refresh display, and set back by `up`; the refresh makes N
 * GetLoginProfile, at most two report calls per account and one AssumeRole per role; a move to a
 * fourth account replaces the profile; a role that cannot be assumed fails only its profile and
 * names the role; each account is listed through its role; destroy removes every profile; and no
 * password or external id appears in plaintext anywhere.
 */
import { PASSWORD_CHANGE_TOLERANCE_MS } from "../../provider/rules/drift";
import { callsDuring, callsDuringByAccount } from "../support/emulator";
import { Iam } from "../support/iam";
import { updatedLine } from "./driftDisplay";
import { leakedPasswords, LOGIN_PROFILE_TYPE, type ProfileSpec } from "./harness";
import { e2eSuite } from "./suite";

jest.setTimeout(300_000);

const USER = "breakglass";
const DEFAULT_ACCOUNT = "123456789012";
const [FIRST, SECOND, FOURTH, DENIED] = ["111111111111", "222222222222", "444444444444", "555555555555"] as const;
const PASSWORDS = { sealed: "Break-Gl4ss-Sealed-Passw0rd!" };
const OUTSIDE_PASSWORD = "Set-0utside-Pulumi-Passw0rd!";
const EXTERNAL_ID = "org-break-glass-e2e-3b9d51";
const ROLE = "OrganizationBreakGlass";

const suite = e2eSuite();

/** The profile of `breakglass` in `account` (the default credentials' when undefined), named after it. */
function profileIn(name: string, account?: string): ProfileSpec {
    return { name, userName: USER, passwordKey: "sealed", ...(account ? { account } : {}) };
}

/** The stack's profiles, by account: the default credentials', FIRST's and SECOND's. */
const EVERYWHERE = [profileIn("bg-home"), profileIn("bg-first", FIRST), profileIn("bg-second", SECOND)];

describe("one program, the break-glass user in three accounts", () => {
    beforeAll(async () => {
        await suite.emulator.configure({ credentialReportMaxAgeSeconds: 0 });
        await suite.iam.createUser(USER);
        for (const account of [FIRST, SECOND, FOURTH, DENIED]) {
            const admin = await Iam.inAccount(suite.emulator.endpoint, account);
            await admin.createUser(USER);
            admin.close();
        }
        await suite.project.initStack("org", EVERYWHERE, PASSWORDS);
        await suite.project.expectPulumi(["config", "set", "roleName", ROLE]);
        await suite.project.expectPulumi(["config", "set", "--secret", "externalId", EXTERNAL_ID]);
    });

    test("up creates each profile in its own account: one AssumeRole per role, one GetCallerIdentity", async () => {
        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ AssumeRole: 2, GetCallerIdentity: 1, CreateLoginProfile: 3 });
        for (const account of [DEFAULT_ACCOUNT, FIRST, SECOND]) {
            await expect(suite.emulator.signsIn(USER, PASSWORDS.sealed, account)).resolves.toBe(true);
        }
        const states = await suite.project.profilesInState();
        expect(Object.fromEntries(states.map((state) => [state.urn.split("::").pop(), state.outputs?.accountId]))).toEqual({
            "bg-home": DEFAULT_ACCOUNT,
            "bg-first": FIRST,
            "bg-second": SECOND,
        });
        const first = states.find((state) => state.urn.endsWith("::bg-first"));
        // The role's ARN in plain view, its external id encrypted.
        expect(JSON.stringify(first?.inputs?.assumeRole)).toContain(`arn:aws:iam::${FIRST}:role/${ROLE}`);
        expect(JSON.stringify(first?.inputs?.assumeRole)).not.toContain(EXTERNAL_ID);
    });

    test("a password changed outside in one account: refresh shows that profile alone, up sets it back there", async () => {
        await new Promise((resolve) => setTimeout(resolve, PASSWORD_CHANGE_TOLERANCE_MS + 1_500));
        const admin = await Iam.inAccount(suite.emulator.endpoint, FIRST);
        await admin.setPassword(USER, OUTSIDE_PASSWORD);
        admin.close();
        let calls: Record<string, number> = {};
        const perAccount = await callsDuringByAccount(suite.emulator, [DEFAULT_ACCOUNT, FIRST, SECOND], async () => {
            calls = await callsDuring(suite.emulator, async () => {
                const refreshed = await suite.project.expectPulumi(["refresh", "--yes", "--skip-preview"]);
                expect(refreshed.stdout).toMatch(updatedLine(LOGIN_PROFILE_TYPE, "bg-first", "password"));
                expect(refreshed.stdout).not.toMatch(/bg-home +updated|bg-second +updated/);
                expect(refreshed.stdout).toMatch(/~ 1 updated/);
            });
        });

        // N GetLoginProfile; per account ListUsers, one LookupEvents per event name and two report
        // calls; one AssumeRole per role.
        expect(calls).toEqual({
            GetLoginProfile: 3,
            ListUsers: 3,
            LookupEvents: 9,
            GenerateCredentialReport: 3,
            GetCredentialReport: 3,
            AssumeRole: 2,
        });
        const each = { GetLoginProfile: 1, ListUsers: 1, LookupEvents: 3, GenerateCredentialReport: 1, GetCredentialReport: 1 };
        expect(perAccount).toEqual([{ ...each, AssumeRole: 2 }, each, each]);

        const up = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["up", "--yes", "--skip-preview"]));
        expect(up).toEqual({ AssumeRole: 1, UpdateLoginProfile: 1 });
        await expect(suite.emulator.signsIn(USER, PASSWORDS.sealed, FIRST)).resolves.toBe(true);
        await suite.project.expectPulumi(["preview", "--expect-no-changes"]);
    });

    test("moving a profile to a fourth account replaces it: created there, then deleted from the old one", async () => {
        const moved = [EVERYWHERE[0], EVERYWHERE[1], profileIn("bg-second", FOURTH)] as ProfileSpec[];
        await suite.project.configure(moved, PASSWORDS);

        const preview = await suite.project.expectPulumi(["preview"]);
        expect(preview.stdout).toMatch(/\+- +pulumi-nodejs:dynamic\/aws-iam:LoginProfile +bg-second +replace/);
        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual({ AssumeRole: 2, CreateLoginProfile: 1, DeleteLoginProfile: 1 });
        await expect(suite.emulator.signsIn(USER, PASSWORDS.sealed, FOURTH)).resolves.toBe(true);
        await expect(suite.emulator.signsIn(USER, PASSWORDS.sealed, SECOND)).resolves.toBe(false);
        const second = (await suite.project.profilesInState()).find((state) => state.urn.endsWith("::bg-second"));
        expect(second?.outputs?.accountId).toBe(FOURTH);
    });

    test("a role that cannot be assumed fails only its profile, naming the role and the user", async () => {
        const withDenied = [EVERYWHERE[0], EVERYWHERE[1], profileIn("bg-second", FOURTH), profileIn("bg-denied", DENIED)] as ProfileSpec[];
        await suite.project.configure(withDenied, PASSWORDS);
        await suite.emulator.configure({ deniedActions: ["AssumeRole"] });
        let failed = { stdout: "" };
        let inDenied: Record<string, number> = {};
        try {
            inDenied = await callsDuring(
                suite.emulator,
                async () => (failed = await suite.project.expectPulumi(["up", "--yes", "--skip-preview"], 1)),
                DENIED,
            );
        } finally {
            await suite.emulator.configure({ deniedActions: [] });
        }

        expect(failed.stdout).toContain(
            `The login profile of IAM user "${USER}" is out of reach: cannot assume role arn:aws:iam::${DENIED}:role/${ROLE}: STS AssumeRole: AccessDenied`,
        );
        expect(failed.stdout).not.toMatch(/bg-(home|first|second).*(fail|error)/i);
        // Not one call reached the account whose role could not be assumed.
        expect(inDenied).toEqual({});
        await expect(suite.emulator.signsIn(USER, PASSWORDS.sealed, FOURTH)).resolves.toBe(true);
        expect((await suite.project.profilesInState()).map((state) => state.urn.split("::").pop()).sort()).toEqual([
            "bg-first",
            "bg-home",
            "bg-second",
        ]);
    });

    test("lists each account through its role, then destroy removes every profile", async () => {
        await suite.project.configure([EVERYWHERE[0], EVERYWHERE[1], profileIn("bg-second", FOURTH)] as ProfileSpec[], PASSWORDS);
        await suite.project.expectPulumi(["config", "set", "inventoryAccounts", JSON.stringify([FIRST, FOURTH, SECOND])]);
        await suite.project.expectPulumi(["up", "--yes", "--skip-preview"]);

        const shown = JSON.parse((await suite.project.expectPulumi(["stack", "output", "outputs", "--json"])).stdout) as Record<
            string,
            { accountId: string; users: string[] }
        >;
        expect(shown[`inventory-${FIRST}`]).toEqual({ accountId: FIRST, users: [USER] });
        expect(shown[`inventory-${FOURTH}`]).toEqual({ accountId: FOURTH, users: [USER] });
        expect(shown[`inventory-${SECOND}`]).toEqual({ accountId: SECOND, users: [] });

        await suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
        for (const account of [DEFAULT_ACCOUNT, FIRST, SECOND, FOURTH]) {
            await expect(suite.emulator.signsIn(USER, PASSWORDS.sealed, account)).resolves.toBe(false);
        }
    });

    test("no password and no external id appears in plaintext in any output, stack export or state file", async () => {
        await suite.project.exportStack();
        suite.project.recordStateFiles();
        expect(leakedPasswords([PASSWORDS.sealed, OUTSIDE_PASSWORD, EXTERNAL_ID])).toEqual([]);
    });
});
