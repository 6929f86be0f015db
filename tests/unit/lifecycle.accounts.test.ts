/**
 * Accounts: `assumeRole` and `profile` on the resource and as stack defaults, the account as part
 * of a profile's identity (`accountId`, replace on a move), one AssumeRole per role and external id
 * per process, renewed before it expires, a role that cannot be assumed failing only its resource,
 * and the account's sources (event history, IAM users, credential report) read once per account.
 */
import {
    CreateLoginProfileCommand,
    DeleteLoginProfileCommand,
    GenerateCredentialReportCommand,
    GetCredentialReportCommand,
    GetLoginProfileCommand,
    IAMClient,
    ListUsersCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { LookupEventsCommand, type CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { assumeRoleFailures, profileFailures } from "../../provider/model/account";
import { roleCredentials } from "../../provider/aws/credentials";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import { stackSettings } from "../../provider/aws/settings";
import {
    ACCOUNT_ID,
    awsError,
    CREATE_DATE,
    credentialReport,
    errorText,
    expectLoginProfileError,
    failOnWarning,
    inputsOf,
    instantClock,
    PASSWORD,
    rejectionOf,
    stackConfig,
    stateOf,
    USER,
    STS_ENDPOINT,
    mockCloudTrail,
} from "./fixtures";
import { stsMock } from "./stsStub";

const MEMBER = "111111111111";
const OTHER = "222222222222";
const ROLE = `arn:aws:iam::${MEMBER}:role/BreakGlassAdmin`;
const SAME_ACCOUNT_ROLE = `arn:aws:iam::${MEMBER}:role/OtherAdmin`;
const OTHER_ROLE = `arn:aws:iam::${OTHER}:role/BreakGlassAdmin`;
const EXTERNAL_ID = "ext-9f2c1e7a-secret";
const CREATED = { LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } };

/** STS credentials for a role, expiring at `expiration`. */
function issued(expiration: Date): {
    Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: Date };
} {
    return { Credentials: { AccessKeyId: "ASIAROLE", SecretAccessKey: "role-secret", SessionToken: "role-token", Expiration: expiration } };
}

let iamMock: AwsClientStub<IAMClient>;
let cloudTrailMock: AwsClientStub<CloudTrailClient>;
let lifecycle: LoginProfileLifecycle;

beforeEach(() => {
    iamMock = mockClient(IAMClient);
    cloudTrailMock = mockCloudTrail();
    iamMock.on(CreateLoginProfileCommand).resolves(CREATED);
    iamMock.on(GetLoginProfileCommand).resolves(CREATED);
    iamMock.on(DeleteLoginProfileCommand).resolves({});
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: "COMPLETE" });
    iamMock.on(GetCredentialReportCommand).resolves(credentialReport([{ user: USER, passwordLastChanged: new Date(0) }], CREATE_DATE));
    stsMock.on(AssumeRoleCommand).resolves(issued(new Date(Date.now() + 3_600_000)));
    lifecycle = createLifecycle({ clock: instantClock(), env: {}, warn: failOnWarning });
});

afterEach(() => {
    iamMock.restore();
    cloudTrailMock.restore();
});

describe("check of assumeRole and profile", () => {
    it.each<[string, unknown, string]>([
        [
            "not an object",
            "arn:aws:iam::111111111111:role/x",
            "assumeRole must be an object: { roleArn, externalId?, sessionName?, durationSeconds? }",
        ],
        [
            "a role ARN that is not one",
            { roleArn: "arn:aws:iam::1111:user/x" },
            'assumeRole.roleArn must be an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>, not "arn:aws:iam::1111:user/x"',
        ],
        ["no role ARN", {}, "assumeRole.roleArn is required: the ARN of the role to assume"],
        [
            "a session name with a space",
            { roleArn: ROLE, sessionName: "a b" },
            'assumeRole.sessionName must be 2 to 64 of letters, digits and _+=,.@-, not "a b"',
        ],
        [
            "a duration under 15 minutes",
            { roleArn: ROLE, durationSeconds: 60 },
            "assumeRole.durationSeconds must be a whole number from 900 to 43200, not 60",
        ],
        [
            "an unknown key",
            { roleArn: ROLE, role: "x" },
            'assumeRole has no property "role"; it takes roleArn, externalId, sessionName, durationSeconds',
        ],
    ])("rejects %s, naming the property and the rule", async (_case, assumeRole, reason) => {
        const { failures } = await lifecycle.check({}, inputsOf({ assumeRole }));

        // The value is not echoed next to the reason: a role may carry a secret external id.
        expect(failures).toStrictEqual([{ property: "", reason }]);
    });

    it("rejects a bad external id without quoting it", () => {
        const secret = "has spaces, and is secret";
        const failures = assumeRoleFailures({ roleArn: ROLE, externalId: secret });

        expect(failures).toStrictEqual([
            {
                property: "assumeRole",
                reason: "assumeRole.externalId must be 2 to 1224 of letters, digits and _+=,.@:/- (its value is not shown: it is a secret)",
            },
        ]);
        expect(JSON.stringify(failures)).not.toContain(secret);
    });

    it("accepts a full role, and a profile name; rejects an empty profile", async () => {
        const assumeRole = { roleArn: ROLE, externalId: EXTERNAL_ID, sessionName: "break-glass", durationSeconds: 900 };
        await expect(lifecycle.check({}, inputsOf({ assumeRole, profile: "org-admin" }))).resolves.toMatchObject({ failures: [] });
        expect(profileFailures(" ")).toStrictEqual([
            { property: "profile", reason: 'profile must be the name of a shared-config profile, not " "' },
        ]);
    });
});

describe("the account in state", () => {
    it("is the role ARN's account, with no GetCallerIdentity, and the state keeps the role", async () => {
        const assumeRole = { roleArn: ROLE, externalId: EXTERNAL_ID };
        const { outs } = await lifecycle.create(inputsOf({ assumeRole }));

        expect(outs).toMatchObject({ accountId: MEMBER, assumeRole });
        expect(stsMock).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 0);
        expect(stsMock).toHaveReceivedCommandWith(AssumeRoleCommand, {
            RoleArn: ROLE,
            ExternalId: EXTERNAL_ID,
            RoleSessionName: "pulumi-iam-login-profile",
            DurationSeconds: 3600,
        });
        // The external id never reaches appliedInputs, which is kept in plain view.
        expect(outs?.appliedInputs).toStrictEqual({ userName: USER, passwordResetRequired: false, assumeRole: { roleArn: ROLE } });
    });

    it("is the caller's account without a role: one GetCallerIdentity per process, made before CreateLoginProfile", async () => {
        await lifecycle.create(inputsOf());
        await lifecycle.create(inputsOf({ userName: "bob" }));

        expect(stsMock).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
        expect(iamMock).toHaveReceivedCommandTimes(CreateLoginProfileCommand, 2);
    });

    it("fails the create before any IAM call when the caller's account cannot be told", async () => {
        stsMock.on(GetCallerIdentityCommand).rejects(awsError.serviceFailure());

        const error = await rejectionOf(lifecycle.create(inputsOf()));

        expect(error).toMatchObject({ code: "ServiceFailure" });
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });

    it("takes the stack's role when the resource declares none, and records it", async () => {
        await lifecycle.configure(stackConfig({ "iam-login-profile:assumeRole": JSON.stringify({ roleArn: OTHER_ROLE }) }));

        const { outs } = await lifecycle.create(inputsOf());

        expect(outs).toMatchObject({ accountId: OTHER, assumeRole: { roleArn: OTHER_ROLE } });
        expect(stsMock).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: OTHER_ROLE });
    });

    it("deletes in the account the state records, wherever the stack's role points now", async () => {
        await lifecycle.configure(stackConfig({ "iam-login-profile:assumeRole": JSON.stringify({ roleArn: OTHER_ROLE }) }));

        await lifecycle.delete(USER, stateOf({ accountId: MEMBER, assumeRole: { roleArn: ROLE } }));
        await lifecycle.delete(USER, stateOf({ accountId: ACCOUNT_ID }));

        expect(stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
        expect(stsMock).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: ROLE });
    });
});

describe("diff: the account is part of the identity", () => {
    const inMember = stateOf({ accountId: MEMBER, assumeRole: { roleArn: ROLE, externalId: EXTERNAL_ID } });

    it("replaces a profile moved to a role in another account, creating the new one first", async () => {
        await expect(lifecycle.diff(USER, inMember, inputsOf({ assumeRole: { roleArn: OTHER_ROLE } }))).resolves.toStrictEqual({
            changes: true,
            replaces: ["assumeRole"],
            deleteBeforeReplace: false,
        });
    });

    it.each<[string, Record<string, unknown>]>([
        ["a new external id", { roleArn: ROLE, externalId: "another-external-id" }],
        ["a session name and duration", { roleArn: ROLE, externalId: EXTERNAL_ID, sessionName: "audit", durationSeconds: 1800 }],
        ["another role in the same account", { roleArn: SAME_ACCOUNT_ROLE, externalId: EXTERNAL_ID }],
    ])("changes nothing for %s", async (_case, assumeRole) => {
        await expect(lifecycle.diff(USER, inMember, inputsOf({ assumeRole }))).resolves.toStrictEqual({
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
    });

    it("replaces a profile reached through a role that now declares none (the default credentials' account)", async () => {
        await expect(lifecycle.diff(USER, inMember, inputsOf())).resolves.toMatchObject({ replaces: ["assumeRole"] });
    });

    it("compares with the stack's role when the resource declares none", async () => {
        await lifecycle.configure(stackConfig({ "iam-login-profile:assumeRole": JSON.stringify({ roleArn: SAME_ACCOUNT_ROLE }) }));

        await expect(lifecycle.diff(USER, inMember, inputsOf())).resolves.toMatchObject({ replaces: [] });
        await expect(lifecycle.diff(USER, stateOf(), inputsOf())).resolves.toMatchObject({ replaces: ["assumeRole"] });
    });

    it("moves and renames at once without deleting first: in two accounts nothing collides", async () => {
        await expect(
            lifecycle.diff(USER, inMember, inputsOf({ userName: "bob", assumeRole: { roleArn: OTHER_ROLE } })),
        ).resolves.toStrictEqual({
            changes: true,
            replaces: ["userName", "assumeRole"],
            deleteBeforeReplace: false,
        });
    });

    it("never moves a state written before accounts were tracked", async () => {
        await expect(
            lifecycle.diff(USER, stateOf({ accountId: undefined }), inputsOf({ assumeRole: { roleArn: OTHER_ROLE } })),
        ).resolves.toMatchObject({
            replaces: [],
        });
    });
});

describe("credentials", () => {
    it("assume each role once for every resource of the process, whatever their session names", async () => {
        await Promise.all(
            ["a", "b", "c"].map((userName) =>
                lifecycle.create(inputsOf({ userName, assumeRole: { roleArn: ROLE, sessionName: `s-${userName}` } })),
            ),
        );
        await lifecycle.read(USER, stateOf({ accountId: MEMBER, assumeRole: { roleArn: ROLE } }));

        expect(stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    });

    it("assume a role again for another external id", async () => {
        await lifecycle.create(inputsOf({ assumeRole: { roleArn: ROLE, externalId: EXTERNAL_ID } }));
        await lifecycle.create(inputsOf({ userName: "bob", assumeRole: { roleArn: ROLE, externalId: "another-external-id" } }));

        expect(stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
    });

    it("are renewed five minutes before they expire", async () => {
        const expiration = new Date("2026-12-01T12:00:00Z");
        stsMock.on(AssumeRoleCommand).resolves(issued(expiration));
        const settings = { region: "us-east-1", maxAttempts: 3 };
        const role = { roleArn: ROLE };

        await roleCredentials(role, settings, () => expiration.getTime() - 3_600_000);
        await roleCredentials(role, settings, () => expiration.getTime() - 301_000);
        expect(stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
        await roleCredentials(role, settings, () => expiration.getTime() - 299_000);
        expect(stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
    });

    it("that cannot be had fail that resource alone, before any IAM call, naming the role and the user", async () => {
        stsMock.on(AssumeRoleCommand, { RoleArn: OTHER_ROLE }).rejects(awsError.accessDenied());

        const bob = lifecycle.create(inputsOf({ userName: "bob", assumeRole: { roleArn: OTHER_ROLE, externalId: EXTERNAL_ID } }));
        const created = lifecycle.create(inputsOf({ assumeRole: { roleArn: ROLE } }));

        const error = await rejectionOf(bob);
        await expectLoginProfileError(
            bob,
            "AccessDenied",
            `The login profile of IAM user "bob" is out of reach: cannot assume role ${OTHER_ROLE}: STS AssumeRole: AccessDenied: ${awsError.accessDenied().message} (${STS_ENDPOINT})`,
        );
        expect(errorText(error)).not.toContain(EXTERNAL_ID);
        await expect(created).resolves.toMatchObject({ id: USER, outs: { accountId: MEMBER } });
        expect(iamMock).toHaveReceivedCommandTimes(CreateLoginProfileCommand, 1);
        expect(iamMock).toHaveReceivedCommandWith(CreateLoginProfileCommand, { UserName: USER, Password: PASSWORD });
    });
});

describe("the account's sources", () => {
    it("are read once per account: twice for profiles in two accounts, whatever their number", async () => {
        const states = [
            stateOf({ accountId: MEMBER, assumeRole: { roleArn: ROLE } }),
            stateOf({ accountId: MEMBER, assumeRole: { roleArn: ROLE } }),
            stateOf({ accountId: OTHER, assumeRole: { roleArn: OTHER_ROLE } }),
            stateOf({ accountId: OTHER, assumeRole: { roleArn: OTHER_ROLE } }),
        ];

        await Promise.all(states.map((state) => lifecycle.read(USER, state)));

        expect(iamMock).toHaveReceivedCommandTimes(GenerateCredentialReportCommand, 2);
        expect(iamMock).toHaveReceivedCommandTimes(GetCredentialReportCommand, 2);
        expect(iamMock).toHaveReceivedCommandTimes(ListUsersCommand, 2);
        expect(iamMock).toHaveReceivedCommandTimes(GetLoginProfileCommand, 4);
        // One query per event name a refresh looks for, in each account.
        expect(cloudTrailMock).toHaveReceivedCommandTimes(LookupEventsCommand, 6);
    });

    it("reach each account's event history with that account's role credentials, in us-east-1", async () => {
        stsMock.on(AssumeRoleCommand).callsFake((input: { RoleArn?: string }) => {
            const credentials = issued(new Date(Date.now() + 3_600_000));
            const key = input.RoleArn === ROLE ? "ASIAMEMBER" : "ASIAOTHER";
            return { Credentials: { ...credentials.Credentials, AccessKeyId: key } };
        });
        const states = [
            stateOf({ accountId: MEMBER, assumeRole: { roleArn: ROLE } }),
            stateOf({ accountId: OTHER, assumeRole: { roleArn: OTHER_ROLE }, region: "eu-west-1" }),
        ];

        await Promise.all(states.map((state) => lifecycle.read(USER, state)));

        const signedWith = await Promise.all(
            cloudTrailMock.calls().map(async (call) => {
                const client = call.thisValue as CloudTrailClient;
                const credentials = await client.config.credentials();
                return `${credentials.accessKeyId} ${await client.config.region()}`;
            }),
        );
        expect(signedWith.sort()).toStrictEqual([
            ...Array<string>(3).fill("ASIAMEMBER us-east-1"),
            ...Array<string>(3).fill("ASIAOTHER us-east-1"),
        ]);
    });
});

describe("stack settings", () => {
    it("parse assumeRole, maxRetries and retryMode", () => {
        expect(
            stackSettings({
                assumeRole: JSON.stringify({ roleArn: ROLE, externalId: EXTERNAL_ID }),
                maxRetries: "25",
                retryMode: "standard",
            }),
        ).toStrictEqual({ assumeRole: { roleArn: ROLE, externalId: EXTERNAL_ID }, maxRetries: 25, retryMode: "standard" });
    });

    it.each<[Record<string, string>, string]>([
        [
            { assumeRole: "{" },
            "config iam-login-profile:assumeRole must be an object { roleArn, externalId?, sessionName?, durationSeconds? } (JSON), not text that does not parse",
        ],
        [{ assumeRole: "{}" }, "config iam-login-profile:assumeRole: assumeRole.roleArn is required: the ARN of the role to assume"],
        [{ maxRetries: "-1" }, 'config iam-login-profile:maxRetries must be a whole number from 0 to 100, not "-1"'],
        [{ retryMode: "legacy" }, 'config iam-login-profile:retryMode must be "standard" or "adaptive", not "legacy"'],
    ])("reject %j, naming the key and the rule", (values, message) => {
        expect(() => stackSettings(values)).toThrow(message);
    });

    it("give the client the retry budget", async () => {
        await lifecycle.configure(stackConfig({ "iam-login-profile:maxRetries": "2", "iam-login-profile:retryMode": "standard" }));

        await lifecycle.delete(USER, stateOf());

        await expect((iamMock.call(0).thisValue as IAMClient).config.maxAttempts()).resolves.toBe(3);
    });
});
