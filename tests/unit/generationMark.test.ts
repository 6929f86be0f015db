/**
 * The generation mark (rules/generation.ts): what `check` puts in a generated password's inputs,
 * `password: { generated: <ISO> }`, so that the CLI shows `[diff: ~password]` when the next `up`
 * sets a new one. New for a first password; kept while nothing that shapes the password changed;
 * renewed once `rotateAfter` passed; never for a declared password. The hooks drop it before they
 * look at the inputs.
 */
import { isGenerationMark, markGeneration, markRenewedSince, withoutGenerationMark } from "../../provider/rules/generation";
import { PASSWORD, UNKNOWN, USER } from "./fixtures";

const MARKED_AT = Date.parse("2026-04-01T08:00:00.000Z");
const MARK = { generated: "2026-04-01T08:00:00.000Z" };
const MINUTE = 60_000;
const LATER = MARKED_AT + 5 * MINUTE;
const LATER_MARK = { generated: new Date(LATER).toISOString() };

/** A generated password's inputs as the program declares them. */
function declared(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { userName: USER, passwordResetRequired: false, ...overrides };
}

/** The inputs check returned before: the declared ones and the mark. */
function marked(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { ...declared(overrides), password: MARK };
}

describe("markGeneration", () => {
    it("marks a first generated password with the time check decided on it", () => {
        expect(markGeneration({}, declared(), MARKED_AT)).toStrictEqual(marked());
    });

    it("marks a password set to null as omitted", () => {
        expect(markGeneration({}, declared({ password: null }), MARKED_AT)).toStrictEqual(marked());
    });

    it("keeps the old mark when nothing changed, so that the CLI shows no change", () => {
        expect(markGeneration(marked(), declared(), LATER)).toStrictEqual(marked());
    });

    it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
        ["passwordResetRequired", {}, { passwordResetRequired: true }],
        ["region", {}, { region: "eu-west-1" }],
        ["rotateBeforeExpiry", { rotateBeforeExpiry: "14d" }, { rotateBeforeExpiry: "30d" }],
        ["rotateAfterUse", {}, { rotateAfterUse: true }],
        ["rotateAfter, added and not yet passed", {}, { rotateAfter: "1h" }],
    ])("keeps the mark when %s changes: it does not shape the password", (_case, before, after) => {
        expect(markGeneration(marked(before), declared(after), LATER)).toStrictEqual(marked(after));
    });

    it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
        ["passwordLength changes", { passwordLength: 20 }, { passwordLength: 24 }],
        ["passwordLength is added", {}, { passwordLength: 24 }],
        ["rotationTrigger changes", { rotationTrigger: "2026-03" }, { rotationTrigger: "2026-04" }],
        ["rotationTrigger is removed", { rotationTrigger: "2026-03" }, {}],
        ["pgpKey is added", {}, { pgpKey: "key-a" }],
        ["pgpKey changes", { pgpKey: "key-a" }, { pgpKey: "key-b" }],
        ["pgpKeys are reordered", { pgpKeys: ["key-a", "key-b"], threshold: 2 }, { pgpKeys: ["key-b", "key-a"], threshold: 2 }],
        [
            "a key is added to pgpKeys",
            { pgpKeys: ["key-a", "key-b"], threshold: 2 },
            { pgpKeys: ["key-a", "key-b", "key-c"], threshold: 2 },
        ],
        [
            "threshold changes",
            { pgpKeys: ["key-a", "key-b", "key-c"], threshold: 2 },
            { pgpKeys: ["key-a", "key-b", "key-c"], threshold: 3 },
        ],
        ["passwordLength is still unknown", { passwordLength: 20 }, { passwordLength: UNKNOWN }],
        ["pgpKey is still unknown", { pgpKey: "key-a" }, { pgpKey: UNKNOWN }],
    ])("renews the mark when %s: a new password is generated", (_case, before, after) => {
        expect(markGeneration(marked(before), declared(after), LATER)).toStrictEqual({ ...declared(after), password: LATER_MARK });
    });

    it("takes a null shaping input as omitted, and keeps the mark", () => {
        expect(markGeneration(marked(), declared({ passwordLength: null, pgpKey: null }), LATER)).toStrictEqual(
            marked({ passwordLength: null, pgpKey: null }),
        );
    });

    it("renews the mark once rotateAfter passed since it, on this machine's clock, and not a millisecond before", () => {
        const rotateAfter = { rotateAfter: "30m" };

        expect(markGeneration(marked(rotateAfter), declared(rotateAfter), MARKED_AT + 30 * MINUTE - 1)).toStrictEqual(marked(rotateAfter));
        expect(markGeneration(marked(rotateAfter), declared(rotateAfter), MARKED_AT + 30 * MINUTE)).toStrictEqual({
            ...declared(rotateAfter),
            password: { generated: new Date(MARKED_AT + 30 * MINUTE).toISOString() },
        });
    });

    it("does not renew for a rotateAfter that is still unknown, or not a duration", () => {
        const much = MARKED_AT + 1000 * 24 * 60 * MINUTE;

        expect(markGeneration(marked({ rotateAfter: UNKNOWN }), declared({ rotateAfter: UNKNOWN }), much)).toStrictEqual(
            marked({ rotateAfter: UNKNOWN }),
        );
        expect(markGeneration(marked({ rotateAfter: "soon" }), declared({ rotateAfter: "soon" }), much)).toStrictEqual(
            marked({ rotateAfter: "soon" }),
        );
    });

    it("marks a generated password that replaces a declared one, and one after a drift (the read's empty password)", () => {
        expect(markGeneration(declared({ password: PASSWORD }), declared(), LATER)).toStrictEqual({ ...declared(), password: LATER_MARK });
        expect(markGeneration(declared({ password: "" }), declared(), LATER)).toStrictEqual({ ...declared(), password: LATER_MARK });
    });

    it("leaves a declared password's inputs as they are, and one still unknown", () => {
        const news = declared({ password: PASSWORD, rotateAfter: "1s" });

        expect(markGeneration(marked(), news, LATER)).toBe(news);
        const unknown = declared({ password: UNKNOWN });
        expect(markGeneration(marked(), unknown, LATER)).toBe(unknown);
    });

    it("does not change the inputs it was given", () => {
        const news = declared();

        markGeneration({}, news, MARKED_AT);

        expect(news).toStrictEqual(declared());
    });
});

describe("withoutGenerationMark and isGenerationMark", () => {
    it("drops the mark, and only the mark", () => {
        expect(withoutGenerationMark(marked({ rotateAfter: "1h" }))).toStrictEqual(declared({ rotateAfter: "1h" }));
    });

    it("leaves a declared password, and inputs without a password, as they are", () => {
        const withPassword = declared({ password: PASSWORD });
        const without = declared();

        expect(withoutGenerationMark(withPassword)).toBe(withPassword);
        expect(withoutGenerationMark(without)).toBe(without);
    });

    it.each<[string, unknown, boolean]>([
        ["a mark", MARK, true],
        ["a declared password", PASSWORD, false],
        ["null", null, false],
        ["an array", ["2026-04-01T08:00:00.000Z"], false],
        ["an object whose generated is no string", { generated: 1 }, false],
        ["an empty object", {}, false],
    ])("knows %s for what it is", (_case, value, isMark) => {
        expect(isGenerationMark(value)).toBe(isMark);
    });
});

describe("markRenewedSince", () => {
    it("is true for a mark later than the resource's last set: the inputs in state hold an older one", () => {
        expect(markRenewedSince(LATER_MARK, MARK.generated)).toBe(true);
    });

    it("is false for the mark of the password in state, or an earlier one", () => {
        expect(markRenewedSince(MARK, MARK.generated)).toBe(false);
        expect(markRenewedSince(MARK, LATER_MARK.generated)).toBe(false);
    });

    it("is false without a mark, or without a time of the last set to compare with", () => {
        expect(markRenewedSince(PASSWORD, MARK.generated)).toBe(false);
        expect(markRenewedSince(undefined, MARK.generated)).toBe(false);
        expect(markRenewedSince(LATER_MARK, undefined)).toBe(false);
        expect(markRenewedSince(LATER_MARK, "not a date")).toBe(false);
        expect(markRenewedSince({ generated: "not a date" }, MARK.generated)).toBe(false);
    });
});
