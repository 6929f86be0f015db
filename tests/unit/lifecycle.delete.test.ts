/** `delete`: DeleteLoginProfile; only NoSuchEntity counts as already gone; retries while IAM settles. */
import { DeleteLoginProfileCommand, IAMClient } from "@aws-sdk/client-iam";
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
} from "./fixtures";

const GAVE_UP = "after 19 attempts over 120 s";

let iamMock: AwsClientStub<IAMClient>;
let clock: InstantClock;
let lifecycle: LoginProfileLifecycle;

beforeEach(() => {
    iamMock = mockClient(IAMClient);
    clock = instantClock();
    lifecycle = createLifecycle({ clock, env: {} });
});

afterEach(() => {
    iamMock.restore();
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
            `the login profile of IAM user "${USER}" is still being created: IAM still answered EntityTemporarilyUnmodifiable ${GAVE_UP}`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 19);
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
            `DeleteLoginProfile for IAM user "${USER}" failed: ${code}: ${error.message}`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(DeleteLoginProfileCommand, 1);
        expect(clock.sleeps).toStrictEqual([]);
    });

    it("says it cannot reach the IAM endpoint on a network error", async () => {
        iamMock.on(DeleteLoginProfileCommand).rejects(networkError("ECONNRESET", "socket hang up"));

        await expectLoginProfileError(
            lifecycle.delete(USER, stateOf()),
            "Unreachable",
            `DeleteLoginProfile for IAM user "${USER}" failed: cannot reach the IAM endpoint (ECONNRESET: socket hang up). ` +
                "Check the network, AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL and the region.",
        );
    });

    it("cuts the stored password out of an AWS message that quotes it", async () => {
        iamMock.on(DeleteLoginProfileCommand).rejects(awsError.serviceFailure(`failed on ${PASSWORD}`));

        await expectLoginProfileError(
            lifecycle.delete(USER, stateOf()),
            "ServiceFailure",
            `DeleteLoginProfile for IAM user "${USER}" failed: ServiceFailure: failed on [secret]`,
        );
    });
});
