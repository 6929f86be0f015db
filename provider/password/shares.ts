/**
 * The text of one custodian's share, as `base64 --decode | gpg --decrypt` prints it: one ASCII line
 * that a person can copy, mail or paste, and that `pulumi-iam-login-profile combine` reads back.
 *
 *     pulumi-iam-login-profile-share 1 <splitId> <threshold> <count> <position> <share> <commitment> <checksum>
 *
 * - `1`: the format of the line, so that a later format is told apart from an altered line;
 * - `splitId`: 16 random bytes per split (base64url), so that a share of another password is
 *   recognised rather than combined into garbage;
 * - `threshold`, `count`, `position`: how many shares the password needs, how many it was split
 *   into, and which of them this is (1-based, in the order of `pgpKeys`), so "too few" is told with numbers;
 * - `share`: the bytes shamir-secret-sharing made (base64url);
 * - `commitment`: SHA-256 over the split id and the password (base64url), so that a combined
 *   result is checked and a wrong password is never printed. It reveals nothing useful: the
 *   passwords split are generated, 20 or more random characters;
 * - `checksum`: the first 8 bytes of SHA-256 over the fields before it (hex), so that a share
 *   altered by accident is named. It is no defence against a forger, who can recompute it: the
 *   commitment is.
 *
 * Pure: no I/O, no randomness (the split id comes from the caller). Errors never quote a share.
 */
import { createHash } from "node:crypto";
import { LoginProfileError } from "../model/errors";

/** The first field of every share line. */
export const SHARE_TAG = "pulumi-iam-login-profile-share";

/** The format this version writes and reads (the second field). */
const FORMAT = "1";

/** How many fields a line of format 1 has. */
const FIELD_COUNT = 9;

/** Base64url without padding, the encoding of the binary fields. */
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A share and what combining it needs to know, as one line carries them. */
export interface Share {
    /** The split's random id (base64url of 16 bytes): the same in every share of one password. */
    readonly splitId: string;
    /** How many distinct shares give the password back. */
    readonly threshold: number;
    /** How many shares the password was split into (one per custodian). */
    readonly count: number;
    /** Which share this is, from 1 to `count`, in the order of the custodians' keys. */
    readonly position: number;
    /** The share itself, as shamir-secret-sharing made it. */
    readonly bytes: Uint8Array;
    /** `commitmentTo(splitId, password)`. */
    readonly commitment: string;
}

/**
 * The commitment to a split's password: SHA-256 over a label, the split id and the password's
 * bytes, base64url. The label keeps this hash from meaning anything outside a share.
 */
export function commitmentTo(splitId: string, secret: Uint8Array): string {
    return createHash("sha256").update(`${SHARE_TAG} commitment\0${splitId}\0`).update(secret).digest("base64url");
}

/** The line of `share`, without a line break. */
export function encodeShare(share: Share): string {
    const fields = [
        SHARE_TAG,
        FORMAT,
        share.splitId,
        String(share.threshold),
        String(share.count),
        String(share.position),
        Buffer.from(share.bytes).toString("base64url"),
        share.commitment,
    ];
    return [...fields, checksumOf(fields)].join(" ");
}

/**
 * Reads one line (surrounding white space ignored) as a share. Throws a LoginProfileError (code
 * `InvalidShare`) that names `source` (`alice.txt`, `line 2 of standard input`) and what is
 * wrong, and never quotes the line.
 */
export function parseShare(line: string, source: string): Share {
    const fields = line.trim().split(/\s+/);
    if (fields[0] !== SHARE_TAG) {
        throw invalidShare(`${source} is not a pulumi-iam-login-profile share`);
    }
    const format = fields[1] ?? "";
    if (format !== FORMAT && /^[0-9]{1,3}$/.test(format)) {
        throw invalidShare(`the share in ${source} has format ${format}, which this version of pulumi-iam-login-profile cannot read`);
    }
    if (fields.length !== FIELD_COUNT || fields[FIELD_COUNT - 1] !== checksumOf(fields.slice(0, FIELD_COUNT - 1))) {
        throw invalidShare(`the share in ${source} was altered: its checksum does not match`);
    }
    // The checksum matched, so what follows fails only for a line made by hand.
    const [, , splitId = "", thresholdField = "", countField = "", positionField = "", bytesField = "", commitment = ""] = fields;
    const threshold = wholeNumber(thresholdField, 2, 255);
    const count = wholeNumber(countField, threshold ?? 2, 255);
    const position = wholeNumber(positionField, 1, count ?? 255);
    const bytes = base64url(bytesField);
    const malformed = [
        ...(BASE64URL.test(splitId) && splitId.length === 22 ? [] : ["split id"]),
        ...(threshold === undefined ? ["threshold"] : []),
        ...(count === undefined ? ["number of shares"] : []),
        ...(position === undefined ? ["position"] : []),
        ...(bytes !== undefined && bytes.length >= 2 ? [] : ["share"]),
        ...(BASE64URL.test(commitment) && commitment.length === 43 ? [] : ["commitment"]),
    ];
    if (malformed.length > 0 || threshold === undefined || count === undefined || position === undefined || bytes === undefined) {
        throw invalidShare(`the share in ${source} is malformed: its ${malformed.join(", ")} cannot be read`);
    }
    return { splitId, threshold, count, position, bytes, commitment };
}

/** The checksum field of a line whose other fields are `fields`. */
function checksumOf(fields: readonly string[]): string {
    return createHash("sha256").update(fields.join(" ")).digest().subarray(0, 8).toString("hex");
}

/** `text` as a whole number from `min` to `max` in plain decimal, or undefined. */
function wholeNumber(text: string, min: number, max: number): number | undefined {
    const value = /^[1-9][0-9]{0,2}$/.test(text) ? Number(text) : Number.NaN;
    return value >= min && value <= max ? value : undefined;
}

/** The bytes of canonical base64url `text` (the form `encodeShare` writes), or undefined. */
function base64url(text: string): Uint8Array | undefined {
    const bytes = Buffer.from(text, "base64url");
    return BASE64URL.test(text) && bytes.toString("base64url") === text ? new Uint8Array(bytes) : undefined;
}

function invalidShare(message: string): LoginProfileError {
    return new LoginProfileError("InvalidShare", message);
}
