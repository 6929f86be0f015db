/**
 * The credentials of an account reached through a role: one STS AssumeRole per role and external
 * id (and source profile) per provider process, shared by every resource and function that uses
 * it, and renewed five minutes before it expires. And the caller's own account
 * (GetCallerIdentity), once per set of source credentials. Credentials live in this process's
 * memory only: never in state, never in the serialized provider, never in a message.
 */
import type { STSClient } from "@aws-sdk/client-sts";
import { credentialsKey, DEFAULT_DURATION_SECONDS, DEFAULT_SESSION_NAME, type AssumeRole } from "../model/account";
import { awsErrorCode, calling, describeCallFailure, type AwsCall } from "./awsError";
import { endpointOf } from "./endpoint";

type StsSdk = typeof import("@aws-sdk/client-sts");

/** Temporary credentials, as the AWS SDK's clients take them. */
export interface RoleCredentials {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken: string;
    readonly expiration: Date;
}

/** Where STS is reached from: the region and the source profile, and how many attempts a call gets. */
export interface StsSettings {
    readonly region: string;
    readonly profile?: string;
    readonly maxAttempts: number;
}

/** A role that could not be assumed: the code STS answered, and a message that names the role. */
export class AssumeRoleError extends Error {
    constructor(
        public readonly code: string,
        message: string,
    ) {
        super(message);
        this.name = "AssumeRoleError";
    }
}

/** Renew this long before the credentials expire, so that no call carries credentials about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

interface Session {
    readonly credentials: Promise<RoleCredentials>;
    /** When to assume the role again; infinite while the first AssumeRole is in flight. */
    renewAt: number;
}

let sdk: Promise<StsSdk> | undefined;
const sessions = new Map<string, Session>();
const callers = new Map<string, Promise<string>>();
const stsClients = new Map<string, STSClient>();

/**
 * The credentials of `role`, assumed with the source credentials of `settings.profile` (or the
 * default chain): cached per role and external id, renewed before they expire. A failure is an
 * AssumeRoleError naming the role, and is not cached, so that the next resource tries again.
 */
export function roleCredentials(role: AssumeRole, settings: StsSettings, now: () => number = Date.now): Promise<RoleCredentials> {
    const key = credentialsKey({ assumeRole: role, ...(settings.profile ? { profile: settings.profile } : {}) });
    const cached = sessions.get(key);
    if (cached && now() < cached.renewAt) {
        return cached.credentials;
    }
    const session: Session = { credentials: assume(role, settings), renewAt: Number.POSITIVE_INFINITY };
    sessions.set(key, session);
    session.credentials.then(
        (credentials) => {
            session.renewAt = credentials.expiration.getTime() - RENEW_BEFORE_MS;
        },
        () => {
            if (sessions.get(key) === session) {
                sessions.delete(key);
            }
        },
    );
    return session.credentials;
}

/** The account of the source credentials (GetCallerIdentity), once per profile per process. */
export function callerAccountId(settings: StsSettings): Promise<string> {
    const key = credentialsKey(settings.profile ? { profile: settings.profile } : {});
    let account = callers.get(key);
    if (!account) {
        account = stsClient(settings).then(async ([loaded, client]) => {
            const identity = await calling({ operation: "GetCallerIdentity", endpoint: endpointOf("STS", settings.region) }, () =>
                client.send(new loaded.GetCallerIdentityCommand({})),
            );
            return identity.Account ?? "";
        });
        account.catch(() => callers.delete(key));
        callers.set(key, account);
    }
    return account;
}

/** Where a client's STS calls go, and with whose source credentials. */
export function stsSettingsOf(settings: { readonly region: string; readonly profile?: string; readonly maxAttempts: number }): StsSettings {
    return { region: settings.region, ...(settings.profile ? { profile: settings.profile } : {}), maxAttempts: settings.maxAttempts };
}

/** Forgets every cached credential and account (for tests that need a fresh process). */
export function forgetCredentials(): void {
    sessions.clear();
    callers.clear();
    stsClients.clear();
}

async function assume(role: AssumeRole, settings: StsSettings): Promise<RoleCredentials> {
    const [loaded, client] = await stsClient(settings);
    const call: AwsCall = { operation: "AssumeRole", endpoint: endpointOf("STS", settings.region) };
    try {
        const response = await calling(call, () =>
            client.send(
                new loaded.AssumeRoleCommand({
                    RoleArn: role.roleArn,
                    RoleSessionName: role.sessionName ?? DEFAULT_SESSION_NAME,
                    DurationSeconds: role.durationSeconds ?? DEFAULT_DURATION_SECONDS,
                    ...(role.externalId !== undefined ? { ExternalId: role.externalId } : {}),
                }),
            ),
        );
        const issued = response.Credentials;
        if (!issued?.AccessKeyId || !issued.SecretAccessKey || !issued.SessionToken) {
            throw new AssumeRoleError("InvalidResponse", `cannot assume role ${role.roleArn}: STS AssumeRole answered no credentials`);
        }
        return {
            accessKeyId: issued.AccessKeyId,
            secretAccessKey: issued.SecretAccessKey,
            sessionToken: issued.SessionToken,
            expiration: issued.Expiration ?? new Date(Date.now() + (role.durationSeconds ?? DEFAULT_DURATION_SECONDS) * 1000),
        };
    } catch (error) {
        if (error instanceof AssumeRoleError) {
            throw error;
        }
        const code = awsErrorCode(error) ?? "Unknown";
        throw new AssumeRoleError(code, `cannot assume role ${role.roleArn}: ${describeCallFailure(call, error, role.externalId)}`);
    }
}

/** One STS client per source profile (and region), loading the SDK on first use. */
async function stsClient(settings: StsSettings): Promise<[StsSdk, STSClient]> {
    sdk ??= import("@aws-sdk/client-sts");
    const loaded = await sdk;
    const key = `${settings.region}\u0000${settings.profile ?? ""}`;
    let client = stsClients.get(key);
    if (!client) {
        client = new loaded.STSClient({
            region: settings.region,
            ...(settings.profile ? { profile: settings.profile } : {}),
            maxAttempts: settings.maxAttempts,
        });
        stsClients.set(key, client);
    }
    return [loaded, client];
}
