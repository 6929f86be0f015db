/** Where the IAM client points: the region order DESIGN.md gives, and the credentials profile. */
import { resolveClientSettings } from "../../provider/aws/settings";

/** The retry settings every client gets unless the stack sets maxRetries or retryMode. */
const RETRY = { maxAttempts: 11, retryMode: "standard" } as const;

describe("resolveClientSettings", () => {
    const env = { AWS_REGION: "eu-west-3", AWS_DEFAULT_REGION: "eu-north-1" };

    it("prefers the resource's own region", () => {
        expect(resolveClientSettings("sa-east-1", { region: "ap-northeast-1" }, env)).toStrictEqual({ region: "sa-east-1", ...RETRY });
    });

    it("then stack config aws:region", () => {
        expect(resolveClientSettings(undefined, { region: "ap-northeast-1" }, env)).toStrictEqual({ region: "ap-northeast-1", ...RETRY });
    });

    it("then AWS_REGION, then AWS_DEFAULT_REGION", () => {
        expect(resolveClientSettings(undefined, {}, env)).toStrictEqual({ region: "eu-west-3", ...RETRY });
        expect(resolveClientSettings(undefined, {}, { AWS_DEFAULT_REGION: "eu-north-1" })).toStrictEqual({
            region: "eu-north-1",
            ...RETRY,
        });
    });

    it("then us-east-1", () => {
        expect(resolveClientSettings(undefined, {}, {})).toStrictEqual({ region: "us-east-1", ...RETRY });
    });

    it("carries stack config aws:profile, and no profile key without one", () => {
        expect(resolveClientSettings(undefined, { profile: "deploy" }, {})).toStrictEqual({
            region: "us-east-1",
            profile: "deploy",
            ...RETRY,
        });
        expect(resolveClientSettings(undefined, { profile: "" }, {})).toStrictEqual({ region: "us-east-1", ...RETRY });
    });

    it("reads process.env when no environment is given", () => {
        const saved = process.env.AWS_REGION;
        process.env.AWS_REGION = "il-central-1";
        try {
            expect(resolveClientSettings(undefined, {})).toStrictEqual({ region: "il-central-1", ...RETRY });
        } finally {
            if (saved === undefined) {
                delete process.env.AWS_REGION;
            } else {
                process.env.AWS_REGION = saved;
            }
        }
    });
});
