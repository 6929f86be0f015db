/**
 * CloudTrail's event history of login-profile changes: who set, created or deleted a console
 * password, and when. Every account has it (90 days, no trail needed), and IAM's events land in
 * the partition's home region within minutes, where the credential report can be four hours old
 * (FACTS.md). So a refresh sees a password changed outside Pulumi here first, with who changed it.
 *
 * LookupEvents takes one lookup attribute per request, so the history is read by event name, one
 * query per name (of at most 50 events a page), over the whole 90 days: once per account, however
 * many profiles the account holds and whenever each was last set. The events carry no password
 * (CloudTrail never records one).
 */

/** The events that set, create or delete a console password; ChangePassword is the user's own. */
export const PASSWORD_EVENT_NAMES = ["CreateLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile", "ChangePassword"] as const;

/** The name of one of `PASSWORD_EVENT_NAMES`. */
export type PasswordEventName = (typeof PASSWORD_EVENT_NAMES)[number];

/**
 * The events a refresh looks for: a password set, or a profile created (a re-creation, and who
 * made it). A deletion alone needs no lookup: GetLoginProfile answers NoSuchEntity. One query
 * fewer is half a second less of the API's quota per account.
 */
export const REFRESH_EVENT_NAMES: readonly PasswordEventName[] = ["CreateLoginProfile", "UpdateLoginProfile", "ChangePassword"];

/** The permission reading the event history needs, as messages name it. */
export const EVENT_HISTORY_PERMISSION = "cloudtrail:LookupEvents";

/** How far back the event history goes: "the last 90 days" of management events. */
export const EVENT_HISTORY_DAYS = 90;

/** The most events one LookupEvents page holds. */
export const EVENTS_PER_PAGE = 50;

/** One event as LookupEvents returns it, with the fields read here. */
export interface EventRecord {
    readonly eventName?: string;
    readonly eventTime?: Date;
    /** The whole CloudTrail record, as JSON text: who made the call, and its request parameters. */
    readonly cloudTrailEvent?: string;
}

/** One page of LookupEvents, and the token of the next when there is one. */
export interface LookupEventsPage {
    readonly events: readonly EventRecord[];
    readonly nextToken?: string;
}

/** The call that reads the event history of the account and partition the connection reaches. */
export interface EventHistoryApi {
    /** LookupEvents for events named `eventName` since `startTime`, one page (from `nextToken` when given). */
    lookupEvents(eventName: string, startTime: Date, nextToken?: string): Promise<LookupEventsPage>;
}

/** A change of one user's console password, as the event history tells it. */
export interface PasswordEvent {
    readonly eventName: PasswordEventName;
    /** When AWS made the change, by AWS's clock. */
    readonly eventTime: Date;
    /** The IAM user whose password it changed, as the call named it. */
    readonly userName: string;
    /** Who made the call: the ARN of the IAM user, assumed role session or root. */
    readonly principalArn: string;
    /** The call's `passwordResetRequired`, when its request carried one (a password never is recorded). */
    readonly passwordResetRequired?: boolean;
}

/** The account's password events of the last 90 days, as read at `readAt`. */
export interface PasswordEventHistory {
    /** When the history was read (this machine's clock): events delivered after it are not in it. */
    readonly readAt: Date;
    /** The events, oldest first. */
    readonly events: readonly PasswordEvent[];
}

/**
 * Reads the account's events named `names` since `since`: one LookupEvents query per name, page
 * after page, one name after the other (the connection paces the calls to the API's quota), so
 * that a refusal stops at the first call. Errors are thrown as they are.
 */
export async function fetchPasswordEvents(
    api: EventHistoryApi,
    since: Date,
    readAt: Date,
    names: readonly PasswordEventName[] = PASSWORD_EVENT_NAMES,
): Promise<PasswordEventHistory> {
    const events: PasswordEvent[] = [];
    for (const name of names) {
        let nextToken: string | undefined;
        do {
            const page = await api.lookupEvents(name, since, nextToken);
            events.push(...page.events.map(passwordEventOf).filter((event): event is PasswordEvent => event !== undefined));
            nextToken = page.nextToken;
        } while (nextToken !== undefined);
    }
    events.sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime());
    return { readAt, events };
}

/** The events of `history` for `userName` (IAM user names are case-insensitive). */
export function eventsFor(history: PasswordEventHistory, userName: string): PasswordEvent[] {
    const name = userName.toLowerCase();
    return history.events.filter((event) => event.userName.toLowerCase() === name);
}

/** Who changed the password and when, for the output `passwordChangedBy`: "ARN (EventName at time)". */
export function describePasswordEvent(event: PasswordEvent): string {
    return `${event.principalArn} (${event.eventName} at ${event.eventTime.toISOString()})`;
}

/** The parts of a CloudTrail record read here. */
interface CloudTrailRecord {
    readonly eventTime?: unknown;
    readonly userIdentity?: { readonly type?: unknown; readonly arn?: unknown; readonly accountId?: unknown; readonly userName?: unknown };
    readonly requestParameters?: { readonly userName?: unknown; readonly passwordResetRequired?: unknown } | null;
}

/**
 * A password event from one record, or undefined for another event or a record without the user.
 * The user is the call's `userName` parameter, except for ChangePassword, which a user calls on
 * their own password and names nobody: there it is the caller.
 */
export function passwordEventOf(record: EventRecord): PasswordEvent | undefined {
    const eventName = PASSWORD_EVENT_NAMES.find((name) => name === record.eventName);
    if (eventName === undefined) {
        return undefined;
    }
    const parsed = parseRecord(record.cloudTrailEvent);
    const identity = parsed.userIdentity ?? {};
    const arn = typeof identity.arn === "string" ? identity.arn : undefined;
    const userName =
        eventName === "ChangePassword"
            ? (stringOf(identity.userName) ?? arn?.replace(/^.*:user\/(?:.*\/)?/, ""))
            : stringOf(parsed.requestParameters?.userName);
    const eventTime = record.eventTime ?? dateOf(parsed.eventTime);
    if (userName === undefined || userName === "" || eventTime === undefined) {
        return undefined;
    }
    const reset = parsed.requestParameters?.passwordResetRequired;
    return {
        eventName,
        eventTime,
        userName,
        principalArn: arn ?? principalWithoutArn(identity),
        ...(typeof reset === "boolean" ? { passwordResetRequired: reset } : {}),
    };
}

/** A record's JSON, or nothing when it is missing or not JSON (then only the event's own fields are known). */
function parseRecord(text: string | undefined): CloudTrailRecord {
    if (text === undefined) {
        return {};
    }
    try {
        const parsed = JSON.parse(text) as CloudTrailRecord | null;
        return typeof parsed === "object" && parsed !== null ? parsed : {};
    } catch {
        return {};
    }
}

/** A principal CloudTrail gave no ARN: "Root of account …", or its identity type. */
function principalWithoutArn(identity: NonNullable<CloudTrailRecord["userIdentity"]>): string {
    const type = stringOf(identity.type) ?? "an unknown principal";
    const account = stringOf(identity.accountId);
    return account !== undefined ? `${type} of account ${account}` : type;
}

function stringOf(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" ? value : undefined;
}

function dateOf(value: unknown): Date | undefined {
    const date = typeof value === "string" ? new Date(value) : undefined;
    return date !== undefined && !Number.isNaN(date.getTime()) ? date : undefined;
}
