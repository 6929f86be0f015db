/**
 * Where the IAM client points and whose credentials it uses. Credentials themselves are never
 * read here: the AWS SDK's default chain finds them in the provider process.
 */

/**
 * Stack configuration: the dynamic resource reads `aws:region`, `aws:profile` and
 * `iam-login-profile:detectPasswordChanges` in its `configure` hook; the provider plugin reads
 * `iam-login-profile:region`, `iam-login-profile:profile` and `iam-login-profile:detectPasswordChanges`.
 */
export interface StackSettings {
    /**
     * The AWS region of the IAM client when a resource declares none (IAM is global: the region
     * selects the partition's endpoint); without it, AWS_REGION, AWS_DEFAULT_REGION, then us-east-1.
     */
    readonly region?: string;
    /** A shared-config or SSO profile name for the AWS credentials; without it, the AWS SDK's default chain (AWS_PROFILE, …). */
    readonly profile?: string;
    /**
     * False turns off reading the IAM credential report, and with it the detection of passwords
     * changed in place outside Pulumi.
     * @default true
     */
    readonly detectPasswordChanges?: boolean;
}

/** Configuration values as strings, by setting: what either front door reads from its stack config. */
export interface ConfigValues {
    /** The region's config value (the dynamic resource: `aws:region`; the plugin: `iam-login-profile:region`). */
    readonly region?: string;
    /** The profile's config value (`aws:profile`; the plugin: `iam-login-profile:profile`). */
    readonly profile?: string;
    /** `iam-login-profile:detectPasswordChanges`, as text: "false" turns detection off. */
    readonly detectPasswordChanges?: string;
}

/** The stack settings for configuration values; `detectPasswordChanges` is off only for "false". */
export function stackSettings(values: ConfigValues): StackSettings {
    const detect = values.detectPasswordChanges;
    return {
        ...(values.region ? { region: values.region } : {}),
        ...(values.profile ? { profile: values.profile } : {}),
        ...(detect !== undefined ? { detectPasswordChanges: detect.trim().toLowerCase() !== "false" } : {}),
    };
}

/** What an IAM client is created with. */
export interface ClientSettings {
    /** The region; IAM is global, so it only selects the partition's endpoint. */
    readonly region: string;
    /** The shared-config profile, when stack config names one; else the SDK reads AWS_PROFILE. */
    readonly profile?: string;
}

/**
 * Resolves the region as DESIGN.md orders it: the resource's own `region`, then stack config
 * `aws:region`, then AWS_REGION / AWS_DEFAULT_REGION, then us-east-1.
 */
export function resolveClientSettings(
    declaredRegion: string | undefined,
    stack: StackSettings,
    env: Readonly<Record<string, string | undefined>> = process.env,
): ClientSettings {
    const region = declaredRegion || stack.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1";
    return stack.profile ? { region, profile: stack.profile } : { region };
}
