/**
 * Lookups on the real CLI: a program that reads a login profile it does not manage
 * (`LoginProfile.get`, `getLoginProfileOutput`) and lists the account's console users
 * (`listLoginProfilesOutput`); refresh reads it again, destroy leaves it in place. The lookups run
 * in the program, so preview calls AWS too; bad input fails before any call.
 */
import { callsDuring } from "../support/emulator";
import { e2eSuite } from "./suite";
import { LOGIN_PROFILE_TYPE, leakedPasswords } from "./harness";

jest.setTimeout(180_000);

const OUTSIDE = "Made-Outs1de-Pulumi!";

// With exactly the permissions of the documented policy (docs/iam-policy.json).
const suite = e2eSuite({ leastPrivilege: true });

/** The stack output `outputs`, parsed. */
async function outputs(): Promise<Record<string, Record<string, unknown>>> {
    const shown = await suite.project.expectPulumi(["stack", "output", "outputs", "--json"]);
    return JSON.parse(shown.stdout) as Record<string, Record<string, unknown>>;
}

/**
 * What the program's lookups cost: one GetLoginProfile each for LoginProfile.get and getLoginProfile,
 * and a ListUsers each (their last use; the get's in the provider process, the others in the
 * program); the inventory's report (2), event history (one LookupEvents per event name) and
 * ListUsers; the account of the credentials once in the provider process (get's accountId) and once
 * in the program (the inventory's).
 */
const LOOKUP_CALLS = {
    GetLoginProfile: 2,
    ListUsers: 3,
    LookupEvents: 4,
    GenerateCredentialReport: 1,
    GetCredentialReport: 1,
    GetCallerIdentity: 2,
};

describe("reading profiles the stack does not manage", () => {
    test("up reads the profile with get and getLoginProfile, and lists every console user", async () => {
        await suite.iam.createUser("carol");
        await suite.iam.createProfile("carol", OUTSIDE, true);
        await suite.iam.createUser("nopass");
        await suite.project.initStack("reads", [], {});
        await suite.project.expectPulumi(["config", "set", "reads", JSON.stringify(["carol"])]);
        await suite.project.expectPulumi(["config", "set", "inventory", "true"]);

        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["up", "--yes", "--skip-preview"]));

        expect(calls).toEqual(LOOKUP_CALLS);
        const shown = await outputs();
        const live = await suite.iam.profile("carol");
        expect(shown["read-carol"]).toEqual({
            get: { userName: "carol", createDate: live?.createDate?.toISOString(), passwordResetPending: true },
            function: { userName: "carol", createDate: live?.createDate?.toISOString(), passwordResetRequired: true },
        });
        const inventory = shown.inventory as {
            profiles: { userName: string; passwordLastChanged?: string }[];
            generatedAt: string;
            ageSeconds: number;
        };
        expect(inventory.profiles.map((p) => p.userName)).toEqual(["carol"]);
        expect(inventory.profiles[0]).toMatchObject({ userName: "carol", mfaActive: false });
        expect(inventory.profiles[0]?.passwordLastChanged).toBe(live?.createDate?.toISOString().replace(/\.\d{3}Z$/, ".000Z"));
        expect(inventory.ageSeconds).toBeGreaterThanOrEqual(0);
        const [read] = (await suite.project.exportStack()).deployment.resources?.filter((r) => r.type === LOGIN_PROFILE_TYPE) ?? [];
        expect(read).toMatchObject({ id: "carol", external: true });
        expect(read?.outputs).not.toHaveProperty("password");
    });

    test("preview calls AWS for the lookups (they run in the program), and the read resource changes nothing", async () => {
        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["preview", "--expect-no-changes"]));

        expect(calls).toEqual(LOOKUP_CALLS);
    });

    test("refresh reads it again and records what changed outside Pulumi", async () => {
        await suite.iam.setResetFlag("carol", false);

        await suite.project.expectPulumi(["refresh", "--yes", "--skip-preview"]);

        const [read] = (await suite.project.exportStack()).deployment.resources?.filter((r) => r.type === LOGIN_PROFILE_TYPE) ?? [];
        expect(read?.outputs).toMatchObject({ userName: "carol", passwordResetPending: false });
    });

    test("destroy never deletes it", async () => {
        const calls = await callsDuring(suite.emulator, () => suite.project.expectPulumi(["destroy", "--yes", "--skip-preview"]));

        expect(calls.DeleteLoginProfile).toBeUndefined();
        expect(await suite.iam.profile("carol")).toMatchObject({ userName: "carol" });
        expect(await suite.emulator.signsIn("carol", OUTSIDE)).toBe(true);
    });

    test("a user without a profile fails with a message that names the user", async () => {
        await suite.project.initStack("missing", [], {});
        await suite.project.expectPulumi(["config", "set", "lookups", JSON.stringify(["nopass"])]);

        const failed = await suite.project.expectPulumi(["preview"], 1);

        expect(failed.stdout).toContain(
            'error: IAM user "nopass" has no login profile (console password): it does not exist (GetLoginProfile answered NoSuchEntity; the user may not exist either)',
        );
        // The message alone, as for a RunError: no "unhandled exception" with a stack into the package.
        expect(failed.stdout).not.toContain("unhandled exception");
    });

    test("a bad user name fails before any AWS call, with the resource's rule", async () => {
        await suite.project.initStack("bad-lookup", [], {});
        await suite.project.expectPulumi(["config", "set", "reads", JSON.stringify(["carol smith"])]);

        const calls = await callsDuring(suite.emulator, async () => {
            const failed = await suite.project.expectPulumi(["preview"], 1);
            expect(failed.stdout).toContain(
                'getLoginProfile: userName may hold only ASCII letters, digits and _+=,.@- (IAM\'s [\\w+=,.@-]); it contains " "',
            );
        });

        expect(calls).toEqual({});
    });

    test("no password appears in any output", () => {
        expect(leakedPasswords([OUTSIDE])).toEqual([]);
    });
});
