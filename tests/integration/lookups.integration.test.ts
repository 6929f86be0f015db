/**
 * The lookups against the IAM suite.emulator, through the real AWS SDK client: getLoginProfile and
 * listLoginProfiles, their errors and the calls they make (a fixed number for the inventory,
 * however many users there are).
 */
import { getLoginProfile, listLoginProfiles } from "../../provider/dynamic/lookups";
import { callsDuring } from "../support/emulator";
import { integrationSuite } from "../support/integrationSuite";

jest.setTimeout(60_000);

const PASSWORD = "Integr4tion-Lookup-Passw0rd!";

const suite = integrationSuite();

beforeEach(async () => {
    await suite.emulator.reset();
});

describe("lookups against the IAM emulator", () => {
    test("getLoginProfile reads a profile and its last use: GetLoginProfile and ListUsers", async () => {
        await suite.iam.createUser("alice");
        await suite.iam.createProfile("alice", PASSWORD, true);

        let found;
        const calls = await callsDuring(suite.emulator, async () => (found = await getLoginProfile({ userName: "alice" })));

        expect(calls).toEqual({ GetLoginProfile: 1, ListUsers: 1 });
        expect(found).toStrictEqual({
            userName: "alice",
            createDate: (await suite.iam.profile("alice"))?.createDate?.toISOString(),
            passwordResetRequired: true,
        });
        const before = Date.now();
        await expect(suite.emulator.signsIn("alice", PASSWORD)).resolves.toBe(true);
        const used = (await getLoginProfile({ userName: "alice" })).passwordLastUsed;
        expect(Date.parse(used ?? "")).toBeGreaterThanOrEqual(before - 1_000);
    });

    test("getLoginProfile of a user without a profile names the user", async () => {
        await suite.iam.createUser("bob");

        await expect(getLoginProfile({ userName: "bob" })).rejects.toThrow(
            'IAM user "bob" has no login profile (console password): it does not exist',
        );
    });

    test("listLoginProfiles makes the same calls for 1 user or 60, and lists only users with a console password, made after the report too", async () => {
        await suite.iam.createUser("only");
        await suite.iam.createProfile("only", PASSWORD);
        const one = await callsDuring(suite.emulator, () => listLoginProfiles());
        for (let i = 0; i < 60; i++) {
            await suite.iam.createUser(`user${String(i).padStart(2, "0")}`);
            if (i % 2 === 0) {
                await suite.iam.createProfile(`user${String(i).padStart(2, "0")}`, PASSWORD);
            }
        }
        // The report of the first list is kept four hours, as AWS keeps it: the event history tells the rest.
        let listed;
        const many = await callsDuring(suite.emulator, async () => (listed = await listLoginProfiles()));

        // The same calls each time (one LookupEvents per event name: 30 events fit a page); the account
        // of the default credentials (GetCallerIdentity) is asked once per process.
        const each = { GenerateCredentialReport: 1, GetCredentialReport: 1, ListUsers: 1, LookupEvents: 4 };
        expect(one).toEqual({ ...each, GetCallerIdentity: 1 });
        expect(many).toEqual(each);
        const names = (listed as unknown as { profiles: { userName: string }[] }).profiles.map((p) => p.userName);
        expect(names).toHaveLength(31);
        expect(names[0]).toBe("only");
        expect(names).not.toContain("user01");
    });

    test("listLoginProfiles without permission for the report says which it needs", async () => {
        await suite.emulator.configure({ deniedActions: ["GenerateCredentialReport"] });

        await expect(listLoginProfiles()).rejects.toThrow(
            "listLoginProfiles reads the IAM credential report, which needs iam:GenerateCredentialReport and iam:GetCredentialReport",
        );
    });
});
