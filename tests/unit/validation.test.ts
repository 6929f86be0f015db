/** `check`: validation and defaults, every failure named and explained, no AWS call, no password echoed. */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { InvalidInputsError, requireValidInputs, validateInputs } from "../../provider/rules/validation";
import { inputsOf, PASSWORD, UNKNOWN, USER, VALID_PASSWORDS, VALID_USER_NAMES, offlineLifecycle } from "./fixtures";

const USER_NAME_CHARACTERS_RULE = "userName may hold only ASCII letters, digits and _+=,.@- (IAM's [\\w+=,.@-]); it contains";
const PASSWORD_CHARACTERS_RULE =
    "password may hold only tab, line feed, carriage return and the characters U+0020 to U+00FF; it holds another character";
const KNOWN =
    "userName, password, passwordResetRequired, region, adoptExisting, passwordLength, rotationTrigger, pgpKey, pgpKeys, threshold, " +
    "rotateBeforeExpiry, rotateAfter, rotateAfterUse, assumeRole, profile";

const lifecycle = offlineLifecycle();

async function failuresOf(news: Record<string, unknown>): Promise<CheckFailure[]> {
    const result = await lifecycle().check({}, news);
    return result.failures ?? [];
}

describe("check accepts valid inputs", () => {
    it("returns the inputs with no failures, defaulting passwordResetRequired to false", async () => {
        const result = await lifecycle().check({}, { userName: USER, password: PASSWORD });

        expect(result).toStrictEqual({ inputs: { userName: USER, password: PASSWORD, passwordResetRequired: false }, failures: [] });
    });

    it("keeps a declared passwordResetRequired, region and adoptExisting as they are", async () => {
        const news = { userName: USER, password: PASSWORD, passwordResetRequired: true, region: "eu-west-1", adoptExisting: true };

        const result = await lifecycle().check({}, news);

        expect(result).toStrictEqual({ inputs: news, failures: [] });
    });

    it("passes the engine's __provider property through untouched", async () => {
        const news = { userName: USER, password: PASSWORD, __provider: "exports.handler = __f0;" };

        const result = await lifecycle().check({}, news);

        expect(result).toStrictEqual({ inputs: { ...news, passwordResetRequired: false }, failures: [] });
    });

    it.each(VALID_USER_NAMES)("accepts the user name %j", async (userName) => {
        await expect(failuresOf(inputsOf({ userName }))).resolves.toStrictEqual([]);
    });

    it.each(VALID_PASSWORDS)("accepts the password %#", async (password) => {
        await expect(failuresOf(inputsOf({ password }))).resolves.toStrictEqual([]);
    });

    it.each(["us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1", "eu-isoe-west-1"])("accepts the region %s", async (region) => {
        await expect(failuresOf(inputsOf({ region }))).resolves.toStrictEqual([]);
    });

    it("treats null optional properties as absent", async () => {
        const result = await lifecycle().check({}, inputsOf({ passwordResetRequired: null, region: null, adoptExisting: null }));

        expect(result).toStrictEqual({
            inputs: { userName: USER, password: PASSWORD, passwordResetRequired: false, region: null, adoptExisting: null },
            failures: [],
        });
    });

    it("does not mutate the inputs it is given", async () => {
        const news = Object.freeze({ userName: USER, password: PASSWORD });

        const result = await lifecycle().check({}, news);

        expect(news).toStrictEqual({ userName: USER, password: PASSWORD });
        expect(result.inputs).not.toBe(news);
    });
});

describe("check rejects a bad userName", () => {
    it.each<[string, unknown, string]>([
        ["missing", undefined, "userName is required"],
        ["null", null, "userName is required"],
        ["empty", "", "userName must be 1 to 64 characters long, not 0"],
        ["65 characters long", "x".repeat(65), "userName must be 1 to 64 characters long, not 65"],
        ["holding a space", "alice smith", `${USER_NAME_CHARACTERS_RULE} " "`],
        ["holding a slash", "team/alice", `${USER_NAME_CHARACTERS_RULE} "/"`],
        ["holding a hash", "alice#1", `${USER_NAME_CHARACTERS_RULE} "#"`],
        ["holding a non-ASCII letter", "ren\u00e9", `${USER_NAME_CHARACTERS_RULE} "\u00e9"`],
        ["holding several bad characters, each named once", "a b/c d", `${USER_NAME_CHARACTERS_RULE} " ", "/"`],
        ["a number", 42, "userName must be a string, not a number"],
        ["an object", { name: USER }, "userName must be a string, not an object"],
        ["an array", [USER], "userName must be a string, not an array"],
        ["a boolean", true, "userName must be a string, not a boolean"],
    ])("when it is %s", async (_case, userName, reason) => {
        await expect(failuresOf(inputsOf({ userName }))).resolves.toStrictEqual([{ property: "userName", reason }]);
    });
});

describe("check rejects a bad password", () => {
    it.each<[string, unknown, string]>([
        ["empty", "", "password must be 1 to 128 characters long, not 0"],
        ["129 characters long", "p".repeat(129), "password must be 1 to 128 characters long, not 129"],
        ["holding U+0100", "Corr3ct-\u0100orse", PASSWORD_CHARACTERS_RULE],
        ["holding an emoji", "Corr3ct-Horse-\u{1F40E}", PASSWORD_CHARACTERS_RULE],
        ["holding NUL", "Corr3ct\u0000Horse", PASSWORD_CHARACTERS_RULE],
        ["holding a vertical tab", "Corr3ct\u000bHorse", PASSWORD_CHARACTERS_RULE],
        ["a number", 12345678, "password must be a string, not a number"],
        ["an object", { value: PASSWORD }, "password must be a string, not an object"],
        ["an array", [PASSWORD], "password must be a string, not an array"],
        ["a boolean", false, "password must be a string, not a boolean"],
    ])("when it is %s", async (_case, password, reason) => {
        await expect(failuresOf(inputsOf({ password }))).resolves.toStrictEqual([{ property: "", reason }]);
    });

    it("counts characters, not UTF-16 code units: 64 emoji are 64 characters", async () => {
        await expect(failuresOf(inputsOf({ password: "\u{1F40E}".repeat(64) }))).resolves.toStrictEqual([
            { property: "", reason: PASSWORD_CHARACTERS_RULE },
        ]);
    });
});

describe("check rejects other bad properties", () => {
    it.each<[string, unknown, string]>([
        ['the string "yes"', "yes", "passwordResetRequired must be a boolean (true or false), not a string"],
        ["the number 1", 1, "passwordResetRequired must be a boolean (true or false), not a number"],
        ["an object", {}, "passwordResetRequired must be a boolean (true or false), not an object"],
    ])("rejects passwordResetRequired when it is %s", async (_case, passwordResetRequired, reason) => {
        await expect(failuresOf(inputsOf({ passwordResetRequired }))).resolves.toStrictEqual([
            { property: "passwordResetRequired", reason },
        ]);
    });

    it("rejects an adoptExisting that is not a boolean", async () => {
        await expect(failuresOf(inputsOf({ adoptExisting: "true" }))).resolves.toStrictEqual([
            { property: "adoptExisting", reason: "adoptExisting must be a boolean (true or false), not a string" },
        ]);
    });

    it.each<[unknown, string]>([
        ["Mars", 'region must be an AWS region name such as "us-east-1", not "Mars"'],
        ["US-EAST-1", 'region must be an AWS region name such as "us-east-1", not "US-EAST-1"'],
        ["us-east", 'region must be an AWS region name such as "us-east-1", not "us-east"'],
        ["", 'region must be an AWS region name such as "us-east-1", not ""'],
        [1, 'region must be an AWS region name such as "us-east-1", not a number'],
        [["us-east-1"], 'region must be an AWS region name such as "us-east-1", not an array'],
    ])("rejects the region %j", async (region, reason) => {
        await expect(failuresOf(inputsOf({ region }))).resolves.toStrictEqual([{ property: "region", reason }]);
    });

    it("rejects an unknown property, naming the properties a LoginProfile takes", async () => {
        await expect(failuresOf(inputsOf({ pasword: PASSWORD }))).resolves.toStrictEqual([
            { property: "pasword", reason: `unknown property "pasword"; a LoginProfile takes ${KNOWN}` },
        ]);
    });

    it("reports several broken rules together, one failure each", async () => {
        const failures = await failuresOf({ userName: "a b", password: "", passwordResetRequired: "yes", region: "moon", extra: 1 });

        expect(failures).toStrictEqual([
            { property: "extra", reason: `unknown property "extra"; a LoginProfile takes ${KNOWN}` },
            { property: "userName", reason: `${USER_NAME_CHARACTERS_RULE} " "` },
            { property: "", reason: "password must be 1 to 128 characters long, not 0" },
            { property: "passwordResetRequired", reason: "passwordResetRequired must be a boolean (true or false), not a string" },
            { property: "region", reason: 'region must be an AWS region name such as "us-east-1", not "moon"' },
        ]);
    });

    it("still returns the inputs, with the default applied, alongside the failures", async () => {
        const result = await lifecycle().check({}, { userName: "", password: PASSWORD });

        expect(result.inputs).toStrictEqual({ userName: "", password: PASSWORD, passwordResetRequired: false });
    });
});

describe("check during preview", () => {
    it("passes every property that is still unknown", async () => {
        const news = { userName: UNKNOWN, password: UNKNOWN, passwordResetRequired: UNKNOWN, region: UNKNOWN, adoptExisting: UNKNOWN };

        const result = await lifecycle().check({}, news);

        expect(result).toStrictEqual({ inputs: news, failures: [] });
    });

    it("still rejects the known properties next to an unknown one", async () => {
        await expect(failuresOf({ userName: UNKNOWN, password: "" })).resolves.toStrictEqual([
            { property: "", reason: "password must be 1 to 128 characters long, not 0" },
        ]);
    });
});

describe("check never echoes a password", () => {
    it.each<[string, Record<string, unknown>]>([
        ["a password with a bad character", inputsOf({ password: `${PASSWORD}\u0100` })],
        ["a password one character too long", inputsOf({ password: `${PASSWORD}${"z".repeat(128 - PASSWORD.length + 1)}` })],
        ["a password given as the region", inputsOf({ region: PASSWORD })],
        ["a password under a misspelt key", { userName: USER, Password: PASSWORD }],
        ["a password given as the user name", inputsOf({ userName: PASSWORD })],
    ])("does not quote %s", async (_case, news) => {
        const failures = await failuresOf(news);

        expect(failures).not.toStrictEqual([]);
        // The region and user name rules quote the offending value; a password put there is the
        // user's mistake, but the password-only rules must never quote it.
        const passwordRules = failures.filter((f) => f.reason.startsWith("password"));
        for (const failure of passwordRules) {
            expect(failure.reason).not.toContain(PASSWORD);
        }
    });
});

describe("create re-validates what preview let through", () => {
    it("throws every broken rule at once as an InvalidInputsError", () => {
        expect(() => requireValidInputs({ userName: "", password: `${PASSWORD}\u0100`, passwordResetRequired: 1 })).toThrow(
            new InvalidInputsError([
                "userName must be 1 to 64 characters long, not 0",
                PASSWORD_CHARACTERS_RULE,
                "passwordResetRequired must be a boolean (true or false), not a number",
            ]),
        );
    });

    it("names each property still unknown at apply time", () => {
        expect(() => requireValidInputs({ userName: UNKNOWN, password: UNKNOWN })).toThrow(
            "invalid LoginProfile inputs: userName is still unknown at apply time; password is still unknown at apply time",
        );
    });

    it("returns the validated inputs with the default applied", () => {
        expect(requireValidInputs({ userName: USER, password: PASSWORD })).toStrictEqual({
            userName: USER,
            password: PASSWORD,
            passwordResetRequired: false,
        });
    });

    it("gives InvalidInputsError its own name", () => {
        expect(new InvalidInputsError(["x: y"]).name).toBe("InvalidInputsError");
    });
});

describe("validateInputs", () => {
    it("is what check returns", async () => {
        const news = { userName: "bad name", password: PASSWORD };

        await expect(lifecycle().check({}, news)).resolves.toStrictEqual(validateInputs(news));
    });
});
