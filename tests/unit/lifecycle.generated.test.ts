/**
 * Generated passwords through the hooks: the account's password policy read at create, AWS's
 * default where there is none, stability across updates, and in-place rotation.
 */
import {
    CreateLoginProfileCommand,
    GetAccountPasswordPolicyCommand,
    GetLoginProfileCommand,
    IAMClient,
    UpdateLoginProfileCommand,
} from "@aws-sdk/client-iam";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import { AWS_DEFAULT_PASSWORD_POLICY, satisfiesPolicy, type PasswordPolicy } from "../../provider/password/policy";
import {
    accountPolicy,
    appliedOf,
    awsError,
    CREATE_DATE,
    CREATE_DATE_ISO,
    errorText,
    expectLoginProfileError,
    GENERATED_PASSWORD,
    generatedInputsOf,
    generatedStateOf,
    inputsOf,
    instantClock,
    PASSWORD,
    rejectionOf,
    sentCommands,
    stateOf,
    USER,
    IAM_ENDPOINT,
    mockCloudTrail,
    SET_AT_ISO,
} from "./fixtures";

const CREATED = { LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } };
/** What fixtures' accountPolicy(14) means to the generator. */
const POLICY_14: PasswordPolicy = { ...AWS_DEFAULT_PASSWORD_POLICY, source: "account", minimumLength: 14 };
const UPDATE_IN_PLACE = { changes: true, replaces: [], deleteBeforeReplace: false };
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: false };

let iamMock: AwsClientStub<IAMClient>;
let cloudTrailMock: AwsClientStub<CloudTrailClient>;
let lifecycle: LoginProfileLifecycle;

beforeEach(() => {
    iamMock = mockClient(IAMClient);
    cloudTrailMock = mockCloudTrail();
    iamMock.on(GetAccountPasswordPolicyCommand).resolves(accountPolicy(14));
    iamMock.on(CreateLoginProfileCommand).resolves(CREATED);
    iamMock.on(UpdateLoginProfileCommand).resolves({});
    lifecycle = createLifecycle({ clock: instantClock(), env: {} });
});

afterEach(() => {
    iamMock.restore();
    cloudTrailMock.restore();
});

/** The password the hooks sent with the first such command, which the test could not know in advance. */
function passwordSentWith(command: "CreateLoginProfileCommand" | "UpdateLoginProfileCommand"): string {
    const sent = sentCommands(iamMock).find(([name]) => name === command);
    const password = (sent?.[1] as { Password?: string } | undefined)?.Password;
    if (password === undefined) {
        throw new Error(`no password was sent with ${command}`);
    }
    return password;
}

describe("create with a generated password", () => {
    it("reads the account's password policy, then creates the profile with a password that satisfies it: two AWS calls", async () => {
        const result = await lifecycle.create(generatedInputsOf());

        const password = passwordSentWith("CreateLoginProfileCommand");
        expect(sentCommands(iamMock)).toStrictEqual([
            ["GetAccountPasswordPolicyCommand", {}],
            ["CreateLoginProfileCommand", { UserName: USER, Password: password, PasswordResetRequired: false }],
        ]);
        expect(password).toHaveLength(20);
        expect(satisfiesPolicy(password, POLICY_14)).toBe(true);
        expect(result).toStrictEqual({
            id: USER,
            outs: {
                userName: USER,
                password,
                passwordLength: 20,
                passwordResetRequired: false,
                passwordResetPending: false,
                createDate: CREATE_DATE_ISO,
                ...appliedOf(generatedInputsOf()),
            },
        });
    });

    it("generates a different password every time", async () => {
        const first = await lifecycle.create(generatedInputsOf());
        const second = await lifecycle.create(generatedInputsOf());

        expect(first.outs?.password).not.toBe(second.outs?.password);
    });

    it("makes it as long as the policy's minimum when passwordLength is omitted and the minimum is above 20, recording the default 20", async () => {
        iamMock.on(GetAccountPasswordPolicyCommand).resolves(accountPolicy(30));

        const result = await lifecycle.create(generatedInputsOf());

        const password = passwordSentWith("CreateLoginProfileCommand");
        expect(password).toHaveLength(30);
        expect(satisfiesPolicy(password, { ...POLICY_14, minimumLength: 30 })).toBe(true);
        expect(result.outs).toMatchObject({ passwordLength: 20 });
    });

    it("keeps 20 characters when passwordLength is omitted and the policy's minimum is below 20", async () => {
        await lifecycle.create(generatedInputsOf());

        expect(passwordSentWith("CreateLoginProfileCommand")).toHaveLength(20);
    });

    it("refuses a declared passwordLength below the policy's minimum even when the default would satisfy it", async () => {
        iamMock.on(GetAccountPasswordPolicyCommand).resolves(accountPolicy(30));

        await expectLoginProfileError(
            lifecycle.create(generatedInputsOf({ passwordLength: 20 })),
            "PasswordPolicyViolation",
            "passwordLength is 20, but the account's password policy requires passwords of at least 30 characters: raise passwordLength to at least 30",
        );
        expect(iamMock).not.toHaveReceivedCommand(CreateLoginProfileCommand);
    });

    it("makes it passwordLength long and records that length and the rotationTrigger", async () => {
        const result = await lifecycle.create(generatedInputsOf({ passwordLength: 64, rotationTrigger: "2026-Q4" }));

        expect(passwordSentWith("CreateLoginProfileCommand")).toHaveLength(64);
        expect(result.outs).toMatchObject({ passwordLength: 64, rotationTrigger: "2026-Q4" });
    });

    it("uses AWS's default policy, with all four character classes, when the account has none (NoSuchEntity)", async () => {
        iamMock
            .on(GetAccountPasswordPolicyCommand)
            .rejects(awsError.noSuchEntity("The Password Policy with domain name 123456789012 cannot be found."));

        await lifecycle.create(generatedInputsOf({ passwordLength: 8 }));

        const password = passwordSentWith("CreateLoginProfileCommand");
        expect(password).toHaveLength(8);
        expect(satisfiesPolicy(password, AWS_DEFAULT_PASSWORD_POLICY)).toBe(true);
        expect(iamMock).toHaveReceivedCommandTimes(CreateLoginProfileCommand, 1);
    });

    it("takes an unset minimum length as IAM's 6 and unset rules as off", async () => {
        iamMock.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: { RequireNumbers: true } });

        await lifecycle.create(generatedInputsOf({ passwordLength: 6 }));

        expect(passwordSentWith("CreateLoginProfileCommand")).toMatch(/^(?=.*\d).{6}$/);
    });

    it("uses AWS's default policy when the response carries no policy", async () => {
        iamMock.on(GetAccountPasswordPolicyCommand).resolves({});

        await expectLoginProfileError(
            lifecycle.create(generatedInputsOf({ passwordLength: 7 })),
            "PasswordPolicyViolation",
            "passwordLength is 7, but AWS's default password policy (the account has none of its own) requires passwords of at least 8 characters: " +
                "raise passwordLength to at least 8",
        );
    });

    it("fails before CreateLoginProfile, naming passwordLength and the policy's minimum, when passwordLength is too short", async () => {
        await expectLoginProfileError(
            lifecycle.create(generatedInputsOf({ passwordLength: 12 })),
            "PasswordPolicyViolation",
            "passwordLength is 12, but the account's password policy requires passwords of at least 14 characters: raise passwordLength to at least 14",
        );
        expect(sentCommands(iamMock)).toStrictEqual([["GetAccountPasswordPolicyCommand", {}]]);
    });

    it("says which permission is missing when GetAccountPasswordPolicy is denied", async () => {
        iamMock.on(GetAccountPasswordPolicyCommand).rejects(awsError.accessDenied());

        await expectLoginProfileError(
            lifecycle.create(generatedInputsOf()),
            "AccessDenied",
            `IAM GetAccountPasswordPolicy for IAM user "${USER}" failed: AccessDenied: ${awsError.accessDenied().message} (${IAM_ENDPOINT}). ` +
                "A generated password must satisfy the account's password policy, so reading it needs iam:GetAccountPasswordPolicy: " +
                "allow that, or declare a password",
        );
        expect(iamMock).not.toHaveReceivedCommand(CreateLoginProfileCommand);
    });

    it("fails with the AWS code and message on any other GetAccountPasswordPolicy error", async () => {
        iamMock.on(GetAccountPasswordPolicyCommand).rejects(awsError.serviceFailure());

        await expectLoginProfileError(
            lifecycle.create(generatedInputsOf()),
            "ServiceFailure",
            `IAM GetAccountPasswordPolicy for IAM user "${USER}" failed: ServiceFailure: ${awsError.serviceFailure().message} (${IAM_ENDPOINT})`,
        );
    });

    it("cuts the generated password out of an AWS message that quotes it", async () => {
        iamMock.on(CreateLoginProfileCommand).callsFake((input: { Password: string }) => {
            throw awsError.passwordPolicyViolation(`${input.Password} was used before`);
        });

        const error = await rejectionOf(lifecycle.create(generatedInputsOf()));

        expect((error as Error).message).toBe(
            `IAM CreateLoginProfile for IAM user "${USER}" failed: PasswordPolicyViolation: [secret] was used before (${IAM_ENDPOINT})`,
        );
        expect(errorText(error)).not.toContain(passwordSentWith("CreateLoginProfileCommand"));
    });

    it("sets the generated password on an existing profile it adopts", async () => {
        iamMock.on(CreateLoginProfileCommand).rejects(awsError.entityAlreadyExists());
        iamMock.on(GetLoginProfileCommand).resolves(CREATED);

        const result = await lifecycle.create(generatedInputsOf({ adoptExisting: true }));

        const password = passwordSentWith("UpdateLoginProfileCommand");
        expect(passwordSentWith("CreateLoginProfileCommand")).toBe(password);
        expect(result.outs).toMatchObject({ password, passwordLength: 20 });
    });
});

describe("update keeps a generated password stable", () => {
    it("changes only the flag, reads no policy, and keeps the password from state", async () => {
        const news = generatedInputsOf({ passwordResetRequired: true });
        const result = await lifecycle.update(USER, generatedStateOf(), news);

        expect(sentCommands(iamMock)).toStrictEqual([["UpdateLoginProfileCommand", { UserName: USER, PasswordResetRequired: true }]]);
        expect(result.outs).toStrictEqual(
            // The flag's UpdateLoginProfile is a write of the resource's own, but sets no password.
            generatedStateOf({ passwordResetRequired: true, passwordResetPending: true, ...appliedOf(news, null), writtenAt: SET_AT_ISO }),
        );
    });

    it("keeps the rotationTrigger and password when nothing about them changed", async () => {
        const olds = generatedStateOf({ rotationTrigger: "1" });

        const news = generatedInputsOf({ rotationTrigger: "1", passwordResetRequired: true });
        const result = await lifecycle.update(USER, olds, news);

        expect(result.outs).toStrictEqual({
            ...olds,
            passwordResetRequired: true,
            passwordResetPending: true,
            ...appliedOf(news, null),
            writtenAt: SET_AT_ISO,
        });
    });
});

describe("update generates a new password, in place", () => {
    it.each<[string, Record<string, unknown>, number]>([
        ["rotationTrigger changes", { rotationTrigger: "2027-Q1" }, 20],
        ["passwordLength changes", { passwordLength: 32 }, 32],
    ])("when %s", async (_case, change, length) => {
        const news = generatedInputsOf(change);

        const result = await lifecycle.update(USER, generatedStateOf(), news);

        const password = passwordSentWith("UpdateLoginProfileCommand");
        expect(sentCommands(iamMock)).toStrictEqual([
            ["GetAccountPasswordPolicyCommand", {}],
            ["UpdateLoginProfileCommand", { UserName: USER, Password: password }],
        ]);
        expect(password).not.toBe(GENERATED_PASSWORD);
        expect(password).toHaveLength(length);
        expect(satisfiesPolicy(password, POLICY_14)).toBe(true);
        expect(result.outs).toStrictEqual(generatedStateOf({ password, ...change, ...appliedOf(news) }));
    });

    it("when a generated password replaces a declared one", async () => {
        const result = await lifecycle.update(USER, stateOf(), generatedInputsOf());

        const password = passwordSentWith("UpdateLoginProfileCommand");
        expect(password).not.toBe(PASSWORD);
        expect(result.outs).toStrictEqual(generatedStateOf({ password, ...appliedOf(generatedInputsOf()) }));
    });

    it("re-arms a declared reset with the new password", async () => {
        const olds = generatedStateOf({ passwordResetRequired: true, passwordResetPending: false });

        await lifecycle.update(USER, olds, generatedInputsOf({ passwordResetRequired: true, rotationTrigger: "now" }));

        expect(iamMock).toHaveReceivedCommandWith(UpdateLoginProfileCommand, { UserName: USER, PasswordResetRequired: true });
    });

    it("sets a declared password that replaces a generated one, and forgets the generation", async () => {
        const result = await lifecycle.update(USER, generatedStateOf({ rotationTrigger: "1" }), inputsOf());

        expect(sentCommands(iamMock)).toStrictEqual([["UpdateLoginProfileCommand", { UserName: USER, Password: PASSWORD }]]);
        expect(result.outs).toStrictEqual(stateOf(appliedOf(inputsOf())));
    });

    it("fails before UpdateLoginProfile when the new passwordLength is too short for the policy", async () => {
        await expectLoginProfileError(
            lifecycle.update(USER, generatedStateOf(), generatedInputsOf({ passwordLength: 10 })),
            "PasswordPolicyViolation",
            "passwordLength is 10, but the account's password policy requires passwords of at least 14 characters: raise passwordLength to at least 14",
        );
        expect(iamMock).not.toHaveReceivedCommand(UpdateLoginProfileCommand);
    });
});

describe("diff of a generated password", () => {
    it.each<[string, Record<string, unknown>]>([
        ["nothing changed", {}],
        ["passwordLength is omitted, the default 20 being what was generated", { passwordLength: undefined }],
        ["a region is added", { region: "eu-west-1" }],
    ])("changes nothing when %s", async (_case, change) => {
        await expect(lifecycle.diff(USER, generatedStateOf(), generatedInputsOf(change))).resolves.toStrictEqual(NO_CHANGE);
    });

    it.each<[string, Record<string, unknown>]>([
        ["passwordLength changes", { passwordLength: 21 }],
        ["a rotationTrigger is added", { rotationTrigger: "x" }],
        ["passwordLength is unknown", { passwordLength: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }],
        ["rotationTrigger is unknown", { rotationTrigger: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }],
        ["a pgpKey is added", { pgpKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----" }],
    ])("updates in place when %s", async (_case, change) => {
        await expect(lifecycle.diff(USER, generatedStateOf(), generatedInputsOf(change))).resolves.toStrictEqual(UPDATE_IN_PLACE);
    });

    it("updates in place when the rotationTrigger changes or is removed", async () => {
        const olds = generatedStateOf({ rotationTrigger: "1" });

        await expect(lifecycle.diff(USER, olds, generatedInputsOf({ rotationTrigger: "2" }))).resolves.toStrictEqual(UPDATE_IN_PLACE);
        await expect(lifecycle.diff(USER, olds, generatedInputsOf())).resolves.toStrictEqual(UPDATE_IN_PLACE);
        await expect(lifecycle.diff(USER, olds, generatedInputsOf({ rotationTrigger: "1" }))).resolves.toStrictEqual(NO_CHANGE);
    });

    it("updates in place when the password goes from declared to generated, and back", async () => {
        await expect(lifecycle.diff(USER, stateOf(), generatedInputsOf())).resolves.toStrictEqual(UPDATE_IN_PLACE);
        await expect(lifecycle.diff(USER, generatedStateOf(), inputsOf({ password: GENERATED_PASSWORD }))).resolves.toStrictEqual(
            UPDATE_IN_PLACE,
        );
    });

    it("treats a null password as omitted", async () => {
        await expect(lifecycle.diff(USER, generatedStateOf(), generatedInputsOf({ password: null }))).resolves.toStrictEqual(NO_CHANGE);
    });
});
