/**
 * The rules of the policy pack `iam-login-profile-compliance` (provider/policy/rules.ts), each on
 * both front doors' types, as the policy SDK calls them: inputs behind its proxy that throws for a
 * value unknown at preview, and each rule's configuration. Every message names the resource, the
 * rule and the way to comply, and no value the program declared but the names.
 */
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import * as policyProxy from "@pulumi/policy/proxy";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    breakGlassCustodians,
    LOGIN_PROFILE_TYPES,
    matchesAny,
    passwordLength,
    passwordSealed,
    passwordUnused,
    POLICIES,
    POLICY_PACK_NAME,
    resetRequired,
} from "../../provider/policy/rules";

/**
 * The proxy the policy SDK puts around a resource's properties, which throws for a value unknown
 * at preview, and its placeholders of unknown values (marked internal in the SDK's types).
 */
const { unknownCheckingProxy, unknownNumberValue, unknownStringValue } = policyProxy as unknown as {
    readonly unknownCheckingProxy: <T>(props: T) => T;
    readonly unknownNumberValue: string;
    readonly unknownStringValue: string;
};

const DECLARED = "Short-Pw1!";
const LONG_DECLARED = "A-Declared-Passw0rd-Long-Enough!";
const KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nxjMEZ\n-----END PGP PUBLIC KEY BLOCK-----";
const EXTERNAL_ID = "secret-external-id-1234";
const DAY = 86_400_000;

/** The violations a resource policy reports for `props` of `type`, with `config`. */
function violations(
    policy: ResourceValidationPolicy,
    type: string,
    props: Record<string, unknown>,
    config: Record<string, unknown> = {},
): string[] {
    const found: string[] = [];
    const report: ReportViolation = (message) => found.push(message);
    const args = {
        type,
        props: unknownCheckingProxy(props),
        urn: `urn:pulumi:dev::p::${type}::res`,
        name: "res",
        getConfig: () => config,
    } as unknown as ResourceValidationArgs;
    const validate = policy.validateResource;
    for (const check of Array.isArray(validate) ? validate : validate ? [validate] : []) {
        void check(args, report);
    }
    return found;
}

/** The violations of the stack policy over resources of `type` with `outputs`, with `config`. */
function stackViolations(type: string, outputs: readonly Record<string, unknown>[], config: Record<string, unknown> = {}): string[] {
    const found: string[] = [];
    const report: ReportViolation = (message) => found.push(message);
    const resources = outputs.map((props, i) => ({ type, props: unknownCheckingProxy(props), urn: `urn:${i}`, name: `res${i}` }));
    void passwordUnused.validateStack({ resources, getConfig: () => config } as never, report);
    return found;
}

describe.each(LOGIN_PROFILE_TYPES)("the pack's rules on %s", (type) => {
    describe("login-profile-password-length (mandatory)", () => {
        it("refuses a declared password shorter than minimumLength, without printing it or its length", () => {
            const found = violations(passwordLength, type, { userName: "alice", password: DECLARED });
            expect(found).toEqual([
                'LoginProfile "res" (IAM user "alice"): its declared password is shorter than 14 characters (login-profile-password-length; CIS AWS Foundations 1.7, AWS Security Hub IAM.15). To comply, declare a password of at least 14 characters, or omit password to have one generated.',
            ]);
            expect(found.join()).not.toContain(DECLARED);
            expect(found.join()).not.toContain(String([...DECLARED].length));
        });

        it("passes a long enough declared password, and one of minimumLength set lower", () => {
            expect(violations(passwordLength, type, { userName: "alice", password: LONG_DECLARED })).toEqual([]);
            expect(violations(passwordLength, type, { userName: "alice", password: DECLARED }, { minimumLength: 8 })).toEqual([]);
        });

        it("measures a generated password by passwordLength, 20 when omitted; the generation mark is no declared password", () => {
            const mark = { generated: "2026-12-06T10:00:00.000Z" };
            expect(violations(passwordLength, type, { userName: "alice", password: mark })).toEqual([]);
            expect(violations(passwordLength, type, { userName: "alice" }, { minimumLength: 24 })).toEqual([
                'LoginProfile "res" (IAM user "alice"): its generated password is 20 characters long, fewer than 24 (login-profile-password-length; CIS AWS Foundations 1.7, AWS Security Hub IAM.15). To comply, set passwordLength to at least 24.',
            ]);
            expect(violations(passwordLength, type, { userName: "alice", passwordLength: 12 })).toHaveLength(1);
            expect(violations(passwordLength, type, { userName: "alice", passwordLength: 30 }, { minimumLength: 24 })).toEqual([]);
        });

        it("leaves values unknown at preview to the update, which sees them", () => {
            expect(violations(passwordLength, type, { userName: unknownStringValue, password: unknownStringValue })).toEqual([]);
            expect(violations(passwordLength, type, { userName: "alice", passwordLength: unknownNumberValue })).toEqual([]);
        });
    });

    describe("login-profile-reset-required (advisory)", () => {
        it("flags a declared password not reset at the first sign-in", () => {
            expect(violations(resetRequired, type, { userName: "alice", password: LONG_DECLARED, passwordResetRequired: false })).toEqual([
                'LoginProfile "res" (IAM user "alice"): its declared password is not reset at the first sign-in (login-profile-reset-required; cfn-nag W50). To comply, set passwordResetRequired: true, so that the user chooses their own password; or, for a break-glass user, add its name to this rule\'s breakGlassUsers.',
            ]);
        });

        it("passes a reset one, a generated one, an unknown flag, and a user of breakGlassUsers", () => {
            expect(violations(resetRequired, type, { userName: "alice", password: LONG_DECLARED, passwordResetRequired: true })).toEqual(
                [],
            );
            expect(violations(resetRequired, type, { userName: "alice", passwordResetRequired: false })).toEqual([]);
            expect(
                violations(resetRequired, type, { userName: "alice", password: LONG_DECLARED, passwordResetRequired: unknownStringValue }),
            ).toEqual([]);
            const config = { breakGlassUsers: ["breakglass*"] };
            expect(violations(resetRequired, type, { userName: "BreakGlass-prod", password: LONG_DECLARED }, config)).toEqual([]);
            expect(violations(resetRequired, type, { userName: "alice", password: LONG_DECLARED }, config)).toHaveLength(1);
        });
    });

    describe("login-profile-password-sealed (mandatory)", () => {
        it("refuses a generated password kept in state", () => {
            expect(violations(passwordSealed, type, { userName: "alice", password: { generated: "2026-12-06T10:00:00.000Z" } })).toEqual([
                'LoginProfile "res" (IAM user "alice"): its generated password would be kept in the stack\'s state, readable by anyone who can export it (login-profile-password-sealed; cfn-nag F51). To comply, give pgpKey (one holder\'s public key) or pgpKeys with threshold (custodians who open it together).',
            ]);
        });

        it("passes one sealed to a key or to custodians, a declared one, and keys unknown at preview", () => {
            expect(violations(passwordSealed, type, { userName: "alice", pgpKey: KEY })).toEqual([]);
            expect(violations(passwordSealed, type, { userName: "alice", pgpKeys: [KEY, KEY], threshold: 2 })).toEqual([]);
            expect(violations(passwordSealed, type, { userName: "alice", password: LONG_DECLARED })).toEqual([]);
            expect(violations(passwordSealed, type, { userName: "alice", pgpKeys: unknownStringValue })).toEqual([]);
        });
    });

    describe("break-glass-custodians (advisory)", () => {
        const config = { breakGlassUsers: ["breakglass*"] };

        it("asks a break-glass user for custodians and rotation after use, naming what is missing", () => {
            expect(violations(breakGlassCustodians, type, { userName: "breakglass", pgpKey: KEY }, config)).toEqual([
                'LoginProfile "res" (IAM user "breakglass") is a break-glass user, whose password no one should open alone or use twice (break-glass-custodians; dual control of emergency access, docs/break-glass.md). To comply, declare pgpKeys (2 or more custodians\' keys), threshold of at least 2, rotateAfterUse: true.',
            ]);
            expect(
                violations(
                    breakGlassCustodians,
                    type,
                    { userName: "breakglass-1", pgpKeys: [KEY, KEY, KEY], threshold: 2, rotateAfterUse: false },
                    config,
                ),
            ).toEqual([
                'LoginProfile "res" (IAM user "breakglass-1") is a break-glass user, whose password no one should open alone or use twice (break-glass-custodians; dual control of emergency access, docs/break-glass.md). To comply, declare rotateAfterUse: true.',
            ]);
        });

        it("passes a compliant break-glass user, other users, and no breakGlassUsers at all", () => {
            const compliant = { userName: "breakglass", pgpKeys: [KEY, KEY, KEY], threshold: 2, rotateAfterUse: true };
            expect(violations(breakGlassCustodians, type, compliant, config)).toEqual([]);
            expect(violations(breakGlassCustodians, type, { userName: "alice" }, config)).toEqual([]);
            expect(violations(breakGlassCustodians, type, { userName: "breakglass" })).toEqual([]);
        });
    });

    describe("login-profile-unused (advisory, on the stack's outputs)", () => {
        const now = Date.now();
        const iso = (ms: number): string => new Date(ms).toISOString();

        it("flags a password unused for unusedDays, from its last use or else its creation, on IAM's clock", () => {
            const found = stackViolations(type, [
                { userName: "alice", createDate: iso(now - 100 * DAY), passwordLastUsed: iso(now - 46 * DAY) },
                { userName: "bob", createDate: iso(now - 50 * DAY) },
                { userName: "carol", createDate: iso(now - 100 * DAY), passwordLastUsed: iso(now - 2 * DAY) },
                // Created yesterday by this machine's clock, but IAM's is 46 days ahead (the emulator's clock moved on).
                { userName: "dave", createDate: iso(now - DAY), iamClockAheadMs: 46 * DAY },
            ]);
            expect(found).toHaveLength(3);
            expect(found[0]).toMatch(
                /^LoginProfile "res0" \(IAM user "alice"\): its password has not been used for 46 days \(last used \S+Z\), more than 45 \(login-profile-unused; CIS AWS Foundations 1\.11, AWS Security Hub IAM\.22\)\. To comply, /,
            );
            expect(found[1]).toContain(
                'IAM user "bob"): its password has not been used for 50 days (never used since the profile was created)',
            );
            expect(found[2]).toContain('IAM user "dave"): its password has not been used for 47 days');
        });

        it("takes unusedDays and exempts breakGlassUsers; skips outputs unknown at preview", () => {
            const outputs = [
                { userName: "breakglass", createDate: iso(now - 400 * DAY) },
                { userName: "alice", createDate: iso(now - 50 * DAY) },
            ];
            expect(stackViolations(type, outputs, { unusedDays: 60, breakGlassUsers: ["breakglass"] })).toEqual([]);
            expect(stackViolations(type, [{ userName: unknownStringValue, createDate: unknownStringValue }])).toEqual([]);
        });
    });

    it("never puts a password, a key or an external id in a message, whatever the program declared", () => {
        const props = {
            userName: "alice",
            password: DECLARED,
            pgpKey: KEY,
            assumeRole: { roleArn: "arn:aws:iam::111111111111:role/R", externalId: EXTERNAL_ID },
        };
        const all = POLICIES.filter((p): p is ResourceValidationPolicy => "validateResource" in p).flatMap((p) =>
            violations(p, type, props, { breakGlassUsers: ["alice"], minimumLength: 30 }),
        );
        expect(all.length).toBeGreaterThan(0);
        for (const secret of [DECLARED, KEY, "xjMEZ", EXTERNAL_ID]) {
            expect(all.join("\n")).not.toContain(secret);
        }
    });
});

describe("the pack", () => {
    it("is named iam-login-profile-compliance, with the five rules spelled as the docs give them and their default levels", () => {
        expect(POLICY_PACK_NAME).toBe("iam-login-profile-compliance");
        expect(POLICIES.map((p) => [p.name, p.enforcementLevel])).toEqual([
            ["login-profile-password-length", "mandatory"],
            ["login-profile-reset-required", "advisory"],
            ["login-profile-password-sealed", "mandatory"],
            ["break-glass-custodians", "advisory"],
            ["login-profile-unused", "advisory"],
        ]);
    });

    it("is versioned with the package: policy-pack/package.json carries the package's version", () => {
        const repo = path.resolve(__dirname, "../..");
        const read = (file: string): { version: string } =>
            JSON.parse(fs.readFileSync(path.join(repo, file), "utf8")) as { version: string };
        expect(read("policy-pack/package.json").version).toBe(read("package.json").version);
    });

    it("matches break-glass user patterns as IAM compares names: * for any run of characters, case-insensitively", () => {
        expect(matchesAny("BreakGlass-Prod", ["breakglass*"])).toBe(true);
        expect(matchesAny("prod-breakglass", ["breakglass*"])).toBe(false);
        expect(matchesAny("a.b", ["a.b"])).toBe(true);
        expect(matchesAny("axb", ["a.b"])).toBe(false);
        expect(matchesAny(undefined, ["*"])).toBe(false);
    });
});

test("the configuration file docs/compliance.md shows names the pack's rules and only the settings each declares", () => {
    const file = path.resolve(__dirname, "../../docs/policy-pack-config.json");
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
    for (const [rule, settings] of Object.entries(config)) {
        const policy = POLICIES.find((p) => p.name === rule);
        expect({ rule, known: policy !== undefined }).toEqual({ rule, known: true });
        const declared = ["enforcementLevel", ...Object.keys(policy?.configSchema?.properties ?? {})];
        expect(Object.keys(settings).filter((key) => !declared.includes(key))).toEqual([]);
    }
});
