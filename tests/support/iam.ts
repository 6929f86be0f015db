/** Direct IAM calls against the emulator, for arranging and inspecting what the tests need. */
import {
    CreateLoginProfileCommand,
    CreateUserCommand,
    DeleteLoginProfileCommand,
    DeleteUserCommand,
    GetLoginProfileCommand,
    IAMClient,
    UpdateAccountPasswordPolicyCommand,
    UpdateLoginProfileCommand,
} from "@aws-sdk/client-iam";

/** A login profile as the emulator reports it, or undefined when there is none. */
export interface ProfileSnapshot {
    readonly userName: string;
    readonly passwordResetRequired: boolean;
    readonly createDate: Date | undefined;
}

/** IAM test helpers bound to one endpoint. */
export class Iam {
    private readonly client: IAMClient;

    constructor(endpoint: string) {
        this.client = new IAMClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
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
