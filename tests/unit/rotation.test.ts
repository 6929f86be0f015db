/**
 * When a generated password is due for a new one (rules/rotation.ts), judged from the state and
 * the declared inputs alone, on IAM's clock: expiring within `rotateBeforeExpiry` (or expired),
 * older than `rotateAfter`, used since it was set with `rotateAfterUse`; and the durations those
 * inputs take (model/duration.ts). Pure functions: no AWS call, no clock but the one passed.
 */
import { DURATION_RULE, parseDuration } from "../../provider/model/duration";
import {
    DEFAULT_ROTATE_BEFORE_EXPIRY,
    expiresSoon,
    iamNow,
    lastChangedMs,
    rotationDue,
    type AgedState,
} from "../../provider/rules/rotation";
import { PASSWORD, UNKNOWN } from "./fixtures";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** When the password was last set, on IAM's clock. */
const SET = Date.parse("2026-03-01T12:00:00.000Z");
const SET_ISO = new Date(SET).toISOString();
/** MaxPasswordAge 90: when it expires. */
const EXPIRES = SET + 90 * DAY;
const EXPIRES_ISO = new Date(EXPIRES).toISOString();

/** A generated password's state: set at SET, expiring 90 days later. */
function aged(overrides: Partial<AgedState> = {}): AgedState {
    return { passwordLastChanged: SET_ISO, passwordExpiresAt: EXPIRES_ISO, ...overrides };
}

/** Declared inputs of a generated password (no `password`). */
function generated(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { userName: "alice", passwordResetRequired: false, ...overrides };
}

describe("parseDuration", () => {
    it.each<[string, number]>([
        ["90d", 90 * DAY],
        ["12h", 12 * HOUR],
        ["30m", 30 * MINUTE],
        ["45s", 45 * SECOND],
        ["0d", 0],
        ["1s", SECOND],
        ["14d", 14 * DAY],
        ["9999999s", 9_999_999 * SECOND],
    ])("reads %s", (text, ms) => {
        expect(parseDuration(text)).toBe(ms);
    });

    it.each([
        ["a fraction", "1.5d"],
        ["no unit", "90"],
        ["no number", "d"],
        ["an unknown unit", "90x"],
        ["a negative number", "-1d"],
        ["two units", "1d12h"],
        ["a unit in capitals", "90D"],
        ["surrounding space", " 90d"],
        ["a space before the unit", "90 d"],
        ["a word", "ninety days"],
        ["the empty string", ""],
        ["more than seven digits", "12345678s"],
    ])("refuses %s (%j)", (_case, text) => {
        expect(parseDuration(text)).toBeUndefined();
    });

    it("describes the rule for the messages that refuse a duration", () => {
        expect(DURATION_RULE).toBe('a whole number and a unit, d, h, m or s, such as "90d", "12h", "30m" or "45s"');
    });
});

describe("iamNow and lastChangedMs", () => {
    it("moves this machine's time by how far IAM's clock was ahead, and by nothing when the state does not know", () => {
        expect(iamNow({ iamClockAheadMs: 5 * MINUTE }, SET)).toBe(SET + 5 * MINUTE);
        expect(iamNow({ iamClockAheadMs: -2 * SECOND }, SET)).toBe(SET - 2 * SECOND);
        expect(iamNow({}, SET)).toBe(SET);
    });

    it("counts from passwordLastChanged, else (a state written before it was kept) from passwordSetAt", () => {
        expect(lastChangedMs({ passwordLastChanged: SET_ISO, passwordSetAt: "2026-01-01T00:00:00.000Z" })).toBe(SET);
        expect(lastChangedMs({ passwordSetAt: SET_ISO })).toBe(SET);
        expect(lastChangedMs({})).toBeUndefined();
        expect(lastChangedMs({ passwordLastChanged: "not a date" })).toBeUndefined();
    });
});

describe("expiry: a password expired, or expiring within rotateBeforeExpiry", () => {
    it("is 14 days by default", () => {
        expect(DEFAULT_ROTATE_BEFORE_EXPIRY).toBe("14d");
    });

    it.each<[string, number, boolean]>([
        ["more than 14 days before expiry", EXPIRES - 14 * DAY - 1, false],
        ["exactly 14 days before expiry", EXPIRES - 14 * DAY, true],
        ["10 days before expiry", EXPIRES - 10 * DAY, true],
        ["at expiry", EXPIRES, true],
        ["a day after expiry", EXPIRES + DAY, true],
    ])("with the default window, %s: due %s", (_case, now, due) => {
        expect(expiresSoon(aged(), generated(), now)).toBe(due);
        expect(rotationDue(aged(), generated(), now)).toBe(due ? "expiring" : undefined);
    });

    it.each<[string, string, number, boolean]>([
        ["1d, 2 days before expiry", "1d", EXPIRES - 2 * DAY, false],
        ["1d, 23 hours before expiry", "1d", EXPIRES - 23 * HOUR, true],
        ["0d, a millisecond before expiry", "0d", EXPIRES - 1, false],
        ["0d, at expiry", "0d", EXPIRES, true],
        ["30d, 20 days before expiry", "30d", EXPIRES - 20 * DAY, true],
        ["12h, 13 hours before expiry", "12h", EXPIRES - 13 * HOUR, false],
    ])("with rotateBeforeExpiry %s: due %s", (_case, rotateBeforeExpiry, now, due) => {
        expect(rotationDue(aged(), generated({ rotateBeforeExpiry }), now)).toBe(due ? "expiring" : undefined);
    });

    it("falls back to the default window for a rotateBeforeExpiry still unknown, or not a duration", () => {
        const now = EXPIRES - 10 * DAY;

        expect(rotationDue(aged(), generated({ rotateBeforeExpiry: UNKNOWN }), now)).toBe("expiring");
        expect(rotationDue(aged(), generated({ rotateBeforeExpiry: "soon" }), now)).toBe("expiring");
        expect(rotationDue(aged(), generated({ rotateBeforeExpiry: 3 }), EXPIRES - 15 * DAY)).toBeUndefined();
    });

    it("is judged on IAM's clock: a clock ahead brings the expiry nearer", () => {
        const now = EXPIRES - 14 * DAY - 3 * MINUTE;

        expect(rotationDue(aged(), generated(), now)).toBeUndefined();
        expect(rotationDue(aged({ iamClockAheadMs: 5 * MINUTE }), generated(), now)).toBe("expiring");
        expect(rotationDue(aged({ iamClockAheadMs: -5 * MINUTE }), generated(), now + 4 * MINUTE)).toBeUndefined();
    });

    it("never is when the account sets no MaxPasswordAge (no passwordExpiresAt), or the state's is not a date", () => {
        expect(rotationDue(aged({ passwordExpiresAt: undefined }), generated(), EXPIRES + 400 * DAY)).toBeUndefined();
        expect(expiresSoon(aged({ passwordExpiresAt: "never" }), generated(), EXPIRES + DAY)).toBe(false);
    });
});

describe("age: a password older than rotateAfter", () => {
    it.each<[string, string, number, boolean]>([
        ["90d, a millisecond short", "90d", SET + 90 * DAY - 1, false],
        ["90d, exactly", "90d", SET + 90 * DAY, true],
        ["12h, after 13 hours", "12h", SET + 13 * HOUR, true],
        ["30m, after 29 minutes", "30m", SET + 29 * MINUTE, false],
        ["45s, after 45 seconds", "45s", SET + 45 * SECOND, true],
        ["20s, after 25 seconds", "20s", SET + 25 * SECOND, true],
    ])("with rotateAfter %s: due %s", (_case, rotateAfter, now, due) => {
        // No expiry, so that age alone decides.
        expect(rotationDue(aged({ passwordExpiresAt: undefined }), generated({ rotateAfter }), now)).toBe(due ? "aged" : undefined);
    });

    it("is judged on IAM's clock, from the offset the state keeps", () => {
        const now = SET + 90 * DAY - 4 * MINUTE;
        const state = aged({ passwordExpiresAt: undefined });

        expect(rotationDue(state, generated({ rotateAfter: "90d" }), now)).toBeUndefined();
        expect(rotationDue({ ...state, iamClockAheadMs: 5 * MINUTE }, generated({ rotateAfter: "90d" }), now)).toBe("aged");
        expect(
            rotationDue({ ...state, iamClockAheadMs: -5 * MINUTE }, generated({ rotateAfter: "90d" }), now + 8 * MINUTE),
        ).toBeUndefined();
    });

    it("counts from passwordSetAt for a state written before passwordLastChanged was kept", () => {
        const state: AgedState = { passwordSetAt: SET_ISO };

        expect(rotationDue(state, generated({ rotateAfter: "1h" }), SET + HOUR)).toBe("aged");
        expect(rotationDue(state, generated({ rotateAfter: "1h" }), SET + HOUR - 1)).toBeUndefined();
    });

    it("is never due without rotateAfter, with one still unknown, or when the state does not say when the password was set", () => {
        const later = SET + 1000 * DAY;
        const state = aged({ passwordExpiresAt: undefined });

        expect(rotationDue(state, generated(), later)).toBeUndefined();
        expect(rotationDue(state, generated({ rotateAfter: UNKNOWN }), later)).toBeUndefined();
        expect(rotationDue({}, generated({ rotateAfter: "1s" }), later)).toBeUndefined();
    });
});

describe("use: a password used to sign in since it was set, with rotateAfterUse", () => {
    const state = (passwordLastUsed: string | undefined): AgedState => aged({ passwordExpiresAt: undefined, passwordLastUsed });
    const now = SET + DAY;

    it("is due once passwordLastUsed is later than passwordLastChanged", () => {
        expect(rotationDue(state("2026-03-01T12:00:01.000Z"), generated({ rotateAfterUse: true }), now)).toBe("used");
        expect(rotationDue(state("2026-03-02T08:30:00.000Z"), generated({ rotateAfterUse: true }), now)).toBe("used");
    });

    it("is not for a use before the password was set, or in the second it was set (IAM reports uses to the second)", () => {
        expect(rotationDue(state("2026-02-28T09:00:00.000Z"), generated({ rotateAfterUse: true }), now)).toBeUndefined();
        expect(rotationDue(state(SET_ISO), generated({ rotateAfterUse: true }), now)).toBeUndefined();
        const setMidSecond = aged({ passwordExpiresAt: undefined, passwordLastChanged: "2026-03-01T12:00:00.700Z" });
        expect(rotationDue({ ...setMidSecond, passwordLastUsed: SET_ISO }, generated({ rotateAfterUse: true }), now)).toBeUndefined();
    });

    it("is not without rotateAfterUse, or with it false or still unknown: the use shows in passwordLastUsed only", () => {
        const used = state("2026-03-02T08:30:00.000Z");

        expect(rotationDue(used, generated(), now)).toBeUndefined();
        expect(rotationDue(used, generated({ rotateAfterUse: false }), now)).toBeUndefined();
        expect(rotationDue(used, generated({ rotateAfterUse: UNKNOWN }), now)).toBeUndefined();
    });

    it("is not when the password was never used", () => {
        expect(rotationDue(state(undefined), generated({ rotateAfterUse: true }), now)).toBeUndefined();
    });
});

describe("which reason comes first, and declared passwords", () => {
    const everything = aged({ passwordLastUsed: "2026-03-10T00:00:00.000Z" });
    const inputs = { rotateAfter: "30d", rotateAfterUse: true };

    it("names expiry first (it locks the holders out), then age, then use", () => {
        expect(rotationDue(everything, generated(inputs), EXPIRES - DAY)).toBe("expiring");
        expect(rotationDue(everything, generated(inputs), SET + 31 * DAY)).toBe("aged");
        expect(rotationDue(everything, generated(inputs), SET + 10 * DAY)).toBe("used");
    });

    it("never finds a declared password due, expired, old and used as it may be: the resource does not choose one", () => {
        expect(rotationDue(everything, { ...generated(inputs), password: PASSWORD }, EXPIRES + DAY)).toBeUndefined();
        expect(rotationDue(everything, { ...generated(inputs), password: UNKNOWN }, EXPIRES + DAY)).toBeUndefined();
    });
});
