/**
 * `check`'s parse of the OpenPGP keys it was given (`pgpKey`, each entry of `pgpKeys`), so that
 * `pulumi preview` reports a key that cannot be encrypted to before any AWS call, rather than
 * `pulumi up` after the profile exists. validation.ts checks each key's shape, cheaply; this parses
 * only keys of which it has said nothing, so that one broken key gets one reason. It loads openpgp,
 * which is why it runs only where a key is given. Failures carry no `property`: the engine would
 * print the key next to the reason (see validation.ts, withoutEchoedValue), and each reason names it.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { LoginProfileError } from "../model/errors";
import { isUnknown } from "../model/unknown";
import { readPgpKey, repeatedKeys } from "../password/pgp";
import { validateInputs } from "./validation";

/** What parsing one key found: its fingerprint when usable, else why not; neither when it was not parsed. */
interface Parsed {
    readonly fingerprint?: string;
    readonly reason?: string;
}

/**
 * The failures of the keys in `news` (raw inputs, as `check` gets them) that parse as no usable
 * OpenPGP public key, and of entries of `pgpKeys` that are the same key as an earlier entry.
 * `shapeFailures` are validation.ts's failures of the same inputs, when the caller has them.
 */
export async function keyFailures(
    news: Record<string, unknown>,
    shapeFailures: readonly CheckFailure[] = validateInputs(news).failures,
): Promise<CheckFailure[]> {
    // validation.ts starts every reason with the property's name; a key it has a reason about is left to it.
    const reasons = shapeFailures.map((failure) => failure.reason);
    const read = async (value: unknown, property: string): Promise<Parsed> => {
        const known = typeof value === "string" && value.trim() !== "" && !isUnknown(value);
        return known && !reasons.some((reason) => reason.startsWith(`${property} `)) ? parsed(value, property) : {};
    };
    const entries: readonly unknown[] = Array.isArray(news.pgpKeys) ? news.pgpKeys : [];
    const pgpKey = await read(news.pgpKey, "pgpKey");
    const custodians = await Promise.all(entries.map((entry, index) => read(entry, `pgpKeys[${index}]`)));
    return [
        ...[pgpKey, ...custodians].flatMap((result) => (result.reason === undefined ? [] : [result.reason])),
        ...repeatedKeys(custodians.map((result) => result.fingerprint)),
    ].map((reason) => ({ property: "", reason }));
}

/** Parses the key: its fingerprint when it is usable, else why not (readPgpKey's message, which names `property`). */
async function parsed(key: string, property: string): Promise<Parsed> {
    try {
        return { fingerprint: (await readPgpKey(key, property)).fingerprint };
    } catch (error) {
        // Only the key's fault is a failure of the inputs; anything else (openpgp not loading) is not swallowed.
        if (error instanceof LoginProfileError && error.code === "InvalidPgpKey") {
            return { reason: error.message };
        }
        throw error;
    }
}
