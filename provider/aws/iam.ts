/**
 * The four IAM login-profile calls, GetAccountPasswordPolicy for generated passwords, and the
 * calls that tell a password's life: ListUsers (when each was last used), the credential report
 * and CloudTrail's event history (when each was changed, and by whom: cloudTrail.ts). The AWS
 * SDK is loaded on the first call, not at import, so that `check`, `diff` and the whole of
 * `pulumi preview` never load it.
 */
import type { IAMClient, LoginProfile, PasswordPolicy as SdkPasswordPolicy } from "@aws-sdk/client-iam";
import { awsErrorCode, calling, type AwsCall } from "./awsError";
import { endpointOf } from "./endpoint";
import type { CredentialReportApi } from "./credentialReport";
import { connectEventHistory, forgetEventHistoryClients } from "./cloudTrail";
import type { EventHistoryApi } from "./eventHistory";
import { ACCOUNT_POLICY_DEFAULT_MINIMUM_LENGTH, type PasswordPolicy } from "../password/policy";
import { accountOfRole, credentialsKey } from "../model/account";
import { AccountLimiter } from "./accountLimiter";
import { accountBoard } from "./quotaBoard";
import { accountClientConfig } from "./clientConfig";
import { callerAccountId, forgetCredentials, roleCredentials, stsSettingsOf } from "./credentials";
import type { ClientSettings } from "./settings";

type IamSdk = typeof import("@aws-sdk/client-iam");

/** A login profile as AWS reports it. */
export interface LoginProfileRecord {
    /** The user name as AWS stores it. */
    readonly userName: string;
    /** When the profile was created, ISO 8601. */
    readonly createDate: string;
    /** Whether AWS will make the user set a new password at the next sign-in. */
    readonly passwordResetRequired: boolean;
}

/** An IAM user as ListUsers reports it, with what this package reads. */
export interface IamUserRecord {
    /** The user name as IAM stores it. */
    readonly userName: string;
    /** When the user's password was last used to sign in; undefined when never (or no password). */
    readonly passwordLastUsed?: Date;
}

/** What UpdateLoginProfile should change; an absent field is left as it is. */
export interface LoginProfileChanges {
    readonly password?: string;
    readonly passwordResetRequired?: boolean;
}

/** The IAM calls the hooks make, one AWS request each (before the SDK's own retries). */
export interface LoginProfileApi extends CredentialReportApi, EventHistoryApi {
    /** CreateLoginProfile. */
    create(userName: string, password: string, passwordResetRequired: boolean): Promise<LoginProfileRecord>;
    /** GetLoginProfile. */
    get(userName: string): Promise<LoginProfileRecord>;
    /** UpdateLoginProfile with only the given changes. */
    update(userName: string, changes: LoginProfileChanges): Promise<void>;
    /** DeleteLoginProfile. */
    delete(userName: string): Promise<void>;
    /** GetAccountPasswordPolicy; undefined when the account has none (NoSuchEntity). */
    getAccountPasswordPolicy(): Promise<PasswordPolicy | undefined>;
    /** ListUsers, every page: each user's `PasswordLastUsed`, which AWS reports with no delay. */
    listUsers(): Promise<IamUserRecord[]>;
    /** The account these calls reach: the role ARN's, else the caller's (STS GetCallerIdentity, once per process). */
    accountId(): Promise<string>;
    /**
     * How far IAM's clock is ahead of this machine's, in milliseconds, from the `Date` of its
     * latest answer (undefined before any): how a lost create compares IAM's `CreateDate` with its attempts.
     */
    clockOffsetMs?(): number | undefined;
}

let sdk: Promise<IamSdk> | undefined;
const clients = new Map<string, IAMClient>();
/** Each client's measure of IAM's clock: its offset from this machine's, from the latest answer's `Date`. */
const clockOffsets = new WeakMap<IAMClient, number>();
/** One limiter per account (its credentials), shared by every client that reaches it. */
const limiters = new Map<string, AccountLimiter>();

/** The error codes with which AWS says a call went over the account's request quota. */
const THROTTLING_CODES = new Set(["Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"]);

/**
 * Returns the IAM calls for these settings, loading the SDK and creating the client on first use.
 * With a role, its credentials are obtained first (once per process: credentials.ts), so that a
 * role that cannot be assumed fails here, before any IAM call, with an AssumeRoleError.
 */
export async function connectIam(settings: ClientSettings): Promise<LoginProfileApi> {
    sdk ??= import("@aws-sdk/client-iam");
    const loaded = await sdk;
    const sts = stsSettingsOf(settings);
    const role = settings.assumeRole;
    if (role) {
        await roleCredentials(role, sts);
    }
    const accountId = (): Promise<string> => (role ? Promise.resolve(accountOfRole(role.roleArn) ?? "") : callerAccountId(sts));
    return loginProfileApi(loaded, clientFor(loaded, settings), settings.region, accountId, connectEventHistory(settings));
}

/**
 * One client per account (region, profile, role and external id) and retry settings for the
 * provider process's life: it pools connections; every client of one account shares that account's
 * limiter (accountLimiter.ts), since AWS counts IAM quotas per account.
 */
function clientFor(loaded: IamSdk, settings: ClientSettings): IAMClient {
    const key = [settings.region, credentialsKey(settings), settings.maxAttempts, settings.retryMode].join("\u0000");
    let client = clients.get(key);
    if (!client) {
        client = new loaded.IAMClient(accountClientConfig(settings, settings.region));
        limitPerAccount(client, settings);
        measureClock(client);
        clients.set(key, client);
    }
    return client;
}

/**
 * Sends every attempt of the client's calls (the SDK's retries included: the step runs inside the
 * retry middleware) through the limiter of its account, which tells throttling from other failures.
 * The limiter shares the account's quota with the provider processes of the same account on this
 * machine (quotaBoard.ts): other stacks' `pulumi up`, `refresh` or `destroy` running at once.
 */
function limitPerAccount(client: IAMClient, settings: ClientSettings): void {
    const account = credentialsKey(settings);
    let limiter = limiters.get(account);
    if (!limiter) {
        limiter = new AccountLimiter({ board: () => accountBoard(settings, async () => (await client.config.credentials()).accessKeyId) });
        limiters.set(account, limiter);
    }
    const shared = limiter;
    client.middlewareStack.add(
        (next) => (args) =>
            shared.run(
                () => next(args),
                (error) => THROTTLING_CODES.has(awsErrorCode(error) ?? ""),
            ),
        { step: "finalizeRequest", priority: "low", name: "accountLimiter" },
    );
}

/**
 * Records, from the `Date` header of every answer (an error's too), how far IAM's clock is ahead
 * of this machine's. The SDK corrects its own clock only when the two are five minutes apart.
 */
function measureClock(client: IAMClient): void {
    const note = (response: unknown): void => {
        const date = (response as { headers?: Record<string, string | undefined> } | undefined)?.headers?.date;
        const serverTime = date === undefined ? Number.NaN : Date.parse(date);
        if (!Number.isNaN(serverTime)) {
            clockOffsets.set(client, serverTime - Date.now());
        }
    };
    client.middlewareStack.add(
        (next) => async (args) => {
            try {
                const result = await next(args);
                note(result.response);
                return result;
            } catch (error) {
                note((error as { $response?: unknown }).$response);
                throw error;
            }
        },
        { step: "deserialize", name: "iamClock" },
    );
}

/**
 * Forgets every client, role credential and caller account, and takes this process off the
 * accounts' quota boards, as a new provider process starts with none: for tests that play several
 * provider processes in one (a client keeps the credentials it was given until they expire).
 */
export function forgetConnections(): void {
    clients.clear();
    for (const limiter of limiters.values()) {
        limiter.leave();
    }
    limiters.clear();
    forgetCredentials();
    forgetEventHistoryClients();
}

function loginProfileApi(
    loaded: IamSdk,
    client: IAMClient,
    region: string,
    accountId: () => Promise<string>,
    events: EventHistoryApi,
): LoginProfileApi {
    // Each call's error carries the call and where it was sent (awsError.ts).
    const call = (operation: string): AwsCall => ({ operation, endpoint: endpointOf("IAM", region) });
    return {
        accountId,
        lookupEvents: (eventName, startTime, nextToken) => events.lookupEvents(eventName, startTime, nextToken),
        clockOffsetMs: () => clockOffsets.get(client),
        async create(userName, password, passwordResetRequired) {
            const response = await calling(call("CreateLoginProfile"), () =>
                client.send(
                    new loaded.CreateLoginProfileCommand({
                        UserName: userName,
                        Password: password,
                        PasswordResetRequired: passwordResetRequired,
                    }),
                ),
            );
            return toRecord(response.LoginProfile, userName);
        },
        async get(userName) {
            const response = await calling(call("GetLoginProfile"), () =>
                client.send(new loaded.GetLoginProfileCommand({ UserName: userName })),
            );
            return toRecord(response.LoginProfile, userName);
        },
        async update(userName, changes) {
            await calling(call("UpdateLoginProfile"), () =>
                client.send(
                    new loaded.UpdateLoginProfileCommand({
                        UserName: userName,
                        ...(changes.password !== undefined ? { Password: changes.password } : {}),
                        ...(changes.passwordResetRequired !== undefined ? { PasswordResetRequired: changes.passwordResetRequired } : {}),
                    }),
                ),
            );
        },
        async delete(userName) {
            await calling(call("DeleteLoginProfile"), () => client.send(new loaded.DeleteLoginProfileCommand({ UserName: userName })));
        },
        async getAccountPasswordPolicy() {
            try {
                const response = await calling(call("GetAccountPasswordPolicy"), () =>
                    client.send(new loaded.GetAccountPasswordPolicyCommand({})),
                );
                return response.PasswordPolicy ? toPolicy(response.PasswordPolicy) : undefined;
            } catch (error) {
                // NoSuchEntity is how IAM says "this account has no password policy of its own".
                if (awsErrorCode(error) === "NoSuchEntity") {
                    return undefined;
                }
                throw error;
            }
        },
        async listUsers() {
            const users: IamUserRecord[] = [];
            let marker: string | undefined;
            do {
                const from = marker;
                const response = await calling(call("ListUsers"), () =>
                    client.send(new loaded.ListUsersCommand({ MaxItems: 1000, ...(from !== undefined ? { Marker: from } : {}) })),
                );
                for (const user of response?.Users ?? []) {
                    users.push({
                        userName: user.UserName ?? "",
                        ...(user.PasswordLastUsed ? { passwordLastUsed: user.PasswordLastUsed } : {}),
                    });
                }
                marker = response?.IsTruncated ? response.Marker : undefined;
            } while (marker !== undefined);
            return users;
        },
        async generateCredentialReport() {
            const response = await calling(call("GenerateCredentialReport"), () =>
                client.send(new loaded.GenerateCredentialReportCommand({})),
            );
            return response.State ?? "";
        },
        async getCredentialReport() {
            const response = await calling(call("GetCredentialReport"), () => client.send(new loaded.GetCredentialReportCommand({})));
            return {
                content: Buffer.from(response.Content ?? new Uint8Array()).toString("utf8"),
                // AWS always sends GeneratedTime; the epoch says it did not, so nothing counts as after it.
                generatedAt: response.GeneratedTime ?? new Date(0),
            };
        },
    };
}

function toPolicy(policy: SdkPasswordPolicy): PasswordPolicy {
    return {
        source: "account",
        minimumLength: policy.MinimumPasswordLength ?? ACCOUNT_POLICY_DEFAULT_MINIMUM_LENGTH,
        requireUppercase: policy.RequireUppercaseCharacters ?? false,
        requireLowercase: policy.RequireLowercaseCharacters ?? false,
        requireNumbers: policy.RequireNumbers ?? false,
        requireSymbols: policy.RequireSymbols ?? false,
        ...(policy.MaxPasswordAge !== undefined && policy.MaxPasswordAge > 0 ? { maxPasswordAgeDays: policy.MaxPasswordAge } : {}),
        ...(policy.HardExpiry !== undefined ? { hardExpiry: policy.HardExpiry } : {}),
    };
}

function toRecord(profile: LoginProfile | undefined, requestedUserName: string): LoginProfileRecord {
    return {
        userName: profile?.UserName ?? requestedUserName,
        // AWS always sends CreateDate; an empty string says it did not rather than inventing one.
        createDate: profile?.CreateDate?.toISOString() ?? "",
        passwordResetRequired: profile?.PasswordResetRequired ?? false,
    };
}
