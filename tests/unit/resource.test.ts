/** The LoginProfile resource class: what it registers with the engine, under Pulumi's mocks. */
import * as pulumi from "@pulumi/pulumi";
import { LoginProfile, LoginProfileError } from "../../provider";
import { CREATE_DATE_ISO, PASSWORD, USER } from "./fixtures";

const TYPE = "pulumi-nodejs:dynamic/aws-iam:LoginProfile";
const PGP_KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ0000\n-----END PGP PUBLIC KEY BLOCK-----\n";

/** A registration the mocked engine received. */
interface Registered {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

/** What the mocked engine was asked to register. */
const registered: Registered[] = [];

beforeAll(async () => {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                const inputs = args.inputs as Record<string, unknown>;
                registered.push({ type: args.type, name: args.name, inputs });
                // The provider's create would return these outputs; the password comes back as sent.
                const state: Record<string, unknown> = { ...inputs, passwordResetPending: true, createDate: CREATE_DATE_ISO };
                if (inputs.pgpKey !== undefined) {
                    state.encryptedPassword = "d2NvbnRlbnQ=";
                    state.keyFingerprint = "cf01e09d63581e658467699916b4e458764ade05";
                }
                delete state.__provider;
                return { id: String(inputs.userName), state };
            },
            call: (args) => args.inputs as Record<string, unknown>,
        },
        "project",
        "stack",
        false,
    );
});

beforeEach(() => {
    registered.length = 0;
});

/** The value an Output resolves to. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** Declares a LoginProfile and records what its registration was built from, via a transformation. */
function declare(
    name: string,
    args: ConstructorParameters<typeof LoginProfile>[1],
    opts: pulumi.CustomResourceOptions = {},
): { profile: LoginProfile; seen: pulumi.ResourceTransformationArgs[] } {
    const seen: pulumi.ResourceTransformationArgs[] = [];
    const record: pulumi.ResourceTransformation = (transformationArgs) => {
        seen.push(transformationArgs);
        return undefined;
    };
    const profile = new LoginProfile(name, args, { ...opts, transformations: [record] });
    return { profile, seen };
}

/** The additionalSecretOutputs a registration asks for (a custom resource's option). */
function secretOutputsOf(args: pulumi.ResourceTransformationArgs | undefined): string[] | undefined {
    const opts: pulumi.CustomResourceOptions = { ...args?.opts };
    return opts.additionalSecretOutputs ? [...opts.additionalSecretOutputs] : undefined;
}

describe("LoginProfile", () => {
    it(`registers as ${TYPE}`, async () => {
        const { profile, seen } = declare("alice", { userName: USER, password: PASSWORD });

        await valueOf(profile.id);

        expect(seen.map((s) => s.type)).toStrictEqual([TYPE]);
        expect(registered.map((r) => [r.type, r.name])).toStrictEqual([[TYPE, "alice"]]);
    });

    it("makes the password a secret even when it is passed as a plain string", async () => {
        const { profile, seen } = declare("plain", { userName: USER, password: PASSWORD });

        await valueOf(profile.id);

        const password = seen[0]?.props.password as pulumi.Output<string>;
        expect(pulumi.Output.isInstance(password)).toBe(true);
        await expect(pulumi.isSecret(password)).resolves.toBe(true);
        await expect(valueOf(password)).resolves.toBe(PASSWORD);
    });

    it("registers a declared role with its external id secret and its ARN in plain view, and nothing it was not given", async () => {
        const roleArn = "arn:aws:iam::111111111111:role/OrganizationBreakGlass";
        const { profile, seen } = declare("member", {
            userName: USER,
            password: PASSWORD,
            assumeRole: { roleArn, externalId: "ext-1234" },
        });
        await valueOf(profile.id);

        const role = seen[0]?.props.assumeRole as Record<string, pulumi.Input<unknown>>;
        expect(Object.keys(role).sort()).toStrictEqual(["externalId", "roleArn"]);
        expect(role.roleArn).toBe(roleArn);
        await expect(pulumi.isSecret(role.externalId as pulumi.Output<string>)).resolves.toBe(true);
    });

    it("keeps a password that is already a secret Output secret", async () => {
        const { seen } = declare("secret", { userName: USER, password: pulumi.secret(PASSWORD) });

        await expect(pulumi.isSecret(seen[0]?.props.password as pulumi.Output<string>)).resolves.toBe(true);
    });

    it("asks the engine to keep the password output, a password's hash, and the role (which may carry the stack's external id) secret too", () => {
        const { seen } = declare("outputs", { userName: USER, password: PASSWORD });

        expect(secretOutputsOf(seen[0])).toStrictEqual(["password", "passwordHash", "assumeRole"]);
    });

    it("keeps the caller's own additionalSecretOutputs next to the password", () => {
        const { seen } = declare("merged", { userName: USER, password: PASSWORD }, { additionalSecretOutputs: ["createDate"] });

        expect(secretOutputsOf(seen[0])?.sort()).toStrictEqual(["assumeRole", "createDate", "password", "passwordHash"]);
    });

    it("sends no password at all when it is omitted, so the provider generates one, and keeps the output secret", async () => {
        const { profile, seen } = declare("generated", { userName: USER, passwordLength: 24, rotationTrigger: "1" });

        await valueOf(profile.id);

        const inputs = registered.find((r) => r.name === "generated")?.inputs;
        expect(inputs).toStrictEqual({
            userName: USER,
            passwordLength: 24,
            rotationTrigger: "1",
            passwordResetRequired: false,
            __provider: expect.any(String) as string,
        });
        expect(secretOutputsOf(seen[0])).toStrictEqual(["password", "passwordHash", "assumeRole"]);
    });

    it("registers no property for an optional input that was not given (each costs the program an Output)", () => {
        const { seen } = declare("lean", { userName: USER, password: PASSWORD });

        expect(Object.keys(seen[0]?.props ?? {}).sort()).toStrictEqual([
            "__provider",
            "accountId",
            "createDate",
            "driftCheckedAt",
            "encryptedPassword",
            "encryptedShares",
            "keyFingerprint",
            "password",
            "passwordChangedBy",
            "passwordExpiresAt",
            "passwordLastChanged",
            "passwordLastUsed",
            "passwordResetPending",
            "passwordResetRequired",
            "rotationDue",
            "userName",
        ]);
    });

    it("passes the pgpKey and exposes encryptedPassword and keyFingerprint", async () => {
        const { profile } = declare("pgp", { userName: USER, pgpKey: PGP_KEY });

        await valueOf(profile.id);

        expect(registered.find((r) => r.name === "pgp")?.inputs.pgpKey).toBe(PGP_KEY);
        await expect(valueOf(profile.encryptedPassword)).resolves.toBe("d2NvbnRlbnQ=");
        await expect(valueOf(profile.keyFingerprint)).resolves.toBe("cf01e09d63581e658467699916b4e458764ade05");
    });

    it("defaults passwordResetRequired to false", async () => {
        const { profile, seen } = declare("default-flag", { userName: USER, password: PASSWORD });

        await valueOf(profile.id);

        expect(seen[0]?.props.passwordResetRequired).toBe(false);
        expect(registered[0]?.inputs.passwordResetRequired).toBe(false);
    });

    it("sends the password to the engine marked as a secret", async () => {
        const { profile } = declare("wire", { userName: USER, password: PASSWORD });

        await valueOf(profile.id);

        expect(registered[0]?.inputs.password).toStrictEqual({
            [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig,
            value: PASSWORD,
        });
    });

    it("passes every declared input to the provider, with the serialized provider", async () => {
        const { profile } = declare("all", {
            userName: USER,
            password: PASSWORD,
            passwordResetRequired: true,
            region: "eu-west-1",
            adoptExisting: true,
        });

        await valueOf(profile.id);

        const { __provider: provider, ...inputs } = registered[0]?.inputs ?? {};
        expect(inputs).toStrictEqual({
            userName: USER,
            password: { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: PASSWORD },
            passwordResetRequired: true,
            region: "eu-west-1",
            adoptExisting: true,
        });
        expect(typeof provider).toBe("string");
        expect(provider).toContain('require("pulumi-iam-login-profile/hooks")');
        expect(provider).not.toContain(PASSWORD);
    });

    it("exposes every output the provider returns", async () => {
        const { profile } = declare("outs", { userName: USER, password: PASSWORD, passwordResetRequired: true });

        await expect(valueOf(profile.userName)).resolves.toBe(USER);
        await expect(valueOf(profile.password)).resolves.toBe(PASSWORD);
        await expect(valueOf(profile.passwordResetRequired)).resolves.toBe(true);
        await expect(valueOf(profile.passwordResetPending)).resolves.toBe(true);
        await expect(valueOf(profile.createDate)).resolves.toBe(CREATE_DATE_ISO);
        await expect(valueOf(profile.id)).resolves.toBe(USER);
    });

    it("is exported with the package's error class", () => {
        expect(new LoginProfileError("Invalid", "x")).toBeInstanceOf(Error);
    });
});
