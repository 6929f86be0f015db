/** Shared values and helpers for the unit tests: user names, passwords, AWS errors, an instant clock. */
import {
    IAMClient,
    EntityAlreadyExistsException,
    EntityTemporarilyUnmodifiableException,
    LimitExceededException,
    NoSuchEntityException,
    PasswordPolicyViolationException,
    ServiceFailureException,
    type User,
} from "@aws-sdk/client-iam";
import { AccessDeniedException, CloudTrailClient, LookupEventsCommand, type Event as CloudTrailEvent } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { LoginProfileError } from "../../provider/model/errors";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import type { RetryClock } from "../../provider/aws/retry";
import type { LoginProfileState } from "../../provider/model/types";
import type { PasswordPolicy } from "../../provider/password/policy";

/** A valid IAM user name. */
export const USER = "alice";

/** Where the wait for IAM to settle comes from, when nothing sets it. */
export const BY_DEFAULT = "(by default; iam-login-profile:propagationTimeoutSeconds or the plugin's customTimeouts sets how long)";

/** What a create waits for while IAM answers NoSuchEntity for its user. */
export const NOT_PROPAGATED = `IAM user "${USER}" does not exist, or IAM has not propagated it yet if it was created a moment ago`;

/** What an update, delete or adoption waits for while IAM answers EntityTemporarilyUnmodifiable. */
export const STILL_CREATING = `the login profile of IAM user "${USER}" is still being created`;

/** The notice a hook gives once when it starts to wait for IAM to settle, for as long as it waits by default. */
export function waitingNotice(waitingFor: string): string {
    return `${waitingFor}: waiting up to 120 s for IAM to settle ${BY_DEFAULT}`;
}

/** How an error names IAM's endpoint in the unit tests, which run with no endpoint variable set (stsStub.ts). */
export const IAM_ENDPOINT =
    "IAM endpoint https://iam.amazonaws.com: AWS's own for us-east-1, as neither AWS_ENDPOINT_URL_IAM nor AWS_ENDPOINT_URL is set";

/** How an error names CloudTrail's endpoint in the unit tests: us-east-1's, where IAM's events are. */
export const CLOUDTRAIL_ENDPOINT =
    "CloudTrail endpoint https://cloudtrail.us-east-1.amazonaws.com: AWS's own for us-east-1, as neither AWS_ENDPOINT_URL_CLOUDTRAIL nor AWS_ENDPOINT_URL is set";

/** How an error names STS's endpoint in the unit tests. */
export const STS_ENDPOINT =
    "STS endpoint https://sts.us-east-1.amazonaws.com: AWS's own for us-east-1, as neither AWS_ENDPOINT_URL_STS nor AWS_ENDPOINT_URL is set";
/** The same user as AWS stores the name (user names are unique case-insensitively). */
export const USER_AS_STORED = "Alice";
/** Valid user names at the edges of the rule: 1 and 64 characters, every special character. */
export const VALID_USER_NAMES = ["a", "x".repeat(64), "svc_deploy+ci=1,eu.team@example-org", "A1_+=,.@-", "0"];

/** A valid password, as a user would choose it. */
export const PASSWORD = "Corr3ct-Horse!battery";
/** Another valid password, for rotation. */
export const NEW_PASSWORD = "Tr0ub4dor&3-rotated!";
/** Valid passwords at the edges of the rule: 1 and 128 characters, tab, LF, CR, U+0020 and U+00FF. */
export const VALID_PASSWORDS = ["p", "y".repeat(128), "tab\there", "lf\nand\rcr", " leading space", "\u00ff\u0080\u00e9t\u00e9-\u00df"];

/** The engine's placeholder for a value unknown until apply (`pulumi.runtime.unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** When AWS says the profile was created. */
export const CREATE_DATE = new Date("2026-11-02T10:20:30.000Z");
/** CREATE_DATE as the state stores it. */
export const CREATE_DATE_ISO = "2026-11-02T10:20:30.000Z";

/** When the instant clock starts, so what create and update record as `passwordSetAt` (unless they waited). */
export const SET_AT_ISO = "2023-11-14T22:13:20.000Z";

/** The account the unit tests' credentials reach (tests/unit/stsStub.ts answers it). */
export const ACCOUNT_ID = "123456789012";

/**
 * What create, adopt and update record beside the profile: the account it lives in, when they set
 * the password (and so wrote the profile, and knew it unchanged, and when IAM last changed it: the
 * same instant, as a mocked client measures no clock offset), and the inputs they applied (all but
 * `password`, `pgpKey` and `pgpKeys`), so that a refresh can show drift on them. `passwordSetAt`
 * null: the hook set no password (the state had no time to carry over).
 */
export function appliedOf(news: Record<string, unknown>, passwordSetAt: string | null = SET_AT_ISO): Partial<LoginProfileState> {
    const appliedInputs = Object.fromEntries(
        Object.entries(news).filter(([key]) => !["password", "pgpKey", "pgpKeys", "__provider"].includes(key)),
    );
    // A hook that set the password wrote the profile then, and knows it unchanged until then.
    const setNow =
        passwordSetAt !== null
            ? { passwordSetAt, writtenAt: passwordSetAt, driftCheckedAt: passwordSetAt, passwordLastChanged: passwordSetAt }
            : {};
    return { accountId: ACCOUNT_ID, ...setNow, appliedInputs };
}

/** One user's row of a credential report, as `credentialReport` writes it. */
export interface ReportRow {
    readonly user: string;
    /** When the password was last set; undefined writes `N/A` (no password). */
    readonly passwordLastChanged?: Date;
    readonly passwordLastUsed?: Date;
    /** When the password must be changed (the account policy's MaxPasswordAge after its last change); undefined writes `N/A`. */
    readonly passwordNextRotation?: Date;
    readonly mfaActive?: boolean;
}

/** A GetCredentialReport answer with these rows (and the root account's), generated at `generatedAt`. */
export function credentialReport(
    rows: readonly ReportRow[],
    generatedAt: Date,
): { Content: Uint8Array; GeneratedTime: Date; ReportFormat: "text/csv" } {
    const header =
        "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active";
    const iso = (date: Date | undefined, none: string): string => (date ? date.toISOString().replace(/\.\d{3}Z$/, "+00:00") : none);
    const lines = [
        "<root_account>,arn:aws:iam::123456789012:root,2026-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,true",
        ...rows.map((row) =>
            [
                row.user,
                `arn:aws:iam::123456789012:user/${row.user}`,
                "2026-01-01T00:00:00+00:00",
                row.passwordLastChanged ? "true" : "false",
                row.passwordLastChanged ? iso(row.passwordLastUsed, "no_information") : "N/A",
                iso(row.passwordLastChanged, "N/A"),
                row.passwordLastChanged ? iso(row.passwordNextRotation, "N/A") : "N/A",
                row.mfaActive ? "true" : "false",
            ].join(","),
        ),
    ];
    return { Content: new TextEncoder().encode([header, ...lines].join("\n")), GeneratedTime: generatedAt, ReportFormat: "text/csv" };
}

/** A `warn` for createLifecycle that fails the test: a warning nobody expected is a defect. */
export function failOnWarning(message: string): never {
    throw new Error(`unexpected warning: ${message}`);
}

/** The state a LoginProfile holds after a create with PASSWORD and the reset flag off. */
export function stateOf(overrides: Partial<LoginProfileState> = {}): LoginProfileState {
    return {
        userName: USER,
        password: PASSWORD,
        passwordResetRequired: false,
        passwordResetPending: false,
        createDate: CREATE_DATE_ISO,
        accountId: ACCOUNT_ID,
        ...overrides,
    };
}

/** Inputs as `check` returns them (and as the engine passes them to create and update). */
export function inputsOf(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { userName: USER, password: PASSWORD, passwordResetRequired: false, ...overrides };
}

/** Inputs as `check` returns them when the password (and its length) are omitted, so that the resource generates one. */
export function generatedInputsOf(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { userName: USER, passwordResetRequired: false, ...overrides };
}

/** The state after a create with a generated password (GENERATED_PASSWORD) and no pgpKey. */
export function generatedStateOf(overrides: Partial<LoginProfileState> = {}): LoginProfileState {
    return stateOf({ password: GENERATED_PASSWORD, passwordLength: 20, ...overrides });
}

/** A password as the generator makes them, standing for one generated at an earlier create. */
export const GENERATED_PASSWORD = "q7{Rb!x2Lk@9Wm$ZpT4e";

/** A GetAccountPasswordPolicy response, every rule on, with the given minimum length. */
export function accountPolicy(minimumLength: number, overrides: Record<string, boolean> = {}): { PasswordPolicy: Record<string, unknown> } {
    return {
        PasswordPolicy: {
            MinimumPasswordLength: minimumLength,
            RequireSymbols: true,
            RequireNumbers: true,
            RequireUppercaseCharacters: true,
            RequireLowercaseCharacters: true,
            AllowUsersToChangePassword: true,
            ExpirePasswords: false,
            ...overrides,
        },
    };
}

/** Builds one modeled IAM exception with the given message. */
export type AwsErrorFactory = (message?: string) => Error;

/** The modeled IAM exceptions, built as the SDK builds them from an AWS response. */
export const awsError: Readonly<
    Record<
        | "entityAlreadyExists"
        | "limitExceeded"
        | "noSuchEntity"
        | "passwordPolicyViolation"
        | "serviceFailure"
        | "entityTemporarilyUnmodifiable"
        | "accessDenied",
        AwsErrorFactory
    >
> = {
    entityAlreadyExists: (message = `Login Profile for user ${USER} already exists.`) =>
        new EntityAlreadyExistsException({ message, $metadata: { httpStatusCode: 409 } }),
    limitExceeded: (message = "Cannot exceed quota for LoginProfilesPerUser: 1") =>
        new LimitExceededException({ message, $metadata: { httpStatusCode: 409 } }),
    noSuchEntity: (message = `The user with name ${USER} cannot be found.`) =>
        new NoSuchEntityException({ message, $metadata: { httpStatusCode: 404 } }),
    passwordPolicyViolation: (message = "Password should have at least one uppercase letter") =>
        new PasswordPolicyViolationException({ message, $metadata: { httpStatusCode: 400 } }),
    serviceFailure: (message = "The request processing has failed because of an unknown error.") =>
        new ServiceFailureException({ message, $metadata: { httpStatusCode: 500 } }),
    entityTemporarilyUnmodifiable: (message = `Login Profile for User ${USER} cannot be modified while login profile is being created.`) =>
        new EntityTemporarilyUnmodifiableException({ message, $metadata: { httpStatusCode: 409 } }),
    // Not a modeled IAM exception: the SDK builds it from the response's error code.
    accessDenied: (message = "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:GetAccountPasswordPolicy") =>
        Object.assign(new Error(message), { name: "AccessDenied", Code: "AccessDenied", $metadata: { httpStatusCode: 403 } }),
};

/** A Node network error as the SDK's HTTP handler rejects with it. */
export function networkError(code = "ECONNREFUSED", message = `connect ${code} 127.0.0.1:443`): Error & { code: string } {
    return Object.assign(new Error(message), { code });
}

/** A clock whose `sleep` returns at once and moves fake time on by the time slept. */
export interface InstantClock extends RetryClock {
    /** Every wait asked for, in order. */
    readonly sleeps: number[];
    /** Fake milliseconds since the clock was made. */
    elapsed(): number;
}

/** Makes an InstantClock, so that two minutes of retries take no time. */
export function instantClock(): InstantClock {
    let fakeTime = 1_700_000_000_000;
    const start = fakeTime;
    const sleeps: number[] = [];
    return {
        sleeps,
        sleep: async (ms) => {
            sleeps.push(ms);
            fakeTime += ms;
        },
        now: () => fakeTime,
        elapsed: () => fakeTime - start,
    };
}

export { stackConfig } from "../support/stackConfig";

/** A copy of `value` without the given keys, for states written by older versions. */
export function omit<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
    const copy: Partial<T> = { ...value };
    for (const key of keys) {
        delete copy[key];
    }
    return copy as Omit<T, K>;
}

/** Every string an error carries that could reach a terminal: message, stack and string fields. */
export function errorText(error: unknown): string {
    if (!(error instanceof Error)) {
        return String(error);
    }
    const fields = Object.values(error).filter((v): v is string => typeof v === "string");
    return [error.message, error.stack ?? "", ...fields].join("\n");
}

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
    try {
        await promise;
    } catch (error) {
        return error;
    }
    throw new Error("expected the promise to reject, but it resolved");
}

/**
 * CloudTrail stubbed for a test that stubs IAM: a connection to IAM reads the account's event
 * history through its own CloudTrail client (provider/aws/cloudTrail.ts), which would otherwise
 * call https://cloudtrail.us-east-1.amazonaws.com and retry. LookupEvents answers `events` (none
 * by default) on every page; a test about events sets its own answers. Restore it after the test.
 */
export function mockCloudTrail(events: CloudTrailEvent[] = []): AwsClientStub<CloudTrailClient> {
    const mock = mockClient(CloudTrailClient);
    mock.on(LookupEventsCommand).resolves({ Events: events });
    return mock;
}

/** CloudTrail's answer to a principal without cloudtrail:LookupEvents, as the SDK raises it (AccessDeniedException). */
export function cloudTrailAccessDenied(
    message = "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cloudtrail:LookupEvents",
): Error {
    return new AccessDeniedException({ message, $metadata: { httpStatusCode: 400 } });
}

/** The commands a mocked client was sent, in order, as [command class name, exact input]. */
export function sentCommands(mock: { calls(): { args: readonly unknown[] }[] }): [string, unknown][] {
    return mock.calls().map((call) => {
        const command = call.args[0] as { constructor: { name: string }; input: unknown };
        return [command.constructor.name, command.input];
    });
}

/**
 * Awaits a hook that must fail and checks the LoginProfileError it throws: its code, its exact
 * message, and that no test password appears anywhere in it.
 */
export async function expectLoginProfileError(promise: Promise<unknown>, code: string, message: unknown): Promise<void> {
    const error = await rejectionOf(promise);
    expect(error).toBeInstanceOf(LoginProfileError);
    expect(error).toMatchObject({ name: "LoginProfileError", code, message });
    expect(errorText(error)).not.toContain(PASSWORD);
    expect(errorText(error)).not.toContain(NEW_PASSWORD);
}

/**
 * Fresh hooks for each test of a file whose every test must stay off the network (`check`,
 * `diff`, bad input: what `pulumi preview` runs with no credentials and no network). After each
 * test, not one connection was made and not one IAM or CloudTrail command was sent. Returns a
 * getter, since the hooks are created anew before each test.
 */
export function offlineLifecycle(): () => LoginProfileLifecycle {
    let iamMock: AwsClientStub<IAMClient>;
    let cloudTrailMock: AwsClientStub<CloudTrailClient>;
    let connect: jest.Mock;
    let lifecycle: LoginProfileLifecycle;
    beforeEach(() => {
        iamMock = mockClient(IAMClient);
        cloudTrailMock = mockCloudTrail();
        connect = jest.fn();
        lifecycle = createLifecycle({ connect });
    });
    afterEach(() => {
        expect(connect).not.toHaveBeenCalled();
        expect(iamMock).not.toHaveReceivedAnyCommand();
        expect(cloudTrailMock).not.toHaveReceivedAnyCommand();
        iamMock.restore();
        cloudTrailMock.restore();
    });
    return () => lifecycle;
}

/** A ListUsers entry, with when its password was last used (none: never). */
export function listedUser(userName: string, passwordLastUsed?: Date): User {
    return {
        UserName: userName,
        Path: "/",
        UserId: `AIDA${userName.toUpperCase()}`,
        Arn: `arn:aws:iam::${ACCOUNT_ID}:user/${userName}`,
        CreateDate: CREATE_DATE,
        ...(passwordLastUsed ? { PasswordLastUsed: passwordLastUsed } : {}),
    };
}

/** An account password policy that expires passwords after 90 days, and then locks the user out (HardExpiry). */
export const EXPIRING_POLICY: PasswordPolicy = {
    source: "account",
    minimumLength: 14,
    requireUppercase: true,
    requireLowercase: true,
    requireNumbers: true,
    requireSymbols: true,
    maxPasswordAgeDays: 90,
    hardExpiry: true,
};
