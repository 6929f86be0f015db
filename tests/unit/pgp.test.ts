/** Reading the pgpKey and encrypting to it, on their own. */
import type { Key } from "openpgp";
import { LoginProfileError } from "../../provider/model/errors";
import { encryptPassword, readPgpKey } from "../../provider/password/pgp";
import { PASSWORD } from "./fixtures";
import { decryptPassword, generateTestKeyPair, type TestKeyPair } from "./pgpKeys";

let pair: TestKeyPair;

beforeAll(async () => {
    pair = await generateTestKeyPair();
});

describe("readPgpKey", () => {
    it("reads an armored key and a base64 one alike, and reports the primary key's fingerprint", async () => {
        const armored = await readPgpKey(pair.publicKey);
        const base64 = await readPgpKey(`\n${pair.publicKeyBase64.replace(/(.{64})/g, "$1\n")}\n`);

        expect(armored.fingerprint).toBe(pair.fingerprint);
        expect(base64.fingerprint).toBe(pair.fingerprint);
        expect(armored.fingerprint).toMatch(/^[0-9a-f]{40}$/);
    });
});

describe("encryptPassword", () => {
    it("gives base64 of a binary OpenPGP message that the private key decrypts to the password", async () => {
        const encrypted = await encryptPassword(await readPgpKey(pair.publicKey), PASSWORD);

        expect(encrypted).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
        // A binary message starts with a packet tag byte (bit 7 set), not with "-----BEGIN PGP MESSAGE-----".
        expect((Buffer.from(encrypted, "base64")[0] ?? 0) & 0x80).toBe(0x80);
        await expect(decryptPassword(encrypted, pair.privateKey)).resolves.toBe(PASSWORD);
    });

    it("encrypts anew each time (a fresh session key)", async () => {
        const recipient = await readPgpKey(pair.publicKey);

        expect(await encryptPassword(recipient, PASSWORD)).not.toBe(await encryptPassword(recipient, PASSWORD));
    });

    it("fails with a message naming pgpKey's fingerprint, and never the password", async () => {
        const broken = { key: {} as Key, fingerprint: "0123abcd" };

        const error = await encryptPassword(broken, PASSWORD).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(LoginProfileError);
        expect(error).toMatchObject({ code: "InvalidPgpKey" });
        expect((error as Error).message).toMatch(/^encrypting the password to pgpKey 0123abcd failed: /);
        expect((error as Error).message).not.toContain(PASSWORD);
    });
});
