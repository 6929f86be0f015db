/**
 * Encrypts to the user's OpenPGP public keys, as the Terraform resource's `encrypted_password`
 * does: the output is the base64 of a binary OpenPGP message, so `base64 --decode | gpg --decrypt`
 * prints what was encrypted (the password to `pgpKey`, a custodian's share to an entry of
 * `pgpKeys`). The `openpgp` library is loaded on the first use, not at import: resources without
 * a key never load it, nor does `diff`; `check` loads it only to parse a key it was given
 * (rules/keys.ts), so that `pulumi preview` reports a malformed one.
 */
import type { Key } from "openpgp";
import { LoginProfileError, redact } from "../model/errors";

type OpenPgp = typeof import("openpgp");

/** A public key read from `pgpKey` (or an entry of `pgpKeys`), ready to encrypt to. */
export interface PgpRecipient {
    /** The parsed key. */
    readonly key: Key;
    /** The primary key's fingerprint, lower-case hex (the `keyFingerprint` output). */
    readonly fingerprint: string;
}

/** How armored keys begin; anything else is taken as base64 of a binary key (Terraform accepts both). */
const ARMOR_HEADER = "-----BEGIN PGP ";

let openpgp: Promise<OpenPgp> | undefined;

function loadOpenPgp(): Promise<OpenPgp> {
    openpgp ??= import("openpgp");
    return openpgp;
}

/**
 * Parses `pgpKey` fully (check only looks at its shape) and makes sure it can be encrypted to.
 * Throws a LoginProfileError (code `InvalidPgpKey`) naming `property` (the input the key came from:
 * `pgpKey`, or `pgpKeys[i]` for a custodian's) and what is wrong with the key.
 */
export async function readPgpKey(pgpKey: string, property = "pgpKey"): Promise<PgpRecipient> {
    const pgp = await loadOpenPgp();
    const text = pgpKey.trim();
    let key: Key;
    try {
        key = text.startsWith(ARMOR_HEADER)
            ? await pgp.readKey({ armoredKey: text })
            : await pgp.readKey({ binaryKey: new Uint8Array(Buffer.from(text, "base64")) });
    } catch (error) {
        throw invalidKey(property, `it cannot be read as an OpenPGP key (${messageOf(error)})`);
    }
    if (key.isPrivate()) {
        // Encrypting would work, but a private key in a Pulumi program (and in its state) is a leak.
        throw invalidKey(
            property,
            "it is a private key; give the public key instead (gpg --export), and keep the private key out of the program",
        );
    }
    try {
        await key.getEncryptionKey();
    } catch (error) {
        throw invalidKey(property, `it has no key that can encrypt (${messageOf(error)})`);
    }
    return { key, fingerprint: key.getFingerprint() };
}

/**
 * Reads the custodians' keys (`pgpKeys`), in their order, each as `readPgpKey` does with its
 * position in errors (`pgpKeys[1] is not a usable OpenPGP public key: …`). Throws as well when two
 * entries are the same key: one custodian would then hold two shares, and the threshold would no
 * longer mean that many people.
 */
export async function readPgpKeys(keys: readonly string[]): Promise<PgpRecipient[]> {
    const recipients: PgpRecipient[] = [];
    for (const [index, key] of keys.entries()) {
        recipients.push(await readPgpKey(key, `pgpKeys[${index}]`));
    }
    const [repeated] = repeatedKeys(recipients.map((recipient) => recipient.fingerprint));
    if (repeated !== undefined) {
        throw new LoginProfileError("InvalidPgpKey", repeated);
    }
    return recipients;
}

/**
 * Why entries of `pgpKeys` are refused for being the same key as an earlier one, one reason per
 * repeat, given each entry's fingerprint (undefined for an entry that could not be read).
 */
export function repeatedKeys(fingerprints: readonly (string | undefined)[]): string[] {
    return fingerprints.flatMap((fingerprint, index) => {
        const first = fingerprint === undefined ? -1 : fingerprints.indexOf(fingerprint);
        return first === -1 || first === index
            ? []
            : [`pgpKeys[${index}] is the same key as pgpKeys[${first}] (fingerprint ${fingerprint}): each custodian needs their own key`];
    });
}

/** The password encrypted to the recipient: base64 of a binary OpenPGP message. */
export function encryptPassword(recipient: PgpRecipient, password: string): Promise<string> {
    return encryptText(recipient, password, `the password to pgpKey ${recipient.fingerprint}`);
}

/**
 * `text` encrypted to the recipient as `encryptPassword` encrypts a password (base64 of a binary
 * OpenPGP message of its UTF-8 bytes), so that `base64 --decode | gpg --decrypt` prints it as it
 * is. A failure throws a LoginProfileError (code `InvalidPgpKey`), `encrypting <what> failed: …`,
 * that never holds `text`.
 */
export async function encryptText(recipient: PgpRecipient, text: string, what: string): Promise<string> {
    const pgp = await loadOpenPgp();
    try {
        // Binary literal data: a text message would have its line endings rewritten to CRLF, and
        // a password may hold LF or CR. The bytes are the text's UTF-8.
        const message = await pgp.createMessage({ binary: new Uint8Array(Buffer.from(text, "utf8")) });
        // openpgp declares the result through @openpgp/web-stream-tools' stream types, which do
        // not resolve under this package's CommonJS resolution; for a non-stream message it is a Uint8Array.
        const encrypted = (await pgp.encrypt({ message, encryptionKeys: recipient.key, format: "binary" })) as unknown as Uint8Array;
        return Buffer.from(encrypted).toString("base64");
    } catch (error) {
        // Also without its line break: a share is encrypted with one, and a message would quote it without.
        throw new LoginProfileError("InvalidPgpKey", `encrypting ${what} failed: ${redact(redact(messageOf(error), text), text.trim())}`);
    }
}

function invalidKey(property: string, reason: string): LoginProfileError {
    return new LoginProfileError("InvalidPgpKey", `${property} is not a usable OpenPGP public key: ${reason}`);
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
