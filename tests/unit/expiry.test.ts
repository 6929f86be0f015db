/**
 * When a password expires (rules/expiry.ts): the account's MaxPasswordAge as the credential report
 * shows it (`password_next_rotation` less `password_last_changed`), as a state implies it, or as
 * the policy gives it in days; and `passwordExpiresAt` from it. Also the report's column itself.
 */
import { parseCredentialReport } from "../../provider/aws/credentialReport";
import { expiryFields, maxAgeOfDays, maxAgeOfReport, maxAgeOfState } from "../../provider/rules/expiry";
import { DAY_MS } from "../../provider/model/time";
import { credentialReport, type ReportRow } from "./fixtures";

const GENERATED_AT = new Date("2026-06-01T00:00:00.000Z");
const CHANGED = new Date("2026-05-01T10:20:30.000Z");

/** The report AWS would give with these rows, parsed as a refresh parses it. */
function reportOf(rows: readonly ReportRow[]): ReturnType<typeof parseCredentialReport> {
    const { Content } = credentialReport(rows, GENERATED_AT);
    return parseCredentialReport(new TextDecoder().decode(Content), GENERATED_AT);
}

function daysAfter(date: Date, days: number, extraMs = 0): Date {
    return new Date(date.getTime() + days * DAY_MS + extraMs);
}

describe("the credential report's password_next_rotation", () => {
    it("is read as a date, and left out where AWS writes N/A", () => {
        const report = reportOf([
            { user: "alice", passwordLastChanged: CHANGED, passwordNextRotation: daysAfter(CHANGED, 90) },
            { user: "bob", passwordLastChanged: CHANGED },
            { user: "carol" },
        ]);

        expect(report.users.get("alice")?.passwordNextRotation).toStrictEqual(new Date("2026-07-30T10:20:30.000Z"));
        expect(report.users.get("bob")).not.toHaveProperty("passwordNextRotation");
        expect(report.users.get("carol")).not.toHaveProperty("passwordNextRotation");
    });
});

describe("maxAgeOfReport", () => {
    it("is the days between a password's last change and its next rotation", () => {
        expect(
            maxAgeOfReport(reportOf([{ user: "alice", passwordLastChanged: CHANGED, passwordNextRotation: daysAfter(CHANGED, 90) }])),
        ).toBe(90 * DAY_MS);
        expect(
            maxAgeOfReport(reportOf([{ user: "alice", passwordLastChanged: CHANGED, passwordNextRotation: daysAfter(CHANGED, 1) }])),
        ).toBe(DAY_MS);
        expect(
            maxAgeOfReport(reportOf([{ user: "alice", passwordLastChanged: CHANGED, passwordNextRotation: daysAfter(CHANGED, 1095) }])),
        ).toBe(1095 * DAY_MS);
    });

    it("rounds to whole days, as MaxPasswordAge is (the report's times are to the second)", () => {
        const report = reportOf([{ user: "alice", passwordLastChanged: CHANGED, passwordNextRotation: daysAfter(CHANGED, 90, -1000) }]);

        expect(maxAgeOfReport(report)).toBe(90 * DAY_MS);
    });

    it("looks past users without a password to one that has both dates", () => {
        const report = reportOf([
            { user: "nopassword" },
            { user: "bob", passwordLastChanged: CHANGED, passwordNextRotation: daysAfter(CHANGED, 30) },
        ]);

        expect(maxAgeOfReport(report)).toBe(30 * DAY_MS);
    });

    it("is null when users with a password show no next rotation: the account sets no MaxPasswordAge", () => {
        expect(maxAgeOfReport(reportOf([{ user: "alice", passwordLastChanged: CHANGED }, { user: "carol" }]))).toBeNull();
    });

    it("is undefined when no user has a password to tell by, nor any user at all", () => {
        expect(maxAgeOfReport(reportOf([{ user: "carol" }]))).toBeUndefined();
        expect(maxAgeOfReport(reportOf([]))).toBeUndefined();
    });
});

describe("maxAgeOfState", () => {
    it("is the state's expiry less its last change", () => {
        expect(maxAgeOfState({ passwordLastChanged: CHANGED.toISOString(), passwordExpiresAt: daysAfter(CHANGED, 90).toISOString() })).toBe(
            90 * DAY_MS,
        );
    });

    it("is undefined when the state lacks either, or holds no date", () => {
        expect(maxAgeOfState({ passwordLastChanged: CHANGED.toISOString() })).toBeUndefined();
        expect(maxAgeOfState({ passwordExpiresAt: CHANGED.toISOString() })).toBeUndefined();
        expect(maxAgeOfState({ passwordLastChanged: "yesterday", passwordExpiresAt: CHANGED.toISOString() })).toBeUndefined();
    });
});

describe("maxAgeOfDays and expiryFields", () => {
    it("takes the policy's days, and none for none (or 0)", () => {
        expect(maxAgeOfDays(90)).toBe(90 * DAY_MS);
        expect(maxAgeOfDays(undefined)).toBeNull();
        expect(maxAgeOfDays(0)).toBeNull();
    });

    it("gives passwordExpiresAt for a known age, and nothing for none or an unknown one", () => {
        expect(expiryFields(CHANGED.getTime(), 90 * DAY_MS)).toStrictEqual({ passwordExpiresAt: "2026-07-30T10:20:30.000Z" });
        expect(expiryFields(CHANGED.getTime(), null)).toStrictEqual({});
        expect(expiryFields(CHANGED.getTime(), undefined)).toStrictEqual({});
    });

    it("counts a day as 86 400 000 ms", () => {
        expect(DAY_MS).toBe(86_400_000);
    });
});
