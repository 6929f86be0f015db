/**
 * The rules of the CrossGuard policy pack `iam-login-profile-compliance` (policy-pack/, run with
 * `pulumi preview --policy-pack`): console passwords kept to CIS AWS Foundations v5.0, AWS Security
 * Hub and the CloudFormation scanners' rules, for LoginProfiles through both front doors. Each rule
 * names its control, has a default enforcement level, and takes its settings from
 * `--policy-pack-config`. A message names the resource, the rule, the control and how to comply,
 * and never a value the program declared: the policy SDK hands policies secrets in plaintext
 * (pulumi-policy #241), so a password, a share or an external id would be printed if quoted.
 */
import {
    UnknownValueError,
    type ReportViolation,
    type ResourceValidationArgs,
    type ResourceValidationPolicy,
    type StackValidationArgs,
    type StackValidationPolicy,
} from "@pulumi/policy";
import { DEFAULT_PASSWORD_LENGTH } from "../password/generator";
import { DAY_MS, timeOf } from "../model/time";

/** The LoginProfile's type through each front door: the dynamic resource's and the plugin's. */
export const LOGIN_PROFILE_TYPES: readonly string[] = [
    "pulumi-nodejs:dynamic/aws-iam:LoginProfile",
    "iam-login-profile:index:LoginProfile",
];

/** The pack's name, as `--policy-pack-config` and the CLI's output name it. */
export const POLICY_PACK_NAME = "iam-login-profile-compliance";

/** The fewest characters a password may have (CIS AWS Foundations 1.7, Security Hub IAM.15). */
export const DEFAULT_MINIMUM_LENGTH = 14;
/** How long a password may sit unused (CIS AWS Foundations 1.11, Security Hub IAM.22). */
export const DEFAULT_UNUSED_DAYS = 45;

/** `breakGlassUsers` as every rule that takes it declares it: user-name patterns, `*` for any run of characters. */
const BREAK_GLASS_USERS = {
    type: "array",
    items: { type: "string" },
    default: [],
    description: 'IAM user-name patterns of break-glass users, such as "breakglass*" (* matches any characters; case does not matter).',
} as const;

/** A value of the resource's properties: known (perhaps absent), or unknown until apply (a preview). */
type Read = { readonly known: true; readonly value: unknown } | { readonly known: false };

/** Reads `key` of a resource's properties, which the policy SDK makes throw for a value unknown at preview. */
function read(props: Record<string, unknown>, key: string): Read {
    try {
        return { known: true, value: props[key] };
    } catch (error) {
        if (error instanceof UnknownValueError) {
            return { known: false };
        }
        throw error;
    }
}

/** How the program declared a profile's password, as the rules need it. */
interface Declared {
    /** The resource's name in the program. */
    readonly name: string;
    /** The IAM user, when known. */
    readonly userName: string | undefined;
    /** "declared" (a string), "generated" (omitted, or check's generation mark), or "unknown" at preview. */
    readonly password: "declared" | "generated" | "unknown";
    /** The declared password's length in characters, when declared and known; never the password. */
    readonly declaredLength: number | undefined;
}

/** What a rule needs of a LoginProfile's inputs; undefined for any other resource type. */
function declaredProfile(args: ResourceValidationArgs): Declared | undefined {
    if (!LOGIN_PROFILE_TYPES.includes(args.type)) {
        return undefined;
    }
    const props = args.props as Record<string, unknown>;
    const userName = read(props, "userName");
    const password = read(props, "password");
    let kind: Declared["password"] = "unknown";
    if (password.known) {
        kind = typeof password.value === "string" ? "declared" : "generated";
    }
    return {
        name: args.name,
        userName: userName.known && typeof userName.value === "string" ? userName.value : undefined,
        password: kind,
        declaredLength: password.known && typeof password.value === "string" ? [...password.value].length : undefined,
    };
}

/** How a message names the resource: `LoginProfile "name" (IAM user "user")`. */
function named(profile: { readonly name: string; readonly userName: string | undefined }): string {
    return `LoginProfile "${profile.name}"${profile.userName !== undefined ? ` (IAM user "${profile.userName}")` : ""}`;
}

/** Whether `userName` matches one of the patterns (`*` any run of characters, case-insensitively, as IAM compares names). */
export function matchesAny(userName: string | undefined, patterns: readonly string[]): boolean {
    if (userName === undefined) {
        return false;
    }
    return patterns.some((pattern) => {
        const regex = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`, "i");
        return regex.test(userName);
    });
}

function escapeRegExp(text: string): string {
    return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

/** A rule's `breakGlassUsers`, from its own configuration. */
function breakGlassUsersOf(config: { readonly breakGlassUsers?: unknown }): string[] {
    return Array.isArray(config.breakGlassUsers) ? config.breakGlassUsers.filter((p): p is string => typeof p === "string") : [];
}

/** `login-profile-password-length`: a password at least `minimumLength` long, declared or generated. */
export const passwordLength: ResourceValidationPolicy = {
    name: "login-profile-password-length",
    description: `A console password is at least minimumLength characters long (default ${DEFAULT_MINIMUM_LENGTH}; CIS AWS Foundations 1.7, AWS Security Hub IAM.15).`,
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumLength: {
                type: "integer",
                minimum: 1,
                maximum: 128,
                default: DEFAULT_MINIMUM_LENGTH,
                description: "The fewest characters.",
            },
        },
    },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const profile = declaredProfile(args);
        if (profile === undefined) {
            return;
        }
        const minimum = args.getConfig<{ minimumLength?: number }>().minimumLength ?? DEFAULT_MINIMUM_LENGTH;
        const control = "CIS AWS Foundations 1.7, AWS Security Hub IAM.15";
        if (profile.password === "declared" && (profile.declaredLength ?? 0) < minimum) {
            reportViolation(
                `${named(profile)}: its declared password is shorter than ${minimum} characters (login-profile-password-length; ${control}). ` +
                    `To comply, declare a password of at least ${minimum} characters, or omit password to have one generated.`,
            );
            return;
        }
        if (profile.password !== "generated") {
            return;
        }
        const length = read(args.props as Record<string, unknown>, "passwordLength");
        if (!length.known) {
            return; // decided at apply, when the length is known
        }
        const declared = typeof length.value === "number" ? length.value : undefined;
        const generatedLength = declared ?? DEFAULT_PASSWORD_LENGTH;
        if (generatedLength < minimum) {
            reportViolation(
                `${named(profile)}: its generated password is ${generatedLength} characters long, fewer than ${minimum} ` +
                    `(login-profile-password-length; ${control}). To comply, set passwordLength to at least ${minimum}.`,
            );
        }
    },
};

/** `login-profile-reset-required`: a declared password is changed at first sign-in, but by break-glass users. */
export const resetRequired: ResourceValidationPolicy = {
    name: "login-profile-reset-required",
    description:
        "A declared console password must be changed at the first sign-in (passwordResetRequired: true; cfn-nag W50, KICS IAM User Without Password Reset); break-glass users are exempt.",
    enforcementLevel: "advisory",
    configSchema: { properties: { breakGlassUsers: BREAK_GLASS_USERS } },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const profile = declaredProfile(args);
        if (profile === undefined || profile.password !== "declared") {
            return;
        }
        if (matchesAny(profile.userName, breakGlassUsersOf(args.getConfig()))) {
            return;
        }
        const reset = read(args.props as Record<string, unknown>, "passwordResetRequired");
        if (reset.known && reset.value !== true) {
            reportViolation(
                `${named(profile)}: its declared password is not reset at the first sign-in (login-profile-reset-required; cfn-nag W50). ` +
                    "To comply, set passwordResetRequired: true, so that the user chooses their own password; or, for a break-glass user, add its name to this rule's breakGlassUsers.",
            );
        }
    },
};

/** `login-profile-password-sealed`: a generated password is sealed to a key or to custodians, so that no one reads it from state. */
export const passwordSealed: ResourceValidationPolicy = {
    name: "login-profile-password-sealed",
    description:
        "A generated console password is sealed to an OpenPGP key (pgpKey) or split among custodians (pgpKeys), so that no one reads it from the stack's state (cfn-nag F51, KICS IAM User LoginProfile Password Is In Plaintext).",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const profile = declaredProfile(args);
        if (profile === undefined || profile.password !== "generated") {
            return;
        }
        const props = args.props as Record<string, unknown>;
        const pgpKey = read(props, "pgpKey");
        const pgpKeys = read(props, "pgpKeys");
        const sealed = !pgpKey.known || !pgpKeys.known || isGiven(pgpKey.value) || isGiven(pgpKeys.value);
        if (!sealed) {
            reportViolation(
                `${named(profile)}: its generated password would be kept in the stack's state, readable by anyone who can export it ` +
                    "(login-profile-password-sealed; cfn-nag F51). To comply, give pgpKey (one holder's public key) or pgpKeys with threshold (custodians who open it together).",
            );
        }
    },
};

/** `break-glass-custodians`: break-glass users' passwords are opened by custodians together, and changed after use. */
export const breakGlassCustodians: ResourceValidationPolicy = {
    name: "break-glass-custodians",
    description:
        "A break-glass user's console password (breakGlassUsers) is split among custodians (pgpKeys with a threshold of at least 2), so that no one opens it alone, and is rotated after use (rotateAfterUse).",
    enforcementLevel: "advisory",
    configSchema: { properties: { breakGlassUsers: BREAK_GLASS_USERS } },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const profile = declaredProfile(args);
        if (profile === undefined || !matchesAny(profile.userName, breakGlassUsersOf(args.getConfig()))) {
            return;
        }
        const props = args.props as Record<string, unknown>;
        const pgpKeys = read(props, "pgpKeys");
        const threshold = read(props, "threshold");
        const rotateAfterUse = read(props, "rotateAfterUse");
        const missing = [
            ...(pgpKeys.known && !(Array.isArray(pgpKeys.value) && pgpKeys.value.length >= 2)
                ? ["pgpKeys (2 or more custodians' keys)"]
                : []),
            ...(threshold.known && !(typeof threshold.value === "number" && threshold.value >= 2) ? ["threshold of at least 2"] : []),
            ...(rotateAfterUse.known && rotateAfterUse.value !== true ? ["rotateAfterUse: true"] : []),
        ];
        if (missing.length > 0) {
            reportViolation(
                `${named(profile)} is a break-glass user, whose password no one should open alone or use twice (break-glass-custodians; dual control of emergency access, docs/break-glass.md). ` +
                    `To comply, declare ${missing.join(", ")}.`,
            );
        }
    },
};

/** `login-profile-unused`: a managed password unused for `unusedDays`, from the stack's outputs; break-glass users are exempt. */
export const passwordUnused: StackValidationPolicy = {
    name: "login-profile-unused",
    description: `A console password is used at least every unusedDays days (default ${DEFAULT_UNUSED_DAYS}; CIS AWS Foundations 1.11, AWS Security Hub IAM.22), as the last refresh saw it; break-glass users are exempt.`,
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            unusedDays: {
                type: "integer",
                minimum: 1,
                default: DEFAULT_UNUSED_DAYS,
                description: "The most days a password may sit unused.",
            },
            breakGlassUsers: BREAK_GLASS_USERS,
        },
    },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const config = args.getConfig<{ unusedDays?: number; breakGlassUsers?: unknown }>();
        const days = config.unusedDays ?? DEFAULT_UNUSED_DAYS;
        const exempt = breakGlassUsersOf(config);
        for (const resource of args.resources) {
            if (!LOGIN_PROFILE_TYPES.includes(resource.type)) {
                continue;
            }
            const props = resource.props as Record<string, unknown>;
            const userName = read(props, "userName");
            const user = userName.known && typeof userName.value === "string" ? userName.value : undefined;
            if (user === undefined || matchesAny(user, exempt)) {
                continue;
            }
            const unusedSince = lastActivity(props);
            if (unusedSince === undefined) {
                continue;
            }
            // On IAM's clock, as the provider measured it at the last call (a refresh keeps it current).
            const ahead = read(props, "iamClockAheadMs");
            const now = Date.now() + (ahead.known && typeof ahead.value === "number" ? ahead.value : 0);
            const unusedDays = Math.floor((now - unusedSince.at) / DAY_MS);
            if (unusedDays >= days) {
                reportViolation(
                    `${named({ name: resource.name, userName: user })}: its password has not been used for ${unusedDays} days (${unusedSince.what}), ` +
                        `more than ${days} (login-profile-unused; CIS AWS Foundations 1.11, AWS Security Hub IAM.22). To comply, remove the console password ` +
                        "of a user who no longer signs in, or add a break-glass user's name to this rule's breakGlassUsers. The figure is as of the last `pulumi refresh`.",
                    resource.urn,
                );
            }
        }
    },
};

/** Since when a password has sat unused: its last use, else when the profile was created. */
function lastActivity(props: Record<string, unknown>): { readonly at: number; readonly what: string } | undefined {
    const used = timeOfRead(read(props, "passwordLastUsed"));
    if (used !== undefined) {
        return { at: used, what: `last used ${new Date(used).toISOString()}` };
    }
    const created = timeOfRead(read(props, "createDate"));
    return created !== undefined ? { at: created, what: "never used since the profile was created" } : undefined;
}

/** The time of an ISO 8601 output, when it is known and one. */
function timeOfRead(value: Read): number | undefined {
    return value.known && typeof value.value === "string" ? timeOf(value.value) : undefined;
}

/** Whether an input is given: not absent, null or an empty string. */
function isGiven(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "";
}

/** Every rule of the pack, in the order the docs list them. */
export const POLICIES = [passwordLength, resetRequired, passwordSealed, breakGlassCustodians, passwordUnused];
