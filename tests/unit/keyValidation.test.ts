/**
 * `check`'s parse of the keys (provider/rules/keys.ts) and the custodians' keys read for a split
 * (`readPgpKeys`): a key that cannot be encrypted to, or the same key twice, is named by its
 * position before any AWS call; a key the shape rules already refused is left to them; no key is
 * echoed.
 */
import { LoginProfileError } from "../../provider/model/errors";
import { UNKNOWN } from "../../provider/model/unknown";
import { readPgpKey, readPgpKeys } from "../../provider/password/pgp";
import { keyFailures } from "../../provider/rules/keys";
import { generateSigningOnlyPublicKey, generateTestKeyPairs, type TestKeyPair } from "./pgpKeys";

/** Of a key's shape (armored, public), but no key: what openpgp cannot read. */
const UNREADABLE = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ0000\n-----END PGP PUBLIC KEY BLOCK-----\n";
/** Of a key's shape (base64), but no key. */
const NOT_A_KEY_BASE64 = "AAAA";

const CANNOT_READ = "is not a usable OpenPGP public key: it cannot be read as an OpenPGP key (Unexpected end of packet)";
const CANNOT_PARSE =
    "is not a usable OpenPGP public key: it cannot be read as an OpenPGP key (Error during parsing. This message / key probably does not conform to a valid OpenPGP format.)";

let pairs: TestKeyPair[];
let signingOnly: string;

beforeAll(async () => {
    pairs = await generateTestKeyPairs(3);
    signingOnly = await generateSigningOnlyPublicKey();
});

/** The public keys of the test pairs, armored. */
function publicKeys(): string[] {
    return pairs.map((pair) => pair.publicKey);
}

describe("keyFailures", () => {
    it("finds nothing wrong with usable keys, armored or base64", async () => {
        const [a, b, c] = pairs as [TestKeyPair, TestKeyPair, TestKeyPair];

        await expect(keyFailures({ userName: "alice", pgpKey: a.publicKeyBase64 })).resolves.toEqual([]);
        await expect(
            keyFailures({ userName: "alice", pgpKeys: [a.publicKey, b.publicKeyBase64, c.publicKey], threshold: 2 }),
        ).resolves.toEqual([]);
    });

    it("finds nothing to parse without a key", async () => {
        await expect(keyFailures({ userName: "alice" })).resolves.toEqual([]);
    });

    it("names pgpKey as readPgpKey does, without the property field, so that the engine does not print the key", async () => {
        await expect(keyFailures({ userName: "alice", pgpKey: UNREADABLE })).resolves.toEqual([
            { property: "", reason: `pgpKey ${CANNOT_READ}` },
        ]);
    });

    it("names each unusable entry of pgpKeys by its position", async () => {
        const [a, b] = publicKeys() as [string, string];

        const failures = await keyFailures({ userName: "alice", pgpKeys: [a, NOT_A_KEY_BASE64, b, signingOnly], threshold: 2 });

        expect(failures).toHaveLength(2);
        expect(failures[0]).toEqual({ property: "", reason: `pgpKeys[1] ${CANNOT_PARSE}` });
        expect(failures[1]?.property).toBe("");
        expect(failures[1]?.reason).toMatch(
            /^pgpKeys\[3\] is not a usable OpenPGP public key: it has no key that can encrypt \(Could not find valid encryption key packet in key [0-9a-f]{16}\)$/,
        );
    });

    it("refuses the same key twice, in either form, naming both places and the fingerprint", async () => {
        const [a, b] = pairs as [TestKeyPair, TestKeyPair];

        const failures = await keyFailures({
            userName: "alice",
            pgpKeys: [a.publicKey, b.publicKey, a.publicKeyBase64, a.publicKey],
            threshold: 2,
        });

        expect(failures).toEqual([
            {
                property: "",
                reason: `pgpKeys[2] is the same key as pgpKeys[0] (fingerprint ${a.fingerprint}): each custodian needs their own key`,
            },
            {
                property: "",
                reason: `pgpKeys[3] is the same key as pgpKeys[0] (fingerprint ${a.fingerprint}): each custodian needs their own key`,
            },
        ]);
    });

    it("leaves to the shape rules a key they already refused, so that one key gets one reason", async () => {
        const [a, b] = publicKeys() as [string, string];
        const news = {
            userName: "alice",
            pgpKey: "keybase:alice",
            pgpKeys: [a, b, "keybase:bob", "-----BEGIN PGP PRIVATE KEY BLOCK-----\nx"],
            threshold: 2,
        };

        await expect(keyFailures(news)).resolves.toEqual([]);
    });

    it("skips what is unknown, absent, empty or not a string: preview passes it, and the shape rules speak of the rest", async () => {
        const [a, b] = publicKeys() as [string, string];

        await expect(keyFailures({ userName: "alice", pgpKey: UNKNOWN })).resolves.toEqual([]);
        await expect(keyFailures({ userName: "alice", pgpKeys: UNKNOWN, threshold: 2 })).resolves.toEqual([]);
        await expect(keyFailures({ userName: "alice", pgpKeys: [a, UNKNOWN, b, null, "", "  ", 7], threshold: 2 })).resolves.toEqual([]);
        await expect(keyFailures({ userName: "alice", pgpKeys: "not a list", threshold: 2 })).resolves.toEqual([]);
    });

    it("never echoes a key in a reason", async () => {
        const failures = await keyFailures({ userName: "alice", pgpKeys: [NOT_A_KEY_BASE64.repeat(20), signingOnly], threshold: 2 });

        expect(failures).toHaveLength(2);
        for (const failure of failures) {
            expect(failure.reason).not.toContain(NOT_A_KEY_BASE64.repeat(20));
            expect(failure.reason).not.toContain(signingOnly.split("\n")[2]);
        }
    });
});

describe("readPgpKey", () => {
    it("names pgpKey by default, as it always has", async () => {
        await expect(readPgpKey(UNREADABLE)).rejects.toThrow(new LoginProfileError("InvalidPgpKey", `pgpKey ${CANNOT_READ}`));
    });
});

describe("readPgpKeys", () => {
    it("reads the custodians' keys in their order", async () => {
        const recipients = await readPgpKeys(publicKeys());

        expect(recipients.map((recipient) => recipient.fingerprint)).toEqual(pairs.map((pair) => pair.fingerprint));
    });

    it("names an unusable key by its position", async () => {
        const [a] = publicKeys() as [string];

        await expect(readPgpKeys([a, UNREADABLE])).rejects.toThrow(new LoginProfileError("InvalidPgpKey", `pgpKeys[1] ${CANNOT_READ}`));
    });

    it("refuses the same key twice", async () => {
        const [a, b] = pairs as [TestKeyPair, TestKeyPair];

        await expect(readPgpKeys([a.publicKey, b.publicKey, a.publicKeyBase64])).rejects.toThrow(
            new LoginProfileError(
                "InvalidPgpKey",
                `pgpKeys[2] is the same key as pgpKeys[0] (fingerprint ${a.fingerprint}): each custodian needs their own key`,
            ),
        );
    });
});
