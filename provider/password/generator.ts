/**
 * Generates a password that satisfies a password policy, from node's CSPRNG. Every draw is
 * `crypto.randomInt(n)` over exactly the `n` candidates, which node computes by rejection
 * sampling: no modulo bias, and no hand-written randomness.
 */
import { randomInt } from "node:crypto";
import { LoginProfileError } from "../model/errors";
import { CHARACTER_CLASSES, requiredClasses, type PasswordPolicy } from "./policy";

/**
 * The length of a generated password when `passwordLength` is not declared, unless the password
 * policy needs more (`defaultPasswordLength`). The state records this value for such a password,
 * so `diff` compares a declared length with it, without knowing the policy.
 */
export const DEFAULT_PASSWORD_LENGTH = 20;

/** The longest password IAM accepts, and so the largest `passwordLength`. */
export const MAX_PASSWORD_LENGTH = 128;

/** A uniformly random integer in `[0, maxExclusive)`. */
export type RandomIndex = (maxExclusive: number) => number;

let list: Intl.ListFormat | undefined;
/**
 * Joins class names as "a, b, and c" in messages. The formatter is made on first use: loading
 * ICU's list data took 12 ms, a tenth of the provider plugin's start (bench/pluginFrontDoor.ts).
 */
function listOf(items: readonly string[]): string {
    list ??= new Intl.ListFormat("en", { style: "long", type: "conjunction" });
    return list.format(items);
}

/** Every character a generated password may hold: upper and lower case, digits and AWS's symbols. */
const ALPHABET = CHARACTER_CLASSES.map((characterClass) => characterClass.characters).join("");

/**
 * A password of exactly `length` characters, drawn from upper and lower case letters, digits and
 * AWS's symbols, with at least one character of each class the policy requires. Throws a
 * LoginProfileError (code `PasswordPolicyViolation`) when `length` cannot satisfy the policy.
 * @param random the source of randomness; @default crypto.randomInt
 */
export function generatePassword(length: number, policy: PasswordPolicy, random: RandomIndex = (n) => randomInt(n)): string {
    const problem = lengthProblem(length, policy);
    if (problem !== undefined) {
        throw new LoginProfileError("PasswordPolicyViolation", problem);
    }
    // One character of each required class first, so the policy holds whatever the rest draws…
    const characters = requiredClasses(policy).map((characterClass) => pick(characterClass.characters, random));
    while (characters.length < length) {
        characters.push(pick(ALPHABET, random));
    }
    // …then a Fisher–Yates shuffle, so those required characters sit anywhere, not first.
    for (let i = characters.length - 1; i > 0; i--) {
        const j = random(i + 1);
        [characters[i], characters[j]] = [characters[j] as string, characters[i] as string];
    }
    return characters.join("");
}

/**
 * The length of a generated password when `passwordLength` is not declared: 20, or the fewest
 * characters the policy accepts when that is more. Only a declared length below the policy's
 * minimum is refused; an omitted one follows the policy.
 */
export function defaultPasswordLength(policy: PasswordPolicy): number {
    return Math.max(DEFAULT_PASSWORD_LENGTH, shortestAllowed(policy));
}

/** The fewest characters that can satisfy the policy: its minimum, and one of each required class. */
function shortestAllowed(policy: PasswordPolicy): number {
    return Math.max(policy.minimumLength, requiredClasses(policy).length);
}

/**
 * Why `length` cannot satisfy the policy, or undefined when it can. Known only at create, when
 * the policy has been read; `check` makes no AWS call, so it cannot tell.
 */
export function lengthProblem(length: number, policy: PasswordPolicy): string | undefined {
    const classes = requiredClasses(policy);
    const needed = shortestAllowed(policy);
    if (length >= needed) {
        return undefined;
    }
    const source =
        policy.source === "account" ? "the account's password policy" : "AWS's default password policy (the account has none of its own)";
    const requirement =
        needed > policy.minimumLength
            ? `one character each of ${listOf(classes.map((c) => c.name))}, so at least ${needed} characters`
            : `passwords of at least ${needed} characters`;
    return `passwordLength is ${length}, but ${source} requires ${requirement}: raise passwordLength to at least ${needed}`;
}

function pick(characters: string, random: RandomIndex): string {
    return characters.charAt(random(characters.length));
}
