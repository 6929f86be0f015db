/**
 * The account password policy a generated password must satisfy (GetAccountPasswordPolicy), and
 * AWS's default policy for accounts that set none. The Terraform resource ignores the policy when
 * it generates a password; this one reads it, so a generated password is never refused.
 */

/** The rules of a password policy that constrain which passwords can be set. */
export interface PasswordPolicy {
    /** Where the rules come from: the account's own policy, or AWS's default when it has none. */
    readonly source: "account" | "default";
    /** The fewest characters a password may have. */
    readonly minimumLength: number;
    /** At least one of A–Z. */
    readonly requireUppercase: boolean;
    /** At least one of a–z. */
    readonly requireLowercase: boolean;
    /** At least one of 0–9. */
    readonly requireNumbers: boolean;
    /** At least one of AWS's symbols, `SYMBOLS`. */
    readonly requireSymbols: boolean;
    /** How many days a password is valid (MaxPasswordAge); undefined when passwords never expire. */
    readonly maxPasswordAgeDays?: number;
    /** Whether an expired password locks the user out until an administrator resets it (HardExpiry). */
    readonly hardExpiry?: boolean;
}

/** One class of characters a policy can require. */
export interface CharacterClass {
    /** How a message names the class. */
    readonly name: string;
    /** Every character of the class. */
    readonly characters: string;
    /** Whether the policy requires at least one character of this class. */
    readonly requiredBy: (policy: PasswordPolicy) => boolean;
}

/** The symbols AWS's password policy counts as symbols (IAM user guide, "Setting an account password policy"). */
export const SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

/** The four classes, in the order messages name them. */
export const CHARACTER_CLASSES: readonly CharacterClass[] = [
    { name: "uppercase letters", characters: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", requiredBy: (p) => p.requireUppercase },
    { name: "lowercase letters", characters: "abcdefghijklmnopqrstuvwxyz", requiredBy: (p) => p.requireLowercase },
    { name: "numbers", characters: "0123456789", requiredBy: (p) => p.requireNumbers },
    { name: "symbols", characters: SYMBOLS, requiredBy: (p) => p.requireSymbols },
];

/**
 * AWS's default policy for an account without its own: at least 8 characters and at least three
 * of the four classes. Requiring all four satisfies "three of four" whichever three AWS counts.
 */
export const AWS_DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
    source: "default",
    minimumLength: 8,
    requireUppercase: true,
    requireLowercase: true,
    requireNumbers: true,
    requireSymbols: true,
};

/**
 * The minimum length AWS applies when an account policy leaves MinimumPasswordLength unset
 * (UpdateAccountPasswordPolicy: "the operation uses the default value of 6").
 */
export const ACCOUNT_POLICY_DEFAULT_MINIMUM_LENGTH = 6;

/** The character classes a policy requires, in CHARACTER_CLASSES order. */
export function requiredClasses(policy: PasswordPolicy): CharacterClass[] {
    return CHARACTER_CLASSES.filter((characterClass) => characterClass.requiredBy(policy));
}

/** Whether `password` satisfies the policy's minimum length and required classes. */
export function satisfiesPolicy(password: string, policy: PasswordPolicy): boolean {
    const characters = [...password];
    return (
        characters.length >= policy.minimumLength &&
        requiredClasses(policy).every((characterClass) => characters.some((c) => characterClass.characters.includes(c)))
    );
}
