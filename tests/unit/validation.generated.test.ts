/**
 * `check` for generated passwords and PGP: an omitted password (and the generation mark check puts
 * in its place), passwordLength, rotationTrigger and the shape of pgpKey, all without an AWS call.
 * Only a key of the right shape is then parsed, with the OpenPGP library (rules/keys.ts).
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import { requireValidInputs, validateInputs } from "../../provider/rules/validation";
import { inputsOf, instantClock, PASSWORD, SET_AT_ISO, UNKNOWN, USER } from "./fixtures";
import { generateTestKeyPair } from "./pgpKeys";

const ONLY_GENERATED_LENGTH = "passwordLength applies only to generated passwords; remove it or remove password";
const ONLY_GENERATED_TRIGGER = "rotationTrigger applies only to generated passwords; remove it or remove password";
const NEITHER = "pgpKey must be an OpenPGP public key, armored (-----BEGIN PGP PUBLIC KEY BLOCK-----) or base64; it is neither";
const ARMORED_PUBLIC = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ0000BYJKwYBBAHaRw8BAQdA\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----\n";
/** The mark check gives a generated password it decides on, at SET_AT_ISO (the instant clock's start). */
const MARK = { generated: SET_AT_ISO };
const ARMORED_PRIVATE = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxVgEZ0000BYJKwYBBAHaRw8BAQdA\n-----END PGP PRIVATE KEY BLOCK-----\n";

let connect: jest.Mock;
let lifecycle: LoginProfileLifecycle;

beforeEach(() => {
    connect = jest.fn();
    lifecycle = createLifecycle({ connect, clock: instantClock() });
});

afterEach(() => {
    expect(connect).not.toHaveBeenCalled();
});

async function failuresOf(news: Record<string, unknown>): Promise<CheckFailure[]> {
    return (await lifecycle.check({}, news)).failures ?? [];
}

describe("check with the password omitted", () => {
    it("accepts it and leaves passwordLength omitted, for create to choose by the account's policy", async () => {
        await expect(lifecycle.check({}, { userName: USER })).resolves.toStrictEqual({
            inputs: { userName: USER, passwordResetRequired: false, password: MARK },
            failures: [],
        });
    });

    it("treats a null password as omitted", async () => {
        await expect(lifecycle.check({}, { userName: USER, password: null })).resolves.toStrictEqual({
            inputs: { userName: USER, password: MARK, passwordResetRequired: false },
            failures: [],
        });
        expect(requireValidInputs({ userName: USER, password: null })).toStrictEqual({
            userName: USER,
            passwordResetRequired: false,
        });
    });

    it("keeps a declared passwordLength, rotationTrigger and pgpKey", async () => {
        const { publicKey } = await generateTestKeyPair("alice");
        const news = { userName: USER, passwordLength: 128, rotationTrigger: "2026-11", pgpKey: publicKey };

        await expect(lifecycle.check({}, news)).resolves.toStrictEqual({
            inputs: { ...news, passwordResetRequired: false, password: MARK },
            failures: [],
        });
    });

    it("accepts an empty rotationTrigger and the shortest passwordLength, leaving the policy's minimum to create", async () => {
        await expect(failuresOf({ userName: USER, passwordLength: 1, rotationTrigger: "" })).resolves.toStrictEqual([]);
    });

    it("does not apply the default while the password is still unknown", async () => {
        const news = { userName: USER, password: UNKNOWN, passwordLength: 30, rotationTrigger: "r" };

        await expect(lifecycle.check({}, news)).resolves.toStrictEqual({ inputs: { ...news, passwordResetRequired: false }, failures: [] });
    });

    it("passes an unknown passwordLength, rotationTrigger and pgpKey", async () => {
        await expect(
            failuresOf({ userName: USER, passwordLength: UNKNOWN, rotationTrigger: UNKNOWN, pgpKey: UNKNOWN }),
        ).resolves.toStrictEqual([]);
    });
});

describe("check rejects options that only a generated password takes", () => {
    it("rejects passwordLength next to a declared password", async () => {
        await expect(failuresOf(inputsOf({ passwordLength: 24 }))).resolves.toStrictEqual([
            { property: "passwordLength", reason: ONLY_GENERATED_LENGTH },
        ]);
    });

    it("rejects rotationTrigger next to a declared password", async () => {
        await expect(failuresOf(inputsOf({ rotationTrigger: "1" }))).resolves.toStrictEqual([
            { property: "rotationTrigger", reason: ONLY_GENERATED_TRIGGER },
        ]);
    });

    it("accepts null for both next to a declared password", async () => {
        await expect(failuresOf(inputsOf({ passwordLength: null, rotationTrigger: null }))).resolves.toStrictEqual([]);
    });
});

describe("check rejects a bad passwordLength", () => {
    it.each<[string, unknown, string]>([
        ["0", 0, "0"],
        ["129", 129, "129"],
        ["negative", -5, "-5"],
        ["fractional", 20.5, "20.5"],
        ["not a number", Number.NaN, "NaN"],
        ["a string", "20", "a string"],
        ["a boolean", true, "a boolean"],
    ])("when it is %s", async (_case, passwordLength, shown) => {
        await expect(failuresOf({ userName: USER, passwordLength })).resolves.toStrictEqual([
            { property: "passwordLength", reason: `passwordLength must be a whole number from 1 to 128, not ${shown}` },
        ]);
    });
});

describe("check rejects a bad rotationTrigger", () => {
    it.each<[string, unknown, string]>([
        ["a number", 1, "a number"],
        ["an object", { at: "now" }, "an object"],
    ])("when it is %s", async (_case, rotationTrigger, shown) => {
        await expect(failuresOf({ userName: USER, rotationTrigger })).resolves.toStrictEqual([
            { property: "rotationTrigger", reason: `rotationTrigger must be a string, not ${shown}` },
        ]);
    });
});

describe("check looks at the shape of pgpKey first", () => {
    it.each<[string, string]>([
        ["armored", ARMORED_PUBLIC],
        ["armored, with surrounding whitespace", `\n  ${ARMORED_PUBLIC}  `],
        ["base64", "mDMEZ0000BYJKwYBBAHaRw8BAQdA+xyz/12="],
        ["base64 wrapped over lines", "mDMEZ0000BYJ\nKwYBBAHaRw8B\r\nAQdA"],
    ])("finds the shape of a key %s right, without the OpenPGP library", (_case, pgpKey) => {
        expect(validateInputs(inputsOf({ pgpKey })).failures).toStrictEqual([]);
    });

    it.each<[string, string]>([
        ["armored", ARMORED_PUBLIC],
        ["base64", "mDMEZ0000BYJKwYBBAHaRw8BAQdA+xyz/12="],
    ])("then parses a key %s of the right shape, and reports one that is no key, once, without a property", async (_case, pgpKey) => {
        await expect(failuresOf(inputsOf({ pgpKey }))).resolves.toStrictEqual([
            {
                property: "",
                reason: "pgpKey is not a usable OpenPGP public key: it cannot be read as an OpenPGP key (Unexpected end of packet)",
            },
        ]);
    });

    it.each<[string, unknown, string]>([
        ["a number", 42, "pgpKey must be a string, not a number"],
        ["empty", "", "pgpKey must not be empty: give an OpenPGP public key, armored or base64"],
        ["only whitespace", " \n ", "pgpKey must not be empty: give an OpenPGP public key, armored or base64"],
        [
            "a keybase reference",
            "keybase:alice",
            "pgpKey must be the public key itself, armored or base64: keybase: references are not supported",
        ],
        [
            "an armored private key",
            ARMORED_PRIVATE,
            "pgpKey must be a public key, but it is a private key: give the public key (gpg --export --armor)",
        ],
        ["an armored message", "-----BEGIN PGP MESSAGE-----\n\nwV4D\n-----END PGP MESSAGE-----", NEITHER],
        ["text that is neither", "my key", NEITHER],
        ["base64url", "mDMEZ0000BYJ_-==", NEITHER],
        ["truncated base64", "mDMEZ0000BYJKwY", NEITHER],
    ])("rejects %s", async (_case, pgpKey, reason) => {
        await expect(failuresOf(inputsOf({ pgpKey }))).resolves.toStrictEqual([{ property: "", reason }]);
    });

    it("never quotes a private key given by mistake", async () => {
        const failures = await failuresOf(inputsOf({ pgpKey: ARMORED_PRIVATE }));

        expect(failures.map((f) => f.reason).join()).not.toContain("xVgEZ0000");
    });
});

describe("create re-validates", () => {
    it("throws for a passwordLength next to a declared password", () => {
        expect(() => requireValidInputs(inputsOf({ passwordLength: 30 }))).toThrow(`invalid LoginProfile inputs: ${ONLY_GENERATED_LENGTH}`);
    });

    it("names rotationTrigger and pgpKey when they are still unknown", () => {
        expect(() => requireValidInputs({ userName: USER, password: PASSWORD, rotationTrigger: UNKNOWN, pgpKey: UNKNOWN })).toThrow(
            "invalid LoginProfile inputs: rotationTrigger is still unknown at apply time; pgpKey is still unknown at apply time",
        );
    });
});
