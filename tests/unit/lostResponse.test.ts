/** The attempt window of a create whose answer was lost, on IAM's clock, and which failures may have made the profile. */
import { EntityAlreadyExistsException } from "@aws-sdk/client-iam";
import { LoginProfileError } from "../../provider/model/errors";
import { CLOCK_TOLERANCE_MS, createdWithin, mayHaveCreated } from "../../provider/aws/lostResponse";
import { awsError, networkError } from "./fixtures";

const START = Date.parse("2026-12-02T10:00:00.000Z");
const WINDOW = { startedAt: START, endedAt: START + 2_000 };
const MINUTE = 60_000;

function at(ms: number): string {
    return new Date(ms).toISOString();
}

describe("createdWithin", () => {
    it("takes a profile created during the attempts, and up to the tolerance either side of them", () => {
        expect(createdWithin(at(START + 1_000), WINDOW)).toBe(true);
        expect(createdWithin(at(START - CLOCK_TOLERANCE_MS), WINDOW)).toBe(true);
        expect(createdWithin(at(START + 2_000 + CLOCK_TOLERANCE_MS), WINDOW)).toBe(true);
    });

    it("refuses a profile created before the attempts began, or after they ended, beyond the tolerance", () => {
        expect(createdWithin(at(START - CLOCK_TOLERANCE_MS - 1), WINDOW)).toBe(false);
        expect(createdWithin(at(START - 10 * MINUTE), WINDOW)).toBe(false);
        expect(createdWithin(at(START + 2_000 + CLOCK_TOLERANCE_MS + 1), WINDOW)).toBe(false);
    });

    it("compares on IAM's clock: with IAM three minutes ahead, its CreateDate three minutes later is within", () => {
        const offset = 3 * MINUTE;
        expect(createdWithin(at(START + offset + 1_000), WINDOW, offset)).toBe(true);
        // Unmeasured, that skew would refuse the provider's own profile (safe, but not recovered).
        expect(createdWithin(at(START + offset + 1_000), WINDOW)).toBe(false);
        // And a profile made a minute before the attempts, by IAM's clock, is still another's.
        expect(createdWithin(at(START + offset - MINUTE), WINDOW, offset)).toBe(false);
    });

    it("compares on IAM's clock: with IAM seven minutes behind, an old-looking CreateDate is within", () => {
        const offset = -7 * MINUTE;
        expect(createdWithin(at(START + offset + 500), WINDOW, offset)).toBe(true);
        expect(createdWithin(at(START + 500), WINDOW, offset)).toBe(false);
    });

    it("refuses a profile with no readable creation date", () => {
        expect(createdWithin("", WINDOW)).toBe(false);
        expect(createdWithin("not a date", WINDOW)).toBe(false);
    });
});

describe("mayHaveCreated", () => {
    function alreadyExistsAfter(attempts: number): EntityAlreadyExistsException {
        return new EntityAlreadyExistsException({ message: "exists", $metadata: { httpStatusCode: 409, attempts } });
    }

    it("is true for EntityAlreadyExists after a retry, and false on the first attempt", () => {
        expect(mayHaveCreated(alreadyExistsAfter(2), "EntityAlreadyExists")).toBe(true);
        expect(mayHaveCreated(alreadyExistsAfter(1), "EntityAlreadyExists")).toBe(false);
        expect(mayHaveCreated(awsError.entityAlreadyExists(), "EntityAlreadyExists")).toBe(false);
    });

    it("is true when no answer came (a closed connection, a timeout) and for a 5xx", () => {
        expect(mayHaveCreated(networkError("ECONNRESET", "socket hang up"), "ECONNRESET")).toBe(true);
        expect(mayHaveCreated(awsError.serviceFailure(), "ServiceFailure")).toBe(true);
    });

    it("is false for IAM's other answers and for this package's own errors", () => {
        expect(mayHaveCreated(awsError.passwordPolicyViolation(), "PasswordPolicyViolation")).toBe(false);
        expect(mayHaveCreated(awsError.noSuchEntity(), "NoSuchEntity")).toBe(false);
        expect(mayHaveCreated(awsError.accessDenied(), "AccessDenied")).toBe(false);
        expect(mayHaveCreated(new LoginProfileError("NoSuchEntity", "waited"), "NoSuchEntity")).toBe(false);
        expect(mayHaveCreated("a string", undefined)).toBe(false);
    });
});
