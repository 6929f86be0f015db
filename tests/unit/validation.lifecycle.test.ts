/**
 * `check` for the inputs of a password's life (issue 26): the durations `rotateBeforeExpiry` and
 * `rotateAfter`, `rotateAfterUse`, and the custodians' `pgpKeys` and `threshold`. Every failure is
 * exact, names its property and rule, and comes before any AWS call (`pulumi preview`). The keys
 * are real ones, since check parses every key it is given: a key's own failures are the business
 * of the key tests.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { requireValidInputs } from "../../provider/rules/validation";
import { generatedInputsOf, inputsOf, offlineLifecycle, PASSWORD, UNKNOWN, USER } from "./fixtures";
import { generateTestKeyPairs, type TestKeyPair } from "./pgpKeys";

const RULE = 'a whole number and a unit, d, h, m or s, such as "90d", "12h", "30m" or "45s"';
const ONLY_GENERATED = (property: string): string => `${property} applies only to generated passwords; remove it or remove password`;
const COUNT = (count: number): string => `pgpKeys must hold 2 to 10 public keys, one per custodian, not ${count}`;
const THRESHOLD_RANGE = (upper: number, shown: string): string =>
    `threshold must be a whole number from 2 to the number of pgpKeys (${upper}), not ${shown}`;
const THRESHOLD_REQUIRED = "threshold is required with pgpKeys: how many custodians together open the password, 2 or more";
const THRESHOLD_WITHOUT_KEYS = "threshold applies only with pgpKeys: remove it, or give the custodians' keys in pgpKeys";
const EXCLUSIVE = "pgpKeys and pgpKey exclude each other: give one key in pgpKey, or the custodians' keys in pgpKeys";
const ARMORED_PRIVATE = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxVgEZ0000BYJKwYBBAHaRw8BAQdA\n-----END PGP PRIVATE KEY BLOCK-----\n";

const lifecycle = offlineLifecycle();
let keys: TestKeyPair[];

beforeAll(async () => {
    keys = await generateTestKeyPairs(11);
});

/** The first `count` custodians' public keys. */
function publicKeys(count: number): string[] {
    return keys.slice(0, count).map((key) => key.publicKey);
}

async function failuresOf(news: Record<string, unknown>): Promise<CheckFailure[]> {
    return (await lifecycle().check({}, news)).failures ?? [];
}

describe("check takes durations for rotateBeforeExpiry and rotateAfter", () => {
    it.each(["90d", "12h", "30m", "45s", "1s", "14d"])("accepts %j for both", async (duration) => {
        await expect(failuresOf(generatedInputsOf({ rotateBeforeExpiry: duration, rotateAfter: duration }))).resolves.toStrictEqual([]);
    });

    it("accepts a rotateBeforeExpiry of 0 (rotate only once expired), and with a declared password, which it warns about", async () => {
        await expect(failuresOf(generatedInputsOf({ rotateBeforeExpiry: "0d" }))).resolves.toStrictEqual([]);
        await expect(failuresOf(inputsOf({ rotateBeforeExpiry: "30d" }))).resolves.toStrictEqual([]);
    });

    it("accepts both null, and both still unknown", async () => {
        await expect(failuresOf(generatedInputsOf({ rotateBeforeExpiry: null, rotateAfter: null }))).resolves.toStrictEqual([]);
        await expect(failuresOf(generatedInputsOf({ rotateBeforeExpiry: UNKNOWN, rotateAfter: UNKNOWN }))).resolves.toStrictEqual([]);
    });

    it.each([
        ["a fraction", "1.5d"],
        ["no unit", "90"],
        ["no number", "d"],
        ["an unknown unit", "90x"],
        ["a negative number", "-1d"],
        ["two units", "1d12h"],
        ["the empty string", ""],
    ])("refuses %s (%j), naming the property and the rule", async (_case, duration) => {
        await expect(failuresOf(generatedInputsOf({ rotateBeforeExpiry: duration, rotateAfter: duration }))).resolves.toStrictEqual([
            { property: "rotateBeforeExpiry", reason: `rotateBeforeExpiry must be a duration, ${RULE}; not ${JSON.stringify(duration)}` },
            { property: "rotateAfter", reason: `rotateAfter must be a duration, ${RULE}; not ${JSON.stringify(duration)}` },
        ]);
    });

    it.each<[string, unknown, string]>([
        ["a number of days", 90, "a number"],
        ["a boolean", true, "a boolean"],
        ["an object", { days: 90 }, "an object"],
        ["an array", ["90d"], "an array"],
    ])("refuses %s by its type", async (_case, duration, shown) => {
        await expect(failuresOf(generatedInputsOf({ rotateAfter: duration }))).resolves.toStrictEqual([
            { property: "rotateAfter", reason: `rotateAfter must be a duration, ${RULE}; not ${shown}` },
        ]);
    });

    it.each(["0d", "0h", "0m", "0s"])("refuses a rotateAfter of %j: it would rotate on every up", async (duration) => {
        await expect(failuresOf(generatedInputsOf({ rotateAfter: duration }))).resolves.toStrictEqual([
            { property: "rotateAfter", reason: `rotateAfter must be longer than 0, not ${JSON.stringify(duration)}` },
        ]);
    });
});

describe("check takes rotateAfter and rotateAfterUse for generated passwords only", () => {
    it("accepts both for a generated password", async () => {
        await expect(failuresOf(generatedInputsOf({ rotateAfter: "90d", rotateAfterUse: true }))).resolves.toStrictEqual([]);
    });

    it("refuses rotateAfter next to a declared password", async () => {
        await expect(failuresOf(inputsOf({ rotateAfter: "90d" }))).resolves.toStrictEqual([
            { property: "rotateAfter", reason: ONLY_GENERATED("rotateAfter") },
        ]);
    });

    it("refuses rotateAfterUse next to a declared password", async () => {
        await expect(failuresOf(inputsOf({ rotateAfterUse: true }))).resolves.toStrictEqual([
            { property: "rotateAfterUse", reason: ONLY_GENERATED("rotateAfterUse") },
        ]);
    });

    it("says both what is wrong with a rotateAfter next to a declared password, and that it is no duration", async () => {
        await expect(failuresOf(inputsOf({ rotateAfter: "soon" }))).resolves.toStrictEqual([
            { property: "rotateAfter", reason: ONLY_GENERATED("rotateAfter") },
            { property: "rotateAfter", reason: `rotateAfter must be a duration, ${RULE}; not "soon"` },
        ]);
    });

    it("accepts both null next to a declared password, and both next to a password still unknown", async () => {
        await expect(failuresOf(inputsOf({ rotateAfter: null, rotateAfterUse: null }))).resolves.toStrictEqual([]);
        await expect(failuresOf(inputsOf({ password: UNKNOWN, rotateAfter: "1h", rotateAfterUse: true }))).resolves.toStrictEqual([]);
    });

    it.each<[string, unknown, string]>([
        ["a string", "yes", "a string"],
        ["a number", 1, "a number"],
    ])("refuses a rotateAfterUse that is %s", async (_case, rotateAfterUse, shown) => {
        await expect(failuresOf(generatedInputsOf({ rotateAfterUse }))).resolves.toStrictEqual([
            { property: "rotateAfterUse", reason: `rotateAfterUse must be a boolean (true or false), not ${shown}` },
        ]);
    });

    it("never echoes the declared password in those failures", async () => {
        const failures = await failuresOf(inputsOf({ rotateAfter: "90d", rotateAfterUse: true }));

        expect(JSON.stringify(failures)).not.toContain(PASSWORD);
    });
});

describe("check takes 2 to 10 custodians' keys in pgpKeys, with a threshold", () => {
    it.each<[number, number]>([
        [2, 2],
        [3, 2],
        [3, 3],
        [10, 10],
    ])("accepts %i keys and a threshold of %i", async (count, threshold) => {
        await expect(failuresOf(generatedInputsOf({ pgpKeys: publicKeys(count), threshold }))).resolves.toStrictEqual([]);
    });

    it.each([0, 1, 11])("refuses %i keys, with no property (a key is not echoed)", async (count) => {
        await expect(failuresOf(generatedInputsOf({ pgpKeys: publicKeys(count), threshold: 2 }))).resolves.toStrictEqual([
            { property: "", reason: COUNT(count) },
        ]);
    });

    it.each<[string, unknown, string]>([
        ["one key as a string", "-----BEGIN PGP PUBLIC KEY BLOCK-----", "a string"],
        ["an object", { alice: "key" }, "an object"],
    ])("refuses pgpKeys that are %s, not a list", async (_case, pgpKeys, shown) => {
        await expect(failuresOf(generatedInputsOf({ pgpKeys, threshold: 2 }))).resolves.toStrictEqual([
            { property: "", reason: `pgpKeys must be a list of OpenPGP public keys, not ${shown}` },
        ]);
    });

    it("refuses pgpKeys with pgpKey: they exclude each other", async () => {
        const news = generatedInputsOf({ pgpKey: keys[10]?.publicKey, pgpKeys: publicKeys(2), threshold: 2 });

        await expect(failuresOf(news)).resolves.toStrictEqual([{ property: "", reason: EXCLUSIVE }]);
    });

    it("refuses pgpKeys next to a declared password", async () => {
        await expect(failuresOf(inputsOf({ pgpKeys: publicKeys(2), threshold: 2 }))).resolves.toStrictEqual([
            { property: "", reason: ONLY_GENERATED("pgpKeys") },
        ]);
    });

    it("names the position of an entry of the wrong shape, and never echoes a private key", async () => {
        const [first, second] = publicKeys(2);
        const failures = await failuresOf(generatedInputsOf({ pgpKeys: [42, "", first, ARMORED_PRIVATE, second], threshold: 2 }));

        expect(failures).toStrictEqual([
            { property: "", reason: "pgpKeys[0] must be a string, not a number" },
            { property: "", reason: "pgpKeys[1] must not be empty: give an OpenPGP public key, armored or base64" },
            {
                property: "",
                reason: "pgpKeys[3] must be a public key, but it is a private key: give the public key (gpg --export --armor)",
            },
        ]);
        expect(JSON.stringify(failures)).not.toContain("xVgEZ0000");
    });

    it("names the position of an entry left out (null)", async () => {
        const [first] = publicKeys(1);

        // The wording after "not" is left open: describeType calls null "an object" (reported).
        await expect(failuresOf(generatedInputsOf({ pgpKeys: [first, null], threshold: 2 }))).resolves.toStrictEqual([
            { property: "", reason: expect.stringMatching(/^pgpKeys\[1\] must be an OpenPGP public key, not /) as string },
        ]);
    });

    it("reports every broken rule of the custodians together, in order", async () => {
        const news = inputsOf({ pgpKey: keys[10]?.publicKey, pgpKeys: publicKeys(1) });

        await expect(failuresOf(news)).resolves.toStrictEqual([
            { property: "", reason: EXCLUSIVE },
            { property: "", reason: ONLY_GENERATED("pgpKeys") },
            { property: "", reason: COUNT(1) },
            { property: "threshold", reason: THRESHOLD_REQUIRED },
        ]);
    });

    it("passes pgpKeys, an entry of them and a threshold that are still unknown", async () => {
        const [first, second] = publicKeys(2);

        await expect(failuresOf(generatedInputsOf({ pgpKeys: UNKNOWN, threshold: 2 }))).resolves.toStrictEqual([]);
        await expect(failuresOf(generatedInputsOf({ pgpKeys: [first, UNKNOWN], threshold: 2 }))).resolves.toStrictEqual([]);
        await expect(failuresOf(generatedInputsOf({ pgpKeys: [first, second], threshold: UNKNOWN }))).resolves.toStrictEqual([]);
    });
});

describe("check takes a threshold from 2 to the number of pgpKeys, required with them and only with them", () => {
    it("requires it with pgpKeys", async () => {
        await expect(failuresOf(generatedInputsOf({ pgpKeys: publicKeys(3) }))).resolves.toStrictEqual([
            { property: "threshold", reason: THRESHOLD_REQUIRED },
        ]);
        await expect(failuresOf(generatedInputsOf({ pgpKeys: publicKeys(3), threshold: null }))).resolves.toStrictEqual([
            { property: "threshold", reason: THRESHOLD_REQUIRED },
        ]);
    });

    it.each<[string, unknown, string]>([
        ["1", 1, "1"],
        ["0", 0, "0"],
        ["negative", -2, "-2"],
        ["more than the keys", 4, "4"],
        ["fractional", 2.5, "2.5"],
        ["not a number", Number.NaN, "NaN"],
        ["a string", "2", "a string"],
        ["a boolean", true, "a boolean"],
    ])("refuses one that is %s, with 3 keys", async (_case, threshold, shown) => {
        await expect(failuresOf(generatedInputsOf({ pgpKeys: publicKeys(3), threshold }))).resolves.toStrictEqual([
            { property: "threshold", reason: THRESHOLD_RANGE(3, shown) },
        ]);
    });

    it("refuses it without pgpKeys, with a generated password or a declared one", async () => {
        await expect(failuresOf(generatedInputsOf({ threshold: 2 }))).resolves.toStrictEqual([
            { property: "threshold", reason: THRESHOLD_WITHOUT_KEYS },
        ]);
        await expect(failuresOf(inputsOf({ threshold: 2 }))).resolves.toStrictEqual([
            { property: "threshold", reason: THRESHOLD_WITHOUT_KEYS },
        ]);
        await expect(failuresOf(generatedInputsOf({ pgpKeys: null, threshold: 2 }))).resolves.toStrictEqual([
            { property: "threshold", reason: THRESHOLD_WITHOUT_KEYS },
        ]);
    });
});

describe("check returns the inputs of a password's life as they were declared", () => {
    it("keeps a declared password's inputs as they are, with no generation mark", async () => {
        const news = inputsOf({ rotateBeforeExpiry: "30d" });

        await expect(lifecycle().check({}, news)).resolves.toStrictEqual({ inputs: news, failures: [] });
    });

    it("keeps the custodians and the rotation inputs of a generated password beside its mark", async () => {
        const news = {
            userName: USER,
            pgpKeys: publicKeys(3),
            threshold: 2,
            rotateAfter: "90d",
            rotateAfterUse: true,
            rotateBeforeExpiry: "7d",
        };

        const { inputs } = await lifecycle().check({}, news);

        expect(inputs).toStrictEqual({ ...news, passwordResetRequired: false, password: { generated: expect.any(String) as string } });
    });
});

describe("create re-validates the inputs of a password's life", () => {
    it("throws every broken rule", () => {
        expect(() => requireValidInputs(inputsOf({ rotateAfter: "0d", threshold: 2 }))).toThrow(
            `invalid LoginProfile inputs: ${THRESHOLD_WITHOUT_KEYS}; ${ONLY_GENERATED("rotateAfter")}; rotateAfter must be longer than 0, not "0d"`,
        );
    });

    it("names the inputs still unknown", () => {
        expect(() =>
            requireValidInputs(generatedInputsOf({ pgpKeys: UNKNOWN, threshold: UNKNOWN, rotateAfter: UNKNOWN, rotateAfterUse: UNKNOWN })),
        ).toThrow(
            "invalid LoginProfile inputs: pgpKeys is still unknown at apply time; threshold is still unknown at apply time; " +
                "rotateAfter is still unknown at apply time; rotateAfterUse is still unknown at apply time",
        );
    });
});
