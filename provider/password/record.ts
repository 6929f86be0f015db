/**
 * What the state records about the password, as DESIGN.md's "Generated passwords and PGP" says:
 * without a `pgpKey`, the password itself (a secret output); with one, the password encrypted to
 * the key, the key's fingerprint and, for a declared password, a salted hash for `diff`, and no
 * plaintext at all. A generated password also records what it was generated for.
 */
import { DEFAULT_PASSWORD_LENGTH } from "./generator";
import { hashPassword } from "./hash";
import { encryptPassword, type PgpRecipient } from "./pgp";
import type { LoginProfileInputs, LoginProfileState } from "../model/types";

/** The state fields about the password. */
export type PasswordRecord = Pick<
    LoginProfileState,
    "password" | "passwordLength" | "rotationTrigger" | "pgpKey" | "encryptedPassword" | "keyFingerprint" | "passwordHash"
>;

/**
 * Records `password`, the one just set (or, after a change of pgpKey alone, the declared one
 * re-encrypted). `recipient` is the parsed `inputs.pgpKey`, when there is one.
 */
export async function recordPassword(
    inputs: LoginProfileInputs,
    password: string,
    recipient: PgpRecipient | undefined,
): Promise<PasswordRecord> {
    const generated = inputs.password === undefined;
    const about: PasswordRecord = {
        // The declared length, or the default setting (20) that `diff` compares an omitted one
        // with, even when the policy made the password itself longer.
        ...(generated ? { passwordLength: inputs.passwordLength ?? DEFAULT_PASSWORD_LENGTH } : {}),
        ...(generated && typeof inputs.rotationTrigger === "string" ? { rotationTrigger: inputs.rotationTrigger } : {}),
    };
    if (recipient === undefined || inputs.pgpKey === undefined) {
        return { password, ...about };
    }
    return {
        ...about,
        pgpKey: inputs.pgpKey,
        encryptedPassword: await encryptPassword(recipient, password),
        keyFingerprint: recipient.fingerprint,
        // A generated password is never compared with a declared one, so it needs no hash.
        ...(generated ? {} : { passwordHash: hashPassword(password) }),
    };
}

/** The state fields about the password, in the order `PasswordRecord` lists them. */
const RECORD_FIELDS = [
    "password",
    "passwordLength",
    "rotationTrigger",
    "pgpKey",
    "encryptedPassword",
    "keyFingerprint",
    "passwordHash",
] as const;

/** The record of a password that did not change, carried over from the state. */
export function keptPassword(olds: Partial<LoginProfileState>): PasswordRecord {
    return Object.fromEntries(RECORD_FIELDS.filter((field) => olds[field] !== undefined).map((field) => [field, olds[field]]));
}
