/**
 * Answers lost after IAM acted (README: After an interrupted run). A create whose profile IAM made
 * within the create's own attempts completes it (the declared password and flag, no error); one
 * that meets a profile made before is refused as always. A lost update fails, leaves the state as
 * it was, and the next update applies it again; a lost delete whose retry finds nothing is done.
 */
import {
    CreateLoginProfileCommand,
    DeleteLoginProfileCommand,
    EntityAlreadyExistsException,
    GetLoginProfileCommand,
    IAMClient,
    UpdateLoginProfileCommand,
} from "@aws-sdk/client-iam";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import { CLOCK_TOLERANCE_MS } from "../../provider/aws/lostResponse";
import {
    appliedOf,
    awsError,
    expectLoginProfileError,
    inputsOf,
    instantClock,
    NEW_PASSWORD,
    networkError,
    PASSWORD,
    sentCommands,
    stateOf,
    USER,
    type InstantClock,
    IAM_ENDPOINT,
    mockCloudTrail,
} from "./fixtures";

let iamMock: AwsClientStub<IAMClient>;
let cloudTrailMock: AwsClientStub<CloudTrailClient>;
let clock: InstantClock;
let lifecycle: LoginProfileLifecycle;

beforeEach(() => {
    iamMock = mockClient(IAMClient);
    cloudTrailMock = mockCloudTrail();
    clock = instantClock();
    lifecycle = createLifecycle({ clock, env: {} });
});

afterEach(() => {
    iamMock.restore();
    cloudTrailMock.restore();
});

/** EntityAlreadyExists as the SDK throws it after its retry of a create whose first answer was lost. */
function alreadyExistsOnRetry(): EntityAlreadyExistsException {
    return new EntityAlreadyExistsException({
        message: `Login Profile for user ${USER} already exists.`,
        $metadata: { httpStatusCode: 409, attempts: 2 },
    });
}

/** GetLoginProfile's answer for a profile created `ms` after the instant clock's start (negative: before). */
function profileCreated(ms: number, passwordResetRequired = true) {
    return { LoginProfile: { UserName: USER, CreateDate: new Date(clock.now() + ms), PasswordResetRequired: passwordResetRequired } };
}

const COMPLETED_COMMANDS = [
    ["CreateLoginProfileCommand", { UserName: USER, Password: PASSWORD, PasswordResetRequired: true }],
    ["GetLoginProfileCommand", { UserName: USER }],
    ["UpdateLoginProfileCommand", { UserName: USER, Password: PASSWORD, PasswordResetRequired: true }],
    ["GetLoginProfileCommand", { UserName: USER }],
];

describe("a create whose answer was lost", () => {
    it.each([
        ["EntityAlreadyExists on the SDK's retry", alreadyExistsOnRetry()],
        ["no answer at all (the connection closed)", networkError("ECONNRESET", "socket hang up")],
        ["a 5xx", awsError.serviceFailure()],
    ])("completes the profile IAM made during its attempts, after %s", async (_label, error) => {
        iamMock.on(CreateLoginProfileCommand).rejects(error);
        iamMock.on(GetLoginProfileCommand).resolves(profileCreated(0));
        iamMock.on(UpdateLoginProfileCommand).resolves({});

        const result = await lifecycle.create(inputsOf({ passwordResetRequired: true }));

        expect(sentCommands(iamMock)).toStrictEqual(COMPLETED_COMMANDS);
        expect(result).toStrictEqual({
            id: USER,
            outs: {
                userName: USER,
                password: PASSWORD,
                passwordResetRequired: true,
                passwordResetPending: true,
                createDate: new Date(clock.now()).toISOString(),
                ...appliedOf(inputsOf({ passwordResetRequired: true })),
            },
        });
    });

    it("completes a profile whose CreateDate is within the clock tolerance before the attempts", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(alreadyExistsOnRetry());
        iamMock.on(GetLoginProfileCommand).resolves(profileCreated(-CLOCK_TOLERANCE_MS));
        iamMock.on(UpdateLoginProfileCommand).resolves({});

        await lifecycle.create(inputsOf({ passwordResetRequired: true }));

        expect(sentCommands(iamMock)).toStrictEqual(COMPLETED_COMMANDS);
    });

    it("refuses a profile made before its attempts began, as another owner's, and changes nothing", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(alreadyExistsOnRetry());
        iamMock.on(GetLoginProfileCommand).resolves(profileCreated(-CLOCK_TOLERANCE_MS - 1_000));

        await expectLoginProfileError(
            lifecycle.create(inputsOf({ passwordResetRequired: true })),
            "EntityAlreadyExists",
            expect.stringContaining(`IAM user "${USER}" already has a login profile (console password) that this resource does not manage`),
        );
        expect(iamMock).not.toHaveReceivedCommand(UpdateLoginProfileCommand);
    });

    it("refuses on the first attempt's EntityAlreadyExists without looking, however new the profile", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.entityAlreadyExists());
        iamMock.on(GetLoginProfileCommand).resolves(profileCreated(0));

        await expectLoginProfileError(lifecycle.create(inputsOf()), "EntityAlreadyExists", expect.stringContaining("does not manage"));
        expect(sentCommands(iamMock).map(([name]) => name)).toStrictEqual(["CreateLoginProfileCommand"]);
    });

    it("reports the create's own error when no profile was made", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(networkError("ECONNRESET", "socket hang up"));
        iamMock.on(GetLoginProfileCommand).rejects(awsError.noSuchEntity());

        await expectLoginProfileError(
            lifecycle.create(inputsOf()),
            "Unreachable",
            `IAM CreateLoginProfile for IAM user "${USER}" failed: cannot reach IAM (ECONNRESET: socket hang up) at the ${IAM_ENDPOINT}. ` +
                "Check the network, that endpoint and the region.",
        );
        expect(iamMock).not.toHaveReceivedCommand(UpdateLoginProfileCommand);
    });

    it("reports the create's own error when the profile cannot be read", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.serviceFailure());
        iamMock.on(GetLoginProfileCommand).rejects(awsError.accessDenied());

        await expectLoginProfileError(
            lifecycle.create(inputsOf()),
            "ServiceFailure",
            expect.stringContaining("CreateLoginProfile for IAM user"),
        );
        expect(iamMock).not.toHaveReceivedCommand(UpdateLoginProfileCommand);
    });
});

describe("an update or delete whose answer was lost", () => {
    it("an update that got no answer fails with the state unchanged, and the next update applies it again", async () => {
        iamMock.on(UpdateLoginProfileCommand).rejectsOnce(networkError("ECONNRESET", "socket hang up")).resolves({});
        const olds = stateOf();

        await expectLoginProfileError(
            lifecycle.update(USER, olds, inputsOf({ password: NEW_PASSWORD })),
            "Unreachable",
            expect.stringContaining("UpdateLoginProfile"),
        );
        const result = await lifecycle.update(USER, olds, inputsOf({ password: NEW_PASSWORD }));

        expect(result.outs?.password).toBe(NEW_PASSWORD);
        expect(iamMock).toHaveReceivedCommandTimes(UpdateLoginProfileCommand, 2);
    });

    it("a delete whose retry finds the profile gone (NoSuchEntity on the SDK's second attempt) is done", async () => {
        iamMock.on(DeleteLoginProfileCommand).rejects(awsError.noSuchEntity());

        await expect(lifecycle.delete(USER, stateOf())).resolves.toBeUndefined();
        expect(iamMock).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 1);
    });
});
