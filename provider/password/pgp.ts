/**
 * Encrypts the password to the user's OpenPGP public key, as the Terraform resource's
 * `encrypted_password` does: the output is the base64 of a binary OpenPGP message, so
 * `base64 --decode | gpg --decrypt` prints the password. The `openpgp` library is loaded on the
 * first use, not at import: resources without a `pgpKey`, `check`, `diff` and the whole of
 * `pulumi preview` never load it.
 */
import type { Key } from "openpgp";
import { LoginProfileError, redact } from "../model/errors";

type OpenPgp = typeof import("openpgp");

/** A public key read from `pgpKey`, ready to encrypt to. */
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
 * Throws a LoginProfileError (code `InvalidPgpKey`) naming pgpKey and what is wrong with it.
 */
export async function readPgpKey(pgpKey: string): Promise<PgpRecipient> {
    const pgp = await loadOpenPgp();
    const text = pgpKey.trim();
    let key: Key;
    try {
        key = text.startsWith(ARMOR_HEADER)
            ? await pgp.readKey({ armoredKey: text })
            : await pgp.readKey({ binaryKey: new Uint8Array(Buffer.from(text, "base64")) });
    } catch (error) {
        throw invalidKey(`it cannot be read as an OpenPGP key (${messageOf(error)})`);
    }
    if (key.isPrivate()) {
        // Encrypting would work, but a private key in a Pulumi program (and in its state) is a leak.
        throw invalidKey("it is a private key; give the public key instead (gpg --export), and keep the private key out of the program");
    }
    try {
        await key.getEncryptionKey();
    } catch (error) {
        throw invalidKey(`it has no key that can encrypt (${messageOf(error)})`);
    }
    return { key, fingerprint: key.getFingerprint() };
}

/** The password encrypted to the recipient: base64 of a binary OpenPGP message. */
export async function encryptPassword(recipient: PgpRecipient, password: string): Promise<string> {
    const pgp = await loadOpenPgp();
    try {
        // Binary literal data: a text message would have its line endings rewritten to CRLF, and
        // a password may hold LF or CR. The bytes are the password's UTF-8.
        const message = await pgp.createMessage({ binary: new Uint8Array(Buffer.from(password, "utf8")) });
        // openpgp declares the result through @openpgp/web-stream-tools' stream types, which do
        // not resolve under this package's CommonJS resolution; for a non-stream message it is a Uint8Array.
        const encrypted = (await pgp.encrypt({ message, encryptionKeys: recipient.key, format: "binary" })) as unknown as Uint8Array;
        return Buffer.from(encrypted).toString("base64");
    } catch (error) {
        throw new LoginProfileError(
            "InvalidPgpKey",
            `encrypting the password to pgpKey ${recipient.fingerprint} failed: ${redact(messageOf(error), password)}`,
        );
    }
}

function invalidKey(reason: string): LoginProfileError {
    return new LoginProfileError("InvalidPgpKey", `pgpKey is not a usable OpenPGP public key: ${reason}`);
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
