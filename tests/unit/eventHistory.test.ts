/**
 * CloudTrail's event history of login-profile changes (provider/aws/eventHistory.ts): which
 * records are password events and whose, how the history is read (one query per event name, page
 * after page), and how an event is named in `passwordChangedBy`.
 */
import {
    describePasswordEvent,
    eventsFor,
    fetchPasswordEvents,
    passwordEventOf,
    type EventHistoryApi,
    type EventRecord,
    type LookupEventsPage,
    type PasswordEvent,
} from "../../provider/aws/eventHistory";

const ACCOUNT = "123456789012";
const ADMIN = `arn:aws:iam::${ACCOUNT}:user/admin`;
const ROLE_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci-run-42`;
const AT = new Date("2026-11-30T09:15:42.000Z");

/** A record as LookupEvents returns it, its CloudTrail record given as an object; `eventTime` null: the event has none. */
function recordOf(eventName: string, cloudTrailEvent: unknown, eventTime: Date | null = AT): EventRecord {
    return {
        eventName,
        ...(eventTime !== null ? { eventTime } : {}),
        cloudTrailEvent: JSON.stringify(cloudTrailEvent),
    };
}

describe("passwordEventOf", () => {
    it("takes an UpdateLoginProfile's user from its requestParameters and its principal from userIdentity", () => {
        const record = recordOf("UpdateLoginProfile", {
            userIdentity: { type: "AssumedRole", arn: ROLE_SESSION, accountId: ACCOUNT },
            requestParameters: { userName: "alice", passwordResetRequired: true },
        });

        expect(passwordEventOf(record)).toStrictEqual({
            eventName: "UpdateLoginProfile",
            eventTime: AT,
            userName: "alice",
            principalArn: ROLE_SESSION,
            passwordResetRequired: true,
        });
    });

    it.each(["CreateLoginProfile", "DeleteLoginProfile"] as const)("takes a %s's user from its requestParameters", (eventName) => {
        const record = recordOf(eventName, {
            userIdentity: { type: "IAMUser", arn: ADMIN, userName: "admin" },
            requestParameters: { userName: "bob" },
        });

        expect(passwordEventOf(record)).toStrictEqual({
            eventName,
            eventTime: AT,
            userName: "bob",
            principalArn: ADMIN,
        });
    });

    it("takes a ChangePassword's user from userIdentity.userName: the user changes their own password", () => {
        const record = recordOf("ChangePassword", {
            userIdentity: { type: "IAMUser", arn: `arn:aws:iam::${ACCOUNT}:user/ops/carol`, userName: "carol" },
            requestParameters: null,
        });

        expect(passwordEventOf(record)).toStrictEqual({
            eventName: "ChangePassword",
            eventTime: AT,
            userName: "carol",
            principalArn: `arn:aws:iam::${ACCOUNT}:user/ops/carol`,
        });
    });

    it("takes a ChangePassword's user from the ARN's user/ tail, past its path, when userIdentity has no userName", () => {
        const arn = `arn:aws:iam::${ACCOUNT}:user/division/team/dave`;

        expect(passwordEventOf(recordOf("ChangePassword", { userIdentity: { type: "IAMUser", arn } }))).toMatchObject({
            userName: "dave",
            principalArn: arn,
        });
        expect(
            passwordEventOf(recordOf("ChangePassword", { userIdentity: { type: "IAMUser", arn: `arn:aws:iam::${ACCOUNT}:user/erin` } })),
        ).toMatchObject({ userName: "erin" });
    });

    it("names a principal CloudTrail gave no ARN by its type and account: Root of account …", () => {
        const record = recordOf("UpdateLoginProfile", {
            userIdentity: { type: "Root", accountId: ACCOUNT },
            requestParameters: { userName: "alice" },
        });

        expect(passwordEventOf(record)?.principalArn).toBe(`Root of account ${ACCOUNT}`);
    });

    it("names a principal with neither ARN nor account by its type alone, or as unknown", () => {
        const typed = recordOf("UpdateLoginProfile", { userIdentity: { type: "AWSService" }, requestParameters: { userName: "alice" } });
        const bare = recordOf("UpdateLoginProfile", { requestParameters: { userName: "alice" } });

        expect(passwordEventOf(typed)?.principalArn).toBe("AWSService");
        expect(passwordEventOf(bare)?.principalArn).toBe("an unknown principal");
    });

    it("takes the time from the record when the event has none", () => {
        const record = recordOf(
            "UpdateLoginProfile",
            { eventTime: "2026-11-30T09:20:00Z", userIdentity: { arn: ADMIN }, requestParameters: { userName: "alice" } },
            null,
        );

        expect(passwordEventOf(record)?.eventTime).toStrictEqual(new Date("2026-11-30T09:20:00.000Z"));
    });

    it("prefers the event's own time to the record's", () => {
        const record = recordOf("UpdateLoginProfile", {
            eventTime: "2020-01-01T00:00:00Z",
            userIdentity: { arn: ADMIN },
            requestParameters: { userName: "alice" },
        });

        expect(passwordEventOf(record)?.eventTime).toBe(AT);
    });

    it("ignores a record that is not JSON, or not an object, having no user to name", () => {
        expect(passwordEventOf({ eventName: "UpdateLoginProfile", eventTime: AT, cloudTrailEvent: "{not json" })).toBeUndefined();
        expect(passwordEventOf({ eventName: "ChangePassword", eventTime: AT, cloudTrailEvent: "{not json" })).toBeUndefined();
        expect(passwordEventOf({ eventName: "UpdateLoginProfile", eventTime: AT, cloudTrailEvent: "null" })).toBeUndefined();
        expect(passwordEventOf({ eventName: "UpdateLoginProfile", eventTime: AT, cloudTrailEvent: "42" })).toBeUndefined();
        expect(passwordEventOf({ eventName: "UpdateLoginProfile", eventTime: AT })).toBeUndefined();
    });

    it("ignores a record without a user, or without a time", () => {
        expect(passwordEventOf(recordOf("UpdateLoginProfile", { userIdentity: { arn: ADMIN }, requestParameters: null }))).toBeUndefined();
        expect(
            passwordEventOf(recordOf("UpdateLoginProfile", { userIdentity: { arn: ADMIN }, requestParameters: { userName: "" } })),
        ).toBeUndefined();
        expect(passwordEventOf(recordOf("ChangePassword", { userIdentity: { type: "Root", accountId: ACCOUNT } }))).toBeUndefined();
        expect(
            passwordEventOf(
                recordOf("UpdateLoginProfile", { userIdentity: { arn: ADMIN }, requestParameters: { userName: "alice" } }, null),
            ),
        ).toBeUndefined();
    });

    it.each(["ConsoleLogin", "CreateUser", "UpdateAccessKey", "changepassword", undefined])("ignores an event named %s", (eventName) => {
        const record = { ...recordOf("x", { userIdentity: { arn: ADMIN }, requestParameters: { userName: "alice" } }), eventName };

        expect(passwordEventOf(record)).toBeUndefined();
    });
});

/** An event history API answering from pages per event name, recording each query. */
function historyApi(pages: Readonly<Record<string, readonly LookupEventsPage[]>>): EventHistoryApi & {
    readonly queries: [string, Date, string | undefined][];
} {
    const queries: [string, Date, string | undefined][] = [];
    return {
        queries,
        async lookupEvents(eventName, startTime, nextToken) {
            queries.push([eventName, startTime, nextToken]);
            const index = nextToken === undefined ? 0 : Number(nextToken.replace("page-", ""));
            return pages[eventName]?.[index] ?? { events: [] };
        },
    };
}

function update(userName: string, eventTime: Date, principal = ADMIN): EventRecord {
    return recordOf("UpdateLoginProfile", { userIdentity: { arn: principal }, requestParameters: { userName } }, eventTime);
}

describe("fetchPasswordEvents", () => {
    const SINCE = new Date("2026-09-01T09:00:00.000Z");
    const READ_AT = new Date("2026-11-30T10:00:00.000Z");
    const minute = (m: number): Date => new Date(Date.UTC(2026, 10, 30, 9, m));

    it("asks once per event name since the given time, follows nextToken page after page, and sorts the events oldest first", async () => {
        const api = historyApi({
            UpdateLoginProfile: [
                { events: [update("alice", minute(50)), update("bob", minute(40))], nextToken: "page-1" },
                { events: [update("alice", minute(10))], nextToken: "page-2" },
                { events: [update("carol", minute(5))] },
            ],
            ChangePassword: [
                {
                    events: [
                        recordOf(
                            "ChangePassword",
                            { userIdentity: { arn: `arn:aws:iam::${ACCOUNT}:user/dave`, userName: "dave" } },
                            minute(30),
                        ),
                    ],
                },
            ],
            CreateLoginProfile: [
                {
                    events: [
                        recordOf(
                            "CreateLoginProfile",
                            { userIdentity: { arn: ADMIN }, requestParameters: { userName: "erin" } },
                            minute(20),
                        ),
                        recordOf("CreateLoginProfile", "not a record", minute(21)),
                    ],
                },
            ],
        });

        const history = await fetchPasswordEvents(api, SINCE, READ_AT);

        expect(api.queries).toStrictEqual([
            ["CreateLoginProfile", SINCE, undefined],
            ["UpdateLoginProfile", SINCE, undefined],
            ["UpdateLoginProfile", SINCE, "page-1"],
            ["UpdateLoginProfile", SINCE, "page-2"],
            ["DeleteLoginProfile", SINCE, undefined],
            ["ChangePassword", SINCE, undefined],
        ]);
        expect(history.readAt).toBe(READ_AT);
        expect(history.events.map((event) => [event.eventName, event.userName, event.eventTime.toISOString()])).toStrictEqual([
            ["UpdateLoginProfile", "carol", "2026-11-30T09:05:00.000Z"],
            ["UpdateLoginProfile", "alice", "2026-11-30T09:10:00.000Z"],
            ["CreateLoginProfile", "erin", "2026-11-30T09:20:00.000Z"],
            ["ChangePassword", "dave", "2026-11-30T09:30:00.000Z"],
            ["UpdateLoginProfile", "bob", "2026-11-30T09:40:00.000Z"],
            ["UpdateLoginProfile", "alice", "2026-11-30T09:50:00.000Z"],
        ]);
    });

    it("throws a query's error as it is", async () => {
        const denied = Object.assign(new Error("not authorized to perform: cloudtrail:LookupEvents"), { name: "AccessDeniedException" });
        const api: EventHistoryApi = { lookupEvents: () => Promise.reject(denied) };

        await expect(fetchPasswordEvents(api, SINCE, READ_AT)).rejects.toBe(denied);
    });
});

describe("eventsFor", () => {
    const event = (userName: string, minute: number): PasswordEvent => ({
        eventName: "UpdateLoginProfile",
        eventTime: new Date(Date.UTC(2026, 10, 30, 9, minute)),
        userName,
        principalArn: ADMIN,
    });

    it("gives the user's events, in order, matching the name case-insensitively as IAM does", () => {
        const history = {
            readAt: AT,
            events: [event("Alice", 1), event("bob", 2), event("alice", 3), event("ALICE", 4), event("alicia", 5)],
        };

        expect(eventsFor(history, "alice")).toStrictEqual([event("Alice", 1), event("alice", 3), event("ALICE", 4)]);
        expect(eventsFor(history, "BOB")).toStrictEqual([event("bob", 2)]);
        expect(eventsFor(history, "carol")).toStrictEqual([]);
    });
});

describe("describePasswordEvent", () => {
    it("says who, which call and when: ARN (EventName at ISO time)", () => {
        expect(
            describePasswordEvent({
                eventName: "UpdateLoginProfile",
                eventTime: new Date("2026-11-30T09:02:10.5Z"),
                userName: "alice",
                principalArn: ROLE_SESSION,
            }),
        ).toBe(`${ROLE_SESSION} (UpdateLoginProfile at 2026-11-30T09:02:10.500Z)`);
        expect(
            describePasswordEvent({
                eventName: "ChangePassword",
                eventTime: AT,
                userName: "alice",
                principalArn: `Root of account ${ACCOUNT}`,
            }),
        ).toBe(`Root of account ${ACCOUNT} (ChangePassword at 2026-11-30T09:15:42.000Z)`);
    });
});
