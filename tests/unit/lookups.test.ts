/**
 * The lookups: `getLoginProfile`, `listLoginProfiles` (and their Output forms) with a stubbed IAM
 * client; `LoginProfile.get`'s read of a profile the resource does not manage.
 */
import { GenerateCredentialReportCommand, GetCredentialReportCommand, GetLoginProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import * as pulumi from "@pulumi/pulumi";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { LoginProfileError } from "../../provider/model/errors";
import { createLifecycle } from "../../provider/lifecycle";
import { getLoginProfile, getLoginProfileOutput, listLoginProfiles, listLoginProfilesOutput } from "../../provider/dynamic/lookups";
import {
    ACCOUNT_ID,
    awsError,
    CREATE_DATE,
    CREATE_DATE_ISO,
    credentialReport,
    expectLoginProfileError,
    failOnWarning,
    sentCommands,
    USER,
} from "./fixtures";

/** An hour ago, in whole seconds as AWS gives it. */
const GENERATED = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600_000);
const CHANGED = new Date("2026-11-29T10:00:00.000Z");
const USED = new Date("2026-11-30T05:00:00.000Z");
const BAD_NAME = 'userName may hold only ASCII letters, digits and _+=,.@- (IAM\'s [\\w+=,.@-]); it contains " "';

let iamMock: AwsClientStub<IAMClient>;

beforeEach(() => {
    iamMock = mockClient(IAMClient);
});

afterEach(() => {
    iamMock.restore();
});

/** The value of an Output, outside a Pulumi program. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

describe("getLoginProfile", () => {
    it("returns what GetLoginProfile reports, with one call and no password", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: true } });

        await expect(getLoginProfile({ userName: USER })).resolves.toStrictEqual({
            userName: USER,
            createDate: CREATE_DATE_ISO,
            passwordResetRequired: true,
        });
        expect(sentCommands(iamMock)).toStrictEqual([["GetLoginProfileCommand", { UserName: USER }]]);
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
    });

    it("lists every user with a console password from the credential report: two calls, sorted, with the report's date", async () => {
        const listed = await listLoginProfiles();

        expect(listed.profiles).toStrictEqual([
            { userName: "amy", passwordLastChanged: CHANGED.toISOString(), mfaActive: false },
            { userName: "zed", passwordLastUsed: USED.toISOString(), passwordLastChanged: CHANGED.toISOString(), mfaActive: true },
        ]);
        expect(listed.generatedAt).toBe(GENERATED.toISOString());
        expect(listed.ageSeconds).toBeGreaterThanOrEqual(3600);
        expect(listed.ageSeconds).toBeLessThan(3660);
        expect(sentCommands(iamMock)).toStrictEqual([
            ["GenerateCredentialReportCommand", {}],
            ["GetCredentialReportCommand", {}],
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
    it("returns what AWS reports and no password, and makes no report call", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: true } });
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
            },
            inputs: { userName: USER, passwordResetRequired: true },
        });
        expect(sentCommands(iamMock)).toStrictEqual([["GetLoginProfileCommand", { UserName: USER }]]);
    });

    it("refuses a bad user name before any call", async () => {
        const lifecycle = createLifecycle({ env: {}, warn: failOnWarning });

        await expectLoginProfileError(lifecycle.read("carol smith", undefined), "Invalid", `LoginProfile.get: ${BAD_NAME}`);
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });
});
