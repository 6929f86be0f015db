/**
 * The least-privilege IAM policy the docs give (docs/iam-policy.json), as the emulator's
 * `allowedActions` takes it: the end-to-end suites that use it run with exactly these actions.
 */
import * as fs from "node:fs";
import * as path from "node:path";

interface PolicyDocument {
    readonly Statement: readonly { readonly Action: string | readonly string[] }[];
}

/** Where the policy document lives. */
export const POLICY_FILE = path.resolve(__dirname, "..", "..", "docs", "iam-policy.json");

/** Every action the policy allows, in its order (`iam:CreateLoginProfile`, …). */
export function policyActions(): string[] {
    const policy = JSON.parse(fs.readFileSync(POLICY_FILE, "utf8")) as PolicyDocument;
    return policy.Statement.flatMap((statement) => (typeof statement.Action === "string" ? [statement.Action] : [...statement.Action]));
}
