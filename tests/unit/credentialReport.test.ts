/** Parsing the IAM credential report: columns by name, AWS's words for "none", quoted cells. */
import { parseCredentialReport } from "../../provider/aws/credentialReport";

const GENERATED = new Date("2026-11-30T06:00:00.000Z");

describe("parseCredentialReport", () => {
    it("reads the columns by name in any order, skips the root account, and maps AWS's 'none' words to undefined", () => {
        const csv = [
            "password_last_changed,user,mfa_active,password_enabled,password_last_used",
            "not_supported,<root_account>,true,not_supported,no_information",
            "2026-11-29T10:00:00+00:00,Alice,true,true,no_information",
            "N/A,bob,false,false,N/A",
        ].join("\r\n");

        const report = parseCredentialReport(csv, GENERATED);

        expect(report.generatedAt).toBe(GENERATED);
        expect([...report.users.entries()]).toStrictEqual([
            ["alice", { userName: "Alice", passwordEnabled: true, passwordLastChanged: new Date("2026-11-29T10:00:00Z"), mfaActive: true }],
            ["bob", { userName: "bob", passwordEnabled: false, mfaActive: false }],
        ]);
    });

    it("reads double-quoted cells as RFC 4180 says, commas and doubled quotes included", () => {
        const csv = ["user,arn,password_enabled", '"we,ird","arn:aws:iam::1:user/""q""",true'].join("\n");

        expect(parseCredentialReport(csv, GENERATED).users.get("we,ird")).toStrictEqual({
            userName: "we,ird",
            passwordEnabled: true,
            mfaActive: false,
        });
    });

    it("reads an empty report as no users", () => {
        expect(parseCredentialReport("", GENERATED).users.size).toBe(0);
    });
});
