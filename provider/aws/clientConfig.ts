/**
 * What every AWS SDK client of an account is created with, IAM's and CloudTrail's alike: the
 * account's credentials (a role's, obtained once per process, or a shared-config profile's), the
 * retries, and the connection timeouts. One place, so that the clients of one account cannot differ
 * in whose credentials they use.
 */
import { roleCredentials, stsSettingsOf } from "./credentials";
import { unlimitedRetries, type RetryStrategy } from "./retryStrategy";
import type { ClientSettings } from "./settings";

/** The configuration both clients take (a subset of each SDK client's own). */
export interface AccountClientConfig {
    readonly region: string;
    readonly credentials?: () => ReturnType<typeof roleCredentials>;
    readonly profile?: string;
    readonly maxAttempts: number;
    readonly retryStrategy?: RetryStrategy;
    readonly retryMode?: string;
    readonly requestHandler: { readonly connectionTimeout: number; readonly requestTimeout: number };
}

/** The configuration of a client of the account `settings` reach, sending to `region`. */
export function accountClientConfig(settings: ClientSettings, region: string): AccountClientConfig {
    const role = settings.assumeRole;
    const sts = stsSettingsOf(settings);
    return {
        region,
        // With a role, the profile is the source of the AssumeRole call, not the client's credentials.
        ...(role ? { credentials: () => roleCredentials(role, sts) } : settings.profile ? { profile: settings.profile } : {}),
        maxAttempts: settings.maxAttempts,
        // "adaptive" is the SDK's own strategy, its quota included; "standard" is the SDK's without the quota.
        ...(settings.retryMode === "standard"
            ? { retryStrategy: unlimitedRetries(settings.maxAttempts) }
            : { retryMode: settings.retryMode }),
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
    };
}
