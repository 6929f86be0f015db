/**
 * The mark `check` puts in a generated password's inputs, so that the CLI names the password when
 * the next `up` sets a new one. The CLI shows an update's `[diff: …]` by comparing the inputs in
 * state with the new ones, and neither front door can send it a detailed diff (FACTS.md): a
 * rotation by age changes no declared input, so without a mark `pulumi preview` would show
 * `~ update` and name nothing. `password` holds, for a generated password, an object that no
 * declared password can be (those are strings): `{ generated: <when check decided on it> }`. It
 * changes exactly when a new password is due from the inputs alone: the first one, a change of
 * what shapes it, or `rotateAfter` passed on this machine's clock. `diff` and `update` judge from
 * the state (on IAM's clock); the hooks drop the mark before they look. A password given as a
 * secret (even an omitted one, `pulumi.secret(undefined)`) makes the mark a secret, which the CLI
 * compares masked, as equal: `diff` then leaves the comparison to the engine (`namedByMark`),
 * which compares secrets unmasked and names `password`.
 */
import { parseDuration } from "../model/duration";
import { isUnknown } from "../model/unknown";
import { timeOf } from "../model/time";

/** A generated password's mark in the inputs. */
export interface GenerationMark {
    /** When `check` decided on a new generated password, ISO 8601, this machine's clock. */
    readonly generated: string;
}

/** The inputs that, when changed, generate a new password (diff.ts `generatedPasswordDue`). */
const SHAPING_INPUTS = ["passwordLength", "rotationTrigger", "pgpKey", "pgpKeys", "threshold"] as const;

/** Whether `value` is a generation mark. */
export function isGenerationMark(value: unknown): value is GenerationMark {
    return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as GenerationMark).generated === "string";
}

/**
 * `news` with a generated password's mark: the old one, or a new one (`nowMs`) when a new password
 * is due from the inputs. Inputs with a declared (or unknown) password are returned as they are.
 */
export function markGeneration(
    olds: Readonly<Record<string, unknown>>,
    news: Record<string, unknown>,
    nowMs: number,
): Record<string, unknown> {
    if (news.password !== undefined && news.password !== null) {
        return news;
    }
    const previous = isGenerationMark(olds.password) ? olds.password : undefined;
    const renew = previous === undefined || SHAPING_INPUTS.some((key) => changed(olds[key], news[key])) || aged(previous, news, nowMs);
    return { ...news, password: renew ? { generated: new Date(nowMs).toISOString() } : previous };
}

/** The inputs without a generation mark: what the hooks validate and compare. */
export function withoutGenerationMark(inputs: Record<string, unknown>): Record<string, unknown> {
    if (!isGenerationMark(inputs.password)) {
        return inputs;
    }
    return Object.fromEntries(Object.entries(inputs).filter(([key]) => key !== "password"));
}

/**
 * Whether `check` renewed the mark since the resource last set the password (`passwordSetAt`, this
 * machine's clock, as the mark's): then the inputs in state hold an older mark, and the engine,
 * comparing the inputs itself, finds `password` changed.
 */
export function markRenewedSince(mark: unknown, passwordSetAt: string | undefined): boolean {
    const markedAt = isGenerationMark(mark) ? timeOf(mark.generated) : undefined;
    const setAt = timeOf(passwordSetAt);
    return markedAt !== undefined && setAt !== undefined && markedAt > setAt;
}

/** Whether `rotateAfter` has passed since the mark, on this machine's clock. */
function aged(mark: GenerationMark, news: Readonly<Record<string, unknown>>, nowMs: number): boolean {
    const rotateAfter = typeof news.rotateAfter === "string" ? parseDuration(news.rotateAfter) : undefined;
    const markedAt = timeOf(mark.generated);
    return rotateAfter !== undefined && markedAt !== undefined && nowMs - markedAt >= rotateAfter;
}

/** Whether an input changed between the old and new inputs (an unknown one may have). */
function changed(old: unknown, now: unknown): boolean {
    return isUnknown(now) || JSON.stringify(old ?? null) !== JSON.stringify(now ?? null);
}
