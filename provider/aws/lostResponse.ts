/**
 * A response lost after IAM acted: the connection closed after CreateLoginProfile made the
 * profile, so the SDK's retry of that very call answers EntityAlreadyExists, or every attempt
 * ended without an answer. `create` then reads the profile: one IAM created within this create's
 * own attempts is the one it just made. A profile that existed before the attempts began is
 * another owner's, and is refused as always.
 */
import { LoginProfileError } from "../model/errors";

/**
 * How far apart this machine's and IAM's readings of one moment may be once the measured offset
 * of IAM's clock is applied: a second for the resolution of `CreateDate`, a second for that of the
 * HTTP `Date` header the offset is measured from, and the time an answer takes to arrive.
 */
export const CLOCK_TOLERANCE_MS = 5_000;

/** When a create's attempts ran, in milliseconds by this machine's clock. */
export interface AttemptWindow {
    /** Before the first CreateLoginProfile attempt was sent. */
    readonly startedAt: number;
    /** After the last one ended (with its error). */
    readonly endedAt: number;
}

/**
 * Whether a profile created at `createDate` (ISO 8601, IAM's clock) was created during `window`,
 * with IAM's clock `offsetMs` ahead of this machine's (from the `Date` of its answers; 0 when
 * none was seen), give or take CLOCK_TOLERANCE_MS.
 */
export function createdWithin(createDate: string, window: AttemptWindow, offsetMs = 0): boolean {
    const created = Date.parse(createDate);
    if (Number.isNaN(created)) {
        return false; // a profile with no creation date cannot be placed in the window
    }
    return created >= window.startedAt + offsetMs - CLOCK_TOLERANCE_MS && created <= window.endedAt + offsetMs + CLOCK_TOLERANCE_MS;
}

/** The parts of an SDK v3 error that tell how many attempts it took and whether any was answered. */
interface SdkErrorMetadata {
    readonly $metadata?: { readonly attempts?: number; readonly httpStatusCode?: number };
}

/**
 * Whether a CreateLoginProfile that failed with `error` may still have made the profile:
 * EntityAlreadyExists after more than one attempt (an earlier attempt's answer was lost), or an
 * end with no answer from IAM at all (the connection closed, a timeout) or with a 5xx. A first
 * attempt's EntityAlreadyExists, and every other answer of IAM's, says it made nothing.
 */
export function mayHaveCreated(error: unknown, code: string | undefined): boolean {
    if (error instanceof LoginProfileError || typeof error !== "object" || error === null) {
        return false; // this package's own errors are decided before or without the call
    }
    const metadata = (error as SdkErrorMetadata).$metadata;
    if (code === "EntityAlreadyExists") {
        return (metadata?.attempts ?? 1) > 1;
    }
    const status = metadata?.httpStatusCode;
    return status === undefined || status >= 500;
}
