/** `delete`: DeleteLoginProfile; only NoSuchEntity counts as already gone; retries while IAM settles. */
import { DeleteLoginProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import {
    awsError,
    expectLoginProfileError,
    instantClock,
    networkError,
    PASSWORD,
    sentCommands,
    stateOf,
    USER,
    USER_AS_STORED,
    type InstantClock,
    IAM_ENDPOINT,
    BY_DEFAULT,
    STILL_CREATING,
    waitingNotice,
    mockCloudTrail,
} from "./fixtures";

const GAVE_UP = `after 19 attempts over 120 s ${BY_DEFAULT}`;

let iamMock: AwsClientStub<IAMClient>;
let cloudTrailMock: AwsClientStub<CloudTrailClient>;
let clock: InstantClock;
let lifecycle: LoginProfileLifecycle;
/** The notices the hooks gave while they worked (that they wait for IAM to settle). */
let notices: string[];

beforeEach(() => {
    iamMock = mockClient(IAMClient);
    cloudTrailMock = mockCloudTrail();
    clock = instantClock();
    notices = [];
    lifecycle = createLifecycle({ clock, env: {}, inform: (message) => notices.push(message) });
});

afterEach(() => {
    iamMock.restore();
    cloudTrailMock.restore();
});

describe("delete", () => {
    it("deletes the profile with one DeleteLoginProfile for the resource id", async () => {
        iamMock.on(DeleteLoginProfileCommand).resolves({});

        await expect(lifecycle.delete(USER_AS_STORED, stateOf({ userName: USER_AS_STORED }))).resolves.toBeUndefined();

        expect(sentCommands(iamMock)).toStrictEqual([["DeleteLoginProfileCommand", { UserName: USER_AS_STORED }]]);
        expect(iamMock).toHaveReceivedCommandWith(DeleteLoginProfileCommand, { UserName: USER_AS_STORED });
    });

    it("counts NoSuchEntity as already deleted", async () => {
        iamMock.on(DeleteLoginProfileCommand).rejects(awsError.noSuchEntity());

        await expect(lifecycle.delete(USER, stateOf())).resolves.toBeUndefined();
        expect(iamMock).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 1);
    });

    it("deletes through the region kept in the state", async () => {
        iamMock.on(DeleteLoginProfileCommand).resolves({});

        await lifecycle.delete(USER, stateOf({ region: "us-gov-west-1" }));

        await expect((iamMock.call(0).thisValue as IAMClient).config.region()).resolves.toBe("us-gov-west-1");
    });
});

describe("delete while IAM settles", () => {
    it("retries EntityTemporarilyUnmodifiable for a profile created a moment ago, then succeeds", async () => {
        iamMock
            .on(DeleteLoginProfileCommand)
            .rejectsOnce(awsError.entityTemporarilyUnmodifiable())
            .rejectsOnce(awsError.entityTemporarilyUnmodifiable())
            .resolves({});

        await lifecycle.delete(USER, stateOf());

        expect(iamMock).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 3);
        expect(clock.sleeps).toStrictEqual([500, 1000]);
        expect(notices).toStrictEqual([waitingNotice(STILL_CREATING)]);
    });

    it("stops retrying when the profile turns out to be gone", async () => {
        iamMock.on(DeleteLoginProfileCommand).rejectsOnce(awsError.entityTemporarilyUnmodifiable()).rejects(awsError.noSuchEntity());

        await expect(lifecycle.delete(USER, stateOf())).resolves.toBeUndefined();
        expect(iamMock).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 2);
    });

    it("gives up after about two minutes with a message that says what it waited for", async () => {
        iamMock.on(DeleteLoginProfileCommand).rejects(awsError.entityTemporarilyUnmodifiable());

        await expectLoginProfileError(
            lifecycle.delete(USER, stateOf()),
            "EntityTemporarilyUnmodifiable",
            `${STILL_CREATING}: IAM still answered EntityTemporarilyUnmodifiable ${GAVE_UP}`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 19);
        expect(notices).toStrictEqual([waitingNotice(STILL_CREATING)]);
        expect(clock.elapsed()).toBeLessThanOrEqual(120_000);
    });
});

describe("delete when AWS refuses", () => {
    it.each([
        ["LimitExceeded", awsError.limitExceeded()],
        ["ServiceFailure", awsError.serviceFailure()],
    ])("fails at once with the AWS code and message on %s: nothing but NoSuchEntity is swallowed", async (code, error) => {
        iamMock.on(DeleteLoginProfileCommand).rejects(error);

        await expectLoginProfileError(
            lifecycle.delete(USER, stateOf()),
            code,
            `IAM DeleteLoginProfile for IAM user "${USER}" failed: ${code}: ${error.message} (${IAM_ENDPOINT})`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 1);
        expect(clock.sleeps).toStrictEqual([]);
    });

    it("says it cannot reach the IAM endpoint on a network error", async () => {
        iamMock.on(DeleteLoginProfileCommand).rejects(networkError("ECONNRESET", "socket hang up"));

        await expectLoginProfileError(
            lifecycle.delete(USER, stateOf()),
            "Unreachable",
            `IAM DeleteLoginProfile for IAM user "${USER}" failed: cannot reach IAM (ECONNRESET: socket hang up) at the ${IAM_ENDPOINT}. ` +
                "Check the network, that endpoint and the region.",
        );
    });

    it("cuts the stored password out of an AWS message that quotes it", async () => {
        iamMock.on(DeleteLoginProfileCommand).rejects(awsError.serviceFailure(`failed on ${PASSWORD}`));

        await expectLoginProfileError(
            lifecycle.delete(USER, stateOf()),
            "ServiceFailure",
            `IAM DeleteLoginProfile for IAM user "${USER}" failed: ServiceFailure: failed on [secret] (${IAM_ENDPOINT})`,
        );
    });
});
