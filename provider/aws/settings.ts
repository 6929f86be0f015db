/**
 * Where the IAM client points and whose credentials it uses. Credentials themselves are never
 * read here: the AWS SDK's default chain finds them in the provider process, or STS AssumeRole
 * gives them for a role (credentials.ts).
 */
import { assumeRoleFailures, declaredAccess, resolveAccess, type AccountAccess, type AssumeRole } from "../model/account";

/**
 * Stack configuration: the dynamic resource reads `aws:region`, `aws:profile` and
 * `iam-login-profile:assumeRole`, `…:detectPasswordChanges`, `…:maxRetries`, `…:retryMode` and `…:propagationTimeoutSeconds` in its
 * `configure` hook; the provider plugin reads the same keys in its own namespace
 * (`iam-login-profile:region`, `iam-login-profile:profile`, …), or an explicit provider's properties.
 */
export interface StackSettings {
    /**
     * The AWS region of the IAM client when a resource declares none (IAM is global: the region
     * selects the partition's endpoint); without it, AWS_REGION, AWS_DEFAULT_REGION, then us-east-1.
     */
    readonly region?: string;
    /** A shared-config or SSO profile name for the AWS credentials; without it, the AWS SDK's default chain (AWS_PROFILE, …). A resource's own `profile` comes first. */
    readonly profile?: string;
    /**
     * A role to assume for every resource and function that declares none: its account is where
     * their profiles live. The credentials of `profile` (or the default chain) assume it. A
     * resource's own `assumeRole` comes first.
     */
    readonly assumeRole?: AssumeRole;
    /**
     * How many times an IAM or STS call is retried after throttling, a 5xx or a dropped connection
     * (as pulumi-aws's `maxRetries`).
     * @default 10
     */
    readonly maxRetries?: number;
    /**
     * The AWS SDK's retry mode: `standard` backs off and retries; `adaptive` adds the SDK's own
     * rate limiter. Either way each account's calls go through this provider's limiter, which
     * learns the account's IAM quota from its throttling.
     * @default "standard"
     */
    readonly retryMode?: "standard" | "adaptive";
    /**
     * False turns off reading the IAM credential report, and with it the detection of passwords
     * changed in place outside Pulumi.
     * @default true
     */
    readonly detectPasswordChanges?: boolean;
    /**
     * How long, in seconds, a create, update or delete waits for IAM to propagate a user or a
     * login profile made a moment ago (IAM answers NoSuchEntity or EntityTemporarilyUnmodifiable
     * until then) before it fails; 0 does not wait. Through the plugin, a resource's own
     * `customTimeouts` for the operation comes first.
     * @default 120
     */
    readonly propagationTimeoutSeconds?: number;
}

/** The settings' keys, as the plugin's configuration names them (`iam-login-profile:<key>`, an explicit provider's properties). */
export const CONFIG_KEYS = [
    "region",
    "profile",
    "detectPasswordChanges",
    "assumeRole",
    "maxRetries",
    "retryMode",
    "propagationTimeoutSeconds",
] as const;

/** Configuration values as strings, by setting: what either front door reads from its stack config. */
export interface ConfigValues {
    /** The region's config value (the dynamic resource: `aws:region`; the plugin: `iam-login-profile:region`). */
    readonly region?: string;
    /** The profile's config value (`aws:profile`; the plugin: `iam-login-profile:profile`). */
    readonly profile?: string;
    /** `iam-login-profile:detectPasswordChanges`, as text: "false" turns detection off. */
    readonly detectPasswordChanges?: string;
    /** `iam-login-profile:assumeRole`, as JSON text: `{"roleArn": …, "externalId": …, …}`. */
    readonly assumeRole?: string;
    /** `iam-login-profile:maxRetries`, as text. */
    readonly maxRetries?: string;
    /** `iam-login-profile:retryMode`, as text. */
    readonly retryMode?: string;
    /** `iam-login-profile:propagationTimeoutSeconds`, as text. */
    readonly propagationTimeoutSeconds?: string;
}

/** This package's config namespace (the plugin's package name). */
const CONFIG_NAMESPACE = "iam-login-profile";

/** Stack config (and the plugin's) that bounds the wait for IAM to propagate a user or profile made a moment ago. */
export const PROPAGATION_TIMEOUT_CONFIG = `${CONFIG_NAMESPACE}:propagationTimeoutSeconds`;

/** Stack config that turns off the credential report (detection of in-place password changes). */
export const DETECT_PASSWORD_CHANGES_CONFIG = `${CONFIG_NAMESPACE}:detectPasswordChanges`;

/**
 * The configuration values the dynamic resource (and a program's lookups) read from stack config:
 * `aws:region`, `aws:profile`, and `iam-login-profile:assumeRole`, `…:detectPasswordChanges`,
 * `…:maxRetries`, `…:retryMode`, `…:propagationTimeoutSeconds`.
 */
export function stackConfigValues(config: { get(key: string): string | undefined }): ConfigValues {
    return {
        region: config.get("aws:region"),
        profile: config.get("aws:profile"),
        detectPasswordChanges: config.get(DETECT_PASSWORD_CHANGES_CONFIG),
        assumeRole: config.get(`${CONFIG_NAMESPACE}:assumeRole`),
        maxRetries: config.get(`${CONFIG_NAMESPACE}:maxRetries`),
        retryMode: config.get(`${CONFIG_NAMESPACE}:retryMode`),
        propagationTimeoutSeconds: config.get(PROPAGATION_TIMEOUT_CONFIG),
    };
}

/** The default of `maxRetries`: enough for a stack of hundreds of profiles to ride out an account's throttling. */
export const DEFAULT_MAX_RETRIES = 10;

/**
 * The stack settings for configuration values; `detectPasswordChanges` is off only for "false".
 * A value that breaks its rule fails with a message that names the config key and the rule.
 */
export function stackSettings(values: ConfigValues): StackSettings {
    const detect = values.detectPasswordChanges;
    const assumeRole = values.assumeRole ? parseAssumeRole(values.assumeRole, `${CONFIG_NAMESPACE}:assumeRole`) : undefined;
    const maxRetries = wholeNumber("maxRetries", values.maxRetries, MAX_RETRIES_LIMIT);
    const propagationTimeoutSeconds = wholeNumber("propagationTimeoutSeconds", values.propagationTimeoutSeconds, PROPAGATION_TIMEOUT_LIMIT);
    const retryMode = values.retryMode || undefined;
    if (retryMode !== undefined && retryMode !== "standard" && retryMode !== "adaptive") {
        throw new Error(`config ${CONFIG_NAMESPACE}:retryMode must be "standard" or "adaptive", not ${JSON.stringify(retryMode)}`);
    }
    return {
        ...(values.region ? { region: values.region } : {}),
        ...(values.profile ? { profile: values.profile } : {}),
        ...(detect !== undefined ? { detectPasswordChanges: detect.trim().toLowerCase() !== "false" } : {}),
        ...(assumeRole ? { assumeRole } : {}),
        ...(maxRetries !== undefined ? { maxRetries } : {}),
        ...(retryMode !== undefined ? { retryMode } : {}),
        ...(propagationTimeoutSeconds !== undefined ? { propagationTimeoutSeconds } : {}),
    };
}

/** The most retries `maxRetries` allows. */
const MAX_RETRIES_LIMIT = 100;
/** The longest wait `propagationTimeoutSeconds` allows: an hour, far past any propagation AWS has shown. */
const PROPAGATION_TIMEOUT_LIMIT = 3600;

/** A config value that must be a whole number from 0 to `limit`; undefined when it is not set. */
function wholeNumber(key: string, text: string | undefined, limit: number): number | undefined {
    if (text === undefined || text === "") {
        return undefined;
    }
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0 || value > limit) {
        throw new Error(`config ${CONFIG_NAMESPACE}:${key} must be a whole number from 0 to ${limit}, not ${JSON.stringify(text)}`);
    }
    return value;
}

/** An `assumeRole` config value: JSON of the object, checked by the resource's own rule. */
function parseAssumeRole(text: string, key: string): AssumeRole {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw new Error(
            `config ${key} must be an object { roleArn, externalId?, sessionName?, durationSeconds? } (JSON), not text that does not parse`,
        );
    }
    const failures = value === null || value === undefined ? assumeRoleFailures({}) : assumeRoleFailures(value);
    if (failures.length > 0) {
        throw new Error(`config ${key}: ${failures.map((failure) => failure.reason).join("; ")}`);
    }
    return declaredAccess({ assumeRole: value }).assumeRole as AssumeRole;
}

/** What an IAM client is created with. */
export interface ClientSettings extends AccountAccess {
    /** The region; IAM is global, so it only selects the partition's endpoint. */
    readonly region: string;
    /** Attempts per call: 1 + `maxRetries`. */
    readonly maxAttempts: number;
    /** The AWS SDK's retry mode. */
    readonly retryMode: "standard" | "adaptive";
}

/**
 * Resolves the region as DESIGN.md orders it (the resource's own `region`, then stack config
 * `aws:region`, then AWS_REGION / AWS_DEFAULT_REGION, then us-east-1), and the account's access:
 * the resource's own `assumeRole` and `profile`, then the stack's or provider's, then the default chain.
 */
export function resolveClientSettings(
    declaredRegion: string | undefined,
    stack: StackSettings,
    env: Readonly<Record<string, string | undefined>> = process.env,
    declared: AccountAccess = {},
): ClientSettings {
    const region = declaredRegion || stack.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1";
    return {
        region,
        ...resolveAccess(declared, stack),
        maxAttempts: 1 + (stack.maxRetries ?? DEFAULT_MAX_RETRIES),
        retryMode: stack.retryMode ?? "standard",
    };
}
