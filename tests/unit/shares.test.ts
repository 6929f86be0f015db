/** The text of one decrypted share (provider/password/shares.ts): written, read back, and every refusal by its exact message. */
import { LoginProfileError } from "../../provider/model/errors";
import { commitmentTo, encodeShare, parseShare, SHARE_TAG, type Share } from "../../provider/password/shares";
import { withField, withOneCharacterChanged } from "./shareLines";

const SPLIT_ID = "AAECAwQFBgcICQoLDA0ODw"; // 16 bytes, base64url
const SECRET = new Uint8Array(Buffer.from("q7{Rb!x2Lk@9Wm$ZpT4e", "utf8"));

const SHARE: Share = {
    splitId: SPLIT_ID,
    threshold: 2,
    count: 3,
    position: 2,
    bytes: new Uint8Array([...SECRET.map((byte) => byte ^ 0x5a), 0x17]),
    commitment: commitmentTo(SPLIT_ID, SECRET),
};

const LINE = encodeShare(SHARE);

/** The error `parseShare` throws for `line`, checked to be the package's and to quote nothing of the share. */
function refusal(line: string, source = "alice.txt"): string {
    let thrown: unknown;
    try {
        parseShare(line, source);
    } catch (error) {
        thrown = error;
    }
    expect(thrown).toBeInstanceOf(LoginProfileError);
    expect(thrown).toMatchObject({ code: "InvalidShare" });
    const message = (thrown as Error).message;
    // The split id, the share, the commitment and the checksum: the numbers are too short to tell.
    for (const field of LINE.split(" ").filter((value) => value.length >= 16)) {
        expect(message).not.toContain(field);
    }
    return message;
}

describe("encodeShare", () => {
    it("writes one ASCII line: tag, format, split id, threshold, count, position, share, commitment, checksum", () => {
        const fields = LINE.split(" ");

        expect(fields.slice(0, 6)).toEqual([SHARE_TAG, "1", SPLIT_ID, "2", "3", "2"]);
        expect(fields[6]).toBe(Buffer.from(SHARE.bytes).toString("base64url"));
        expect(fields[7]).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(fields[8]).toMatch(/^[0-9a-f]{16}$/);
        expect(LINE).toMatch(/^[\x21-\x7e ]+$/);
    });

    it("never holds the password, nor its commitment's input", () => {
        expect(LINE).not.toContain("q7{Rb!x2Lk@9Wm$ZpT4e");
    });
});

describe("parseShare", () => {
    it("reads back what encodeShare wrote, whatever white space surrounds it", () => {
        expect(parseShare(LINE, "alice.txt")).toEqual(SHARE);
        expect(parseShare(`  ${LINE}\r\n`, "alice.txt")).toEqual(SHARE);
        expect(parseShare(LINE.replace(/ /g, "\t"), "alice.txt")).toEqual(SHARE);
    });

    it.each([
        ["text", "hello"],
        ["the encrypted share, still base64", "wV4DAAAAAAAAAAASAQdAq7z0c1k="],
        ["an armored message", "-----BEGIN PGP MESSAGE-----"],
        ["a share line without its tag", LINE.slice(SHARE_TAG.length + 1)],
    ])("refuses %s as no share", (_, line) => {
        expect(refusal(line)).toBe("alice.txt is not a pulumi-iam-login-profile share");
    });

    it("names a later format as such, not as an altered share", () => {
        expect(refusal(withField(LINE, 1, "2"))).toBe(
            "the share in alice.txt has format 2, which this version of pulumi-iam-login-profile cannot read",
        );
    });

    it.each([
        ["one character of the share changed", withOneCharacterChanged(LINE)],
        ["the threshold changed", withField(LINE, 3, "1")],
        ["the position changed", withField(LINE, 5, "3")],
        ["the split id changed", withField(LINE, 2, "BAECAwQFBgcICQoLDA0ODw")],
        ["the line cut short", LINE.slice(0, LINE.lastIndexOf(" "))],
        ["the checksum changed", withField(LINE, 8, "0000000000000000")],
        ["a field added", `${LINE} extra`],
    ])("names a share with %s as altered", (_, line) => {
        expect(refusal(line, "line 2 of standard input")).toBe(
            "the share in line 2 of standard input was altered: its checksum does not match",
        );
    });

    it("names the fields of a line made by hand, with a checksum that matches, that cannot be read", () => {
        const forged = encodeShare({ ...SHARE, threshold: 1, position: 4, bytes: new Uint8Array([1]), splitId: "short" });

        expect(refusal(forged)).toBe("the share in alice.txt is malformed: its split id, threshold, position, share cannot be read");
    });
});
