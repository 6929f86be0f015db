/**
 * A small in-memory IAM for the drift unit tests: login profiles with their passwords, AWS's
 * reset flag and dates, a credential report that is a snapshot, as AWS keeps one, the event
 * history of every write (the hooks' by one principal, the outside changes' by another), and each
 * user's last sign-in. It answers the hooks (LoginProfileApi) and the outside changes of the drift
 * table (OutsideChanges) alike, on a clock the test moves. For a password's life: an account
 * password policy (none by default), whose MaxPasswordAge fills the report's
 * `password_next_rotation` as AWS does, and a clock of IAM's own that may run ahead of the test's
 * (`clockAheadMs`), which the connection then measures (`clockOffsetMs`) as the SDK client does
 * from IAM's `Date` header.
 */
import { DAY_MS } from "../../provider/model/time";
import type { IamUserRecord, LoginProfileApi, LoginProfileChanges, LoginProfileRecord } from "../../provider/aws/iam";
import type { EventRecord, LookupEventsPage } from "../../provider/aws/eventHistory";
import type { PasswordPolicy } from "../../provider/password/policy";
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

/** Who the hooks' calls come from. */
export const PROVIDER_PRINCIPAL = `arn:aws:iam::${FAKE_ACCOUNT_ID}:user/pulumi-deployer`;
/** Who the outside changes come from. */
export const OUTSIDE_PRINCIPAL = `arn:aws:iam::${FAKE_ACCOUNT_ID}:user/outsider`;

/** A day in milliseconds. */

/** The fake IAM; `now` is the test's clock in milliseconds, and IAM's unless `clockAheadMs` moves IAM's on. */
export class FakeIam implements LoginProfileApi, OutsideChanges {
    /** The calls the hooks made, by action. */
    public readonly calls: Record<string, number> = {};

    /** The calls `action` makes, by action (those it makes none of left out). */
    async callsDuring(action: () => Promise<unknown>): Promise<Record<string, number>> {
        const before = { ...this.calls };
        await action();
        return Object.fromEntries(
            Object.entries(this.calls)
                .map(([name, count]) => [name, count - (before[name] ?? 0)] as const)
                .filter(([, count]) => count > 0),
        );
    }
    /** What the last UpdateLoginProfile sent, without the password's value. */
    public lastUpdate: { password: boolean; passwordResetRequired?: boolean } | undefined;
    private readonly profiles = new Map<string, Profile>();
    private report: { content: string; generatedAt: Date } | undefined;
    private readonly events: { name: string; time: number; userName: string; principal: string; passwordResetRequired?: boolean }[] = [];
    private readonly lastUsed = new Map<string, Date>();
    /** An error LookupEvents answers with (AccessDenied, as AWS answers a principal without cloudtrail:LookupEvents), when set. */
    public eventsError: Error | undefined;
    /** An error ListUsers answers with, when set. */
    public usersError: Error | undefined;
    /** The account password policy GetAccountPasswordPolicy answers; undefined: the account has none. */
    public passwordPolicy: PasswordPolicy | undefined;
    /** An error GetAccountPasswordPolicy answers with, when set. */
    public passwordPolicyError: Error | undefined;
    /**
     * How far IAM's clock is ahead of `now`, in milliseconds: every time IAM records or reports is
     * on its clock, and `clockOffsetMs` measures it as the SDK client does. Undefined (the default):
     * the connection measures no offset, as a mocked SDK client does, and IAM's clock is `now`.
     */
    public clockAheadMs: number | undefined;

    constructor(public now: number) {}

    /** Moves the clock on. */
    advance(ms: number): void {
        this.now += ms;
    }

    /** The time on IAM's clock, in milliseconds. */
    iamNow(): number {
        return this.now + (this.clockAheadMs ?? 0);
    }

    /** Whether `password` is the user's console password. */
    signsIn(userName: string, password: string): boolean {
        return this.profiles.get(userName.toLowerCase())?.password === password;
    }

    /** A console sign-in of the user: ListUsers' PasswordLastUsed (and the next report's password_last_used). */
    signIn(userName: string): void {
        this.lastUsed.set(userName.toLowerCase(), new Date(this.iamNow()));
    }

    /** AWS's reset flag for the user, or undefined without a profile. */
    resetFlag(userName: string): boolean | undefined {
        return this.profiles.get(userName.toLowerCase())?.passwordResetRequired;
    }

    // --- LoginProfileApi: what the hooks call, counted ---

    async accountId(): Promise<string> {
        return FAKE_ACCOUNT_ID;
    }

    /**
     * IAM's clock ahead of the test's, as the SDK client measures it: IAM's time from the `Date` of
     * its answer, which is to the second, cut down, less this machine's. Undefined when not set.
     */
    clockOffsetMs(): number | undefined {
        return this.clockAheadMs === undefined ? undefined : Math.floor(this.iamNow() / 1000) * 1000 - this.now;
    }

    async create(userName: string, password: string, passwordResetRequired: boolean): Promise<LoginProfileRecord> {
        this.count("CreateLoginProfile");
        const created = this.record(this.put(userName, password, passwordResetRequired));
        this.event("CreateLoginProfile", userName, PROVIDER_PRINCIPAL, passwordResetRequired);
        return created;
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
        this.event("UpdateLoginProfile", userName, PROVIDER_PRINCIPAL, changes.passwordResetRequired);
    }

    async delete(userName: string): Promise<void> {
        this.count("DeleteLoginProfile");
        this.existing(userName);
        this.profiles.delete(userName.toLowerCase());
        this.event("DeleteLoginProfile", userName, PROVIDER_PRINCIPAL);
    }

    async listUsers(): Promise<IamUserRecord[]> {
        this.count("ListUsers");
        if (this.usersError) {
            throw this.usersError;
        }
        return [...this.profiles.values()].map((profile) => {
            const used = this.lastUsed.get(profile.userName.toLowerCase());
            return { userName: profile.userName, ...(used ? { passwordLastUsed: used } : {}) };
        });
    }

    /** LookupEvents by event name, newest first, two to a page (so that paging is exercised). */
    async lookupEvents(eventName: string, startTime: Date, nextToken?: string): Promise<LookupEventsPage> {
        this.count("LookupEvents");
        if (this.eventsError) {
            throw this.eventsError;
        }
        const matching = this.events
            .filter((event) => event.name === eventName && event.time >= startTime.getTime())
            .sort((a, b) => b.time - a.time);
        const from = nextToken === undefined ? 0 : Number(nextToken);
        const page = matching.slice(from, from + 2).map((event): EventRecord => ({
            eventName: event.name,
            eventTime: new Date(event.time),
            // As CloudTrail records the call: who made it, and its parameters but the password.
            cloudTrailEvent: JSON.stringify({
                userIdentity: { type: "IAMUser", arn: event.principal },
                ...(event.name === "ChangePassword"
                    ? {}
                    : {
                          requestParameters: {
                              userName: event.userName,
                              ...(event.passwordResetRequired !== undefined ? { passwordResetRequired: event.passwordResetRequired } : {}),
                          },
                      }),
            }),
        }));
        return { events: page, ...(from + 2 < matching.length ? { nextToken: String(from + 2) } : {}) };
    }

    async getAccountPasswordPolicy(): Promise<PasswordPolicy | undefined> {
        this.count("GetAccountPasswordPolicy");
        if (this.passwordPolicyError) {
            throw this.passwordPolicyError;
        }
        return this.passwordPolicy;
    }

    /** AWS's four-hour rule: a report younger than that is kept. */
    async generateCredentialReport(): Promise<string> {
        this.count("GenerateCredentialReport");
        if (this.report !== undefined && this.iamNow() - this.report.generatedAt.getTime() < 4 * 3600_000) {
            return "COMPLETE";
        }
        const generatedAt = new Date(this.iamNow());
        const maxAgeDays = this.passwordPolicy?.maxPasswordAgeDays;
        const rows = [...this.profiles.values()].map((p) => {
            const used = this.lastUsed.get(p.userName.toLowerCase());
            // As AWS fills it: the last change plus the policy's MaxPasswordAge, when it sets one.
            const next = maxAgeDays !== undefined ? new Date(p.passwordLastChanged.getTime() + maxAgeDays * DAY_MS) : undefined;
            return {
                user: p.userName,
                passwordLastChanged: p.passwordLastChanged,
                ...(used ? { passwordLastUsed: used } : {}),
                ...(next ? { passwordNextRotation: next } : {}),
            };
        });
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
        this.event("DeleteLoginProfile", userName, OUTSIDE_PRINCIPAL);
    }

    async createProfile(userName: string, password: string, passwordResetRequired: boolean): Promise<void> {
        this.put(userName, password, passwordResetRequired);
        this.event("CreateLoginProfile", userName, OUTSIDE_PRINCIPAL, passwordResetRequired);
    }

    async setPassword(userName: string, password: string, passwordResetRequired?: boolean): Promise<void> {
        this.change(userName, { password, ...(passwordResetRequired !== undefined ? { passwordResetRequired } : {}) });
        this.event("UpdateLoginProfile", userName, OUTSIDE_PRINCIPAL, passwordResetRequired);
    }

    async setResetFlag(userName: string, passwordResetRequired: boolean): Promise<void> {
        this.change(userName, { passwordResetRequired });
        this.event("UpdateLoginProfile", userName, OUTSIDE_PRINCIPAL, passwordResetRequired);
    }

    /** The user's own ChangePassword: a new password, the pending reset cleared. */
    async changeOwnPassword(userName: string, password: string): Promise<void> {
        this.change(userName, { password, passwordResetRequired: false });
        this.event("ChangePassword", userName, `arn:aws:iam::${FAKE_ACCOUNT_ID}:user/${userName}`);
    }

    private put(userName: string, password: string, passwordResetRequired: boolean): Profile {
        if (this.profiles.has(userName.toLowerCase())) {
            throw iamError("EntityAlreadyExists", `Login Profile for user ${userName} already exists.`);
        }
        const now = new Date(this.iamNow());
        const profile = { userName, password, passwordResetRequired, createDate: now, passwordLastChanged: now };
        this.profiles.set(userName.toLowerCase(), profile);
        return profile;
    }

    private change(userName: string, changes: LoginProfileChanges): void {
        const profile = this.existing(userName);
        if (changes.password !== undefined) {
            profile.password = changes.password;
            profile.passwordLastChanged = new Date(this.iamNow());
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

    /** Records a call in the event history, with the reset flag when the call passed one. */
    private event(name: string, userName: string, principal: string, passwordResetRequired?: boolean): void {
        this.events.push({
            name,
            time: this.iamNow(),
            userName,
            principal,
            ...(passwordResetRequired !== undefined ? { passwordResetRequired } : {}),
        });
    }

    private count(action: string): void {
        this.calls[action] = (this.calls[action] ?? 0) + 1;
    }
}
