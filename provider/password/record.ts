/**
 * What the state records about the password, as DESIGN.md's "Generated passwords and PGP" says:
 * without a `pgpKey`, the password itself (a secret output); with one, the password encrypted to
 * the key, the key's fingerprint and, for a declared password, a salted hash for `diff`, and no
 * plaintext at all; with custodians' `pgpKeys`, one share per key, each encrypted to its key, and
 * neither the password nor a share in plaintext. A generated password also records what it was
 * generated for.
 */
import { DEFAULT_PASSWORD_LENGTH } from "./generator";
import { hashPassword } from "./hash";
import { encryptPassword, readPgpKey, readPgpKeys, type PgpRecipient } from "./pgp";
import { splitToCustodians } from "./custodians";
import type { LoginProfileInputs, LoginProfileState } from "../model/types";

/** The state fields about the password. */
export type PasswordRecord = Pick<
    LoginProfileState,
    | "password"
    | "passwordLength"
    | "rotationTrigger"
    | "pgpKey"
    | "encryptedPassword"
    | "keyFingerprint"
    | "passwordHash"
    | "pgpKeys"
    | "threshold"
    | "encryptedShares"
>;

/** Whom the password is sealed to: one key (`pgpKey`), or the custodians' keys (`pgpKeys`), parsed. */
export interface Recipients {
    /** The parsed `pgpKey`. */
    readonly key?: PgpRecipient;
    /** The parsed `pgpKeys`, in their order. */
    readonly custodians?: readonly PgpRecipient[];
}

/**
 * Records `password`, the one just set (or, after a change of pgpKey alone, the declared one
 * re-encrypted). `recipients` are the parsed `inputs.pgpKey` or `inputs.pgpKeys`, when there are any.
 */
export async function recordPassword(inputs: LoginProfileInputs, password: string, recipients: Recipients = {}): Promise<PasswordRecord> {
    const recipient = recipients.key;
    const generated = inputs.password === undefined;
    const about: PasswordRecord = {
        // The declared length, or the default setting (20) that `diff` compares an omitted one
        // with, even when the policy made the password itself longer.
        ...(generated ? { passwordLength: inputs.passwordLength ?? DEFAULT_PASSWORD_LENGTH } : {}),
        ...(generated && typeof inputs.rotationTrigger === "string" ? { rotationTrigger: inputs.rotationTrigger } : {}),
    };
    if (recipients.custodians !== undefined && inputs.pgpKeys !== undefined && inputs.threshold !== undefined) {
        return {
            ...about,
            pgpKeys: inputs.pgpKeys,
            threshold: inputs.threshold,
            encryptedShares: await splitToCustodians(password, recipients.custodians, inputs.threshold),
        };
    }
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

/**
 * Parses the keys the inputs seal the password to, before any AWS call, so that no password is set
 * that could not be recorded.
 */
export async function readRecipients(inputs: Pick<LoginProfileInputs, "pgpKey" | "pgpKeys">): Promise<Recipients> {
    if (inputs.pgpKeys !== undefined) {
        return { custodians: await readPgpKeys(inputs.pgpKeys) };
    }
    return inputs.pgpKey !== undefined ? { key: await readPgpKey(inputs.pgpKey) } : {};
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
    "pgpKeys",
    "threshold",
    "encryptedShares",
] as const;

/** The record of a password that did not change, carried over from the state. */
export function keptPassword(olds: Partial<LoginProfileState>): PasswordRecord {
    return Object.fromEntries(RECORD_FIELDS.filter((field) => olds[field] !== undefined).map((field) => [field, olds[field]]));
}
