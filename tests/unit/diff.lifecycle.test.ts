/**
 * `diffProfile` (rules/diff.ts) for a password's life (issue 26): a generated password due for a
 * new one by the state alone (expiring, older than `rotateAfter`) is a change, with no AWS call;
 * one a refresh found due (`rotationDue`) is drift, left for the engine to compare; a declared one
 * is never due; and a change of the custodians (`pgpKeys`, `threshold`) generates a new password.
 */
import { custodiansChanged, diffProfile, driftRecorded } from "../../provider/rules/diff";
import type { LoginProfileState } from "../../provider/model/types";
import { generatedInputsOf, generatedStateOf, inputsOf, stateOf, UNKNOWN } from "./fixtures";

const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: false };
const UPDATE_IN_PLACE = { changes: true, replaces: [], deleteBeforeReplace: false };
const ENGINE_COMPARES = { changes: undefined, replaces: [], deleteBeforeReplace: false };

const DAY = 86_400_000;
const SET = Date.parse("2026-03-01T12:00:00.000Z");
/** A password set at SET that expires 90 days later. */
const LIFE: Partial<LoginProfileState> = {
    passwordLastChanged: new Date(SET).toISOString(),
    passwordExpiresAt: new Date(SET + 90 * DAY).toISOString(),
};

describe("diff of a password's life, from the state alone", () => {
    it("is a change, recorded by an update with no AWS call, when a setting of the life changed since it was applied", () => {
        expect(diffProfile(generatedStateOf(LIFE), generatedInputsOf({ rotateAfterUse: true }), {}, SET + DAY)).toStrictEqual(
            UPDATE_IN_PLACE,
        );
        expect(diffProfile(generatedStateOf(LIFE), generatedInputsOf({ rotateAfter: UNKNOWN }), {}, SET + DAY)).toStrictEqual(
            UPDATE_IN_PLACE,
        );
        expect(diffProfile(generatedStateOf(LIFE), generatedInputsOf(), {}, SET + DAY)).toStrictEqual(NO_CHANGE);
    });

    it("is no change for a generated password far from expiry and younger than rotateAfter", () => {
        const applied = { ...LIFE, appliedInputs: { ...generatedStateOf().appliedInputs, rotateAfter: "30d" } };
        expect(diffProfile(generatedStateOf(applied), generatedInputsOf({ rotateAfter: "30d" }), {}, SET + 29 * DAY)).toStrictEqual(
            NO_CHANGE,
        );
    });

    it("is a change for a generated password within rotateBeforeExpiry of expiry, or expired", () => {
        expect(diffProfile(generatedStateOf(LIFE), generatedInputsOf(), {}, SET + 77 * DAY)).toStrictEqual(UPDATE_IN_PLACE);
        expect(diffProfile(generatedStateOf(LIFE), generatedInputsOf(), {}, SET + 91 * DAY)).toStrictEqual(UPDATE_IN_PLACE);
        const applied = { ...LIFE, appliedInputs: { ...generatedStateOf().appliedInputs, rotateBeforeExpiry: "7d" } };
        expect(diffProfile(generatedStateOf(applied), generatedInputsOf({ rotateBeforeExpiry: "7d" }), {}, SET + 77 * DAY)).toStrictEqual(
            NO_CHANGE,
        );
    });

    it("is a change for a generated password older than rotateAfter", () => {
        expect(diffProfile(generatedStateOf(LIFE), generatedInputsOf({ rotateAfter: "30d" }), {}, SET + 30 * DAY)).toStrictEqual(
            UPDATE_IN_PLACE,
        );
    });

    it("is no change for a declared password, expired as it may be", () => {
        expect(diffProfile(stateOf(LIFE), inputsOf(), {}, SET + 91 * DAY)).toStrictEqual(NO_CHANGE);
    });

    it("leaves a rotation a refresh found due to the engine, as other drift", () => {
        const olds = generatedStateOf({ ...LIFE, rotationDue: "used" });

        expect(driftRecorded(olds)).toBe(true);
        expect(diffProfile(olds, generatedInputsOf(), {}, SET + DAY)).toStrictEqual(ENGINE_COMPARES);
    });
});

describe("custodiansChanged", () => {
    const keys = ["key-a", "key-b", "key-c"];
    const olds = generatedStateOf({ password: undefined, pgpKeys: keys, threshold: 2 });

    it("is false for the same keys in the same order and the same threshold", () => {
        expect(custodiansChanged(olds, generatedInputsOf({ pgpKeys: [...keys], threshold: 2 }))).toBe(false);
        expect(custodiansChanged(generatedStateOf(), generatedInputsOf())).toBe(false);
        expect(custodiansChanged(generatedStateOf(), generatedInputsOf({ pgpKeys: null, threshold: null }))).toBe(false);
    });

    it.each<[string, Record<string, unknown>]>([
        ["the keys are reordered", { pgpKeys: ["key-b", "key-a", "key-c"], threshold: 2 }],
        ["a key is replaced", { pgpKeys: ["key-a", "key-b", "key-d"], threshold: 2 }],
        ["a key is removed", { pgpKeys: ["key-a", "key-b"], threshold: 2 }],
        ["the threshold changes", { pgpKeys: keys, threshold: 3 }],
        ["the custodians are removed", {}],
        ["the keys are still unknown", { pgpKeys: UNKNOWN, threshold: 2 }],
        ["one key is still unknown", { pgpKeys: ["key-a", UNKNOWN, "key-c"], threshold: 2 }],
        ["the threshold is still unknown", { pgpKeys: keys, threshold: UNKNOWN }],
    ])("is true when %s", (_case, news) => {
        expect(custodiansChanged(olds, generatedInputsOf(news))).toBe(true);
    });

    it("is true when custodians are added to a generated password", () => {
        expect(custodiansChanged(generatedStateOf(), generatedInputsOf({ pgpKeys: keys, threshold: 2 }))).toBe(true);
    });

    it("makes diff generate a new password", () => {
        expect(diffProfile(olds, generatedInputsOf({ pgpKeys: keys, threshold: 3 }))).toStrictEqual(UPDATE_IN_PLACE);
        expect(diffProfile(olds, generatedInputsOf({ pgpKeys: keys, threshold: 2 }))).toStrictEqual(NO_CHANGE);
    });
});
