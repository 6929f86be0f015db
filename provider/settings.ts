/**
 * Where the IAM client points and whose credentials it uses. Credentials themselves are never
 * read here: the AWS SDK's default chain finds them in the provider process.
 */

/** Stack configuration read by the dynamic provider's `configure` hook. */
export interface StackSettings {
    /** Stack config `aws:region`. */
    readonly region?: string;
    /** Stack config `aws:profile`: a shared-config or SSO profile name. */
    readonly profile?: string;
    /**
     * Stack config `iam-login-profile:detectPasswordChanges`: false turns off reading the IAM
     * credential report, and with it the detection of passwords changed in place outside Pulumi.
     * @default true
     */
    readonly detectPasswordChanges?: boolean;
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
