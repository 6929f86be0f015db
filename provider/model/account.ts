/**
 * Which AWS account a login profile lives in, and how its credentials are obtained: a role to
 * assume (`assumeRole`) and a shared-config profile (`profile`), each taken from the resource (or
 * function) first, then from the provider's configuration or the stack's, then the AWS SDK's
 * default chain. The account is part of a profile's identity; how its credentials are obtained is
 * not. Pure: no AWS call.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { describeValue } from "./describe";
import { isUnknown } from "./unknown";

/** A role to assume for the account's credentials (STS AssumeRole), as pulumi-aws's `assumeRole`. */
export interface AssumeRole {
    /** The ARN of the role, `arn:<partition>:iam::<account>:role/<path/name>`: its account is the profile's account. */
    readonly roleArn: string;
    /** The external id the role's trust policy requires, if any. A secret: never in plaintext in state, output or logs. */
    readonly externalId?: string;
    /**
     * The role session's name, which CloudTrail records: 2 to 64 of letters, digits and `_+=,.@-`.
     * @default "pulumi-iam-login-profile"
     */
    readonly sessionName?: string;
    /**
     * How long the role's credentials last, 900 to 43200 seconds (within the role's maximum); they
     * are renewed before they expire.
     * @default 3600
     */
    readonly durationSeconds?: number;
}

/** Where a profile's credentials come from: the role and profile to use, either absent for the default. */
export interface AccountAccess {
    /** The role to assume; absent means the credentials of `profile` or the default chain are used as they are. */
    readonly assumeRole?: AssumeRole;
    /** The shared-config profile for the (source) credentials; absent means the AWS SDK's default chain. */
    readonly profile?: string;
}

/** The session name when none is declared: CloudTrail shows who assumed the role. */
export const DEFAULT_SESSION_NAME = "pulumi-iam-login-profile";
/** AssumeRole's own default duration. */
export const DEFAULT_DURATION_SECONDS = 3600;

/** A role ARN; the account is the fifth field. */
const ROLE_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
/** STS's pattern for RoleSessionName. */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** STS's pattern for ExternalId: 2 to 1224 of these. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const ROLE_KEYS = ["roleArn", "externalId", "sessionName", "durationSeconds"];

/** The account of a role ARN (undefined for anything that is not one). */
export function accountOfRole(roleArn: string): string | undefined {
    return ROLE_ARN.exec(roleArn)?.[1];
}

/**
 * The access `declared` on a resource or function, over the `fallback` of the provider's or the
 * stack's configuration, key by key: a declared `assumeRole` replaces the configured one whole.
 */
export function resolveAccess(declared: AccountAccess, fallback: AccountAccess): AccountAccess {
    const assumeRole = declared.assumeRole ?? fallback.assumeRole;
    const profile = declared.profile ?? fallback.profile;
    return { ...(assumeRole ? { assumeRole } : {}), ...(profile ? { profile } : {}) };
}

/**
 * The key of the credentials an access gives: AssumeRole is made once per role and external id
 * (and source profile), whatever the session name or duration.
 */
export function credentialsKey(access: AccountAccess): string {
    const role = access.assumeRole;
    return [access.profile ?? "", role?.roleArn ?? "", role?.externalId ?? ""].join("\u0000");
}

/**
 * The failures of an `assumeRole` input (absent passes; values unknown in preview pass). Never
 * quotes the external id, which is a secret.
 */
export function assumeRoleFailures(value: unknown): CheckFailure[] {
    const property = "assumeRole";
    if (!given(value)) {
        return [];
    }
    if (typeof value !== "object" || Array.isArray(value)) {
        return [{ property, reason: "assumeRole must be an object: { roleArn, externalId?, sessionName?, durationSeconds? }" }];
    }
    const role = value as Record<string, unknown>;
    const failures: CheckFailure[] = Object.keys(role)
        .filter((key) => !ROLE_KEYS.includes(key))
        .map((key) => ({ property, reason: `assumeRole has no property "${key}"; it takes ${ROLE_KEYS.join(", ")}` }));
    const { roleArn, externalId, sessionName, durationSeconds } = role;
    if (roleArn === undefined || roleArn === null) {
        failures.push({ property, reason: "assumeRole.roleArn is required: the ARN of the role to assume" });
    } else if (!isUnknown(roleArn)) {
        if (typeof roleArn !== "string" || !ROLE_ARN.test(roleArn)) {
            failures.push({
                property,
                reason: `assumeRole.roleArn must be an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>, not ${describeValue(roleArn)}`,
            });
        }
    }
    if (given(externalId)) {
        if (typeof externalId !== "string" || !EXTERNAL_ID.test(externalId)) {
            failures.push({
                property,
                reason: "assumeRole.externalId must be 2 to 1224 of letters, digits and _+=,.@:/- (its value is not shown: it is a secret)",
            });
        }
    }
    if (given(sessionName)) {
        if (typeof sessionName !== "string" || !SESSION_NAME.test(sessionName)) {
            failures.push({
                property,
                reason: `assumeRole.sessionName must be 2 to 64 of letters, digits and _+=,.@-, not ${describeValue(sessionName)}`,
            });
        }
    }
    if (given(durationSeconds)) {
        if (typeof durationSeconds !== "number" || !Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43200) {
            failures.push({
                property,
                reason: `assumeRole.durationSeconds must be a whole number from 900 to 43200, not ${describeValue(durationSeconds)}`,
            });
        }
    }
    return failures;
}

/** The failures of a `profile` input: a non-empty string without spaces at its ends. */
export function profileFailures(value: unknown): CheckFailure[] {
    if (!given(value)) {
        return [];
    }
    if (typeof value !== "string" || value.trim() === "" || value.trim() !== value) {
        return [{ property: "profile", reason: `profile must be the name of a shared-config profile, not ${describeValue(value)}` }];
    }
    return [];
}

/** The declared access among validated inputs: `assumeRole` without nulls, and `profile`. */
export function declaredAccess(inputs: { readonly assumeRole?: unknown; readonly profile?: unknown }): AccountAccess {
    const role = inputs.assumeRole as Record<string, unknown> | undefined | null;
    const assumeRole =
        role && typeof role.roleArn === "string"
            ? (Object.fromEntries(Object.entries(role).filter(([, v]) => v !== undefined && v !== null)) as unknown as AssumeRole)
            : undefined;
    const profile = typeof inputs.profile === "string" ? inputs.profile : undefined;
    return { ...(assumeRole ? { assumeRole } : {}), ...(profile ? { profile } : {}) };
}

/** Whether an optional value was given: neither absent (undefined, null) nor unknown until apply. */
function given(value: unknown): boolean {
    return value !== undefined && value !== null && !isUnknown(value);
}
