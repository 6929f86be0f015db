/**
 * Break-glass dual control (provider/password/custodians.ts): a password split among custodians'
 * keys comes back from any `threshold` of their decrypted shares, and from nothing less, nothing
 * altered and nothing of another password; no error holds the password or a share.
 */
import { LoginProfileError } from "../../provider/model/errors";
import { combineShares, splitToCustodians, type EncryptedShare, type ShareLine } from "../../provider/password/custodians";
import { readPgpKeys, type PgpRecipient } from "../../provider/password/pgp";
import { encodeShare, parseShare } from "../../provider/password/shares";
import { decryptPassword, generateTestKeyPairs, type TestKeyPair } from "./pgpKeys";
import { withOneCharacterChanged } from "./shareLines";

/** A generated password, as the resource would split it. */
const PASSWORD = "q7{Rb!x2Lk@9Wm$ZpT4e";

let custodians: TestKeyPair[];
let recipients: PgpRecipient[];
/** A 2-of-3 split of PASSWORD among the first three custodians, as state keeps it. */
let split: EncryptedShare[];
/** Its shares, decrypted by each custodian: what `gpg --decrypt` prints. */
let decrypted: string[];

beforeAll(async () => {
    custodians = await generateTestKeyPairs(3);
    recipients = await readPgpKeys(custodians.map((pair) => pair.publicKey));
    split = await splitToCustodians(PASSWORD, recipients, 2);
    decrypted = await decryptAll(split, custodians);
});

/** Each share decrypted with its custodian's private key. */
function decryptAll(shares: readonly EncryptedShare[], pairs: readonly TestKeyPair[]): Promise<string[]> {
    return Promise.all(shares.map((share, index) => decryptPassword(share.encryptedShare, pairs[index]?.privateKey ?? "")));
}

/** Shares as lines from files named after the custodians' positions (`share1.txt`). */
function fromFiles(...positions: number[]): ShareLine[] {
    return positions.map((position) => ({ source: `share${position}.txt`, text: decrypted[position - 1] ?? "" }));
}

/** What `combineShares` refuses `lines` with, checked to be the package's error and to hold no password or share. */
async function refusal(lines: readonly ShareLine[]): Promise<string> {
    const error = await combineShares(lines).then(
        () => undefined,
        (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LoginProfileError);
    expect(error).toMatchObject({ code: "InvalidShare" });
    const message = (error as Error).message;
    expect(message).not.toContain(PASSWORD);
    for (const text of [...decrypted, ...lines.map((line) => line.text)]) {
        for (const field of text
            .trim()
            .split(" ")
            .filter((value) => value.length >= 16)) {
            expect(message).not.toContain(field);
        }
    }
    return message;
}

describe("splitToCustodians", () => {
    it("gives one share per key, in the keys' order, each named by its key's fingerprint", () => {
        expect(split.map((share) => share.keyFingerprint)).toEqual(custodians.map((pair) => pair.fingerprint));
        for (const share of split) {
            expect(Object.keys(share).sort()).toEqual(["encryptedShare", "keyFingerprint"]);
            expect(share.encryptedShare).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
            // A binary OpenPGP message, as encryptedPassword: its first byte is a packet tag.
            expect((Buffer.from(share.encryptedShare, "base64")[0] ?? 0) & 0x80).toBe(0x80);
        }
    });

    it("keeps neither the password nor a share in what state records", () => {
        const state = JSON.stringify(split);

        expect(state).not.toContain(PASSWORD);
        for (const line of decrypted) {
            expect(state).not.toContain(line.trim().split(" ")[6]);
        }
    });

    it("encrypts to each custodian one line, ending with a line break, that names its place in a 2-of-3 split of one password", () => {
        const shares = decrypted.map((text, index) => parseShare(text, `share${index + 1}`));

        expect(decrypted.every((text) => /^pulumi-iam-login-profile-share [\x21-\x7e ]+\n$/.test(text))).toBe(true);
        expect(shares.map(({ threshold, count, position }) => ({ threshold, count, position }))).toEqual([
            { threshold: 2, count: 3, position: 1 },
            { threshold: 2, count: 3, position: 2 },
            { threshold: 2, count: 3, position: 3 },
        ]);
        expect(new Set(shares.map((share) => share.splitId)).size).toBe(1);
        expect(decrypted.join("")).not.toContain(PASSWORD);
    });

    it("splits anew each time: another split id, other shares", async () => {
        const again = await decryptAll(await splitToCustodians(PASSWORD, recipients, 2), custodians);

        expect(parseShare(again[0] ?? "", "a").splitId).not.toBe(parseShare(decrypted[0] ?? "", "b").splitId);
        expect(again[0]).not.toBe(decrypted[0]);
    });

    it.each([
        [1, 2, "pgpKeys must hold 2 to 10 keys, not 1"],
        [11, 2, "pgpKeys must hold 2 to 10 keys, not 11"],
        [3, 1, "threshold must be a whole number from 2 to 3 (the number of pgpKeys), not 1"],
        [3, 4, "threshold must be a whole number from 2 to 3 (the number of pgpKeys), not 4"],
        [3, 2.5, "threshold must be a whole number from 2 to 3 (the number of pgpKeys), not 2.5"],
    ])("refuses %d key(s) with a threshold of %d", async (keys, threshold, message) => {
        const many = Array.from({ length: keys }, (_, index) => recipients[index % recipients.length] as PgpRecipient);

        await expect(splitToCustodians(PASSWORD, many, threshold)).rejects.toThrow(new LoginProfileError("Invalid", message));
    });
});

describe("combineShares", () => {
    it.each([[[1, 2]], [[1, 3]], [[2, 3]], [[3, 1]], [[1, 2, 3]], [[3, 2, 1]]])(
        "gives the password back from shares %j",
        async (positions) => {
            await expect(combineShares(fromFiles(...positions))).resolves.toBe(PASSWORD);
        },
    );

    it("splits 3-of-10 and combines any 3 of the 10", async () => {
        const ten = await generateTestKeyPairs(10);
        const shares = await decryptAll(await splitToCustodians(PASSWORD, await readPgpKeys(ten.map((pair) => pair.publicKey)), 3), ten);
        const lines = [9, 2, 5].map((index) => ({ source: `share${index + 1}.txt`, text: shares[index] ?? "" }));

        await expect(combineShares(lines)).resolves.toBe(PASSWORD);
        expect(await refusal(lines.slice(0, 2))).toBe("2 shares given, but this password needs 3 of its 10 shares");
    });

    it("ignores blank lines and a share given twice", async () => {
        const [first, second] = fromFiles(1, 2) as [ShareLine, ShareLine];
        const lines = [
            { source: "line 1 of standard input", text: "" },
            first,
            { source: "line 3 of standard input", text: "  \r" },
            first,
            second,
        ];

        await expect(combineShares(lines)).resolves.toBe(PASSWORD);
    });

    it("refuses one share, saying how many the password needs", async () => {
        expect(await refusal(fromFiles(2))).toBe("1 share given, but this password needs 2 of its 3 shares");
    });

    it("counts a share given twice once", async () => {
        expect(await refusal(fromFiles(2, 2))).toBe("1 share given, but this password needs 2 of its 3 shares");
    });

    it("refuses nothing at all", async () => {
        expect(await refusal([{ source: "line 1 of standard input", text: "" }])).toBe(
            "no share given: give the decrypted shares, one per line",
        );
    });

    it("names a share with one character changed as altered", async () => {
        const [first, second] = fromFiles(1, 2) as [ShareLine, ShareLine];
        const lines = [first, { source: "share2.txt", text: withOneCharacterChanged(second.text) }];

        expect(await refusal(lines)).toBe("the share in share2.txt was altered: its checksum does not match");
    });

    it("names a line that is no share", async () => {
        const lines = [...fromFiles(1), { source: "line 2 of standard input", text: split[1]?.encryptedShare ?? "" }];

        expect(await refusal(lines)).toBe("line 2 of standard input is not a pulumi-iam-login-profile share");
    });

    it("refuses shares of two splits, naming both", async () => {
        const other = await decryptAll(await splitToCustodians(PASSWORD, recipients, 2), custodians);
        const lines = [...fromFiles(1), { source: "bob.txt", text: other[1] ?? "" }];

        expect(await refusal(lines)).toBe("the share in bob.txt belongs to another password than the share in share1.txt");
    });

    it("never prints a wrong password: a share forged with a checksum that matches does not combine", async () => {
        const share = parseShare(decrypted[1] ?? "", "share2.txt");
        const bytes = new Uint8Array(share.bytes);
        bytes[0] = (bytes[0] ?? 0) ^ 1;
        const lines = [...fromFiles(1), { source: "share2.txt", text: encodeShare({ ...share, bytes }) }];

        expect(await refusal(lines)).toBe("the shares do not combine to the password they were split from: one of them was altered");
    });

    it("refuses two different shares in one place", async () => {
        const share = parseShare(decrypted[1] ?? "", "share2.txt");
        const bytes = new Uint8Array(share.bytes);
        bytes[0] = (bytes[0] ?? 0) ^ 1;
        const lines = [...fromFiles(2), { source: "copy.txt", text: encodeShare({ ...share, bytes }) }];

        expect(await refusal(lines)).toBe("the shares in share2.txt and copy.txt are both share 2, but differ: one of them was altered");
    });

    it("refuses shares that disagree about what they were split from", async () => {
        const share = parseShare(decrypted[1] ?? "", "share2.txt");
        const lines = [...fromFiles(1), { source: "share2.txt", text: encodeShare({ ...share, threshold: 3 }) }];

        expect(await refusal(lines)).toBe(
            "the shares in share1.txt and share2.txt disagree about the password they were split from: one of them was altered",
        );
    });

    it("refuses shares the library cannot combine (a repeated x coordinate) as altered", async () => {
        const [one, two] = [parseShare(decrypted[0] ?? "", "a"), parseShare(decrypted[1] ?? "", "b")];
        const bytes = new Uint8Array(two.bytes);
        bytes[bytes.length - 1] = one.bytes[one.bytes.length - 1] ?? 0;
        const lines = [...fromFiles(1), { source: "share2.txt", text: encodeShare({ ...two, bytes }) }];

        expect(await refusal(lines)).toBe("the shares do not combine to the password they were split from: one of them was altered");
    });
});

describe("the Shamir library is loaded on the first split or combine, not before", () => {
    const BLOCKED = "shamir-secret-sharing was loaded";

    afterEach(() => {
        jest.dontMock("shamir-secret-sharing");
    });

    it("is not needed to load the module, and is what a split and a combine load", async () => {
        let module: typeof import("../../provider/password/custodians") | undefined;
        jest.isolateModules(() => {
            jest.doMock("shamir-secret-sharing", () => {
                throw new Error(BLOCKED);
            });
            module = jest.requireActual<typeof import("../../provider/password/custodians")>("../../provider/password/custodians");
        });

        expect(module).toBeDefined();
        await expect(module?.splitToCustodians(PASSWORD, recipients, 2)).rejects.toThrow(BLOCKED);
        await expect(module?.combineShares(fromFiles(1, 2))).rejects.toThrow(BLOCKED);
    });
});
