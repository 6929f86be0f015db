/**
 * Durations as the rotation inputs take them (`rotateAfter: "90d"`, `rotateBeforeExpiry: "14d"`):
 * a whole number and one unit, d(ays), h(ours), m(inutes) or s(econds). One unit only, so that a
 * value reads as what it means; `time_rotating`'s `rotation_days` and friends are the same idea.
 */

import { DAY_MS } from "./time";

/** A duration's text: digits, then one of d, h, m, s. */
const DURATION = /^(\d{1,7})([dhms])$/;

/** Milliseconds per unit. */
const UNIT_MS: Readonly<Record<string, number>> = { d: DAY_MS, h: 3_600_000, m: 60_000, s: 1000 };

/** The milliseconds `text` stands for; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
    const match = DURATION.exec(text);
    if (match === null) {
        return undefined;
    }
    return Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? 0);
}

/** What a duration looks like, for the messages that refuse one. */
export const DURATION_RULE = 'a whole number and a unit, d, h, m or s, such as "90d", "12h", "30m" or "45s"';
