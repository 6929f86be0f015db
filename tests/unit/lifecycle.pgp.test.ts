/**
 * `pgpKey`: the password encrypted to the user's key (decrypted here with the private key, as a
 * user would), no plaintext in the outputs at all, and a declared password's change still seen
 * through its salted hash.
 */
import {
    CreateLoginProfileCommand,
    GenerateCredentialReportCommand,
    GetAccountPasswordPolicyCommand,
    GetCredentialReportCommand,
    GetLoginProfileCommand,
    IAMClient,
    UpdateLoginProfileCommand,
} from "@aws-sdk/client-iam";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import { matchesHash } from "../../provider/password/hash";
import { AWS_DEFAULT_PASSWORD_POLICY, satisfiesPolicy } from "../../provider/password/policy";
import type { LoginProfileState } from "../../provider/model/types";
import {
    appliedOf,
    accountPolicy,
    awsError,
    CREATE_DATE,
    CREATE_DATE_ISO,
    credentialReport,
    expectLoginProfileError,
    failOnWarning,
    generatedInputsOf,
    generatedStateOf,
    inputsOf,
    instantClock,
    NEW_PASSWORD,
    PASSWORD,
    sentCommands,
    stateOf,
    USER,
    IAM_ENDPOINT,
    mockCloudTrail,
} from "./fixtures";
import { decryptPassword, generateSigningOnlyPublicKey, generateTestKeyPair, type TestKeyPair } from "./pgpKeys";

const CREATED = { LoginProfile: { UserName: USER, CreateDate: CREATE_DATE, PasswordResetRequired: false } };
const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: false };
const UPDATE_IN_PLACE = { changes: true, replaces: [], deleteBeforeReplace: false };
const NOT_A_KEY = "pgpKey is not a usable OpenPGP public key: it cannot be read as an OpenPGP key";

let alice: TestKeyPair;
let other: TestKeyPair;
let iamMock: AwsClientStub<IAMClient>;
let cloudTrailMock: AwsClientStub<CloudTrailClient>;
let lifecycle: LoginProfileLifecycle;

beforeAll(async () => {
    [alice, other] = await Promise.all([generateTestKeyPair("alice"), generateTestKeyPair("other")]);
});

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

function passwordSentWith(command: "CreateLoginProfileCommand" | "UpdateLoginProfileCommand"): string | undefined {
    const sent = sentCommands(iamMock).find(([name]) => name === command);
    return (sent?.[1] as { Password?: string } | undefined)?.Password;
}

/** The state a create with a declared password and alice's key leaves. */
async function declaredPgpState(): Promise<LoginProfileState> {
    const created = await lifecycle.create(inputsOf({ pgpKey: alice.publicKey }));
    iamMock.resetHistory();
    return created.outs as LoginProfileState;
}

describe("create with a pgpKey and a generated password", () => {
    it("outputs the password encrypted to the key and its fingerprint, and no plaintext at all", async () => {
        const result = await lifecycle.create(generatedInputsOf({ pgpKey: alice.publicKey }));

        const sent = passwordSentWith("CreateLoginProfileCommand") ?? "";
        expect(result.outs).toStrictEqual({
            userName: USER,
            passwordLength: 20,
            pgpKey: alice.publicKey,
            encryptedPassword: expect.stringMatching(/^[A-Za-z0-9+/]+={0,2}$/) as string,
            keyFingerprint: alice.fingerprint,
            passwordResetRequired: false,
            passwordResetPending: false,
            createDate: CREATE_DATE_ISO,
            ...appliedOf(generatedInputsOf({ pgpKey: alice.publicKey })),
        });
        expect(JSON.stringify(result)).not.toContain(sent);
        const decrypted = await decryptPassword(result.outs?.encryptedPassword ?? "", alice.privateKey);
        expect(decrypted).toBe(sent);
        expect(satisfiesPolicy(decrypted, { ...AWS_DEFAULT_PASSWORD_POLICY, source: "account", minimumLength: 14 })).toBe(true);
    });

    it("accepts the key as base64 of its binary form, as Terraform does", async () => {
        const result = await lifecycle.create(generatedInputsOf({ pgpKey: alice.publicKeyBase64 }));

        expect(result.outs?.keyFingerprint).toBe(alice.fingerprint);
        await expect(decryptPassword(result.outs?.encryptedPassword ?? "", alice.privateKey)).resolves.toBe(
            passwordSentWith("CreateLoginProfileCommand"),
        );
    });
});

describe("create with a pgpKey and a declared password", () => {
    it("keeps a salted hash instead of the password, and encrypts the password exactly, line breaks included", async () => {
        const password = "lf\nand\rcr\t\u00e9t\u00e9";

        const result = await lifecycle.create(inputsOf({ password, pgpKey: alice.publicKey }));

        expect(result.outs).not.toHaveProperty("password");
        expect(JSON.stringify(result.outs)).not.toContain(JSON.stringify(password).slice(1, -1));
        expect(matchesHash(password, result.outs?.passwordHash ?? "")).toBe(true);
        await expect(decryptPassword(result.outs?.encryptedPassword ?? "", alice.privateKey)).resolves.toBe(password);
        expect(sentCommands(iamMock)).toStrictEqual([
            ["CreateLoginProfileCommand", { UserName: USER, Password: password, PasswordResetRequired: false }],
        ]);
    });
});

describe("a pgpKey that cannot be used", () => {
    it.each<[string, () => string, string]>([
        ["base64 that is no key", () => "AAAAAAAA", NOT_A_KEY],
        ["a damaged armored key", () => alice.publicKey.replace(/\n[A-Za-z0-9+/]{20}/, "\n"), NOT_A_KEY],
    ])("fails before any AWS call, naming pgpKey, for %s", async (_case, key, start) => {
        const error = lifecycle.create(generatedInputsOf({ pgpKey: key() }));

        await expect(error).rejects.toMatchObject({ name: "LoginProfileError", code: "InvalidPgpKey" });
        await expect(error).rejects.toThrow(start);
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });

    it("refuses a private key given as base64 (check catches only the armored kind)", async () => {
        const armored = alice.privateKey;
        const openpgp = await import("openpgp");
        const base64 = Buffer.from((await openpgp.readPrivateKey({ armoredKey: armored })).write()).toString("base64");

        await expectLoginProfileError(
            lifecycle.create(inputsOf({ pgpKey: base64 })),
            "InvalidPgpKey",
            "pgpKey is not a usable OpenPGP public key: it is a private key; give the public key instead (gpg --export), and keep the private key out of the program",
        );
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });

    it("refuses a key that cannot encrypt", async () => {
        const error = lifecycle.create(inputsOf({ pgpKey: await generateSigningOnlyPublicKey() }));

        await expect(error).rejects.toThrow("pgpKey is not a usable OpenPGP public key: it has no key that can encrypt (");
        expect(iamMock).not.toHaveReceivedAnyCommand();
    });
});

describe("diff and update with a pgpKey and a declared password", () => {
    it("sees no change when the declared password matches the hash", async () => {
        const olds = await declaredPgpState();

        await expect(lifecycle.diff(USER, olds, inputsOf({ pgpKey: alice.publicKey }))).resolves.toStrictEqual(NO_CHANGE);
    });

    it("sees a changed password through the hash, sets it and encrypts it again", async () => {
        const olds = await declaredPgpState();
        const news = inputsOf({ password: NEW_PASSWORD, pgpKey: alice.publicKey });

        await expect(lifecycle.diff(USER, olds, news)).resolves.toStrictEqual(UPDATE_IN_PLACE);
        const result = await lifecycle.update(USER, olds, news);

        expect(sentCommands(iamMock)).toStrictEqual([["UpdateLoginProfileCommand", { UserName: USER, Password: NEW_PASSWORD }]]);
        expect(result.outs).not.toHaveProperty("password");
        expect(matchesHash(NEW_PASSWORD, result.outs?.passwordHash ?? "")).toBe(true);
        expect(result.outs?.passwordHash).not.toBe(olds.passwordHash);
        await expect(decryptPassword(result.outs?.encryptedPassword ?? "", alice.privateKey)).resolves.toBe(NEW_PASSWORD);
    });

    it("re-encrypts the same password to a new key without any AWS call", async () => {
        const olds = await declaredPgpState();
        const news = inputsOf({ pgpKey: other.publicKey });

        await expect(lifecycle.diff(USER, olds, news)).resolves.toStrictEqual(UPDATE_IN_PLACE);
        const result = await lifecycle.update(USER, olds, news);

        expect(iamMock).not.toHaveReceivedAnyCommand();
        expect(result.outs).toMatchObject({ pgpKey: other.publicKey, keyFingerprint: other.fingerprint });
        await expect(decryptPassword(result.outs?.encryptedPassword ?? "", other.privateKey)).resolves.toBe(PASSWORD);
    });

    it("puts the password back in state, as a secret output, when the pgpKey is removed", async () => {
        const olds = await declaredPgpState();

        const result = await lifecycle.update(USER, olds, inputsOf());

        expect(iamMock).not.toHaveReceivedAnyCommand();
        expect(result.outs).toStrictEqual(stateOf(appliedOf(inputsOf())));
    });

    it("keeps the encrypted password, fingerprint and hash when only the flag changes", async () => {
        const olds = await declaredPgpState();

        const news = inputsOf({ pgpKey: alice.publicKey, passwordResetRequired: true });
        const result = await lifecycle.update(USER, olds, news);

        expect(sentCommands(iamMock)).toStrictEqual([["UpdateLoginProfileCommand", { UserName: USER, PasswordResetRequired: true }]]);
        expect(result.outs).toStrictEqual({ ...olds, passwordResetRequired: true, passwordResetPending: true, ...appliedOf(news) });
    });
});

describe("errors with a pgpKey", () => {
    it("cut the declared password out of an AWS message even when only the flag was sent", async () => {
        const olds = await declaredPgpState();
        iamMock.on(UpdateLoginProfileCommand).rejects(awsError.serviceFailure(`failed near ${PASSWORD}`));

        await expectLoginProfileError(
            lifecycle.update(USER, olds, inputsOf({ pgpKey: alice.publicKey, passwordResetRequired: true })),
            "ServiceFailure",
            `IAM UpdateLoginProfile for IAM user "${USER}" failed: ServiceFailure: failed near [secret] (${IAM_ENDPOINT})`,
        );
    });
});

describe("diff and update with a pgpKey and a generated password", () => {
    it("keeps everything when only the flag changes: there is no plaintext to reuse, and no need", async () => {
        const olds = (await lifecycle.create(generatedInputsOf({ pgpKey: alice.publicKey }))).outs as LoginProfileState;
        iamMock.resetHistory();

        const news = generatedInputsOf({ pgpKey: alice.publicKey, passwordResetRequired: true });
        const result = await lifecycle.update(USER, olds, news);

        expect(sentCommands(iamMock)).toStrictEqual([["UpdateLoginProfileCommand", { UserName: USER, PasswordResetRequired: true }]]);
        expect(result.outs).toStrictEqual({ ...olds, passwordResetRequired: true, passwordResetPending: true, ...appliedOf(news) });
    });

    it("generates a new password, encrypted to the new key, when the key changes", async () => {
        const olds = (await lifecycle.create(generatedInputsOf({ pgpKey: alice.publicKey }))).outs as LoginProfileState;
        iamMock.resetHistory();
        const news = generatedInputsOf({ pgpKey: other.publicKey });

        await expect(lifecycle.diff(USER, olds, news)).resolves.toStrictEqual(UPDATE_IN_PLACE);
        const result = await lifecycle.update(USER, olds, news);

        const password = passwordSentWith("UpdateLoginProfileCommand");
        // The account's policy was read by the create, once per account per provider process.
        expect(sentCommands(iamMock).map(([name]) => name)).toStrictEqual(["UpdateLoginProfileCommand"]);
        expect(result.outs?.keyFingerprint).toBe(other.fingerprint);
        await expect(decryptPassword(result.outs?.encryptedPassword ?? "", other.privateKey)).resolves.toBe(password);
    });

    it("generates a new password when a key is added, so the live one has never been stored", async () => {
        const result = await lifecycle.update(USER, generatedStateOf(), generatedInputsOf({ pgpKey: alice.publicKey }));

        const password = passwordSentWith("UpdateLoginProfileCommand");
        expect(result.outs).not.toHaveProperty("password");
        expect(password === generatedStateOf().password).toBe(false);
        await expect(decryptPassword(result.outs?.encryptedPassword ?? "", alice.privateKey)).resolves.toBe(password);
    });

    it("generates a new password, kept as a secret output, when the key is removed", async () => {
        const olds = generatedStateOf({ password: undefined, pgpKey: alice.publicKey, encryptedPassword: "x", keyFingerprint: "f" });

        const result = await lifecycle.update(USER, olds, generatedInputsOf());

        expect(result.outs).toStrictEqual(
            generatedStateOf({ password: passwordSentWith("UpdateLoginProfileCommand"), ...appliedOf(generatedInputsOf()) }),
        );
    });
});

describe("read with a pgpKey", () => {
    it("carries the encrypted password, fingerprint, key and hash over, and adds no password", async () => {
        const olds = await declaredPgpState();
        iamMock.on(GetLoginProfileCommand).resolves(CREATED);
        iamMock.on(GenerateCredentialReportCommand).resolves({ State: "COMPLETE" });
        iamMock.on(GetCredentialReportCommand).resolves(credentialReport([], CREATE_DATE));

        const result = await createLifecycle({ clock: instantClock(), env: {}, warn: failOnWarning }).read(USER, olds);

        expect(result).toStrictEqual({ id: USER, props: olds });
        expect(result.props).not.toHaveProperty("password");
    });
});
