/**
 * The lookups: `getLoginProfile`, `listLoginProfiles` (and their Output forms) with stubbed IAM
 * and CloudTrail clients; the inventory's reconciliation of the credential report with the event
 * history and ListUsers (`currentConsoleUsers`); `LoginProfile.get`'s read of a profile the
 * resource does not manage.
 */
import {
    GenerateCredentialReportCommand,
    GetCredentialReportCommand,
    GetLoginProfileCommand,
    IAMClient,
    ListUsersCommand,
} from "@aws-sdk/client-iam";
import * as pulumi from "@pulumi/pulumi";
import { LookupEventsCommand, type CloudTrailClient, type Event, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { LoginProfileError } from "../../provider/model/errors";
import { createLifecycle } from "../../provider/lifecycle";
import { getLoginProfile, getLoginProfileOutput, listLoginProfiles, listLoginProfilesOutput } from "../../provider/dynamic/lookups";
import { currentConsoleUsers } from "../../provider/lifecycle/lookup";
import { parseCredentialReport } from "../../provider/aws/credentialReport";
import type { PasswordEvent, PasswordEventName } from "../../provider/aws/eventHistory";
import {
    ACCOUNT_ID,
    awsError,
    cloudTrailAccessDenied,
    CREATE_DATE,
    CREATE_DATE_ISO,
    credentialReport,
    expectLoginProfileError,
    failOnWarning,
    sentCommands,
    USER,
    mockCloudTrail,
    listedUser,
} from "./fixtures";

/** An hour ago, in whole seconds as AWS gives it. */
const GENERATED = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600_000);
const CHANGED = new Date("2026-11-29T10:00:00.000Z");
const USED = new Date("2026-11-30T05:00:00.000Z");
const BAD_NAME = 'userName may hold only ASCII letters, digits and _+=,.@- (IAM\'s [\\w+=,.@-]); it contains " "';

/** When ListUsers says zed last signed in: later than the report's `password_last_used`. */
const USED_LIVE = new Date("2026-11-30T09:30:00.000Z");
/** The whole event history's span, as a lookup asks for it. */
const NINETY_DAYS_MS = 90 * 24 * 3600_000;
/** Who made the events of these tests. */
const ADMIN_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/admin`;

let iamMock: AwsClientStub<IAMClient>;
let cloudTrailMock: AwsClientStub<CloudTrailClient>;
/** What the lookups warned (a program's lookups warn on the console). */
let warned: jest.SpyInstance;

beforeEach(() => {
    iamMock = mockClient(IAMClient);
    cloudTrailMock = mockCloudTrail();
    warned = jest.spyOn(console, "warn").mockImplementation(() => undefined);
});

afterEach(() => {
    iamMock.restore();
    cloudTrailMock.restore();
    warned.mockRestore();
});

/** A LookupEvents event as CloudTrail returns it: a call of `eventName` on `userName`'s profile by ADMIN_ARN. */
function cloudTrailEvent(eventName: PasswordEventName, userName: string, eventTime: Date): Event {
    return {
        EventName: eventName,
        EventTime: eventTime,
        CloudTrailEvent: JSON.stringify({
            eventTime: eventTime.toISOString().replace(/\.\d{3}Z$/, "Z"),
            userIdentity: { type: "IAMUser", arn: ADMIN_ARN, accountId: ACCOUNT_ID, userName: "admin" },
            requestParameters: { userName },
        }),
    };
}

/** CloudTrail answering each LookupEvents query with the events of its event name. */
function eventHistory(events: readonly Event[]): void {
    cloudTrailMock.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) => ({
        Events: events.filter((event) => event.EventName === input.LookupAttributes?.[0]?.AttributeValue),
    }));
}

/** The value of an Output, outside a Pulumi program. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

describe("getLoginProfile", () => {
    it("returns what GetLoginProfile reports and when ListUsers says the password was last used, and no password", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: true } });
        iamMock.on(ListUsersCommand).resolves({ Users: [listedUser("bob", USED), listedUser(USER, USED_LIVE)] });

        await expect(getLoginProfile({ userName: USER })).resolves.toStrictEqual({
            userName: USER,
            createDate: CREATE_DATE_ISO,
            passwordResetRequired: true,
            passwordLastUsed: USED_LIVE.toISOString(),
        });
        expect(sentCommands(iamMock)).toStrictEqual([
            ["GetLoginProfileCommand", { UserName: USER }],
            ["ListUsersCommand", { MaxItems: 1000 }],
        ]);
        expect(cloudTrailMock).not.toHaveReceivedAnyCommand();
        expect(warned).not.toHaveBeenCalled();
    });

    it("returns no passwordLastUsed for a password never used", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        iamMock.on(ListUsersCommand).resolves({ Users: [listedUser(USER)] });

        await expect(getLoginProfile({ userName: USER })).resolves.toStrictEqual({
            userName: USER,
            createDate: CREATE_DATE_ISO,
            passwordResetRequired: false,
        });
    });

    it("without permission for ListUsers, warns and returns the profile without passwordLastUsed", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        iamMock
            .on(ListUsersCommand)
            .rejects(awsError.accessDenied("User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:ListUsers"));

        await expect(getLoginProfile({ userName: USER })).resolves.toStrictEqual({
            userName: USER,
            createDate: CREATE_DATE_ISO,
            passwordResetRequired: false,
        });
        expect(warned.mock.calls).toStrictEqual([
            [
                `LoginProfile cannot list the IAM users of account ${ACCOUNT_ID} (AccessDenied: it needs iam:ListUsers), ` +
                    "so passwordLastUsed is not read live: a refresh takes it from the IAM credential report, which can be four hours old, and the lookups leave it out. Grant iam:ListUsers to read it live.",
            ],
        ]);
    });

    it("fails with a message naming the user when the profile does not exist", async () => {
        iamMock.on(GetLoginProfileCommand).rejects(awsError.noSuchEntity(`Login Profile for User ${USER} cannot be found.`));

        await expectLoginProfileError(
            getLoginProfile({ userName: USER }),
            "NoSuchEntity",
            `IAM user "${USER}" has no login profile (console password): it does not exist (GetLoginProfile answered NoSuchEntity; the user may not exist either)`,
        );
    });

    it("fails as a LoginProfileError that Pulumi's CLI reports as a RunError: the message alone, with no stack trace", async () => {
        iamMock.on(GetLoginProfileCommand).rejects(awsError.noSuchEntity(`Login Profile for User ${USER} cannot be found.`));
        iamMock.on(GenerateCredentialReportCommand).rejects(awsError.accessDenied());

        const lookup = await getLoginProfile({ userName: USER }).catch((error: unknown) => error);
        const inventory = await listLoginProfiles().catch((error: unknown) => error);

        for (const error of [lookup, inventory]) {
            expect(error).toBeInstanceOf(LoginProfileError);
            expect(pulumi.RunError.isInstance(error)).toBe(true);
            expect((error as Error).stack).toBe("");
        }
    });

    it("fails before any call on a bad user name, with the resource's rule", async () => {
        await expectLoginProfileError(getLoginProfile({ userName: "carol smith" }), "Invalid", `getLoginProfile: ${BAD_NAME}`);
        await expectLoginProfileError(
            getLoginProfile({ userName: "" }),
            "Invalid",
            "getLoginProfile: userName must be 1 to 64 characters long, not 0",
        );
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });

    it("fails before any call on a bad region", async () => {
        await expectLoginProfileError(
            getLoginProfile({ userName: USER, region: "Mars" }),
            "Invalid",
            'getLoginProfile: region must be an AWS region name such as "us-east-1", not "Mars"',
        );
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });

    it("sends the call to the given region", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });

        await getLoginProfile({ userName: USER, region: "eu-north-1" });

        await expect((iamMock.call(0).thisValue as IAMClient).config.region()).resolves.toBe("eu-north-1");
    });

    it("has an Output form taking inputs", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });

        await expect(valueOf(getLoginProfileOutput({ userName: pulumi.output(USER) }))).resolves.toStrictEqual({
            userName: USER,
            createDate: CREATE_DATE_ISO,
            passwordResetRequired: false,
        });
    });
});

describe("listLoginProfiles", () => {
    beforeEach(() => {
        iamMock.on(GenerateCredentialReportCommand).resolves({ State: "COMPLETE" });
        iamMock
            .on(GetCredentialReportCommand)
            .resolves(
                credentialReport(
                    [
                        { user: "zed", passwordLastChanged: CHANGED, passwordLastUsed: USED, mfaActive: true },
                        { user: "nopass" },
                        { user: "amy", passwordLastChanged: CHANGED },
                    ],
                    GENERATED,
                ),
            );
        iamMock.on(ListUsersCommand).resolves({ Users: [listedUser("amy"), listedUser("nopass"), listedUser("zed", USED_LIVE)] });
    });

    it("lists every user with a console password from the credential report, with ListUsers' last use: sorted, with the report's date", async () => {
        const before = Date.now();
        const listed = await listLoginProfiles();
        const after = Date.now();

        expect(listed.profiles).toStrictEqual([
            { userName: "amy", passwordLastChanged: CHANGED.toISOString(), mfaActive: false },
            { userName: "zed", passwordLastUsed: USED_LIVE.toISOString(), passwordLastChanged: CHANGED.toISOString(), mfaActive: true },
        ]);
        expect(listed.accountId).toBe(ACCOUNT_ID);
        expect(listed.generatedAt).toBe(GENERATED.toISOString());
        expect(listed.ageSeconds).toBeGreaterThanOrEqual(3600);
        expect(listed.ageSeconds).toBeLessThan(3660);
        // Current until the event history was read, now.
        const currentAt = Date.parse(listed.currentAt);
        expect(currentAt).toBeGreaterThanOrEqual(before);
        expect(currentAt).toBeLessThanOrEqual(after);
        expect(sentCommands(iamMock)).toStrictEqual([
            ["GenerateCredentialReportCommand", {}],
            ["GetCredentialReportCommand", {}],
            ["ListUsersCommand", { MaxItems: 1000 }],
        ]);
        const since = new Date(currentAt - NINETY_DAYS_MS);
        expect(sentCommands(cloudTrailMock)).toStrictEqual(
            ["CreateLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile", "ChangePassword"].map((name) => [
                "LookupEventsCommand",
                { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }], StartTime: since, MaxResults: 50 },
            ]),
        );
        expect(warned).not.toHaveBeenCalled();
    });

    it("brings the report up to date: a profile created after it is listed, one deleted after it is not, nor a user deleted since", async () => {
        const after = (minutes: number): Date => new Date(GENERATED.getTime() + minutes * 60_000);
        eventHistory([
            cloudTrailEvent("CreateLoginProfile", "newbie", after(5)),
            cloudTrailEvent("DeleteLoginProfile", "amy", after(10)),
            cloudTrailEvent("UpdateLoginProfile", "zed", after(15)),
            cloudTrailEvent("CreateLoginProfile", "before", new Date(GENERATED.getTime() - 60_000)),
        ]);
        iamMock
            .on(ListUsersCommand)
            .resolves({ Users: [listedUser("amy"), listedUser("newbie", after(20)), listedUser("before"), listedUser("zed")] });

        const listed = await listLoginProfiles();

        expect(listed.profiles).toStrictEqual([
            {
                userName: "newbie",
                passwordLastUsed: after(20).toISOString(),
                passwordLastChanged: after(5).toISOString(),
                mfaActive: false,
            },
            { userName: "zed", passwordLastChanged: after(15).toISOString(), mfaActive: true },
        ]);
        expect(warned).not.toHaveBeenCalled();
    });

    it("without permission for the event history, warns and lists the report as it is, current until AWS made it", async () => {
        cloudTrailMock.on(LookupEventsCommand).rejects(cloudTrailAccessDenied());

        const listed = await listLoginProfiles();

        expect(listed.profiles.map((p) => p.userName)).toStrictEqual(["amy", "zed"]);
        expect(listed.currentAt).toBe(GENERATED.toISOString());
        expect(warned.mock.calls).toStrictEqual([
            [
                `LoginProfile cannot read CloudTrail's event history in account ${ACCOUNT_ID} (AccessDenied: it needs cloudtrail:LookupEvents), ` +
                    "so a password changed in place outside Pulumi is seen only through the IAM credential report, which AWS makes at most every four hours, " +
                    "and without who changed it. Grant cloudtrail:LookupEvents to see such changes within minutes.",
            ],
        ]);
    });

    it("without permission for ListUsers, warns and takes the last use from the report", async () => {
        iamMock
            .on(ListUsersCommand)
            .rejects(awsError.accessDenied("User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:ListUsers"));

        const listed = await listLoginProfiles();

        expect(listed.profiles).toStrictEqual([
            { userName: "amy", passwordLastChanged: CHANGED.toISOString(), mfaActive: false },
            { userName: "zed", passwordLastUsed: USED.toISOString(), passwordLastChanged: CHANGED.toISOString(), mfaActive: true },
        ]);
        expect(warned.mock.calls).toStrictEqual([
            [
                `LoginProfile cannot list the IAM users of account ${ACCOUNT_ID} (AccessDenied: it needs iam:ListUsers), ` +
                    "so passwordLastUsed is not read live: a refresh takes it from the IAM credential report, which can be four hours old, and the lookups leave it out. Grant iam:ListUsers to read it live.",
            ],
        ]);
    });

    it("asks again while AWS is still building the report", async () => {
        iamMock
            .on(GetCredentialReportCommand)
            .rejectsOnce(Object.assign(new Error("Report in progress"), { name: "ReportInProgress", Code: "ReportInProgress" }))
            .resolves(credentialReport([{ user: "amy", passwordLastChanged: CHANGED }], GENERATED));

        const listed = await listLoginProfiles();

        expect(listed.profiles.map((p) => p.userName)).toStrictEqual(["amy"]);
        expect(iamMock).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 2);
    });

    it("says which permissions it needs on AccessDenied", async () => {
        iamMock.on(GenerateCredentialReportCommand).rejects(
            Object.assign(new Error("not authorized to perform: iam:GenerateCredentialReport"), {
                name: "AccessDenied",
                Code: "AccessDenied",
            }),
        );

        await expect(listLoginProfiles()).rejects.toThrow(
            "listLoginProfiles reads the IAM credential report, which needs iam:GenerateCredentialReport and iam:GetCredentialReport: ",
        );
    });

    it("fails before any call on a bad region", async () => {
        await expectLoginProfileError(
            listLoginProfiles({ region: "nowhere" }),
            "Invalid",
            'listLoginProfiles: region must be an AWS region name such as "us-east-1", not "nowhere"',
        );
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });

    it("has an Output form", async () => {
        await expect(valueOf(listLoginProfilesOutput()).then((l) => l.profiles.length)).resolves.toBe(2);
    });
});

describe("read of a profile the resource does not manage (LoginProfile.get)", () => {
    it("returns what AWS reports and no password, and makes no report call nor event lookup", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: true } });
        iamMock.on(ListUsersCommand).resolves({ Users: [listedUser(USER, USED_LIVE)] });
        const lifecycle = createLifecycle({ env: {}, warn: failOnWarning });

        // What the engine hands the dynamic provider for a get: the program's inputs, no state.
        const read = await lifecycle.read(USER, { userName: USER, passwordResetRequired: false } as never);

        expect(read).toStrictEqual({
            id: USER,
            props: {
                userName: USER,
                passwordResetRequired: true,
                passwordResetPending: true,
                createDate: CREATE_DATE_ISO,
                accountId: ACCOUNT_ID,
                passwordLastUsed: USED_LIVE.toISOString(),
            },
            inputs: { userName: USER, passwordResetRequired: true },
        });
        expect(sentCommands(iamMock)).toStrictEqual([
            ["GetLoginProfileCommand", { UserName: USER }],
            ["ListUsersCommand", { MaxItems: 1000 }],
        ]);
        expect(cloudTrailMock).not.toHaveReceivedAnyCommand();
    });

    it("refuses a bad user name before any call", async () => {
        const lifecycle = createLifecycle({ env: {}, warn: failOnWarning });

        await expectLoginProfileError(lifecycle.read("carol smith", undefined), "Invalid", `LoginProfile.get: ${BAD_NAME}`);
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });
});

describe("currentConsoleUsers", () => {
    const REPORT_AT = new Date("2026-11-30T08:00:00.000Z");
    const at = (minutes: number): Date => new Date(REPORT_AT.getTime() + minutes * 60_000);
    const report = parseCredentialReport(
        new TextDecoder().decode(
            credentialReport(
                [
                    { user: "amy", passwordLastChanged: CHANGED, passwordLastUsed: USED },
                    { user: "Zed", passwordLastChanged: CHANGED, mfaActive: true },
                    { user: "nopass" },
                    { user: "gone", passwordLastChanged: CHANGED },
                ],
                REPORT_AT,
            ).Content,
        ),
        REPORT_AT,
    );
    const event = (eventName: PasswordEventName, userName: string, eventTime: Date): PasswordEvent => ({
        eventName,
        eventTime,
        userName,
        principalArn: ADMIN_ARN,
    });
    const history = (...events: PasswordEvent[]): { readAt: Date; events: PasswordEvent[] } => ({ readAt: at(60), events });

    it("is the report's console users when neither the events nor ListUsers could be read", () => {
        expect(currentConsoleUsers(report, undefined, undefined)).toStrictEqual([
            { userName: "amy", passwordLastUsed: USED.toISOString(), passwordLastChanged: CHANGED.toISOString(), mfaActive: false },
            { userName: "gone", passwordLastChanged: CHANGED.toISOString(), mfaActive: false },
            { userName: "Zed", passwordLastChanged: CHANGED.toISOString(), mfaActive: true },
        ]);
    });

    it("applies the events after the report in order, ignores those before it, and drops users ListUsers no longer has", () => {
        const events = history(
            event("CreateLoginProfile", "early", at(-1)), // before the report: the report already says
            event("DeleteLoginProfile", "amy", at(-2)), // likewise: amy's profile is in the report, so it was re-created since
            event("CreateLoginProfile", "newbie", at(5)),
            event("UpdateLoginProfile", "ZED", at(6)), // user names are case-insensitive
            event("DeleteLoginProfile", "amy", at(7)),
            event("UpdateLoginProfile", "nopass", at(8)), // no profile: a set without one changes nothing
            event("ChangePassword", "newbie", at(9)),
            event("DeleteLoginProfile", "gone", at(10)),
            event("CreateLoginProfile", "gone", at(11)),
        );
        const users = [{ userName: "amy" }, { userName: "newbie", passwordLastUsed: at(30) }, { userName: "nopass" }, { userName: "zed" }];

        expect(currentConsoleUsers(report, events, users)).toStrictEqual([
            { userName: "newbie", passwordLastUsed: at(30).toISOString(), passwordLastChanged: at(9).toISOString(), mfaActive: false },
            { userName: "zed", passwordLastChanged: at(6).toISOString(), mfaActive: true },
        ]);
    });

    it("takes the last use from ListUsers, not the report, when ListUsers was read: none when it says never", () => {
        const users = [{ userName: "amy" }, { userName: "gone" }, { userName: "Zed", passwordLastUsed: at(40) }];

        expect(currentConsoleUsers(report, history(), users)).toStrictEqual([
            { userName: "amy", passwordLastChanged: CHANGED.toISOString(), mfaActive: false },
            { userName: "gone", passwordLastChanged: CHANGED.toISOString(), mfaActive: false },
            { userName: "Zed", passwordLastUsed: at(40).toISOString(), passwordLastChanged: CHANGED.toISOString(), mfaActive: true },
        ]);
    });

    it("keeps a re-created profile's MFA from the report, and a new one's false", () => {
        const events = history(event("DeleteLoginProfile", "Zed", at(1)), event("CreateLoginProfile", "zed", at(2)));

        expect(currentConsoleUsers(report, events, undefined).find((row) => row.userName === "Zed")).toStrictEqual({
            userName: "Zed",
            passwordLastChanged: at(2).toISOString(),
            mfaActive: true,
        });
    });
});
