/** Direct IAM calls against the emulator, for arranging and inspecting what the tests need. */
import {
    CreateAccessKeyCommand,
    CreateLoginProfileCommand,
    CreateUserCommand,
    DeleteLoginProfileCommand,
    DeleteUserCommand,
    GetLoginProfileCommand,
    IAMClient,
    UpdateAccountPasswordPolicyCommand,
    UpdateLoginProfileCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

/** Credentials for the emulator: the default account's dummy keys, or a role's in another account. */
interface Credentials {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
}

/**
 * The emulator's administrator (access key id `emulator-admin`): what a test arranges or inspects
 * is an admin's doing, never restricted by the emulator's `allowedActions`, which plays the
 * provider's least-privilege principal.
 */
const DEFAULT_CREDENTIALS: Credentials = { accessKeyId: "emulator-admin", secretAccessKey: "emulator-admin" };

/** A login profile as the emulator reports it, or undefined when there is none. */
export interface ProfileSnapshot {
    readonly userName: string;
    readonly passwordResetRequired: boolean;
    readonly createDate: Date | undefined;
}

/** IAM test helpers bound to one endpoint. */
export class Iam {
    private readonly client: IAMClient;

    constructor(
        private readonly endpoint: string,
        credentials: Credentials = DEFAULT_CREDENTIALS,
    ) {
        this.client = new IAMClient({ endpoint, region: "us-east-1", credentials });
    }

    /**
     * Another principal of this account: an IAM user named `userName`, created with an access key
     * of its own, and IAM helpers that act with that key (what it does is recorded as its doing in
     * the event history). Its ARN is what CloudTrail names it by.
     */
    async principal(userName: string): Promise<{ readonly iam: Iam; readonly arn: string }> {
        const { User } = await this.client.send(new CreateUserCommand({ UserName: userName }));
        const { AccessKey } = await this.client.send(new CreateAccessKeyCommand({ UserName: userName }));
        if (!AccessKey?.AccessKeyId || !AccessKey.SecretAccessKey || !User?.Arn) {
            throw new Error(`the emulator issued no access key for IAM user ${userName}`);
        }
        return {
            iam: new Iam(this.endpoint, { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey }),
            arn: User.Arn,
        };
    }

    /**
     * IAM helpers in account `accountId`: with the credentials of a role assumed there (the
     * emulator, as moto, gives them that account), as an administrator of that account would act.
     */
    static async inAccount(endpoint: string, accountId: string): Promise<Iam> {
        const sts = new STSClient({ endpoint, region: "us-east-1", credentials: DEFAULT_CREDENTIALS });
        try {
            const { Credentials: issued } = await sts.send(
                new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/TestAdministrator`, RoleSessionName: "tests" }),
            );
            if (!issued?.AccessKeyId || !issued.SecretAccessKey) {
                throw new Error(`the emulator issued no credentials for account ${accountId}`);
            }
            return new Iam(endpoint, {
                accessKeyId: issued.AccessKeyId,
                secretAccessKey: issued.SecretAccessKey,
                sessionToken: issued.SessionToken,
            });
        } finally {
            sts.destroy();
        }
    }

    /** Creates an IAM user. */
    async createUser(userName: string): Promise<void> {
        await this.client.send(new CreateUserCommand({ UserName: userName }));
    }

    /** Deletes an IAM user. */
    async deleteUser(userName: string): Promise<void> {
        await this.client.send(new DeleteUserCommand({ UserName: userName }));
    }

    /** Creates a login profile out of band. */
    async createProfile(userName: string, password: string, passwordResetRequired = false): Promise<void> {
        await this.client.send(
            new CreateLoginProfileCommand({ UserName: userName, Password: password, PasswordResetRequired: passwordResetRequired }),
        );
    }

    /** Deletes a login profile out of band. */
    async deleteProfile(userName: string): Promise<void> {
        await this.client.send(new DeleteLoginProfileCommand({ UserName: userName }));
    }

    /** Sets the reset flag out of band; `false` is what AWS does when the user signs in and sets a new password. */
    async setResetFlag(userName: string, passwordResetRequired: boolean): Promise<void> {
        await this.client.send(new UpdateLoginProfileCommand({ UserName: userName, PasswordResetRequired: passwordResetRequired }));
    }

    /**
     * Sets a new password out of band, leaving the reset flag as it is unless `passwordResetRequired`
     * is given (a user's first sign-in is a new password with the flag cleared).
     */
    async setPassword(userName: string, password: string, passwordResetRequired?: boolean): Promise<void> {
        await this.client.send(
            new UpdateLoginProfileCommand({
                UserName: userName,
                Password: password,
                ...(passwordResetRequired !== undefined ? { PasswordResetRequired: passwordResetRequired } : {}),
            }),
        );
    }

    /** Sets the account password policy: `minimumLength` and every character class required. */
    async setPasswordPolicy(minimumLength: number): Promise<void> {
        await this.client.send(
            new UpdateAccountPasswordPolicyCommand({
                MinimumPasswordLength: minimumLength,
                RequireUppercaseCharacters: true,
                RequireLowercaseCharacters: true,
                RequireNumbers: true,
                RequireSymbols: true,
            }),
        );
    }

    /** The user's login profile, or undefined when it has none. */
    async profile(userName: string): Promise<ProfileSnapshot | undefined> {
        try {
            const { LoginProfile } = await this.client.send(new GetLoginProfileCommand({ UserName: userName }));
            return {
                userName: LoginProfile?.UserName ?? "",
                passwordResetRequired: LoginProfile?.PasswordResetRequired ?? false,
                createDate: LoginProfile?.CreateDate,
            };
        } catch (error) {
            if ((error as { name?: string }).name === "NoSuchEntityException") {
                return undefined;
            }
            throw error;
        }
    }

    /** Closes the client's connections. */
    close(): void {
        this.client.destroy();
    }
}
