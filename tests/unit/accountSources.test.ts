/**
 * What a refresh reads once per account, and says when it cannot (provider/lifecycle/
 * accountSources.ts), and its warning for profiles no source could check (blindSpots.ts).
 */
import type { LoginProfileApi } from "../../provider/aws/iam";
import { createAccountSources, describeUnreadable } from "../../provider/lifecycle/accountSources";
import { BlindSpotWarnings, blindSpotWarning, reportTooOld, type BlindSpot } from "../../provider/lifecycle/blindSpots";
import { DEFAULT_RETRY_POLICY } from "../../provider/aws/retry";
import { FAKE_ACCOUNT_ID, FakeIam } from "./fakeIam";
import { instantClock } from "./fixtures";

const EVENTS_WHY = "CloudTrail's event history could not be read (AccessDenied: it needs cloudtrail:LookupEvents)";
const REPORT_WHY =
    "the credential report could not be read (AccessDenied: it needs iam:GenerateCredentialReport and iam:GetCredentialReport)";

function spot(accountId: string, userName: string): BlindSpot {
    return { accountId, userName, eventsWhy: EVENTS_WHY, reportWhy: REPORT_WHY };
}

describe("describeUnreadable", () => {
    const iam = (accountId: () => Promise<string>): LoginProfileApi => ({ accountId }) as unknown as LoginProfileApi;

    it("names the account, the permission AWS denied, and what is missing for each source", async () => {
        const denied = Object.assign(new Error("not authorized"), { name: "AccessDenied", Code: "AccessDenied" });

        await expect(
            describeUnreadable(
                "users",
                iam(async () => "111111111111"),
                denied,
            ),
        ).resolves.toStrictEqual({
            warning:
                "LoginProfile cannot list the IAM users of account 111111111111 (AccessDenied: it needs iam:ListUsers), so passwordLastUsed is not " +
                "read live: a refresh takes it from the IAM credential report, which can be four hours old, and the lookups leave it out. " +
                "Grant iam:ListUsers to read it live.",
            why: "the account's IAM users could not be read (AccessDenied: it needs iam:ListUsers)",
        });
        await expect(
            describeUnreadable(
                "report",
                iam(async () => "111111111111"),
                denied,
            ),
        ).resolves.toMatchObject({
            why: REPORT_WHY,
        });
        await expect(
            describeUnreadable(
                "events",
                iam(async () => "111111111111"),
                denied,
            ),
        ).resolves.toMatchObject({ why: EVENTS_WHY });
    });

    it("gives AWS's code and message for another failure, and says 'the account' when the account cannot be told", async () => {
        const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });

        await expect(
            describeUnreadable(
                "events",
                iam(() => Promise.reject(new Error("no STS"))),
                throttled,
            ),
        ).resolves.toStrictEqual({
            warning:
                "LoginProfile cannot read CloudTrail's event history in the account (Throttling: Rate exceeded), so a password changed in place " +
                "outside Pulumi is seen only through the IAM credential report, which AWS makes at most every four hours, and without who changed it. " +
                "Grant cloudtrail:LookupEvents to see such changes within minutes.",
            why: "CloudTrail's event history could not be read (Throttling: Rate exceeded)",
        });
    });
});

describe("createAccountSources", () => {
    it("reads each source once per account, and warns once per account for one that cannot be read", async () => {
        const first = new FakeIam(Date.parse("2026-11-30T09:00:00.000Z"));
        const second = new FakeIam(Date.parse("2026-11-30T09:00:00.000Z"));
        second.eventsError = Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });
        const warnings: string[] = [];
        const sources = createAccountSources(instantClock(), DEFAULT_RETRY_POLICY, (message) => warnings.push(message));

        const seen = await Promise.all([
            sources.passwordEvents(first, "first"),
            sources.passwordEvents(first, "first"),
            sources.passwordEvents(second, "second"),
            sources.passwordEvents(second, "second"),
            sources.iamUsers(first, "first"),
            sources.iamUsers(first, "first"),
        ]);

        expect(seen.map((source) => source.seen)).toStrictEqual([true, true, false, false, true, true]);
        expect(seen[2]).toStrictEqual({ seen: false, why: EVENTS_WHY });
        expect(first.calls).toStrictEqual({ LookupEvents: 3, ListUsers: 1 });
        expect(second.calls).toStrictEqual({ LookupEvents: 1 });
        expect(warnings).toStrictEqual([
            `LoginProfile cannot read CloudTrail's event history in account ${FAKE_ACCOUNT_ID} (AccessDenied: it needs cloudtrail:LookupEvents), ` +
                "so a password changed in place outside Pulumi is seen only through the IAM credential report, which AWS makes at most every four hours, " +
                "and without who changed it. Grant cloudtrail:LookupEvents to see such changes within minutes.",
        ]);
    });

    it("reads the event history of the last 90 days, as of the clock's now", async () => {
        const iam = new FakeIam(Date.parse("2026-11-30T09:00:00.000Z"));
        const clock = instantClock();
        const sources = createAccountSources(clock, DEFAULT_RETRY_POLICY, () => undefined);
        const asked: Date[] = [];
        const lookup = iam.lookupEvents.bind(iam);
        iam.lookupEvents = (eventName, startTime, nextToken) => {
            asked.push(startTime);
            return lookup(eventName, startTime, nextToken);
        };

        const events = await sources.passwordEvents(iam, "account");

        expect(events).toStrictEqual({ seen: true, value: { readAt: new Date(clock.now()), events: [] } });
        // One query per event name a refresh looks for: CreateLoginProfile, UpdateLoginProfile, ChangePassword.
        expect(asked).toStrictEqual(Array<Date>(3).fill(new Date(clock.now() - 90 * 24 * 3600_000)));
    });
});

describe("the blind-spot warning", () => {
    it("says when AWS makes a newer report: four hours after the one read", () => {
        expect(reportTooOld({ generatedAt: new Date("2026-11-30T09:01:05.000Z"), users: new Map() })).toBe(
            "the account's credential report was made at 2026-11-30T09:01:05.000Z, before the password was last set; " +
                "AWS makes a newer one from 2026-11-30T13:01:05.000Z, four hours after it",
        );
    });

    it("names every user once, sorted, and is empty for no profile", () => {
        expect(blindSpotWarning([spot("111111111111", "zoe"), spot("111111111111", "amy"), spot("111111111111", "zoe")])).toBe(
            'LoginProfile could not check the login profiles of IAM users "amy", "zoe" in account 111111111111 for a password changed in place ' +
                `outside Pulumi since this resource last set it: ${EVENTS_WHY}, and ${REPORT_WHY}. ` +
                "Refresh shows them unchanged without knowing; driftCheckedAt says until when each was last checked.",
        );
        expect(blindSpotWarning([])).toBe("");
    });

    it("gathers the profiles of one account that come together into one warning, one per account", async () => {
        const warnings: string[] = [];
        const gathering = new BlindSpotWarnings((message) => warnings.push(message), 20);

        await Promise.all([
            gathering.add(spot("111111111111", "amy")),
            gathering.add(spot("222222222222", "bob")),
            gathering.add(spot("111111111111", "carl")),
        ]);
        await gathering.add(spot("111111111111", "dora"));

        expect(warnings).toStrictEqual([
            blindSpotWarning([spot("111111111111", "amy"), spot("111111111111", "carl")]),
            blindSpotWarning([spot("222222222222", "bob")]),
            blindSpotWarning([spot("111111111111", "dora")]),
        ]);
        expect(warnings[1]).toBe(
            'LoginProfile could not check the login profile of IAM user "bob" in account 222222222222 for a password changed in place ' +
                `outside Pulumi since this resource last set it: ${EVENTS_WHY}, and ${REPORT_WHY}. ` +
                "Refresh shows it unchanged without knowing; driftCheckedAt says until when it was last checked.",
        );
    });
});
