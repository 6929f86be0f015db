/**
 * A salted, slow hash of a declared password, stored in state when a `pgpKey` keeps the password
 * itself out of it: `diff` must still tell whether the declared password changed, with no AWS
 * call and no plaintext to compare with. scrypt (node's own) makes guessing from the hash costly;
 * the random salt makes equal passwords hash differently.
 */
import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

/** The scheme tag that starts every stored hash, so that a later scheme can be told apart. */
const SCHEME = "scrypt";
const SALT_BYTES = 16;
const HASH_BYTES = 32;

/**
 * Hashes a password with a salt, as `scrypt$<salt base64>$<hash base64>`.
 * @param salt @default 16 new random bytes
 */
export function hashPassword(password: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
    return [SCHEME, salt.toString("base64"), derive(password, salt).toString("base64")].join("$");
}

/**
 * Whether `password` is the one `stored` was made from. A hash this package did not write (or
 * a later scheme) does not match: the password is then set again, which is the safe side.
 */
export function matchesHash(password: string, stored: string): boolean {
    const [scheme, salt, hash, ...rest] = stored.split("$");
    if (scheme !== SCHEME || salt === undefined || hash === undefined || rest.length > 0) {
        return false;
    }
    const expected = Buffer.from(hash, "base64");
    if (expected.length !== HASH_BYTES) {
        return false;
    }
    return timingSafeEqual(derive(password, Buffer.from(salt, "base64")), expected);
}

function derive(password: string, salt: Buffer): Buffer {
    // scrypt's defaults (N = 16384, r = 8, p = 1): about 50 ms, paid once per diff of such a profile.
    return scryptSync(Buffer.from(password, "utf8"), salt, HASH_BYTES);
}
