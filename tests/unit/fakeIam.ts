/**
 * A small in-memory IAM for the drift unit tests: login profiles with their passwords, AWS's
 * reset flag and dates, and a credential report that is a snapshot, as AWS keeps one. It answers
 * the hooks (LoginProfileApi) and the outside changes of the drift table (OutsideChanges) alike,
 * on a clock the test moves.
 */
import type { LoginProfileApi, LoginProfileChanges, LoginProfileRecord } from "../../provider/aws/iam";
import type { OutsideChanges } from "../support/driftCases";
import { credentialReport } from "./fixtures";

interface Profile {
    userName: string;
    password: string;
    passwordResetRequired: boolean;
    createDate: Date;
    passwordLastChanged: Date;
}

/** An AWS-style error with a code, as the SDK raises them. */
function iamError(code: string, message: string): Error {
    return Object.assign(new Error(message), { name: code, Code: code });
}

/** The account the fake's credentials reach (the caller's, as GetCallerIdentity would say). */
export const FAKE_ACCOUNT_ID = "123456789012";

/** The fake IAM; `now` is its clock in milliseconds. */
export class FakeIam implements LoginProfileApi, OutsideChanges {
    /** The calls the hooks made, by action. */
    public readonly calls: Record<string, number> = {};
    /** What the last UpdateLoginProfile sent, without the password's value. */
    public lastUpdate: { password: boolean; passwordResetRequired?: boolean } | undefined;
    private readonly profiles = new Map<string, Profile>();
    private report: { content: string; generatedAt: Date } | undefined;

    constructor(public now: number) {}

    /** Moves the clock on. */
    advance(ms: number): void {
        this.now += ms;
    }

    /** Whether `password` is the user's console password. */
    signsIn(userName: string, password: string): boolean {
        return this.profiles.get(userName.toLowerCase())?.password === password;
    }

    /** AWS's reset flag for the user, or undefined without a profile. */
    resetFlag(userName: string): boolean | undefined {
        return this.profiles.get(userName.toLowerCase())?.passwordResetRequired;
    }

    // --- LoginProfileApi: what the hooks call, counted ---

    async accountId(): Promise<string> {
        return FAKE_ACCOUNT_ID;
    }

    async create(userName: string, password: string, passwordResetRequired: boolean): Promise<LoginProfileRecord> {
        this.count("CreateLoginProfile");
        return this.record(this.put(userName, password, passwordResetRequired));
    }

    async get(userName: string): Promise<LoginProfileRecord> {
        this.count("GetLoginProfile");
        return this.record(this.existing(userName));
    }

    async update(userName: string, changes: LoginProfileChanges): Promise<void> {
        this.count("UpdateLoginProfile");
        this.lastUpdate = {
            password: changes.password !== undefined,
            ...(changes.passwordResetRequired !== undefined ? { passwordResetRequired: changes.passwordResetRequired } : {}),
        };
        this.change(userName, changes);
    }

    async delete(userName: string): Promise<void> {
        this.count("DeleteLoginProfile");
        this.existing(userName);
        this.profiles.delete(userName.toLowerCase());
    }

    async getAccountPasswordPolicy(): Promise<undefined> {
        this.count("GetAccountPasswordPolicy");
        return undefined;
    }

    /** AWS's four-hour rule: a report younger than that is kept. */
    async generateCredentialReport(): Promise<string> {
        this.count("GenerateCredentialReport");
        if (this.report !== undefined && this.now - this.report.generatedAt.getTime() < 4 * 3600_000) {
            return "COMPLETE";
        }
        const generatedAt = new Date(this.now);
        const rows = [...this.profiles.values()].map((p) => ({ user: p.userName, passwordLastChanged: p.passwordLastChanged }));
        const { Content } = credentialReport(rows, generatedAt);
        this.report = { content: new TextDecoder().decode(Content), generatedAt };
        return "STARTED";
    }

    async getCredentialReport(): Promise<{ content: string; generatedAt: Date }> {
        this.count("GetCredentialReport");
        if (this.report === undefined) {
            throw iamError("ReportNotPresent", "Credential report not present");
        }
        return this.report;
    }

    /** Forgets the report, as if four hours had passed since it was made. */
    expireReport(): void {
        this.report = undefined;
    }

    // --- OutsideChanges: the drift table's changes, not counted ---

    async deleteProfile(userName: string): Promise<void> {
        this.profiles.delete(userName.toLowerCase());
    }

    async createProfile(userName: string, password: string, passwordResetRequired: boolean): Promise<void> {
        this.put(userName, password, passwordResetRequired);
    }

    async setPassword(userName: string, password: string, passwordResetRequired?: boolean): Promise<void> {
        this.change(userName, { password, ...(passwordResetRequired !== undefined ? { passwordResetRequired } : {}) });
    }

    async setResetFlag(userName: string, passwordResetRequired: boolean): Promise<void> {
        this.change(userName, { passwordResetRequired });
    }

    private put(userName: string, password: string, passwordResetRequired: boolean): Profile {
        if (this.profiles.has(userName.toLowerCase())) {
            throw iamError("EntityAlreadyExists", `Login Profile for user ${userName} already exists.`);
        }
        const now = new Date(this.now);
        const profile = { userName, password, passwordResetRequired, createDate: now, passwordLastChanged: now };
        this.profiles.set(userName.toLowerCase(), profile);
        return profile;
    }

    private change(userName: string, changes: LoginProfileChanges): void {
        const profile = this.existing(userName);
        if (changes.password !== undefined) {
            profile.password = changes.password;
            profile.passwordLastChanged = new Date(this.now);
        }
        if (changes.passwordResetRequired !== undefined) {
            profile.passwordResetRequired = changes.passwordResetRequired;
        }
    }

    private existing(userName: string): Profile {
        const profile = this.profiles.get(userName.toLowerCase());
        if (profile === undefined) {
            throw iamError("NoSuchEntity", `Login Profile for User ${userName} cannot be found.`);
        }
        return profile;
    }

    private record(profile: Profile): LoginProfileRecord {
        return {
            userName: profile.userName,
            createDate: profile.createDate.toISOString(),
            passwordResetRequired: profile.passwordResetRequired,
        };
    }

    private count(action: string): void {
        this.calls[action] = (this.calls[action] ?? 0) + 1;
    }
}
