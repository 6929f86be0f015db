/**
 * Times as the state and AWS give them: ISO 8601 text, read as milliseconds where the rules
 * compare them. One reading for every rule, so that an absent, empty or unreadable time is
 * "unknown" everywhere, never NaN in one place and an error in another.
 */

/** A day in milliseconds. */
export const DAY_MS = 86_400_000;

/** The milliseconds of an ISO 8601 time; undefined when it is absent, empty or not a time. */
export function timeOf(iso: string | undefined): number | undefined {
    if (iso === undefined || iso === "") {
        return undefined;
    }
    const time = new Date(iso).getTime();
    return Number.isNaN(time) ? undefined : time;
}
