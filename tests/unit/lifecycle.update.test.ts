/** `update`: UpdateLoginProfile with only what changed, re-arming the reset, retries and errors. */
import { IAMClient, UpdateLoginProfileCommand } from "@aws-sdk/client-iam";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import type { LoginProfileState } from "../../provider/model/types";
import { InvalidInputsError } from "../../provider/rules/validation";
import {
    appliedOf,
    awsError,
    CREATE_DATE_ISO,
    expectLoginProfileError,
    inputsOf,
    instantClock,
    NEW_PASSWORD,
    networkError,
    omit,
    PASSWORD,
    sentCommands,
    stateOf,
    UNKNOWN,
    USER,
    USER_AS_STORED,
    type InstantClock,
    IAM_ENDPOINT,
    BY_DEFAULT,
    STILL_CREATING,
    waitingNotice,
    mockCloudTrail,
    SET_AT_ISO,
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
    iamMock.on(UpdateLoginProfileCommand).resolves({});
    clock = instantClock();
    notices = [];
    lifecycle = createLifecycle({ clock, env: {}, inform: (message) => notices.push(message) });
});

afterEach(() => {
    iamMock.restore();
    cloudTrailMock.restore();
});

function update(olds: LoginProfileState, news: Record<string, unknown>) {
    return lifecycle.update(USER, olds, news);
}

describe("update sends only what changed", () => {
    it("sends only the password when only the password changed", async () => {
        const result = await update(stateOf(), inputsOf({ password: NEW_PASSWORD }));

        expect(sentCommands(iamMock)).toStrictEqual([["UpdateLoginProfileCommand", { UserName: USER, Password: NEW_PASSWORD }]]);
        expect(iamMock).toHaveReceivedCommandWith(UpdateLoginProfileCommand, { UserName: USER, Password: NEW_PASSWORD });
        expect(result).toStrictEqual({
            outs: {
                userName: USER,
                password: NEW_PASSWORD,
                passwordResetRequired: false,
                passwordResetPending: false,
                createDate: CREATE_DATE_ISO,
                ...appliedOf(inputsOf({ password: NEW_PASSWORD })),
            },
        });
    });

    it("sends only the flag when only passwordResetRequired changed", async () => {
        const result = await update(stateOf(), inputsOf({ passwordResetRequired: true }));

        expect(sentCommands(iamMock)).toStrictEqual([["UpdateLoginProfileCommand", { UserName: USER, PasswordResetRequired: true }]]);
        // The flag's UpdateLoginProfile is a write of the resource's own (its event is no drift), but sets no password.
        expect(result.outs).toStrictEqual(
            stateOf({
                passwordResetRequired: true,
                passwordResetPending: true,
                ...appliedOf(inputsOf({ passwordResetRequired: true }), null),
                writtenAt: SET_AT_ISO,
            }),
        );
    });

    it("sends the flag false when the reset is no longer required", async () => {
        const olds = stateOf({ passwordResetRequired: true, passwordResetPending: true });

        const result = await update(olds, inputsOf({ passwordResetRequired: false }));

        expect(sentCommands(iamMock)).toStrictEqual([["UpdateLoginProfileCommand", { UserName: USER, PasswordResetRequired: false }]]);
        expect(result.outs).toStrictEqual(
            stateOf({ ...appliedOf(inputsOf({ passwordResetRequired: false }), null), writtenAt: SET_AT_ISO }),
        );
    });

    it("sends both in one call when both changed", async () => {
        const news = inputsOf({ password: NEW_PASSWORD, passwordResetRequired: true });
        const result = await update(stateOf(), news);

        expect(sentCommands(iamMock)).toStrictEqual([
            ["UpdateLoginProfileCommand", { UserName: USER, Password: NEW_PASSWORD, PasswordResetRequired: true }],
        ]);
        expect(result.outs).toStrictEqual(
            stateOf({ password: NEW_PASSWORD, passwordResetRequired: true, passwordResetPending: true, ...appliedOf(news) }),
        );
    });

    it("re-arms the reset when a new password is set while the declared flag is true", async () => {
        // GIVEN the user fulfilled the reset at the first sign-in
        const olds = stateOf({ passwordResetRequired: true, passwordResetPending: false });

        // WHEN the password is rotated, the flag still declared
        const news = inputsOf({ password: NEW_PASSWORD, passwordResetRequired: true });
        const result = await update(olds, news);

        // THEN the flag is sent with the password, so the user must choose a new one again
        expect(sentCommands(iamMock)).toStrictEqual([
            ["UpdateLoginProfileCommand", { UserName: USER, Password: NEW_PASSWORD, PasswordResetRequired: true }],
        ]);
        expect(result.outs).toStrictEqual(
            stateOf({ password: NEW_PASSWORD, passwordResetRequired: true, passwordResetPending: true, ...appliedOf(news) }),
        );
    });

    it("clears a reset forced outside Pulumi in the same call as a new password, since none is declared", async () => {
        const result = await update(stateOf({ passwordResetPending: true }), inputsOf({ password: NEW_PASSWORD }));

        expect(sentCommands(iamMock)).toStrictEqual([
            ["UpdateLoginProfileCommand", { UserName: USER, Password: NEW_PASSWORD, PasswordResetRequired: false }],
        ]);
        expect(result.outs?.passwordResetPending).toBe(false);
    });

    it("falls back to the declared flag for pending when the state has none", async () => {
        const olds = omit(stateOf(), "passwordResetPending");

        const result = await update(olds as LoginProfileState, inputsOf({ password: NEW_PASSWORD }));

        expect(sentCommands(iamMock)).toStrictEqual([["UpdateLoginProfileCommand", { UserName: USER, Password: NEW_PASSWORD }]]);
        expect(result.outs).toStrictEqual(
            stateOf({ password: NEW_PASSWORD, passwordResetPending: false, ...appliedOf(inputsOf({ password: NEW_PASSWORD })) }),
        );
    });

    it("addresses the profile by the resource id and keeps the stored spelling and date", async () => {
        const result = await lifecycle.update(
            USER_AS_STORED,
            stateOf({ userName: USER_AS_STORED }),
            inputsOf({ userName: USER, password: NEW_PASSWORD }),
        );

        expect(sentCommands(iamMock)).toStrictEqual([["UpdateLoginProfileCommand", { UserName: USER_AS_STORED, Password: NEW_PASSWORD }]]);
        expect(result.outs).toStrictEqual(
            stateOf({
                userName: USER_AS_STORED,
                password: NEW_PASSWORD,
                ...appliedOf(inputsOf({ userName: USER, password: NEW_PASSWORD })),
            }),
        );
    });

    it("uses the id and an empty date when the state lacks them", async () => {
        const olds = omit(stateOf(), "userName", "createDate");

        const result = await update(olds as LoginProfileState, inputsOf({ password: NEW_PASSWORD }));

        expect(result.outs).toStrictEqual(
            stateOf({ password: NEW_PASSWORD, createDate: "", ...appliedOf(inputsOf({ password: NEW_PASSWORD })) }),
        );
    });

    it("stores a declared region and sends the call to it", async () => {
        const result = await update(stateOf(), inputsOf({ password: NEW_PASSWORD, region: "ap-southeast-2" }));

        const news = inputsOf({ password: NEW_PASSWORD, region: "ap-southeast-2" });
        expect(result.outs).toStrictEqual(stateOf({ password: NEW_PASSWORD, region: "ap-southeast-2", ...appliedOf(news) }));
        await expect((iamMock.call(0).thisValue as IAMClient).config.region()).resolves.toBe("ap-southeast-2");
    });

    it("throws before any AWS call when the new inputs are invalid", async () => {
        await expect(update(stateOf(), inputsOf({ password: `${NEW_PASSWORD}\u{1F511}` }))).rejects.toThrow(
            new InvalidInputsError([
                "password may hold only tab, line feed, carriage return and the characters U+0020 to U+00FF; it holds another character",
            ]),
        );
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });

    it("throws before any AWS call when a value is still unknown", async () => {
        await expect(update(stateOf(), inputsOf({ passwordResetRequired: UNKNOWN }))).rejects.toThrow(
            new InvalidInputsError(["passwordResetRequired is still unknown at apply time"]),
        );
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });
});

describe("update while IAM settles", () => {
    it("retries EntityTemporarilyUnmodifiable for a profile created a moment ago, then succeeds", async () => {
        iamMock
            .on(UpdateLoginProfileCommand)
            .rejectsOnce(awsError.entityTemporarilyUnmodifiable())
            .rejectsOnce(awsError.entityTemporarilyUnmodifiable())
            .resolves({});

        await update(stateOf(), inputsOf({ password: NEW_PASSWORD }));

        expect(sentCommands(iamMock)).toStrictEqual(
            Array.from({ length: 3 }, () => ["UpdateLoginProfileCommand", { UserName: USER, Password: NEW_PASSWORD }]),
        );
        expect(clock.sleeps).toStrictEqual([500, 1000]);
        expect(notices).toStrictEqual([waitingNotice(STILL_CREATING)]);
    });

    it("gives up after about two minutes with a message that says what it waited for", async () => {
        iamMock.on(UpdateLoginProfileCommand).rejects(awsError.entityTemporarilyUnmodifiable());

        await expectLoginProfileError(
            update(stateOf(), inputsOf({ password: NEW_PASSWORD })),
            "EntityTemporarilyUnmodifiable",
            `${STILL_CREATING}: IAM still answered EntityTemporarilyUnmodifiable ${GAVE_UP}`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(UpdateLoginProfileCommand, 19);
        expect(notices).toStrictEqual([waitingNotice(STILL_CREATING)]);
        expect(clock.sleeps).toStrictEqual([500, 1000, 2000, 4000, ...Array<number>(14).fill(8000)]);
    });
});

describe("update when AWS refuses", () => {
    it("says the profile was deleted outside Pulumi and how to recreate it, on NoSuchEntity", async () => {
        iamMock.on(UpdateLoginProfileCommand).rejects(awsError.noSuchEntity());

        await expectLoginProfileError(
            update(stateOf(), inputsOf({ password: NEW_PASSWORD })),
            "NoSuchEntity",
            `IAM user "${USER}" no longer has a login profile (it was deleted outside Pulumi); run \`pulumi refresh\`, then \`pulumi up\` to create it again`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(UpdateLoginProfileCommand, 1);
    });

    it.each([
        ["LimitExceeded", awsError.limitExceeded()],
        ["PasswordPolicyViolation", awsError.passwordPolicyViolation()],
        ["ServiceFailure", awsError.serviceFailure()],
    ])("fails at once with the AWS code and message on %s", async (code, error) => {
        iamMock.on(UpdateLoginProfileCommand).rejects(error);

        await expectLoginProfileError(
            update(stateOf(), inputsOf({ password: NEW_PASSWORD })),
            code,
            `IAM UpdateLoginProfile for IAM user "${USER}" failed: ${code}: ${error.message} (${IAM_ENDPOINT})`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(UpdateLoginProfileCommand, 1);
        expect(clock.sleeps).toStrictEqual([]);
    });

    it("says it cannot reach the IAM endpoint on a network error", async () => {
        iamMock.on(UpdateLoginProfileCommand).rejects(networkError("ECONNREFUSED"));

        await expectLoginProfileError(
            update(stateOf(), inputsOf({ password: NEW_PASSWORD })),
            "Unreachable",
            `IAM UpdateLoginProfile for IAM user "${USER}" failed: cannot reach IAM (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:443) at the ${IAM_ENDPOINT}. ` +
                "Check the network, that endpoint and the region.",
        );
    });

    it("cuts the new password out of an AWS message that quotes it", async () => {
        iamMock.on(UpdateLoginProfileCommand).rejects(awsError.passwordPolicyViolation(`${NEW_PASSWORD} has no digit`));

        await expectLoginProfileError(
            update(stateOf(), inputsOf({ password: NEW_PASSWORD })),
            "PasswordPolicyViolation",
            `IAM UpdateLoginProfile for IAM user "${USER}" failed: PasswordPolicyViolation: [secret] has no digit (${IAM_ENDPOINT})`,
        );
    });

    it("cuts the previous password out of an AWS message that quotes it", async () => {
        // An account policy that forbids reusing passwords could quote the old one.
        iamMock
            .on(UpdateLoginProfileCommand)
            .rejects(awsError.passwordPolicyViolation(`the previous password ${PASSWORD} may not be reused`));

        await expectLoginProfileError(
            update(stateOf(), inputsOf({ password: NEW_PASSWORD })),
            "PasswordPolicyViolation",
            `IAM UpdateLoginProfile for IAM user "${USER}" failed: PasswordPolicyViolation: the previous password [secret] may not be reused (${IAM_ENDPOINT})`,
        );
    });
});
