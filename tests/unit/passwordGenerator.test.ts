/** The password generator: every password satisfies its policy, drawn from node's CSPRNG without bias. */
import * as crypto from "node:crypto";
import fc from "fast-check";
import { LoginProfileError } from "../../provider/model/errors";
import { DEFAULT_PASSWORD_LENGTH, defaultPasswordLength, generatePassword, lengthProblem } from "../../provider/password/generator";
import {
    AWS_DEFAULT_PASSWORD_POLICY,
    CHARACTER_CLASSES,
    SYMBOLS,
    satisfiesPolicy,
    type PasswordPolicy,
} from "../../provider/password/policy";

// Every call still reaches node's own randomInt; the wrapper only records the bounds it was asked for.
jest.mock("node:crypto", () => {
    const actual = jest.requireActual<typeof crypto>("node:crypto");
    return { ...actual, randomInt: jest.fn((max: number) => actual.randomInt(max)) };
});

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const ALPHABET = UPPER + LOWER + DIGITS + SYMBOLS;
/** Every class required, at least 6 characters: the smallest minimum IAM allows. */
const ALL_CLASSES_6: PasswordPolicy = { ...AWS_DEFAULT_PASSWORD_POLICY, source: "account", minimumLength: 6 };

/** An account policy as IAM allows them (minimum 6 and up), with any set of required classes. */
const accountPolicy: fc.Arbitrary<PasswordPolicy> = fc.record({
    source: fc.constant("account" as const),
    minimumLength: fc.integer({ min: 6, max: 40 }),
    requireUppercase: fc.boolean(),
    requireLowercase: fc.boolean(),
    requireNumbers: fc.boolean(),
    requireSymbols: fc.boolean(),
});

/** A policy together with a passwordLength that can satisfy it (the minimum up to IAM's 128). */
const policyAndLength = accountPolicy.chain((policy) =>
    fc.tuple(fc.constant(policy), fc.integer({ min: Math.max(policy.minimumLength, 4), max: 128 })),
);

function hasAny(password: string, characters: string): boolean {
    return [...password].some((c) => characters.includes(c));
}

beforeEach(() => {
    jest.mocked(crypto.randomInt).mockClear();
});

describe("generatePassword", () => {
    it("satisfies every policy: exact length, each required class present, nothing outside the alphabet", () => {
        fc.assert(
            fc.property(policyAndLength, ([policy, length]) => {
                const password = generatePassword(length, policy);

                expect([...password]).toHaveLength(length);
                expect(satisfiesPolicy(password, policy)).toBe(true);
                expect(hasAny(password, UPPER) || !policy.requireUppercase).toBe(true);
                expect(hasAny(password, LOWER) || !policy.requireLowercase).toBe(true);
                expect(hasAny(password, DIGITS) || !policy.requireNumbers).toBe(true);
                expect(hasAny(password, SYMBOLS) || !policy.requireSymbols).toBe(true);
                expect([...password].every((c) => ALPHABET.includes(c))).toBe(true);
            }),
            { numRuns: 1000 },
        );
    });

    it("includes all four classes under AWS's default policy (it wants three of the four, whichever AWS counts)", () => {
        for (let run = 0; run < 200; run++) {
            const password = generatePassword(8, AWS_DEFAULT_PASSWORD_POLICY);

            expect(password).toHaveLength(8);
            expect([hasAny(password, UPPER), hasAny(password, LOWER), hasAny(password, DIGITS), hasAny(password, SYMBOLS)]).toStrictEqual([
                true,
                true,
                true,
                true,
            ]);
        }
    });

    it("draws from the whole alphabet: upper and lower case letters, digits and each of AWS's symbols", () => {
        const seen = new Set<string>();
        for (let run = 0; run < 1000; run++) {
            for (const c of generatePassword(DEFAULT_PASSWORD_LENGTH, AWS_DEFAULT_PASSWORD_POLICY)) {
                seen.add(c);
            }
        }

        expect([...seen].sort()).toStrictEqual([...ALPHABET].sort());
        expect(SYMBOLS).toBe("!@#$%^&*()_+-=[]{}|'");
    });

    it("draws every character and every shuffle step with crypto.randomInt over exactly the candidates (no modulo bias)", () => {
        generatePassword(6, ALL_CLASSES_6);

        // One of each class (26, 26, 10, 20 symbols), two from the 82-character alphabet, then Fisher–Yates.
        expect(jest.mocked(crypto.randomInt).mock.calls).toStrictEqual([[26], [26], [10], [20], [82], [82], [6], [5], [4], [3], [2]]);
    });

    it("shuffles the required characters into place, so they are not always first", () => {
        // With every draw 0: required "A", "a", "0", "!", then "A", "A"; each step swaps position i with 0.
        expect(generatePassword(6, ALL_CLASSES_6, () => 0)).toBe("a0!AAA");
        const firsts = new Set(Array.from({ length: 200 }, () => generatePassword(6, ALL_CLASSES_6).charAt(0)));
        expect([UPPER, LOWER, DIGITS, SYMBOLS].filter((characters) => [...firsts].some((c) => characters.includes(c)))).toHaveLength(4);
    });

    it("needs no class when the policy requires none", () => {
        const none: PasswordPolicy = { ...AWS_DEFAULT_PASSWORD_POLICY, source: "account", minimumLength: 1, requireUppercase: false };
        const password = generatePassword(1, { ...none, requireLowercase: false, requireNumbers: false, requireSymbols: false });

        expect(password).toHaveLength(1);
        expect(ALPHABET).toContain(password);
    });
});

describe("a passwordLength too short for the policy", () => {
    const policy: PasswordPolicy = { ...AWS_DEFAULT_PASSWORD_POLICY, source: "account", minimumLength: 14 };

    it("fails with a PasswordPolicyViolation naming passwordLength, the policy's minimum, and the way out", () => {
        expect(() => generatePassword(12, policy)).toThrow(
            new LoginProfileError(
                "PasswordPolicyViolation",
                "passwordLength is 12, but the account's password policy requires passwords of at least 14 characters: raise passwordLength to at least 14",
            ),
        );
        expect(() => generatePassword(12, policy)).toThrow(LoginProfileError);
    });

    it("names AWS's default policy when the account has none", () => {
        expect(lengthProblem(7, AWS_DEFAULT_PASSWORD_POLICY)).toBe(
            "passwordLength is 7, but AWS's default password policy (the account has none of its own) requires passwords of at least 8 characters: " +
                "raise passwordLength to at least 8",
        );
    });

    it("counts one character per required class when that is more than the minimum length", () => {
        const classes: PasswordPolicy = { ...AWS_DEFAULT_PASSWORD_POLICY, source: "account", minimumLength: 1, requireNumbers: false };

        expect(lengthProblem(2, classes)).toBe(
            "passwordLength is 2, but the account's password policy requires one character each of uppercase letters, lowercase letters, and symbols, " +
                "so at least 3 characters: raise passwordLength to at least 3",
        );
        expect(lengthProblem(3, classes)).toBeUndefined();
    });

    it("accepts exactly the minimum", () => {
        expect(lengthProblem(14, policy)).toBeUndefined();
        expect(generatePassword(14, policy)).toHaveLength(14);
    });
});

describe("the length of a generated password when passwordLength is omitted", () => {
    it("is 20 under AWS's default policy and under account minimums up to 20", () => {
        expect(defaultPasswordLength(AWS_DEFAULT_PASSWORD_POLICY)).toBe(20);
        expect(defaultPasswordLength({ ...ALL_CLASSES_6, minimumLength: 20 })).toBe(20);
    });

    it("is the account policy's minimum when that is above 20", () => {
        expect(defaultPasswordLength({ ...ALL_CLASSES_6, minimumLength: 30 })).toBe(30);
        expect(defaultPasswordLength({ ...ALL_CLASSES_6, minimumLength: 128 })).toBe(128);
    });

    it("always satisfies the policy it was chosen for", () => {
        fc.assert(
            fc.property(accountPolicy, (policy) => {
                const length = defaultPasswordLength(policy);
                expect(length).toBe(Math.max(DEFAULT_PASSWORD_LENGTH, policy.minimumLength));
                expect(lengthProblem(length, policy)).toBeUndefined();
                expect(satisfiesPolicy(generatePassword(length, policy), policy)).toBe(true);
            }),
        );
    });
});

describe("satisfiesPolicy", () => {
    it("refuses a password that is too short or misses a required class", () => {
        expect(satisfiesPolicy("Aa0!Aa0", AWS_DEFAULT_PASSWORD_POLICY)).toBe(false);
        expect(satisfiesPolicy("Aa0Aa0Aa0", AWS_DEFAULT_PASSWORD_POLICY)).toBe(false);
        expect(satisfiesPolicy("Aa0!Aa0!", AWS_DEFAULT_PASSWORD_POLICY)).toBe(true);
    });

    it("names the four classes in order", () => {
        expect(CHARACTER_CLASSES.map((c) => c.name)).toStrictEqual(["uppercase letters", "lowercase letters", "numbers", "symbols"]);
    });
});
