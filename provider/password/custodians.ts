/**
 * Break-glass dual control (DESIGN.md, "Over its life"): a generated password split with Shamir's
 * secret sharing into one share per custodian's key, any `threshold` of which give it back, each
 * share encrypted to its custodian (shares.ts says what a share holds). The field arithmetic is
 * shamir-secret-sharing's (audited by Cure53 and Zellic), never this package's. The library is
 * loaded on the first split or combine, like openpgp: `check`, `diff` and `pulumi preview` never
 * load it. Nothing here returns or throws a share or a password, save `combineShares`'s result.
 */
import { randomBytes } from "node:crypto";
import { LoginProfileError } from "../model/errors";
import type { EncryptedShare } from "../model/types";
import { encryptText, type PgpRecipient } from "./pgp";
import { commitmentTo, encodeShare, parseShare, type Share } from "./shares";

type Shamir = typeof import("shamir-secret-sharing");

export type { EncryptedShare } from "../model/types";

/** A line of text that should hold a decrypted share, and where it came from, for messages. */
export interface ShareLine {
    /** Where the line came from: `alice.txt`, `line 2 of standard input`. */
    readonly source: string;
    /** The line. */
    readonly text: string;
}

/** The fewest custodians' keys a password is split among. */
export const MIN_CUSTODIANS = 2;

/** The most custodians' keys a password is split among. */
export const MAX_CUSTODIANS = 10;

let shamir: Promise<Shamir> | undefined;

function loadShamir(): Promise<Shamir> {
    shamir ??= import("shamir-secret-sharing");
    return shamir;
}

/**
 * Splits `password` into one share per recipient, any `threshold` of which give it back, and
 * encrypts each share to its recipient. The result is in the recipients' order. Throws a
 * LoginProfileError (code `Invalid`) for a number of recipients outside 2 to 10 or a threshold
 * outside 2 to their number; errors never hold the password or a share.
 */
export async function splitToCustodians(
    password: string,
    recipients: readonly PgpRecipient[],
    threshold: number,
): Promise<EncryptedShare[]> {
    const count = recipients.length;
    if (count < MIN_CUSTODIANS || count > MAX_CUSTODIANS) {
        throw new LoginProfileError("Invalid", `pgpKeys must hold ${MIN_CUSTODIANS} to ${MAX_CUSTODIANS} keys, not ${count}`);
    }
    if (!Number.isInteger(threshold) || threshold < 2 || threshold > count) {
        throw new LoginProfileError(
            "Invalid",
            `threshold must be a whole number from 2 to ${count} (the number of pgpKeys), not ${threshold}`,
        );
    }
    const secret = new Uint8Array(Buffer.from(password, "utf8"));
    const splitId = randomBytes(16).toString("base64url");
    const commitment = commitmentTo(splitId, secret);
    const pieces = await (await loadShamir()).split(secret, count, threshold);
    return Promise.all(
        recipients.map(async (recipient, index) => {
            const bytes = pieces[index];
            if (bytes === undefined) {
                throw new Error(`shamir-secret-sharing made ${pieces.length} shares, not ${count}`);
            }
            const share: Share = { splitId, threshold, count, position: index + 1, bytes, commitment };
            // With a line break, so that `gpg --decrypt` ends its output with one and shares concatenate one per line.
            const text = `${encodeShare(share)}\n`;
            const what = `share ${index + 1} of ${count} to pgpKeys[${index}] ${recipient.fingerprint}`;
            return { keyFingerprint: recipient.fingerprint, encryptedShare: await encryptText(recipient, text, what) };
        }),
    );
}

/**
 * The password that decrypted shares give back. Blank lines and repeated shares are ignored.
 * Throws a LoginProfileError (code `InvalidShare`) naming the line's source when a line is not a
 * share or was altered, when shares come from different passwords, when there are fewer than the
 * threshold, and when they do not combine to the password they were split from: it never returns
 * a wrong password, and its errors never hold a share or a password.
 */
export async function combineShares(lines: readonly ShareLine[]): Promise<string> {
    const given: { readonly source: string; readonly share: Share }[] = [];
    for (const { source, text } of lines) {
        if (text.trim() === "") {
            continue;
        }
        const share = parseShare(text, source);
        const first = given[0];
        if (first !== undefined && !sameSplit(first.share, share)) {
            throw invalidShare(
                first.share.splitId === share.splitId
                    ? `the shares in ${first.source} and ${source} disagree about the password they were split from: one of them was altered`
                    : `the share in ${source} belongs to another password than the share in ${first.source}`,
            );
        }
        const twin = given.find((earlier) => earlier.share.position === share.position);
        if (twin === undefined) {
            given.push({ source, share });
        } else if (!Buffer.from(twin.share.bytes).equals(share.bytes)) {
            throw invalidShare(
                `the shares in ${twin.source} and ${source} are both share ${share.position}, but differ: one of them was altered`,
            );
        }
    }
    const first = given[0];
    if (first === undefined) {
        throw invalidShare("no share given: give the decrypted shares, one per line");
    }
    const { threshold, count, splitId, commitment } = first.share;
    if (given.length < threshold) {
        const shares = given.length === 1 ? "1 share given" : `${given.length} shares given`;
        throw invalidShare(`${shares}, but this password needs ${threshold} of its ${count} shares`);
    }
    const secret = await combined(given.map((entry) => entry.share.bytes));
    if (secret === undefined || commitmentTo(splitId, secret) !== commitment) {
        throw invalidShare("the shares do not combine to the password they were split from: one of them was altered");
    }
    return Buffer.from(secret).toString("utf8");
}

/** Whether two shares are of one split, as every field they share says. */
function sameSplit(a: Share, b: Share): boolean {
    return a.splitId === b.splitId && a.threshold === b.threshold && a.count === b.count && a.commitment === b.commitment;
}

/**
 * The library's combination of the shares, or undefined where it refuses them (shares of unequal
 * lengths or a repeated x coordinate, which only an altered share has): its messages are not for users.
 */
async function combined(shares: Uint8Array[]): Promise<Uint8Array | undefined> {
    const library = await loadShamir();
    try {
        return await library.combine(shares);
    } catch {
        return undefined;
    }
}

function invalidShare(message: string): LoginProfileError {
    return new LoginProfileError("InvalidShare", message);
}
