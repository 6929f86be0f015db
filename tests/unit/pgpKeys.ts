/**
 * OpenPGP key pairs made for the tests with the library the provider uses, and the decryption a
 * user would do with `base64 --decode | gpg --decrypt`. Kept out of fixtures.ts so that the tests
 * that must not load openpgp do not.
 */
import * as openpgp from "openpgp";

/** A test key pair, armored. */
export interface TestKeyPair {
    /** The public key, armored (`-----BEGIN PGP PUBLIC KEY BLOCK-----`). */
    readonly publicKey: string;
    /** The same public key as base64 of its binary form, the other form Terraform takes. */
    readonly publicKeyBase64: string;
    /** The private key, armored, unprotected. */
    readonly privateKey: string;
    /** The primary key's fingerprint, lower-case hex. */
    readonly fingerprint: string;
}

/**
 * Makes a Curve25519 key pair with an encryption subkey (fast: tens of milliseconds). openpgp 6
 * names the curve `curve25519Legacy`; `curve25519` is its deprecated alias for the same curve.
 */
export async function generateTestKeyPair(name = "t"): Promise<TestKeyPair> {
    const { publicKey, privateKey } = await openpgp.generateKey({
        type: "ecc",
        curve: "curve25519Legacy",
        userIDs: [{ name }],
        format: "armored",
    });
    const key = await openpgp.readKey({ armoredKey: publicKey });
    return { publicKey, publicKeyBase64: Buffer.from(key.write()).toString("base64"), privateKey, fingerprint: key.getFingerprint() };
}

/** `count` key pairs made as `generateTestKeyPair` makes one, named `c1`, `c2`, …: custodians' keys. */
export function generateTestKeyPairs(count: number): Promise<TestKeyPair[]> {
    return Promise.all(Array.from({ length: count }, (_, index) => generateTestKeyPair(`c${index + 1}`)));
}

/** A public key that can sign but not encrypt: an Ed25519 primary key and no subkey. */
export async function generateSigningOnlyPublicKey(): Promise<string> {
    const { publicKey } = await openpgp.generateKey({
        type: "ecc",
        curve: "ed25519Legacy",
        userIDs: [{ name: "s" }],
        subkeys: [],
        format: "armored",
    });
    return publicKey;
}

/**
 * Decrypts an `encryptedPassword` output, or an `encryptedShare` of `encryptedShares` (base64 of a
 * binary OpenPGP message), with the private key.
 */
export async function decryptPassword(encryptedPassword: string, armoredPrivateKey: string): Promise<string> {
    const message = await openpgp.readMessage({ binaryMessage: new Uint8Array(Buffer.from(encryptedPassword, "base64")) });
    const decryptionKeys = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
    // Typed through @openpgp/web-stream-tools, whose types do not resolve here; a Uint8Array for a non-stream message.
    const decrypted = (await openpgp.decrypt({ message, decryptionKeys, format: "binary" })) as unknown as { data: Uint8Array };
    return Buffer.from(decrypted.data).toString("utf8");
}
