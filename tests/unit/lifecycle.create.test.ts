/** `create`: CreateLoginProfile through the real SDK client (mocked at `send`), its errors, retries and adoption. */
import { CreateLoginProfileCommand, GetLoginProfileCommand, IAMClient, UpdateLoginProfileCommand } from "@aws-sdk/client-iam";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import { InvalidInputsError } from "../../provider/rules/validation";
import {
    ACCOUNT_ID,
    appliedOf,
    awsError,
    CREATE_DATE,
    CREATE_DATE_ISO,
    expectLoginProfileError,
    inputsOf,
    instantClock,
    networkError,
    PASSWORD,
    rejectionOf,
    sentCommands,
    SET_AT_ISO,
    UNKNOWN,
    USER,
    USER_AS_STORED,
    type InstantClock,
    IAM_ENDPOINT,
    BY_DEFAULT,
    NOT_PROPAGATED,
    STILL_CREATING,
    waitingNotice,
    stackConfig,
    mockCloudTrail,
} from "./fixtures";

/** How the default policy's two minutes end: 500, 1000, 2000, 4000 ms, then 8 s waits. */
const GAVE_UP = `after 19 attempts over 120 s ${BY_DEFAULT}`;
const CREATED = { LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } };
const ALREADY_EXISTS_MESSAGE =
    `IAM user "${USER}" already has a login profile (console password) that this resource does not manage (another stack, another LoginProfile in this program, someone outside Pulumi, or a pulumi up killed while creating it made it). ` +
    "To take it over, set `adoptExisting: true` on this LoginProfile: the next `pulumi up` sets the declared password and reset flag on it. " +
    "After a killed `pulumi up`, run `npx pulumi-iam-login-profile repair --stack <stack> --yes` in the project directory instead. " +
    `Or delete it first: aws iam delete-login-profile --user-name ${USER}`;

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

describe("create", () => {
    it("creates the profile with one CreateLoginProfile and returns the state from its response", async () => {
        iamMock.on(CreateLoginProfileCommand).resolves(CREATED);

        const result = await lifecycle.create(inputsOf());

        expect(result).toStrictEqual({
            id: USER,
            outs: {
                userName: USER,
                password: PASSWORD,
                passwordResetRequired: false,
                passwordResetPending: false,
                createDate: CREATE_DATE_ISO,
                accountId: ACCOUNT_ID,
                passwordSetAt: SET_AT_ISO,
                // The create wrote the profile then, and knows it unchanged until then.
                writtenAt: SET_AT_ISO,
                driftCheckedAt: SET_AT_ISO,
                // On IAM's clock, which the mocked client does not measure as ahead: the same instant.
                passwordLastChanged: SET_AT_ISO,
                appliedInputs: { userName: USER, passwordResetRequired: false },
            },
        });
        expect(iamMock).toHaveReceivedCommandTimes(CreateLoginProfileCommand, 1);
        expect(iamMock).toHaveReceivedCommandWith(CreateLoginProfileCommand, {
            UserName: USER,
            Password: PASSWORD,
            PasswordResetRequired: false,
        });
        expect(sentCommands(iamMock)).toStrictEqual([
            ["CreateLoginProfileCommand", { UserName: USER, Password: PASSWORD, PasswordResetRequired: false }],
        ]);
    });

    it("sends the reset flag and records AWS's pending reset when passwordResetRequired is true", async () => {
        iamMock.on(CreateLoginProfileCommand).resolves({ LoginProfile: { ...CREATED.LoginProfile, PasswordResetRequired: true } });

        const result = await lifecycle.create(inputsOf({ passwordResetRequired: true }));

        expect(result.outs).toStrictEqual({
            userName: USER,
            password: PASSWORD,
            passwordResetRequired: true,
            passwordResetPending: true,
            createDate: CREATE_DATE_ISO,
            ...appliedOf(inputsOf({ passwordResetRequired: true })),
        });
        expect(sentCommands(iamMock)).toStrictEqual([
            ["CreateLoginProfileCommand", { UserName: USER, Password: PASSWORD, PasswordResetRequired: true }],
        ]);
    });

    it("keeps the user name as AWS reports it, and the declared name as the id", async () => {
        iamMock.on(CreateLoginProfileCommand).resolves({ LoginProfile: { ...CREATED.LoginProfile, UserName: USER_AS_STORED } });

        const result = await lifecycle.create(inputsOf());

        expect(result.id).toBe(USER);
        expect(result.outs?.userName).toBe(USER_AS_STORED);
    });

    it("stores a declared region in the state and sends the call to that region", async () => {
        iamMock.on(CreateLoginProfileCommand).resolves(CREATED);

        const result = await lifecycle.create(inputsOf({ region: "eu-west-1" }));

        expect(result.outs).toStrictEqual({
            userName: USER,
            password: PASSWORD,
            passwordResetRequired: false,
            passwordResetPending: false,
            createDate: CREATE_DATE_ISO,
            region: "eu-west-1",
            ...appliedOf(inputsOf({ region: "eu-west-1" })),
        });
        const client = iamMock.call(0).thisValue as IAMClient;
        await expect(client.config.region()).resolves.toBe("eu-west-1");
    });

    it("falls back to the requested user name and an empty date when AWS's response has no profile", async () => {
        iamMock.on(CreateLoginProfileCommand).resolves({});

        const result = await lifecycle.create(inputsOf({ passwordResetRequired: true }));

        expect(result.outs).toStrictEqual({
            userName: USER,
            password: PASSWORD,
            passwordResetRequired: true,
            passwordResetPending: false,
            createDate: "",
            ...appliedOf(inputsOf({ passwordResetRequired: true })),
        });
    });

    it("ignores the engine's __provider property", async () => {
        iamMock.on(CreateLoginProfileCommand).resolves(CREATED);

        await lifecycle.create(inputsOf({ __provider: "exports.handler = __f0;" }));

        expect(sentCommands(iamMock)).toStrictEqual([
            ["CreateLoginProfileCommand", { UserName: USER, Password: PASSWORD, PasswordResetRequired: false }],
        ]);
    });
});

describe("create with inputs it cannot apply", () => {
    it("throws every broken rule before any AWS call", async () => {
        const error = await rejectionOf(lifecycle.create(inputsOf({ userName: "a b", password: "" })));

        expect(error).toBeInstanceOf(InvalidInputsError);
        expect((error as Error).message).toBe(
            'invalid LoginProfile inputs: userName may hold only ASCII letters, digits and _+=,.@- (IAM\'s [\\w+=,.@-]); it contains " "; ' +
                "password must be 1 to 128 characters long, not 0",
        );
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });

    it("throws when a value is still unknown, before any AWS call", async () => {
        await expect(lifecycle.create(inputsOf({ password: UNKNOWN }))).rejects.toThrow(
            new InvalidInputsError(["password is still unknown at apply time"]),
        );
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });
});

describe("create when AWS refuses", () => {
    it("says the user already has a profile and names adoptExisting, on EntityAlreadyExists", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.entityAlreadyExists());

        await expectLoginProfileError(lifecycle.create(inputsOf()), "EntityAlreadyExists", ALREADY_EXISTS_MESSAGE);
        expect(iamMock).toHaveReceivedCommandTimes(CreateLoginProfileCommand, 1);
    });

    it.each([
        ["LimitExceeded", awsError.limitExceeded()],
        ["PasswordPolicyViolation", awsError.passwordPolicyViolation()],
        ["ServiceFailure", awsError.serviceFailure()],
    ])("fails at once with the AWS code and message on %s", async (code, error) => {
        iamMock.on(CreateLoginProfileCommand).rejects(error);

        await expectLoginProfileError(
            lifecycle.create(inputsOf()),
            code,
            `IAM CreateLoginProfile for IAM user "${USER}" failed: ${code}: ${error.message} (${IAM_ENDPOINT})`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(CreateLoginProfileCommand, 1);
        expect(clock.sleeps).toStrictEqual([]);
    });

    it("says it cannot reach the IAM endpoint on a network error", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(networkError("ECONNREFUSED"));

        await expectLoginProfileError(
            lifecycle.create(inputsOf()),
            "Unreachable",
            `IAM CreateLoginProfile for IAM user "${USER}" failed: cannot reach IAM (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:443) at the ${IAM_ENDPOINT}. ` +
                "Check the network, that endpoint and the region.",
        );
        expect(iamMock).toHaveReceivedCommandTimes(CreateLoginProfileCommand, 1);
    });

    it("cuts the password out of an AWS message that quotes it", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.passwordPolicyViolation(`Password ${PASSWORD} is too weak; ${PASSWORD}!`));

        await expectLoginProfileError(
            lifecycle.create(inputsOf()),
            "PasswordPolicyViolation",
            `IAM CreateLoginProfile for IAM user "${USER}" failed: PasswordPolicyViolation: Password [secret] is too weak; [secret]! (${IAM_ENDPOINT})`,
        );
    });
});

describe("create while IAM settles", () => {
    it("retries NoSuchEntity for a user created a moment ago, then succeeds", async () => {
        // GIVEN IAM has not yet propagated the new user
        iamMock.on(CreateLoginProfileCommand).rejectsOnce(awsError.noSuchEntity()).rejectsOnce(awsError.noSuchEntity()).resolves(CREATED);

        // WHEN the profile is created
        const result = await lifecycle.create(inputsOf());

        // THEN the same call was repeated with backoff until it succeeded
        expect(result.id).toBe(USER);
        expect(sentCommands(iamMock)).toStrictEqual(
            Array.from({ length: 3 }, () => [
                "CreateLoginProfileCommand",
                { UserName: USER, Password: PASSWORD, PasswordResetRequired: false },
            ]),
        );
        expect(clock.sleeps).toStrictEqual([500, 1000]);
        // AND it said once, when it started to wait, what it waited for and for how long
        expect(notices).toStrictEqual([waitingNotice(NOT_PROPAGATED)]);
    });

    it("gives up after about two minutes and says the user does not exist", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.noSuchEntity());

        await expectLoginProfileError(
            lifecycle.create(inputsOf()),
            "NoSuchEntity",
            `${NOT_PROPAGATED}: IAM still answered NoSuchEntity ${GAVE_UP}`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(CreateLoginProfileCommand, 19);
        expect(clock.elapsed()).toBeLessThanOrEqual(120_000);
        expect(clock.elapsed()).toBeGreaterThan(110_000);
        expect(notices).toStrictEqual([waitingNotice(NOT_PROPAGATED)]);
    });

    it("waits as long as iam-login-profile:propagationTimeoutSeconds says, and says so", async () => {
        await lifecycle.configure(stackConfig({ "iam-login-profile:propagationTimeoutSeconds": "5" }));
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.noSuchEntity());

        await expectLoginProfileError(
            lifecycle.create(inputsOf()),
            "NoSuchEntity",
            `${NOT_PROPAGATED}: IAM still answered NoSuchEntity after 4 attempts over 4 s (iam-login-profile:propagationTimeoutSeconds is 5)`,
        );
        expect(clock.sleeps).toStrictEqual([500, 1000, 2000]);
        expect(notices).toStrictEqual([
            `${NOT_PROPAGATED}: waiting up to 5 s for IAM to settle (iam-login-profile:propagationTimeoutSeconds is 5)`,
        ]);
    });

    it("does not wait at all with iam-login-profile:propagationTimeoutSeconds 0, and gives no notice", async () => {
        await lifecycle.configure(stackConfig({ "iam-login-profile:propagationTimeoutSeconds": "0" }));
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.noSuchEntity());

        await expectLoginProfileError(
            lifecycle.create(inputsOf()),
            "NoSuchEntity",
            `${NOT_PROPAGATED}: IAM still answered NoSuchEntity after 1 attempts over 0 s (iam-login-profile:propagationTimeoutSeconds is 0)`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(CreateLoginProfileCommand, 1);
        expect(notices).toStrictEqual([]);
    });

    it("refuses a propagationTimeoutSeconds that is not a whole number of seconds up to an hour, naming the key", async () => {
        for (const value of ["-1", "1.5", "3601", "soon"]) {
            await expect(lifecycle.configure(stackConfig({ "iam-login-profile:propagationTimeoutSeconds": value }))).rejects.toThrow(
                `config iam-login-profile:propagationTimeoutSeconds must be a whole number from 0 to 3600, not ${JSON.stringify(value)}`,
            );
        }
    });

    it("does not retry EntityTemporarilyUnmodifiable at create: it is not a create-time condition", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.entityTemporarilyUnmodifiable());

        await expectLoginProfileError(
            lifecycle.create(inputsOf()),
            "EntityTemporarilyUnmodifiable",
            `IAM CreateLoginProfile for IAM user "${USER}" failed: EntityTemporarilyUnmodifiable: ${awsError.entityTemporarilyUnmodifiable().message} (${IAM_ENDPOINT})`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(CreateLoginProfileCommand, 1);
    });
});

describe("create with adoptExisting", () => {
    const CURRENT = { LoginProfile: { UserName: USER_AS_STORED, CreateDate: CREATE_DATE, PasswordResetRequired: true } };

    it("takes over the existing profile: sets the declared password and flag, then reads it", async () => {
        // GIVEN the user already has a login profile this stack does not manage
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.entityAlreadyExists());
        iamMock.on(UpdateLoginProfileCommand).resolves({});
        iamMock.on(GetLoginProfileCommand).resolves(CURRENT);

        // WHEN the resource is created with adoptExisting
        const result = await lifecycle.create(inputsOf({ passwordResetRequired: true, adoptExisting: true }));

        // THEN the declared password and flag are set on it, and the state is what AWS reports
        expect(sentCommands(iamMock)).toStrictEqual([
            ["CreateLoginProfileCommand", { UserName: USER, Password: PASSWORD, PasswordResetRequired: true }],
            ["UpdateLoginProfileCommand", { UserName: USER, Password: PASSWORD, PasswordResetRequired: true }],
            ["GetLoginProfileCommand", { UserName: USER }],
        ]);
        expect(result).toStrictEqual({
            id: USER,
            outs: {
                userName: USER_AS_STORED,
                password: PASSWORD,
                passwordResetRequired: true,
                passwordResetPending: true,
                createDate: CREATE_DATE_ISO,
                ...appliedOf(inputsOf({ passwordResetRequired: true, adoptExisting: true })),
            },
        });
    });

    it("sends the flag false explicitly, so an adopted profile's pending reset is cleared", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.entityAlreadyExists());
        iamMock.on(UpdateLoginProfileCommand).resolves({});
        iamMock.on(GetLoginProfileCommand).resolves({ LoginProfile: { ...CURRENT.LoginProfile, PasswordResetRequired: false } });

        const result = await lifecycle.create(inputsOf({ adoptExisting: true }));

        expect(iamMock).toHaveReceivedCommandWith(UpdateLoginProfileCommand, {
            UserName: USER,
            Password: PASSWORD,
            PasswordResetRequired: false,
        });
        expect(result.outs?.passwordResetPending).toBe(false);
    });

    it("creates normally when there is nothing to adopt", async () => {
        iamMock.on(CreateLoginProfileCommand).resolves(CREATED);

        await lifecycle.create(inputsOf({ adoptExisting: true }));

        expect(sentCommands(iamMock)).toStrictEqual([
            ["CreateLoginProfileCommand", { UserName: USER, Password: PASSWORD, PasswordResetRequired: false }],
        ]);
    });

    it("retries EntityTemporarilyUnmodifiable while taking over", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.entityAlreadyExists());
        iamMock.on(UpdateLoginProfileCommand).rejectsOnce(awsError.entityTemporarilyUnmodifiable()).resolves({});
        iamMock.on(GetLoginProfileCommand).resolves(CURRENT);

        await lifecycle.create(inputsOf({ adoptExisting: true }));

        expect(iamMock).toHaveReceivedCommandTimes(UpdateLoginProfileCommand, 2);
        expect(clock.sleeps).toStrictEqual([500]);
        expect(notices).toStrictEqual([waitingNotice(STILL_CREATING)]);
    });

    it("fails with the AWS reason when the existing profile cannot be taken over", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.entityAlreadyExists());
        iamMock.on(UpdateLoginProfileCommand).rejects(awsError.passwordPolicyViolation(`Password ${PASSWORD} was used before`));

        await expectLoginProfileError(
            lifecycle.create(inputsOf({ adoptExisting: true })),
            "PasswordPolicyViolation",
            `Adopting the existing login profile for IAM user "${USER}" failed: IAM UpdateLoginProfile: PasswordPolicyViolation: Password [secret] was used before (${IAM_ENDPOINT})`,
        );
        expect(iamMock).not.toHaveReceivedCommand(GetLoginProfileCommand);
    });

    it("fails when the taken-over profile cannot be read back", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.entityAlreadyExists());
        iamMock.on(UpdateLoginProfileCommand).resolves({});
        iamMock.on(GetLoginProfileCommand).rejects(awsError.serviceFailure());

        await expectLoginProfileError(
            lifecycle.create(inputsOf({ adoptExisting: true })),
            "ServiceFailure",
            `Adopting the existing login profile for IAM user "${USER}" failed: IAM GetLoginProfile: ServiceFailure: ${awsError.serviceFailure().message} (${IAM_ENDPOINT})`,
        );
    });

    it("gives up taking over after about two minutes of EntityTemporarilyUnmodifiable", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.entityAlreadyExists());
        iamMock.on(UpdateLoginProfileCommand).rejects(awsError.entityTemporarilyUnmodifiable());

        await expectLoginProfileError(
            lifecycle.create(inputsOf({ adoptExisting: true })),
            "EntityTemporarilyUnmodifiable",
            `${STILL_CREATING}: IAM still answered EntityTemporarilyUnmodifiable ${GAVE_UP}`,
        );
        expect(iamMock).toHaveReceivedCommandTimes(UpdateLoginProfileCommand, 19);
    });
});
