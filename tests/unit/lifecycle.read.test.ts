/** `read` (refresh): GetLoginProfile, what it refreshes, what it carries over, and a profile that is gone. */
import {
    GenerateCredentialReportCommand,
    GetCredentialReportCommand,
    GetLoginProfileCommand,
    IAMClient,
    ListUsersCommand,
} from "@aws-sdk/client-iam";
import { LookupEventsCommand, type CloudTrailClient, type Event, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import {
    ACCOUNT_ID,
    awsError,
    cloudTrailAccessDenied,
    CREATE_DATE,
    CREATE_DATE_ISO,
    credentialReport,
    expectLoginProfileError,
    failOnWarning,
    instantClock,
    networkError,
    SET_AT_ISO,
    type InstantClock,
    PASSWORD,
    sentCommands,
    stateOf,
    USER,
    USER_AS_STORED,
    IAM_ENDPOINT,
    CLOUDTRAIL_ENDPOINT,
    mockCloudTrail,
    listedUser,
} from "./fixtures";

const LATER = new Date("2026-11-20T08:00:00.000Z");
const MINUTE = 60_000;
/** A minute after SET_AT_ISO: when a read that waited a minute reads the event history. */
const A_MINUTE_LATER_ISO = new Date(Date.parse(SET_AT_ISO) + MINUTE).toISOString();
/** When the event history a read at SET_AT_ISO asks for starts: 90 days before. */
const NINETY_DAYS_BEFORE = new Date(Date.parse(SET_AT_ISO) - 90 * 24 * 3600_000);

let iamMock: AwsClientStub<IAMClient>;
let cloudTrailMock: AwsClientStub<CloudTrailClient>;
let clock: InstantClock;
let lifecycle: LoginProfileLifecycle;

/**
 * A state as this version's create leaves it: it set the password, so wrote the profile and knew
 * it unchanged, at SET_AT_ISO (when the instant clock starts), which is also when IAM last changed
 * it (a mocked client measures no clock offset).
 */
function createdStateOf(overrides: Parameters<typeof stateOf>[0] = {}): ReturnType<typeof stateOf> {
    return stateOf({
        passwordSetAt: SET_AT_ISO,
        writtenAt: SET_AT_ISO,
        driftCheckedAt: SET_AT_ISO,
        passwordLastChanged: SET_AT_ISO,
        ...overrides,
    });
}

/**
 * The LookupEvents a read sends: one query per event name a refresh looks for over the last 90
 * days, 50 to a page (no DeleteLoginProfile: GetLoginProfile shows a deletion).
 */
function lookupsSince(startTime: Date): [string, unknown][] {
    return ["CreateLoginProfile", "UpdateLoginProfile", "ChangePassword"].map((name) => [
        "LookupEventsCommand",
        { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }], StartTime: startTime, MaxResults: 50 },
    ]);
}

beforeEach(() => {
    iamMock = mockClient(IAMClient);
    cloudTrailMock = mockCloudTrail();
    // A credential report without rows: in-place changes are the business of lifecycle.drift.test.ts.
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: "COMPLETE" });
    iamMock.on(GetCredentialReportCommand).resolves(credentialReport([], LATER));
    clock = instantClock();
    lifecycle = createLifecycle({ clock, env: {}, warn: failOnWarning });
});

afterEach(() => {
    iamMock.restore();
    cloudTrailMock.restore();
});

describe("read", () => {
    it("refreshes userName and passwordResetPending from one GetLoginProfile, carrying the rest over", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER_AS_STORED, CreateDate: CREATE_DATE, PasswordResetRequired: true } });
        await clock.sleep(MINUTE);

        const result = await lifecycle.read(USER, createdStateOf({ passwordResetRequired: true, passwordResetPending: false }));

        expect(result).toStrictEqual({
            id: USER,
            props: {
                userName: USER_AS_STORED,
                password: PASSWORD,
                passwordResetRequired: true,
                passwordResetPending: true,
                createDate: CREATE_DATE_ISO,
                accountId: ACCOUNT_ID,
                passwordSetAt: SET_AT_ISO,
                writtenAt: SET_AT_ISO,
                // The event history, read now, showed no change: checked until now.
                driftCheckedAt: A_MINUTE_LATER_ISO,
                // Carried over: the report (no rows) shows no later change.
                passwordLastChanged: SET_AT_ISO,
            },
        });
        expect(sentCommands(iamMock)).toStrictEqual([
            ["GetLoginProfileCommand", { UserName: USER }],
            ["ListUsersCommand", { MaxItems: 1000 }],
            ["GenerateCredentialReportCommand", {}],
            ["GetCredentialReportCommand", {}],
        ]);
        expect(sentCommands(cloudTrailMock)).toStrictEqual(lookupsSince(new Date(NINETY_DAYS_BEFORE.getTime() + MINUTE)));
    });

    it("reads the event history in us-east-1, where IAM's events are, whatever the profile's region", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });

        await lifecycle.read(USER, createdStateOf({ region: "eu-central-1" }));

        expect(sentCommands(cloudTrailMock)).toStrictEqual(lookupsSince(NINETY_DAYS_BEFORE));
        await expect((cloudTrailMock.call(0).thisValue as CloudTrailClient).config.region()).resolves.toBe("us-east-1");
    });

    it("finds a password changed outside Pulumi in CloudTrail's event history, page after page, naming who changed it", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        const record = (principal: string, minutes: number): Event => {
            const eventTime = new Date(Date.parse(SET_AT_ISO) + minutes * MINUTE);
            return {
                EventName: "UpdateLoginProfile",
                EventTime: eventTime,
                CloudTrailEvent: JSON.stringify({
                    userIdentity: { type: "IAMUser", arn: principal },
                    requestParameters: { userName: USER },
                }),
            };
        };
        const outsider = `arn:aws:iam::${ACCOUNT_ID}:user/outsider`;
        cloudTrailMock.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) => {
            if (input.LookupAttributes?.[0]?.AttributeValue !== "UpdateLoginProfile") {
                return { Events: [] };
            }
            // Newest first, as CloudTrail answers; the change is on the second page.
            return input.NextToken === undefined
                ? { Events: [record(`arn:aws:iam::${ACCOUNT_ID}:user/ci`, -1)], NextToken: "page-2" }
                : { Events: [record(outsider, 1)], NextToken: "" };
        });
        await clock.sleep(2 * MINUTE);

        const result = await lifecycle.read(USER, createdStateOf());

        expect(result).toStrictEqual({
            id: USER,
            props: createdStateOf({
                passwordDrift: "changed",
                passwordChangedBy: `${outsider} (UpdateLoginProfile at ${A_MINUTE_LATER_ISO})`,
                driftCheckedAt: new Date(Date.parse(SET_AT_ISO) + 2 * MINUTE).toISOString(),
            }),
            // [diff: ~password]
            inputs: { userName: USER, passwordResetRequired: false, password: "" },
        });
        const since = new Date(NINETY_DAYS_BEFORE.getTime() + 2 * MINUTE);
        expect(sentCommands(cloudTrailMock)).toStrictEqual([
            ...lookupsSince(since).slice(0, 2),
            [
                "LookupEventsCommand",
                {
                    LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "UpdateLoginProfile" }],
                    StartTime: since,
                    MaxResults: 50,
                    NextToken: "page-2",
                },
            ],
            ...lookupsSince(since).slice(2),
        ]);
    });

    it("warns once, naming the permission, when CloudTrail denies LookupEvents, and relies on a report made since the last set", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        cloudTrailMock.on(LookupEventsCommand).rejects(cloudTrailAccessDenied());
        const warnings: string[] = [];
        const warned = createLifecycle({ clock: instantClock(), env: {}, warn: (message) => warnings.push(message) });

        const first = await warned.read(USER, createdStateOf());
        const second = await warned.read(USER, createdStateOf());

        expect(warnings).toStrictEqual([
            `LoginProfile cannot read CloudTrail's event history in account ${ACCOUNT_ID} (AccessDenied: it needs cloudtrail:LookupEvents), ` +
                "so a password changed in place outside Pulumi is seen only through the IAM credential report, which AWS makes at most every four hours, " +
                "and without who changed it. Grant cloudtrail:LookupEvents to see such changes within minutes.",
        ]);
        // The report (made at LATER, after the set) could see: checked until it was made.
        expect(first.props).toStrictEqual(createdStateOf({ driftCheckedAt: LATER.toISOString() }));
        expect(second.props).toStrictEqual(createdStateOf({ driftCheckedAt: LATER.toISOString() }));
        expect(cloudTrailMock).toHaveReceivedCommandTimes(LookupEventsCommand, 1);
    });

    it("refreshes passwordLastUsed from ListUsers, every page of it, with no four-hour delay", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        iamMock
            .on(ListUsersCommand, { Marker: undefined })
            .resolves({ Users: [listedUser("bob", new Date("2026-11-20T07:00:00Z"))], IsTruncated: true, Marker: "page-2" });
        iamMock
            .on(ListUsersCommand, { Marker: "page-2" })
            .resolves({ Users: [listedUser(USER_AS_STORED, new Date("2026-11-20T07:59:00Z")), listedUser("carol")], IsTruncated: false });

        const result = await lifecycle.read(USER, createdStateOf({ passwordLastUsed: "2026-11-01T00:00:00.000Z" }));

        expect(result.props).toStrictEqual(createdStateOf({ passwordLastUsed: "2026-11-20T07:59:00.000Z" }));
        expect(sentCommands(iamMock).filter(([name]) => name === "ListUsersCommand")).toStrictEqual([
            ["ListUsersCommand", { MaxItems: 1000 }],
            ["ListUsersCommand", { MaxItems: 1000, Marker: "page-2" }],
        ]);
    });

    it("drops passwordLastUsed when ListUsers says the password was never used", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        iamMock.on(ListUsersCommand).resolves({ Users: [listedUser(USER)] });

        const result = await lifecycle.read(USER, createdStateOf({ passwordLastUsed: "2026-11-01T00:00:00.000Z" }));

        expect(result.props).toStrictEqual(createdStateOf());
    });

    it("warns, naming the report's call and its endpoint, when the credential report fails for a reason other than permission", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        iamMock.on(GenerateCredentialReportCommand).rejects(awsError.serviceFailure());
        const warnings: string[] = [];
        const warned = createLifecycle({ clock: instantClock(), env: {}, warn: (message) => warnings.push(message) });

        const result = await warned.read(USER, createdStateOf());

        expect(warnings).toStrictEqual([
            `LoginProfile cannot read the IAM credential report of account ${ACCOUNT_ID} (IAM GenerateCredentialReport: ServiceFailure: ${awsError.serviceFailure().message} (${IAM_ENDPOINT})), ` +
                "so a password changed in place outside Pulumi is seen only through CloudTrail's event history; deleted, re-created and reset-forced profiles still are. " +
                "Stack config iam-login-profile:detectPasswordChanges false turns the detection of in-place changes off.",
        ]);
        // The event history was read, so the profile was checked: no blind spot to warn of.
        expect(result.props).toStrictEqual(createdStateOf());
    });

    it("warns, naming the event history's call and its endpoint, when LookupEvents fails for a reason other than permission", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        cloudTrailMock
            .on(LookupEventsCommand)
            .rejects(networkError("ENOTFOUND", "getaddrinfo ENOTFOUND cloudtrail.us-east-1.amazonaws.com"));
        const warnings: string[] = [];
        const warned = createLifecycle({ clock: instantClock(), env: {}, warn: (message) => warnings.push(message) });

        const result = await warned.read(USER, createdStateOf());

        expect(warnings).toStrictEqual([
            `LoginProfile cannot read CloudTrail's event history in account ${ACCOUNT_ID} (CloudTrail LookupEvents: ENOTFOUND: getaddrinfo ENOTFOUND cloudtrail.us-east-1.amazonaws.com (${CLOUDTRAIL_ENDPOINT})), ` +
                "so a password changed in place outside Pulumi is seen only through the IAM credential report, which AWS makes at most every four hours, and without who changed it. " +
                "Grant cloudtrail:LookupEvents to see such changes within minutes.",
        ]);
        // The report was made after the password was set: checked until AWS made it.
        expect(result.props).toStrictEqual(createdStateOf({ driftCheckedAt: LATER.toISOString() }));
    });

    it("records a re-created profile's date, and the drift it is", async () => {
        iamMock.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: USER, CreateDate: LATER, PasswordResetRequired: false } });

        await clock.sleep(MINUTE);

        const result = await lifecycle.read(USER, createdStateOf());

        expect(result.props).toStrictEqual(
            createdStateOf({ createDate: LATER.toISOString(), passwordDrift: "recreated", driftCheckedAt: A_MINUTE_LATER_ISO }),
        );
    });

    it("shows the reset going from pending to done after the user's first sign-in, keeping the declared flag", async () => {
        // GIVEN the resource required a reset and AWS had it pending
        const olds = createdStateOf({ passwordResetRequired: true, passwordResetPending: true });
        // WHEN the user has set a new password at sign-in, so AWS reports the flag cleared
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });

        await clock.sleep(MINUTE);
        const result = await lifecycle.read(USER, olds);

        // THEN only passwordResetPending changes: the declared setting is not drift, and the
        // password is the user's own now, so there is nothing to look for (checked until now)
        expect(result.props).toStrictEqual({ ...olds, passwordResetPending: false, driftCheckedAt: A_MINUTE_LATER_ISO });
        expect(cloudTrailMock).not.toHaveReceivedAnyCommand();
    });

    it("reports the profile gone (empty id) on NoSuchEntity, so refresh drops it", async () => {
        iamMock.on(GetLoginProfileCommand).rejects(awsError.noSuchEntity(`Login Profile for User ${USER} cannot be found.`));

        await expect(lifecycle.read(USER, stateOf())).resolves.toStrictEqual({ id: "" });
        expect(iamMock).toHaveReceivedCommandTimes(GetLoginProfileCommand, 1);
    });

    it("fails with the AWS code and message on ServiceFailure, without retrying", async () => {
        iamMock.on(GetLoginProfileCommand).rejects(awsError.serviceFailure());

        await expectLoginProfileError(
            lifecycle.read(USER, stateOf()),
            "ServiceFailure",
            `IAM GetLoginProfile for IAM user "${USER}" failed: ServiceFailure: ${awsError.serviceFailure().message} (${IAM_ENDPOINT})`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(GetLoginProfileCommand, 1);
    });

    it("says it cannot reach the IAM endpoint on a network error", async () => {
        iamMock.on(GetLoginProfileCommand).rejects(networkError("ENOTFOUND", "getaddrinfo ENOTFOUND iam.amazonaws.com"));

        await expectLoginProfileError(
            lifecycle.read(USER, stateOf()),
            "Unreachable",
            `IAM GetLoginProfile for IAM user "${USER}" failed: cannot reach IAM (ENOTFOUND: getaddrinfo ENOTFOUND iam.amazonaws.com) at the ${IAM_ENDPOINT}. ` +
                "Check the network, that endpoint and the region.",
        );
    });

    it("cuts the stored password out of an AWS message that quotes it", async () => {
        iamMock.on(GetLoginProfileCommand).rejects(awsError.serviceFailure(`internal error near ${PASSWORD}`));

        await expectLoginProfileError(
            lifecycle.read(USER, stateOf()),
            "ServiceFailure",
            `IAM GetLoginProfile for IAM user "${USER}" failed: ServiceFailure: internal error near [secret] (${IAM_ENDPOINT})`,
        );
    });

    it("keeps the region from the state and reads through it", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });

        const result = await lifecycle.read(USER, createdStateOf({ region: "eu-central-1" }));

        expect(result.props).toStrictEqual(createdStateOf({ region: "eu-central-1" }));
        await expect((iamMock.call(0).thisValue as IAMClient).config.region()).resolves.toBe("eu-central-1");
    });

    it("takes the flag from AWS when there is no state to carry over (an import), and gives the inputs AWS implies: no password", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: true } });

        const result = await lifecycle.read(USER, undefined);

        expect(result).toStrictEqual({
            id: USER,
            // The account of the credentials: one GetCallerIdentity (a profile read with no state records none).
            props: {
                userName: USER,
                passwordResetRequired: true,
                passwordResetPending: true,
                createDate: CREATE_DATE_ISO,
                accountId: ACCOUNT_ID,
            },
            inputs: { userName: USER, passwordResetRequired: true },
        });
    });

    it("keeps the requested name and reports no date when AWS's response has no profile", async () => {
        iamMock.on(GetLoginProfileCommand).resolves({});

        const result = await lifecycle.read(USER, createdStateOf({ passwordResetPending: true }));

        expect(result.props).toStrictEqual(createdStateOf({ passwordResetPending: false, createDate: "" }));
    });
});
