/** `read` (refresh): GetLoginProfile, what it refreshes, what it carries over, and a profile that is gone. */
import { GenerateCredentialReportCommand, GetCredentialReportCommand, GetLoginProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import {
    ACCOUNT_ID,
    awsError,
    CREATE_DATE,
    CREATE_DATE_ISO,
    credentialReport,
    expectLoginProfileError,
    failOnWarning,
    instantClock,
    networkError,
    PASSWORD,
    sentCommands,
    stateOf,
    USER,
    USER_AS_STORED,
    IAM_ENDPOINT,
} from "./fixtures";

const LATER = new Date("2026-11-20T08:00:00.000Z");

let iamMock: AwsClientStub<IAMClient>;
let lifecycle: LoginProfileLifecycle;

beforeEach(() => {
    iamMock = mockClient(IAMClient);
    // A credential report without rows: in-place changes are the business of lifecycle.drift.test.ts.
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: "COMPLETE" });
    iamMock.on(GetCredentialReportCommand).resolves(credentialReport([], LATER));
    lifecycle = createLifecycle({ clock: instantClock(), env: {}, warn: failOnWarning });
});

afterEach(() => {
    iamMock.restore();
});

describe("read", () => {
    it("refreshes userName and passwordResetPending from one GetLoginProfile, carrying the rest over", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER_AS_STORED, CreateDate: CREATE_DATE, PasswordResetRequired: true } });

        const result = await lifecycle.read(USER, stateOf({ passwordResetRequired: true, passwordResetPending: false }));

        expect(result).toStrictEqual({
            id: USER,
            props: {
                userName: USER_AS_STORED,
                password: PASSWORD,
                passwordResetRequired: true,
                passwordResetPending: true,
                createDate: CREATE_DATE_ISO,
                accountId: ACCOUNT_ID,
            },
        });
        expect(sentCommands(iamMock)).toStrictEqual([
            ["GetLoginProfileCommand", { UserName: USER }],
            ["GenerateCredentialReportCommand", {}],
            ["GetCredentialReportCommand", {}],
        ]);
    });

    it("warns, naming the report's call and its endpoint, when the credential report fails for a reason other than permission", async () => {
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });
        iamMock.on(GenerateCredentialReportCommand).rejects(awsError.serviceFailure());
        const warnings: string[] = [];
        const warned = createLifecycle({ clock: instantClock(), env: {}, warn: (message) => warnings.push(message) });

        await warned.read(USER, stateOf());

        expect(warnings).toStrictEqual([
            `LoginProfile cannot read the IAM credential report (IAM GenerateCredentialReport: ServiceFailure: ${awsError.serviceFailure().message} (${IAM_ENDPOINT})), ` +
                "so passwords changed in place outside Pulumi are not detected in this run; deleted, re-created and reset-forced profiles still are. " +
                "Stack config iam-login-profile:detectPasswordChanges false turns the report off.",
        ]);
    });

    it("records a re-created profile's date, and the drift it is", async () => {
        iamMock.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: USER, CreateDate: LATER, PasswordResetRequired: false } });

        const result = await lifecycle.read(USER, stateOf());

        expect(result.props).toStrictEqual(stateOf({ createDate: LATER.toISOString(), passwordDrift: "recreated" }));
    });

    it("shows the reset going from pending to done after the user's first sign-in, keeping the declared flag", async () => {
        // GIVEN the resource required a reset and AWS had it pending
        const olds = stateOf({ passwordResetRequired: true, passwordResetPending: true });
        // WHEN the user has set a new password at sign-in, so AWS reports the flag cleared
        iamMock
            .on(GetLoginProfileCommand)
            .resolves({ LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } });

        const result = await lifecycle.read(USER, olds);

        // THEN only passwordResetPending changes: the declared setting is not drift
        expect(result.props).toStrictEqual({ ...olds, passwordResetPending: false });
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

        const result = await lifecycle.read(USER, stateOf({ region: "eu-central-1" }));

        expect(result.props).toStrictEqual(stateOf({ region: "eu-central-1" }));
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

        const result = await lifecycle.read(USER, stateOf({ passwordResetPending: true }));

        expect(result.props).toStrictEqual(stateOf({ passwordResetPending: false, createDate: "" }));
    });
});
