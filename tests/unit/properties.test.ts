/** Properties of check, diff and error messages over generated inputs (fast-check). */
import fc from "fast-check";
import { diffProfile } from "../../provider/rules/diff";
import { describeAwsError } from "../../provider/aws/awsError";
import { hashPassword } from "../../provider/password/hash";
import type { LoginProfileState } from "../../provider/model/types";
import { requireValidInputs, validateInputs } from "../../provider/rules/validation";
import { awsError, networkError } from "./fixtures";

const USER_NAME_ALPHABET = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+=,.@-"];

/** One character IAM accepts in a user name. */
const userNameChar = fc.constantFrom(...USER_NAME_ALPHABET);
/** A valid IAM user name: 1 to 64 of `[\w+=,.@-]`. */
const validUserName = fc.string({ unit: userNameChar, minLength: 1, maxLength: 64 });

/** One character IAM accepts in a password: TAB, LF, CR, U+0020 to U+00FF (so U+0080 to U+00FF too). */
const passwordChar = fc.oneof(
    fc.constantFrom("\t", "\n", "\r"),
    fc.integer({ min: 0x20, max: 0x7f }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
);
/** A valid password: 1 to 128 allowed characters. */
const validPassword = fc.string({ unit: passwordChar, minLength: 1, maxLength: 128 });

/** A character IAM refuses in a password: other control characters, U+0100 and up, astral (emoji). */
const badPasswordChar = fc
    .oneof(
        fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 0x09 && c !== 0x0a && c !== 0x0d),
        fc.integer({ min: 0x100, max: 0xd7ff }),
        fc.integer({ min: 0xe000, max: 0xffff }),
        fc.integer({ min: 0x10000, max: 0x10ffff }),
    )
    .map((c) => String.fromCodePoint(c));

/** A password with at least one refused character somewhere in it. */
const passwordWithBadChar = fc
    .tuple(fc.string({ unit: passwordChar, maxLength: 60 }), badPasswordChar, fc.string({ unit: passwordChar, maxLength: 60 }))
    .map(([before, bad, after]) => before + bad + after);

/** A password longer than 128 characters. */
const tooLongPassword = fc.string({ unit: passwordChar, minLength: 129, maxLength: 200 });

/** A user name IAM refuses: too long, or holding a character outside the rule. */
const invalidUserName = fc.oneof(
    fc.constant(""),
    fc.string({ unit: userNameChar, minLength: 65, maxLength: 100 }),
    fc
        .tuple(
            fc.string({ unit: userNameChar, maxLength: 30 }),
            fc.constantFrom(" ", "/", "#", "\u00e9", "\u00c5", "*", "!", "\t", "\u4e00"),
            fc.string({ unit: userNameChar, maxLength: 30 }),
        )
        .map(([before, bad, after]) => before + bad + after),
);

/** Not a string. */
const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.array(fc.string(), { maxLength: 2 }));

const optionalFlag = fc.option(fc.boolean(), { nil: undefined });
const region = fc.option(fc.constantFrom("us-east-1", "eu-west-1", "us-gov-west-1", "cn-north-1"), { nil: undefined });

/** Valid inputs as a program declares them. */
const validInputs = fc.record(
    { userName: validUserName, password: validPassword, passwordResetRequired: optionalFlag, region },
    { requiredKeys: ["userName", "password"] },
);

/**
 * The state a create with these inputs leaves, then a refresh: with the reset still pending or
 * fulfilled (`fulfilled` true) when one was required. (A reset pending when none was required is
 * drift, forced outside Pulumi: lifecycle.drift.test.ts covers it.)
 */
function stateFor(inputs: { userName: string; password: string; passwordResetRequired?: boolean | undefined }, fulfilled: boolean) {
    const state: LoginProfileState = {
        userName: inputs.userName,
        password: inputs.password,
        passwordResetRequired: inputs.passwordResetRequired ?? false,
        passwordResetPending: (inputs.passwordResetRequired ?? false) && !fulfilled,
        createDate: "2026-11-02T10:20:30.000Z",
    };
    return state;
}

/** Flips the case of some letters of a user name. */
const caseVariant = fc.tuple(validUserName, fc.array(fc.boolean(), { minLength: 64, maxLength: 64 })).map(([name, flips]) => ({
    name,
    variant: [...name].map((c, i) => (flips[i] ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join(""),
}));

describe("diff properties", () => {
    it("reports no change when nothing changed, whether or not the user has fulfilled a required reset", () => {
        fc.assert(
            fc.property(validInputs, fc.boolean(), (inputs, fulfilled) => {
                expect(diffProfile(stateFor(inputs, fulfilled), { ...validateInputs(inputs).inputs })).toStrictEqual({
                    changes: false,
                    replaces: [],
                    deleteBeforeReplace: false,
                });
            }),
        );
    });

    it("replaces the profile, deleting first, on any change of userName other than case", () => {
        fc.assert(
            fc.property(validInputs, validUserName, fc.boolean(), (inputs, newName, fulfilled) => {
                fc.pre(newName.toLowerCase() !== inputs.userName.toLowerCase());
                expect(diffProfile(stateFor(inputs, fulfilled), { ...inputs, userName: newName })).toStrictEqual({
                    changes: true,
                    replaces: ["userName"],
                    deleteBeforeReplace: true,
                });
            }),
        );
    });

    it("never replaces the profile when userName changes only in case", () => {
        fc.assert(
            fc.property(caseVariant, validPassword, ({ name, variant }, password) => {
                expect(diffProfile(stateFor({ userName: name, password }, false), { userName: variant, password })).toStrictEqual({
                    changes: false,
                    replaces: [],
                    deleteBeforeReplace: false,
                });
            }),
        );
    });

    it("updates in place on any change of the password alone", () => {
        fc.assert(
            fc.property(validInputs, validPassword, fc.boolean(), (inputs, newPassword, fulfilled) => {
                fc.pre(newPassword !== inputs.password);
                expect(diffProfile(stateFor(inputs, fulfilled), { ...inputs, password: newPassword })).toStrictEqual({
                    changes: true,
                    replaces: [],
                    deleteBeforeReplace: false,
                });
            }),
        );
    });

    it("updates in place on any change of passwordResetRequired alone, whatever AWS reports as pending", () => {
        fc.assert(
            fc.property(validInputs, fc.boolean(), (inputs, fulfilled) => {
                const flipped = !(inputs.passwordResetRequired ?? false);
                expect(diffProfile(stateFor(inputs, fulfilled), { ...inputs, passwordResetRequired: flipped })).toStrictEqual({
                    changes: true,
                    replaces: [],
                    deleteBeforeReplace: false,
                });
            }),
        );
    });
});

describe("diff properties of generated and PGP-protected passwords", () => {
    const length = fc.integer({ min: 1, max: 128 });
    const trigger = fc.option(fc.string({ maxLength: 20 }), { nil: undefined });

    /** The state after generating a password with this length and trigger. */
    function generatedState(passwordLength: number, rotationTrigger: string | undefined): LoginProfileState {
        return {
            userName: "alice",
            password: "generated-Passw0rd!",
            passwordLength,
            ...(rotationTrigger === undefined ? {} : { rotationTrigger }),
            passwordResetRequired: false,
            passwordResetPending: false,
            createDate: "2026-11-02T10:20:30.000Z",
        };
    }

    it("keeps a generated password while passwordLength and rotationTrigger stay, and regenerates in place when either changes", () => {
        fc.assert(
            fc.property(length, trigger, length, trigger, (oldLength, oldTrigger, newLength, newTrigger) => {
                const news = validateInputs({ userName: "alice", passwordLength: newLength, rotationTrigger: newTrigger }).inputs;
                const changed = oldLength !== newLength || oldTrigger !== newTrigger;

                expect(diffProfile(generatedState(oldLength, oldTrigger), news)).toStrictEqual({
                    changes: changed,
                    replaces: [],
                    deleteBeforeReplace: false,
                });
            }),
        );
    });

    it("tells a changed declared password from the same one through the salted hash alone", () => {
        fc.assert(
            fc.property(validPassword, validPassword, (oldPassword, newPassword) => {
                const olds: LoginProfileState = {
                    userName: "alice",
                    passwordHash: hashPassword(oldPassword),
                    pgpKey: "k",
                    passwordResetRequired: false,
                    passwordResetPending: false,
                    createDate: "2026-11-02T10:20:30.000Z",
                };

                expect(diffProfile(olds, { userName: "alice", password: oldPassword, pgpKey: "k" }).changes).toBe(false);
                expect(diffProfile(olds, { userName: "alice", password: newPassword, pgpKey: "k" }).changes).toBe(
                    newPassword !== oldPassword,
                );
            }),
            // scrypt is slow on purpose (about 50 ms a hash, twice per run).
            { numRuns: 30 },
        );
    });
});

describe("check properties", () => {
    it("accepts every valid input and applies the default flag", () => {
        fc.assert(
            fc.property(validInputs, (inputs) => {
                const result = validateInputs(inputs);
                expect(result.failures).toStrictEqual([]);
                expect(result.inputs).toStrictEqual({ ...inputs, passwordResetRequired: inputs.passwordResetRequired ?? false });
            }),
        );
    });

    it("rejects any invalid userName with one failure naming userName", () => {
        fc.assert(
            fc.property(validInputs, fc.oneof(invalidUserName, notAString), (inputs, userName) => {
                const failures = validateInputs({ ...inputs, userName }).failures;
                expect(failures).toHaveLength(1);
                expect(failures[0]?.property).toBe("userName");
                expect(failures[0]?.reason).toMatch(/^userName (is required|must be|may hold only)/);
            }),
        );
    });

    it("rejects any invalid password with one failure naming password", () => {
        fc.assert(
            fc.property(validInputs, fc.oneof(fc.constant(""), passwordWithBadChar, tooLongPassword, notAString), (inputs, password) => {
                const failures = validateInputs({ ...inputs, password }).failures;
                expect(failures).toHaveLength(1);
                expect(failures[0]?.property).toBe(""); // the engine would print the value next to a named property
                expect(failures[0]?.reason).toMatch(/^password (must be|may hold only)/);
            }),
        );
    });

    it("rejects any passwordResetRequired that is not a boolean with one failure naming it", () => {
        fc.assert(
            fc.property(validInputs, fc.oneof(fc.string(), fc.integer(), fc.constant({})), (inputs, flag) => {
                expect(validateInputs({ ...inputs, passwordResetRequired: flag }).failures).toStrictEqual([
                    {
                        property: "passwordResetRequired",
                        reason: expect.stringMatching(/^passwordResetRequired must be a boolean \(true or false\), not an? \w+$/) as string,
                    },
                ]);
            }),
        );
    });
});

describe("no message ever contains the password", () => {
    /**
     * Passwords of at least 4 characters, valid or not, starting with "§": the generated user names,
     * regions and messages hold no "§", so a message that contains the password quotes it.
     */
    const markedPassword = fc
        .oneof(fc.string({ unit: passwordChar, minLength: 3, maxLength: 127 }), passwordWithBadChar, tooLongPassword)
        .map((rest) => `\u00a7${rest}`)
        .filter((p) => !p.includes("[") && !p.includes("]"));

    const otherInputs = fc.record({
        userName: fc.oneof(validUserName, invalidUserName, notAString),
        passwordResetRequired: fc.oneof(fc.boolean(), fc.constant("yes"), fc.constant(1)),
        region: fc.oneof(fc.constant(undefined), fc.constantFrom("us-east-1", "moon", "EU")),
    });

    it("in check's failures", () => {
        fc.assert(
            fc.property(markedPassword, otherInputs, (password, others) => {
                for (const failure of validateInputs({ ...others, password }).failures) {
                    expect(failure.reason).not.toContain(password);
                }
            }),
        );
    });

    it("in the error create throws for inputs that are still invalid", () => {
        fc.assert(
            fc.property(markedPassword, otherInputs, (password, others) => {
                let message = "";
                try {
                    requireValidInputs({ ...others, password });
                } catch (error) {
                    message = (error as Error).message;
                }
                expect(message).not.toContain(password);
            }),
        );
    });

    it("in an AWS error, even when AWS's own message quotes it", () => {
        const anyAwsError = fc.constantFrom(...Object.values(awsError));
        fc.assert(
            fc.property(markedPassword, validUserName, anyAwsError, fc.string(), (password, userName, makeError, noise) => {
                const quoted = makeError(`${noise}${password} rejected; was ${password}${noise}`);
                expect(describeAwsError("CreateLoginProfile", userName, quoted, password).message).not.toContain(password);
                const unreachable = networkError("ECONNRESET", `socket hang up while sending ${password}`);
                expect(describeAwsError("UpdateLoginProfile", userName, unreachable, password).message).not.toContain(password);
            }),
        );
    });
});
