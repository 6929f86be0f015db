/**
 * Every bad-input case of tests/support/badInputs.ts at the hook level: `check` reports exactly the
 * broken rules, each naming its property, and `create` refuses the same inputs before connecting
 * to IAM. The end-to-end suite runs the same cases through `pulumi preview`.
 */
import { InvalidInputsError } from "../../provider/rules/validation";
import { BAD_INPUT_CASES, BAD_PASSWORDS, badInputArgs } from "../support/badInputs";
import { errorText, rejectionOf, offlineLifecycle } from "./fixtures";

/** Failures about these properties are reported without the property field (see validation.ts). */
const NOT_ECHOED = new Set(["password", "pgpKey"]);
const SECRETS = Object.values(BAD_PASSWORDS).filter((password) => password !== "");

const lifecycle = offlineLifecycle();

it("has at least 30 cases", () => {
    expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(30);
});

describe.each(BAD_INPUT_CASES.map((badCase) => [badCase.title, badCase] as const))("%s", (_title, badCase) => {
    it("check reports exactly the broken rules, each naming its property", async () => {
        const { failures = [] } = await lifecycle().check({}, badInputArgs(badCase));

        expect(failures.map((f) => f.reason)).toEqual(badCase.reasons);
        for (const failure of failures) {
            const named = failure.reason.split(" ")[0] ?? "";
            expect(failure.property).toBe(NOT_ECHOED.has(named) ? "" : named);
        }
        const text = JSON.stringify(failures);
        expect(SECRETS.filter((secret) => text.includes(JSON.stringify(secret).slice(1, -1)))).toEqual([]);
    });

    it("create refuses the same inputs before any AWS call", async () => {
        const error = await rejectionOf(lifecycle().create(badInputArgs(badCase)));

        expect(error).toBeInstanceOf(InvalidInputsError);
        expect((error as Error).message).toBe(`invalid LoginProfile inputs: ${badCase.reasons.join("; ")}`);
        expect(SECRETS.filter((secret) => errorText(error).includes(secret))).toEqual([]);
    });
});
