/**
 * The drift rule itself (provider/rules/drift.ts), pure: from the state, GetLoginProfile's answer,
 * CloudTrail's events and the credential report, what drifted, who changed it, and until when a
 * change would have been seen (`checkedAt`, the output `driftCheckedAt`).
 */
import type { CredentialReport } from "../../provider/aws/credentialReport";
import type { PasswordEvent, PasswordEventHistory, PasswordEventName } from "../../provider/aws/eventHistory";
import type { LoginProfileRecord } from "../../provider/aws/iam";
import type { LoginProfileState } from "../../provider/model/types";
import {
    baselineSetAt,
    checkPasswordDrift,
    ownsPassword,
    PASSWORD_CHANGE_TOLERANCE_MS,
    type DriftSources,
} from "../../provider/rules/drift";

const ACCOUNT = "123456789012";
const OUTSIDER = `arn:aws:iam::${ACCOUNT}:user/outsider`;
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:user/pulumi-deployer`;
const CREATE_DATE = "2026-11-01T08:00:00.000Z";
/** When the resource set the password (and wrote the profile). */
const SET_AT = "2026-11-30T09:00:00.000Z";
const SET_MS = Date.parse(SET_AT);
/** When the refresh read the event history. */
const READ_AT = new Date("2026-11-30T10:00:00.000Z");
/** The refresh's time now (a moment after it read the events). */
const NOW = "2026-11-30T10:00:01.000Z";

/** The state of a profile the resource created with the password at SET_AT, its flag declared false. */
const OLDS: Partial<LoginProfileState> = {
    userName: "alice",
    passwordResetRequired: false,
    passwordResetPending: false,
    createDate: CREATE_DATE,
    passwordSetAt: SET_AT,
    writtenAt: SET_AT,
    driftCheckedAt: SET_AT,
};
/** GetLoginProfile's answer: the same profile, no reset pending. */
const CURRENT: LoginProfileRecord = { userName: "alice", createDate: CREATE_DATE, passwordResetRequired: false };

/** A password event `ms` after SET_AT (by AWS's clock). */
function event(
    eventName: PasswordEventName,
    ms: number,
    { principalArn = OUTSIDER, userName = "alice", passwordResetRequired }: Partial<PasswordEvent> = {},
): PasswordEvent {
    return {
        eventName,
        eventTime: new Date(SET_MS + ms),
        userName,
        principalArn,
        ...(passwordResetRequired !== undefined ? { passwordResetRequired } : {}),
    };
}

/** The event history read at READ_AT, oldest first. */
function history(...events: PasswordEvent[]): PasswordEventHistory {
    return { readAt: READ_AT, events };
}

/** A credential report made at `generatedAt` in which alice's password was last changed at `passwordLastChanged`. */
function report(generatedAt: string, passwordLastChanged: string | undefined): CredentialReport {
    return {
        generatedAt: new Date(generatedAt),
        users: new Map([
            [
                "alice",
                {
                    userName: "alice",
                    passwordEnabled: passwordLastChanged !== undefined,
                    ...(passwordLastChanged !== undefined ? { passwordLastChanged: new Date(passwordLastChanged) } : {}),
                    mfaActive: false,
                },
            ],
        ]),
    };
}

function sources(extra: Omit<DriftSources, "now"> = {}): DriftSources {
    return { now: NOW, ...extra };
}

/** `state` without `keys`. */
function withoutKeys(state: Partial<LoginProfileState>, ...keys: (keyof LoginProfileState)[]): Partial<LoginProfileState> {
    return Object.fromEntries(Object.entries(state).filter(([key]) => !keys.includes(key as keyof LoginProfileState)));
}

/** `changedBy` for an event `ms` after SET_AT. */
function by(principal: string, eventName: PasswordEventName, ms: number): string {
    return `${principal} (${eventName} at ${new Date(SET_MS + ms).toISOString()})`;
}

describe("checkPasswordDrift from the event history", () => {
    it("finds an UpdateLoginProfile by another principal after the last set: changed, by whom, checked until the events were read", () => {
        expect(checkPasswordDrift(OLDS, CURRENT, sources({ events: history(event("UpdateLoginProfile", 60_000)) }))).toStrictEqual({
            drift: "changed",
            changedBy: by(OUTSIDER, "UpdateLoginProfile", 60_000),
            checkedAt: READ_AT.toISOString(),
        });
    });

    it("names the latest change after the last set, and ignores those before it and other users'", () => {
        const events = history(
            event("UpdateLoginProfile", -60_000),
            event("CreateLoginProfile", 0, { principalArn: DEPLOYER }),
            event("UpdateLoginProfile", 60_000),
            event("UpdateLoginProfile", 90_000, { userName: "bob" }),
            event("UpdateLoginProfile", 120_000, { principalArn: DEPLOYER.replace("pulumi-deployer", "admin") }),
            event("UpdateLoginProfile", 180_000, { userName: "alicia" }),
        );

        expect(checkPasswordDrift(OLDS, CURRENT, sources({ events }))).toStrictEqual({
            drift: "changed",
            changedBy: by(DEPLOYER.replace("pulumi-deployer", "admin"), "UpdateLoginProfile", 120_000),
            checkedAt: READ_AT.toISOString(),
        });
    });

    it("matches the user case-insensitively, as IAM names users", () => {
        const events = history(event("UpdateLoginProfile", 60_000, { userName: "ALICE" }));

        expect(checkPasswordDrift(OLDS, CURRENT, sources({ events })).drift).toBe("changed");
    });

    it("takes the resource's own flag-only update (its event no later than writtenAt) for no drift", () => {
        const flagSetAt = SET_MS + 3_600_000;
        const olds = { ...OLDS, passwordResetRequired: true, writtenAt: new Date(flagSetAt).toISOString() };
        // AWS made the call a moment before the resource recorded it.
        const events = history(event("UpdateLoginProfile", 3_600_000 - 40, { principalArn: DEPLOYER, passwordResetRequired: true }));

        expect(checkPasswordDrift(olds, { ...CURRENT, passwordResetRequired: true }, sources({ events }))).toStrictEqual({
            checkedAt: READ_AT.toISOString(),
        });
    });

    it("takes an event within the 5 s tolerance after the last write for the resource's own, and one just past it for a change", () => {
        expect(PASSWORD_CHANGE_TOLERANCE_MS).toBe(5_000);
        expect(checkPasswordDrift(OLDS, CURRENT, sources({ events: history(event("UpdateLoginProfile", 5_000)) }))).toStrictEqual({
            checkedAt: READ_AT.toISOString(),
        });
        expect(checkPasswordDrift(OLDS, CURRENT, sources({ events: history(event("UpdateLoginProfile", 5_001)) }))).toStrictEqual({
            drift: "changed",
            changedBy: by(OUTSIDER, "UpdateLoginProfile", 5_001),
            checkedAt: READ_AT.toISOString(),
        });
    });

    it("puts event times on this machine's clock with AWS's clock offset before comparing", () => {
        const events = history(event("UpdateLoginProfile", 30_000));

        // AWS's clock 60 s ahead: the event was 30 s before the set, by this machine's clock.
        expect(checkPasswordDrift(OLDS, CURRENT, sources({ events, awsClockAheadMs: 60_000 }))).toStrictEqual({
            checkedAt: READ_AT.toISOString(),
        });
        expect(checkPasswordDrift(OLDS, CURRENT, sources({ events, awsClockAheadMs: 0 })).drift).toBe("changed");
        // AWS's clock 10 s behind: an event 2 s after the set by AWS's clock was 12 s after it.
        const close = history(event("UpdateLoginProfile", 2_000));
        expect(checkPasswordDrift(OLDS, CURRENT, sources({ events: close, awsClockAheadMs: -10_000 })).drift).toBe("changed");
        expect(checkPasswordDrift(OLDS, CURRENT, sources({ events: close })).drift).toBeUndefined();
    });

    it("finds the user's own ChangePassword while the resource owns the password", () => {
        const events = history(event("ChangePassword", 60_000, { principalArn: `arn:aws:iam::${ACCOUNT}:user/alice` }));

        expect(checkPasswordDrift(OLDS, CURRENT, sources({ events }))).toStrictEqual({
            drift: "changed",
            changedBy: by(`arn:aws:iam::${ACCOUNT}:user/alice`, "ChangePassword", 60_000),
            checkedAt: READ_AT.toISOString(),
        });
    });

    it("finds a password set while the required reset is still pending: the resource still owns it", () => {
        const olds = { ...OLDS, passwordResetRequired: true, passwordResetPending: true };
        const events = history(event("UpdateLoginProfile", 60_000));

        expect(checkPasswordDrift(olds, { ...CURRENT, passwordResetRequired: true }, sources({ events }))).toStrictEqual({
            drift: "changed",
            changedBy: by(OUTSIDER, "UpdateLoginProfile", 60_000),
            checkedAt: READ_AT.toISOString(),
        });
    });

    it("takes an outside UpdateLoginProfile that required the reset AWS now has pending for the forced reset, not a new password", () => {
        const forced = { ...CURRENT, passwordResetRequired: true };

        expect(
            checkPasswordDrift(
                OLDS,
                forced,
                sources({ events: history(event("UpdateLoginProfile", 60_000, { passwordResetRequired: true })) }),
            ),
        ).toStrictEqual({ checkedAt: READ_AT.toISOString() });
        // One that did not ask for the reset set a password.
        expect(checkPasswordDrift(OLDS, forced, sources({ events: history(event("UpdateLoginProfile", 60_000)) })).drift).toBe("changed");
    });

    it("still takes that forced reset for no new password once the resource has written the flag back (the up that cleared it)", () => {
        const cleared = { ...OLDS, writtenAt: new Date(SET_MS + 120_000).toISOString() };
        const forcedThenCleared = history(
            event("UpdateLoginProfile", 60_000, { passwordResetRequired: true }),
            event("UpdateLoginProfile", 120_000 - 40, { principalArn: DEPLOYER, passwordResetRequired: false }),
        );

        expect(checkPasswordDrift(cleared, CURRENT, sources({ events: forcedThenCleared }))).toStrictEqual({
            checkedAt: READ_AT.toISOString(),
        });
        // One that required a reset after the resource's write, with no reset pending now, is taken for a new password.
        const laterForced = history(event("UpdateLoginProfile", 180_000, { passwordResetRequired: true }));
        expect(checkPasswordDrift(cleared, CURRENT, sources({ events: laterForced })).drift).toBe("changed");
    });

    it("does not take a DeleteLoginProfile alone for a new password", () => {
        expect(checkPasswordDrift(OLDS, CURRENT, sources({ events: history(event("DeleteLoginProfile", 60_000)) }))).toStrictEqual({
            checkedAt: READ_AT.toISOString(),
        });
    });
});

describe("checkPasswordDrift: the resource's own writes, and states written before it kept them", () => {
    it("still finds an outside change made between the last set and a later write of the flag alone", () => {
        const flagWrittenAt = SET_MS + 3_600_000;
        const olds = { ...OLDS, writtenAt: new Date(flagWrittenAt).toISOString() };
        const events = history(
            event("UpdateLoginProfile", 60_000),
            // The resource's own write of the flag, a moment before it recorded it.
            event("UpdateLoginProfile", 3_600_000 - 40, { principalArn: DEPLOYER, passwordResetRequired: false }),
        );

        expect(checkPasswordDrift(olds, CURRENT, sources({ events }))).toStrictEqual({
            drift: "changed",
            changedBy: by(OUTSIDER, "UpdateLoginProfile", 60_000),
            checkedAt: READ_AT.toISOString(),
        });
    });

    it("cannot check with the events when the state knows no last set, and says so (no checkedAt) rather than guess", () => {
        const olds = withoutKeys(OLDS, "passwordSetAt", "writtenAt");

        expect(checkPasswordDrift(olds, CURRENT, sources({ events: history(event("UpdateLoginProfile", 60_000)) }))).toStrictEqual({});
    });

    it("in a state without writtenAt, takes an UpdateLoginProfile that sent the declared flag for one of the resource's own", () => {
        const olds = withoutKeys(OLDS, "writtenAt");
        const ownFlag = history(event("UpdateLoginProfile", 60_000, { principalArn: DEPLOYER, passwordResetRequired: false }));
        const passwordOnly = history(event("UpdateLoginProfile", 60_000));

        expect(checkPasswordDrift(olds, CURRENT, sources({ events: ownFlag }))).toStrictEqual({ checkedAt: READ_AT.toISOString() });
        expect(checkPasswordDrift(olds, CURRENT, sources({ events: passwordOnly }))).toStrictEqual({
            drift: "changed",
            changedBy: by(OUTSIDER, "UpdateLoginProfile", 60_000),
            checkedAt: READ_AT.toISOString(),
        });
    });
});

describe("checkPasswordDrift from the credential report, when the events could not be read", () => {
    it("cannot check with a report made before the last set: no drift and no checkedAt, so the refresh warns", () => {
        const stale = report("2026-11-30T08:00:00.000Z", "2026-11-01T08:00:00.000Z");

        expect(checkPasswordDrift(OLDS, CURRENT, sources({ report: stale }))).toStrictEqual({});
        expect(checkPasswordDrift(OLDS, CURRENT, sources())).toStrictEqual({});
    });

    it("checks until the report was made when it was made after the last set", () => {
        // password_last_changed in whole seconds, as the report gives it.
        const fresh = report("2026-11-30T09:45:00.000Z", "2026-11-30T09:00:00.000Z");

        expect(checkPasswordDrift(OLDS, CURRENT, sources({ report: fresh }))).toStrictEqual({ checkedAt: "2026-11-30T09:45:00.000Z" });
    });

    it("finds a change the report shows, without who made it", () => {
        const changed = report("2026-11-30T09:45:00.000Z", "2026-11-30T09:10:00.000Z");

        expect(checkPasswordDrift(OLDS, CURRENT, sources({ report: changed }))).toStrictEqual({
            drift: "changed",
            checkedAt: "2026-11-30T09:45:00.000Z",
        });
    });

    it("takes a change within the tolerance for the resource's own", () => {
        const close = report("2026-11-30T09:45:00.000Z", "2026-11-30T09:00:05.000Z");

        expect(checkPasswordDrift(OLDS, CURRENT, sources({ report: close }))).toStrictEqual({ checkedAt: "2026-11-30T09:45:00.000Z" });
    });

    it("still finds a change the report shows when the events did not (yet) show it", () => {
        const changed = report("2026-11-30T09:45:00.000Z", "2026-11-30T09:10:00.000Z");

        expect(checkPasswordDrift(OLDS, CURRENT, sources({ events: history(), report: changed }))).toStrictEqual({
            drift: "changed",
            checkedAt: READ_AT.toISOString(),
        });
    });
});

describe("checkPasswordDrift on a re-created profile, a fulfilled reset, and a known drift", () => {
    it("finds a re-created profile by its CreateDate, named by its CreateLoginProfile event, checked now", () => {
        const recreated = { ...CURRENT, createDate: "2026-11-30T09:01:01.000Z" };
        const events = history(
            event("DeleteLoginProfile", 60_000),
            event("CreateLoginProfile", 61_000),
            event("UpdateLoginProfile", 62_000, { principalArn: DEPLOYER.replace("pulumi-deployer", "admin") }),
        );

        expect(checkPasswordDrift(OLDS, recreated, sources({ events }))).toStrictEqual({
            drift: "recreated",
            changedBy: by(OUTSIDER, "CreateLoginProfile", 61_000),
            checkedAt: NOW,
        });
        expect(checkPasswordDrift(OLDS, recreated, sources())).toStrictEqual({ drift: "recreated", checkedAt: NOW });
    });

    it("finds no drift once the user has fulfilled the forced reset: the password is theirs, nothing to check, checked now", () => {
        const olds = { ...OLDS, passwordResetRequired: true, passwordResetPending: true };
        const events = history(
            event("ChangePassword", 60_000, { principalArn: `arn:aws:iam::${ACCOUNT}:user/alice` }),
            event("UpdateLoginProfile", 120_000),
        );
        const changed = report("2026-11-30T09:45:00.000Z", "2026-11-30T09:02:00.000Z");

        expect(checkPasswordDrift(olds, CURRENT, sources({ events, report: changed }))).toStrictEqual({ checkedAt: NOW });
    });

    it("keeps a drift found before, with who made it and until when it was checked, whatever the sources say now", () => {
        const olds = {
            ...OLDS,
            passwordDrift: "changed" as const,
            passwordChangedBy: by(OUTSIDER, "UpdateLoginProfile", 60_000),
            driftCheckedAt: "2026-11-30T09:30:00.000Z",
        };

        expect(checkPasswordDrift(olds, CURRENT, sources({ events: history() }))).toStrictEqual({
            drift: "changed",
            changedBy: by(OUTSIDER, "UpdateLoginProfile", 60_000),
            checkedAt: "2026-11-30T09:30:00.000Z",
        });
        expect(checkPasswordDrift({ ...OLDS, passwordDrift: "recreated", driftCheckedAt: undefined }, CURRENT, sources())).toStrictEqual({
            drift: "recreated",
        });
    });
});

describe("baselineSetAt", () => {
    it("is the state's passwordSetAt when it has one", () => {
        expect(baselineSetAt(OLDS, CURRENT, report("2026-11-30T09:45:00.000Z", "2026-11-30T09:10:00.000Z"))).toBe(SET_AT);
    });

    it("is AWS's password_last_changed for a state written before the resource kept it (the user's name in any case)", () => {
        const older = { ...OLDS, passwordSetAt: undefined };

        expect(
            baselineSetAt(older, { ...CURRENT, userName: "Alice" }, report("2026-11-30T09:45:00.000Z", "2026-11-30T09:10:00.000Z")),
        ).toBe("2026-11-30T09:10:00.000Z");
        expect(baselineSetAt(older, CURRENT, undefined)).toBeUndefined();
        expect(baselineSetAt(older, CURRENT, report("2026-11-30T09:45:00.000Z", undefined))).toBeUndefined();
    });
});

describe("ownsPassword", () => {
    it.each([
        [false, false, true],
        [false, true, true],
        [true, true, true],
        [true, false, false],
    ])("with the reset declared %s and pending %s: %s", (declared, pending, owns) => {
        expect(ownsPassword(declared, pending)).toBe(owns);
    });
});
