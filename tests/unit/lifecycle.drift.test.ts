/**
 * Drift through the hooks, as the engine drives them, over a fake IAM (fakeIam.ts): every row of
 * the Drift table (tests/support/driftCases.ts), then the ownership rule case by case: clock skew
 * within the tolerance, a report older than the resource's own change, a drift that stays until
 * `up`, generated and PGP passwords; then CloudTrail's event history (who changed the password,
 * within minutes, where AWS's report is four hours old), the refresh's warning for profiles no
 * source could check, the account's sources read once, and each without permission for it.
 */
import { PASSWORD_CHANGE_TOLERANCE_MS } from "../../provider/rules/drift";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import type { RetryClock } from "../../provider/aws/retry";
import type { LoginProfileState } from "../../provider/model/types";
import { DRIFT_CASES, OUTSIDE_PASSWORD } from "../support/driftCases";
import { FAKE_ACCOUNT_ID, FakeIam, OUTSIDE_PRINCIPAL } from "./fakeIam";
import { cloudTrailAccessDenied, failOnWarning, omit, PASSWORD, stackConfig, USER } from "./fixtures";
import { generateTestKeyPair } from "./pgpKeys";

const START = Date.parse("2026-11-30T09:00:00.000Z");
/** Later than the tolerance, as an outside change after the resource set the password is. */
const LATER = PASSWORD_CHANGE_TOLERANCE_MS + 60_000;
/** Another declared password, for an update that sets one. */
const NEW_DECLARED_PASSWORD = "N3w-Declared-Passw0rd";

/** The refresh's warning when CloudTrail's event history is denied (once per account). */
const EVENTS_DENIED_WARNING =
    `LoginProfile cannot read CloudTrail's event history in account ${FAKE_ACCOUNT_ID} (AccessDenied: it needs cloudtrail:LookupEvents), ` +
    "so a password changed in place outside Pulumi is seen only through the IAM credential report, which AWS makes at most every four hours, " +
    "and without who changed it. Grant cloudtrail:LookupEvents to see such changes within minutes.";

/** IAM's answer to a principal without the permission `action` needs, as the SDK raises it. */
function iamDenied(action: string): Error {
    return Object.assign(new Error(`User: arn:aws:iam::${FAKE_ACCOUNT_ID}:user/ci is not authorized to perform: ${action}`), {
        name: "AccessDenied",
        Code: "AccessDenied",
    });
}

let iam: FakeIam;
let warnings: string[];

beforeEach(() => {
    iam = new FakeIam(START);
    warnings = [];
});

/** The hooks of one provider process over the fake IAM, on its clock; `warn` records or fails. */
function hooks(warn: (message: string) => void = failOnWarning): LoginProfileLifecycle {
    const clock: RetryClock = {
        now: () => iam.now,
        sleep: async (ms) => iam.advance(ms),
    };
    return createLifecycle({ connect: async () => iam, clock, env: {}, warn });
}

/** Inputs as `check` returns them for what a program declares. */
async function checked(declared: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { inputs, failures } = await hooks().check({}, declared);
    expect(failures).toStrictEqual([]);
    return inputs ?? {};
}

/** `pulumi up` of a profile the resource created a while ago. */
async function created(news: Record<string, unknown>): Promise<LoginProfileState> {
    const result = await hooks().create(news);
    iam.advance(LATER);
    return result.outs as LoginProfileState;
}

/** The calls `action` makes at the fake IAM. */
function callsOf(action: () => Promise<unknown>): Promise<Record<string, number>> {
    return iam.callsDuring(action);
}

describe.each(DRIFT_CASES.map((c) => [c.name, c] as const))("drift: %s", (_name, driftCase) => {
    it("is seen by read and diff as the table says, and the update that follows corrects it", async () => {
        const news = await checked({ userName: USER, password: PASSWORD, passwordResetRequired: driftCase.declaredResetRequired });
        const state = await created(news);

        await driftCase.change(iam, USER);
        const refreshed = await hooks().read(USER, state);

        const lifecycle = hooks();
        let up: Promise<unknown>;
        if (driftCase.refresh === "deleted") {
            expect(refreshed).toStrictEqual({ id: "" });
            up = lifecycle.create(news);
        } else {
            const props = refreshed.props as LoginProfileState;
            const diff = await lifecycle.diff(USER, props, news);
            // On drift, diff leaves the comparison to the engine, which then diffs the state's
            // inputs with those read returned: they must differ in exactly the drifted input.
            const shownInputs = refreshed.inputs as Record<string, unknown> | undefined;
            if (driftCase.refresh === "unchanged") {
                expect(diff.changes).toBe(false);
                expect(shownInputs).toBeUndefined();
            } else {
                expect(diff.changes).toBeUndefined();
                const input = driftCase.refresh.slice(1);
                expect(Object.keys({ ...news, ...shownInputs }).filter((key) => shownInputs?.[key] !== news[key])).toStrictEqual([input]);
            }
            up = driftCase.refresh === "unchanged" ? Promise.resolve() : lifecycle.update(USER, props, news);
        }

        expect(await callsOf(() => up)).toStrictEqual(driftCase.upCalls);
        expect(iam.lastUpdate).toStrictEqual(driftCase.upSends);
        expect(iam.signsIn(USER, PASSWORD)).toBe(driftCase.declaredPasswordSignsIn);
        expect(iam.signsIn(USER, OUTSIDE_PASSWORD)).toBe(!driftCase.declaredPasswordSignsIn);
        expect(iam.resetFlag(USER)).toBe(driftCase.resetPendingAfterUp);
    });
});

describe("the ownership rule, case by case", () => {
    async function declaredProfile(passwordResetRequired = false): Promise<{ news: Record<string, unknown>; state: LoginProfileState }> {
        const news = await checked({ userName: USER, password: PASSWORD, passwordResetRequired });
        return { news, state: await created(news) };
    }

    it("a password set within the clock tolerance after the resource set it is taken for the resource's own (clock skew)", async () => {
        const news = await checked({ userName: USER, password: PASSWORD });
        const state = (await hooks().create(news)).outs as LoginProfileState;
        iam.advance(PASSWORD_CHANGE_TOLERANCE_MS - 1_000);
        await iam.setPassword(USER, OUTSIDE_PASSWORD);
        iam.expireReport();

        const refreshed = await hooks().read(USER, state);

        expect(refreshed.props?.passwordDrift).toBeUndefined();
        await expect(hooks().diff(USER, refreshed.props as LoginProfileState, news)).resolves.toMatchObject({ changes: false });
    });

    it("without the event history, a report generated before the resource last set the password cannot show a later change (a stale report): the refresh says so", async () => {
        const { news, state } = await declaredProfile(); // created at 09:00:00, now 09:01:05
        await hooks().read(USER, state); // the report is generated now…
        iam.advance(1_000);
        const updated = (await hooks().update(USER, state, { ...news, password: NEW_DECLARED_PASSWORD })).outs as LoginProfileState;
        iam.advance(LATER);
        await iam.setPassword(USER, OUTSIDE_PASSWORD); // …and kept for four hours, so it predates this change
        iam.eventsError = cloudTrailAccessDenied(); // and the event history, which would show it, cannot be read

        const refreshed = await hooks((message) => warnings.push(message)).read(USER, updated);

        expect(refreshed.props?.passwordDrift).toBeUndefined();
        expect(refreshed.inputs).toBeUndefined();
        // Not checked since the update set the password: driftCheckedAt stays as the update left it.
        expect(updated.driftCheckedAt).toBe("2026-11-30T09:01:06.000Z");
        expect(refreshed.props).toStrictEqual(updated);
        expect(warnings).toStrictEqual([
            EVENTS_DENIED_WARNING,
            `LoginProfile could not check the login profile of IAM user "${USER}" in account ${FAKE_ACCOUNT_ID} for a password changed in place outside Pulumi ` +
                "since this resource last set it: CloudTrail's event history could not be read (AccessDenied: it needs cloudtrail:LookupEvents), " +
                "and the account's credential report was made at 2026-11-30T09:01:05.000Z, before the password was last set; " +
                "AWS makes a newer one from 2026-11-30T13:01:05.000Z, four hours after it. " +
                "Refresh shows it unchanged without knowing; driftCheckedAt says until when it was last checked.",
        ]);
    });

    it("once the user has fulfilled the reset, their later password changes are theirs", async () => {
        const { news, state } = await declaredProfile(true);
        await iam.setPassword(USER, "Us3r-Chosen-Passw0rd", false); // the first sign-in
        iam.advance(LATER);
        await iam.setPassword(USER, OUTSIDE_PASSWORD); // and a change of their own later on

        const refreshed = await hooks().read(USER, state);

        expect(refreshed.props?.passwordDrift).toBeUndefined();
        await expect(hooks().diff(USER, refreshed.props as LoginProfileState, news)).resolves.toMatchObject({ changes: false });
    });

    it("a drift found stays in state until up corrects it, even when a later read could no longer see it", async () => {
        const { news, state } = await declaredProfile();
        await iam.deleteProfile(USER);
        await iam.createProfile(USER, OUTSIDE_PASSWORD, false);
        const first = (await hooks().read(USER, state)).props as LoginProfileState;

        const second = await hooks().read(USER, first);

        expect(second.props?.passwordDrift).toBe("recreated");
        await expect(hooks().diff(USER, second.props as LoginProfileState, news)).resolves.toStrictEqual({
            changes: undefined,
            replaces: [],
            deleteBeforeReplace: false,
        });
        const corrected = (await hooks().update(USER, second.props as LoginProfileState, news)).outs as LoginProfileState;
        expect(corrected.passwordDrift).toBeUndefined();
        await expect(hooks().diff(USER, corrected, news)).resolves.toMatchObject({ changes: false });
    });

    it("a state from before passwordSetAt takes AWS's password_last_changed as its baseline, and sees no drift", async () => {
        const { news, state } = await declaredProfile();
        const older = omit(state, "passwordSetAt", "appliedInputs") as LoginProfileState;

        const refreshed = await hooks().read(USER, older);

        expect(refreshed.props?.passwordSetAt).toBe(new Date(START).toISOString());
        expect(refreshed.inputs).toBeUndefined();
        await expect(hooks().diff(USER, refreshed.props as LoginProfileState, news)).resolves.toMatchObject({ changes: false });
    });

    it("a generated password changed outside Pulumi is set again from state: no new one, no policy read", async () => {
        const news = await checked({ userName: USER });
        const state = await created(news);
        await iam.setPassword(USER, OUTSIDE_PASSWORD);

        const refreshed = (await hooks().read(USER, state)).props as LoginProfileState;
        const calls = await callsOf(() => hooks().update(USER, refreshed, news));

        expect(calls).toStrictEqual({ UpdateLoginProfile: 1 });
        expect(iam.signsIn(USER, String(state.password))).toBe(true);
    });

    it("with a pgpKey a drifted generated password is replaced by a new one, kept only encrypted", async () => {
        const keys = await generateTestKeyPair("drift");
        const news = await checked({ userName: USER, pgpKey: keys.publicKey });
        const state = await created(news);
        await iam.setPassword(USER, OUTSIDE_PASSWORD);

        const refreshed = (await hooks().read(USER, state)).props as LoginProfileState;
        const outs = (await hooks().update(USER, refreshed, news)).outs as LoginProfileState;

        expect(outs).not.toHaveProperty("password");
        expect(outs.encryptedPassword).not.toBe(state.encryptedPassword);
        expect(iam.signsIn(USER, OUTSIDE_PASSWORD)).toBe(false);
    });
});

describe("CloudTrail's event history", () => {
    it("shows an outside UpdateLoginProfile within minutes, and who made it, though AWS's four-hour report predates it; up sets the password back", async () => {
        const news = await checked({ userName: USER, password: PASSWORD });
        const state = await created(news); // created at 09:00:00, now 09:01:05
        await hooks().read(USER, state); // AWS makes the report now, and keeps it four hours
        iam.advance(LATER);
        await iam.setPassword(USER, OUTSIDE_PASSWORD); // at 09:02:10, after the report
        iam.advance(60_000);

        const refreshed = await hooks().read(USER, state); // at 09:03:10

        const props = refreshed.props as LoginProfileState;
        expect(props).toStrictEqual({
            ...state,
            passwordDrift: "changed",
            passwordChangedBy: `arn:aws:iam::${FAKE_ACCOUNT_ID}:user/outsider (UpdateLoginProfile at 2026-11-30T09:02:10.000Z)`,
            driftCheckedAt: "2026-11-30T09:03:10.000Z",
        });
        // [diff: ~password]: the inputs read returns differ from the declared ones in the password alone.
        expect(refreshed.inputs).toStrictEqual({ userName: USER, passwordResetRequired: false, password: "" });
        await expect(hooks().diff(USER, props, news)).resolves.toStrictEqual({
            changes: undefined,
            replaces: [],
            deleteBeforeReplace: false,
        });

        iam.advance(60_000);
        const lifecycle = hooks();
        let outs: LoginProfileState | undefined;
        const calls = await callsOf(async () => {
            outs = (await lifecycle.update(USER, props, news)).outs;
        });

        expect(calls).toStrictEqual({ UpdateLoginProfile: 1 });
        expect(iam.lastUpdate).toStrictEqual({ password: true });
        expect(iam.signsIn(USER, PASSWORD)).toBe(true);
        expect(outs).not.toHaveProperty("passwordDrift");
        expect(outs).not.toHaveProperty("passwordChangedBy");
        expect(outs).toMatchObject({
            passwordSetAt: "2026-11-30T09:04:10.000Z",
            writtenAt: "2026-11-30T09:04:10.000Z",
            driftCheckedAt: "2026-11-30T09:04:10.000Z",
        });

        // The resource's own UpdateLoginProfile is no drift: the next refresh finds none.
        iam.advance(60_000);
        const again = await hooks().read(USER, outs);
        expect(again.inputs).toBeUndefined();
        expect(again.props).toStrictEqual({ ...outs, driftCheckedAt: "2026-11-30T09:05:10.000Z" });
    });

    it("shows the user's own ChangePassword as drift while the resource owns the password, naming the user", async () => {
        const state = await created(await checked({ userName: USER, password: PASSWORD })); // now 09:01:05
        await iam.changeOwnPassword(USER, OUTSIDE_PASSWORD);

        const refreshed = await hooks().read(USER, state);

        expect(refreshed.props).toMatchObject({
            passwordDrift: "changed",
            passwordChangedBy: `arn:aws:iam::${FAKE_ACCOUNT_ID}:user/${USER} (ChangePassword at 2026-11-30T09:01:05.000Z)`,
        });
        expect(refreshed.inputs).toStrictEqual({ userName: USER, passwordResetRequired: false, password: "" });
    });

    it("names who re-created a profile from its CreateLoginProfile event", async () => {
        const state = await created(await checked({ userName: USER, password: PASSWORD })); // now 09:01:05
        await iam.deleteProfile(USER);
        iam.advance(1_000);
        await iam.createProfile(USER, OUTSIDE_PASSWORD, false);

        const refreshed = await hooks().read(USER, state);

        expect(refreshed.props).toMatchObject({
            createDate: "2026-11-30T09:01:06.000Z",
            passwordDrift: "recreated",
            passwordChangedBy: `${OUTSIDE_PRINCIPAL} (CreateLoginProfile at 2026-11-30T09:01:06.000Z)`,
            driftCheckedAt: "2026-11-30T09:01:06.000Z",
        });
    });

    it("warns once, naming every profile of the account that no source could check, when their reads come together", async () => {
        const users = ["u2", "u1"];
        const states: LoginProfileState[] = [];
        for (const userName of users) {
            states.push(await created(await checked({ userName, password: PASSWORD })));
        }
        await hooks().read("u1", states[1]); // the report is made now, at 09:02:10, and kept four hours
        iam.advance(1_000);
        const updated: LoginProfileState[] = [];
        for (const [i, userName] of users.entries()) {
            updated.push(
                (await hooks().update(userName, states[i] as LoginProfileState, { userName, password: NEW_DECLARED_PASSWORD }))
                    .outs as LoginProfileState,
            );
        }
        iam.advance(LATER);
        iam.eventsError = cloudTrailAccessDenied();
        const process = hooks((message) => warnings.push(message));

        const refreshed = await Promise.all(users.map((userName, i) => process.read(userName, updated[i])));

        expect(refreshed.map((result) => result.props)).toStrictEqual(updated);
        expect(warnings).toStrictEqual([
            EVENTS_DENIED_WARNING,
            `LoginProfile could not check the login profiles of IAM users "u1", "u2" in account ${FAKE_ACCOUNT_ID} for a password changed in place outside Pulumi ` +
                "since this resource last set it: CloudTrail's event history could not be read (AccessDenied: it needs cloudtrail:LookupEvents), " +
                "and the account's credential report was made at 2026-11-30T09:02:10.000Z, before the password was last set; " +
                "AWS makes a newer one from 2026-11-30T13:02:10.000Z, four hours after it. " +
                "Refresh shows them unchanged without knowing; driftCheckedAt says until when each was last checked.",
        ]);

        // A read that comes after that warning went out gets one of its own.
        await process.read("u1", updated[1]);
        expect(warnings.slice(2)).toStrictEqual([
            `LoginProfile could not check the login profile of IAM user "u1" in account ${FAKE_ACCOUNT_ID} for a password changed in place outside Pulumi ` +
                "since this resource last set it: CloudTrail's event history could not be read (AccessDenied: it needs cloudtrail:LookupEvents), " +
                "and the account's credential report was made at 2026-11-30T09:02:10.000Z, before the password was last set; " +
                "AWS makes a newer one from 2026-11-30T13:02:10.000Z, four hours after it. " +
                "Refresh shows it unchanged without knowing; driftCheckedAt says until when it was last checked.",
        ]);
    });

    it("shows nothing unchecked when a report made after the last set was read: driftCheckedAt is when AWS made it", async () => {
        const state = await created(await checked({ userName: USER, password: PASSWORD })); // now 09:01:05
        iam.eventsError = cloudTrailAccessDenied();
        const process = hooks((message) => warnings.push(message));

        const refreshed = await process.read(USER, state); // the report is made now, after the create

        expect(refreshed.props).toStrictEqual({ ...state, driftCheckedAt: "2026-11-30T09:01:05.000Z" });
        expect(warnings).toStrictEqual([EVENTS_DENIED_WARNING]);
    });
});

describe("the account's sources: event history, IAM users and credential report", () => {
    it("are read once per account per provider process however many profiles it refreshes: N GetLoginProfile calls and one of each source", async () => {
        const users = ["u1", "u2", "u3", "u4", "u5"];
        const states: LoginProfileState[] = [];
        for (const userName of users) {
            states.push(await created(await checked({ userName, password: PASSWORD })));
        }
        const process = hooks();

        const calls = await callsOf(() => Promise.all(users.map((userName, i) => process.read(userName, states[i]))));

        // LookupEvents: one query per event name a refresh looks for (3), the fake answering two
        // events a page: the 5 CreateLoginProfile events take 3 pages, each other name 1. The
        // report: Generate, then Get.
        expect(calls).toStrictEqual({
            GetLoginProfile: 5,
            ListUsers: 1,
            LookupEvents: 5,
            GenerateCredentialReport: 1,
            GetCredentialReport: 1,
        });
    });

    it("without permission for the report, one warning, and in-place changes are still seen through the event history", async () => {
        const state = await created(await checked({ userName: USER, password: PASSWORD })); // now 09:01:05
        iam.generateCredentialReport = () => Promise.reject(iamDenied("iam:GenerateCredentialReport"));
        await iam.setPassword(USER, OUTSIDE_PASSWORD);
        const process = hooks((message) => warnings.push(message));

        const first = await process.read(USER, state);
        const second = await process.read(USER, state);

        expect(warnings).toStrictEqual([
            `LoginProfile cannot read the IAM credential report of account ${FAKE_ACCOUNT_ID} (AccessDenied: it needs iam:GenerateCredentialReport and iam:GetCredentialReport), ` +
                "so a password changed in place outside Pulumi is seen only through CloudTrail's event history; deleted, re-created and reset-forced profiles still are. " +
                "Stack config iam-login-profile:detectPasswordChanges false turns the detection of in-place changes off.",
        ]);
        for (const result of [first, second]) {
            expect(result.props).toMatchObject({
                passwordDrift: "changed",
                passwordChangedBy: `${OUTSIDE_PRINCIPAL} (UpdateLoginProfile at 2026-11-30T09:01:05.000Z)`,
            });
        }
    });

    it("stack config iam-login-profile:detectPasswordChanges false turns the event history and the report off: no call, no warning, driftCheckedAt kept", async () => {
        const state = await created(await checked({ userName: USER, password: PASSWORD }));
        await iam.setPassword(USER, OUTSIDE_PASSWORD);
        // Neither could be read: had the read tried, it would have warned (hooks() fails on a warning).
        iam.eventsError = cloudTrailAccessDenied();
        iam.generateCredentialReport = () => Promise.reject(iamDenied("iam:GenerateCredentialReport"));
        const process = hooks();
        await process.configure(stackConfig({ "iam-login-profile:detectPasswordChanges": "false" }));

        const calls = await callsOf(() =>
            process.read(USER, state).then((result) => expect(result).toStrictEqual({ id: USER, props: state })),
        );

        expect(calls).toStrictEqual({ GetLoginProfile: 1, ListUsers: 1 });
    });

    it("refreshes passwordLastUsed from ListUsers after a sign-in", async () => {
        const state = await created(await checked({ userName: USER, password: PASSWORD })); // now 09:01:05
        iam.signIn(USER);
        iam.advance(60_000);

        const refreshed = await hooks().read(USER, state);

        expect(refreshed.props).toStrictEqual({
            ...state,
            passwordLastUsed: "2026-11-30T09:01:05.000Z",
            driftCheckedAt: "2026-11-30T09:02:05.000Z",
        });
    });

    it("without permission for ListUsers, one warning, and passwordLastUsed from the credential report", async () => {
        const state = await created(await checked({ userName: USER, password: PASSWORD })); // now 09:01:05
        iam.signIn(USER);
        iam.usersError = iamDenied("iam:ListUsers");
        const process = hooks((message) => warnings.push(message));

        const first = await process.read(USER, state); // the report is made now, after the sign-in
        const second = await process.read(USER, state);

        expect(warnings).toStrictEqual([
            `LoginProfile cannot list the IAM users of account ${FAKE_ACCOUNT_ID} (AccessDenied: it needs iam:ListUsers), ` +
                "so passwordLastUsed is not read live: a refresh takes it from the IAM credential report, which can be four hours old, and the lookups leave it out. Grant iam:ListUsers to read it live.",
        ]);
        expect(first.props?.passwordLastUsed).toBe("2026-11-30T09:01:05.000Z");
        expect(second.props?.passwordLastUsed).toBe("2026-11-30T09:01:05.000Z");
    });

    it("without permission for ListUsers and with detection off, passwordLastUsed is kept as the state had it", async () => {
        const state = {
            ...(await created(await checked({ userName: USER, password: PASSWORD }))),
            passwordLastUsed: "2026-11-29T00:00:00.000Z",
        };
        iam.usersError = iamDenied("iam:ListUsers");
        const process = hooks((message) => warnings.push(message));
        await process.configure(stackConfig({ "iam-login-profile:detectPasswordChanges": "false" }));

        const calls = await callsOf(() => process.read(USER, state).then((result) => expect(result.props).toStrictEqual(state)));

        expect(calls).toStrictEqual({ GetLoginProfile: 1, ListUsers: 1 });
        expect(warnings).toStrictEqual([
            `LoginProfile cannot list the IAM users of account ${FAKE_ACCOUNT_ID} (AccessDenied: it needs iam:ListUsers), ` +
                "so passwordLastUsed is not read live: a refresh takes it from the IAM credential report, which can be four hours old, and the lookups leave it out. Grant iam:ListUsers to read it live.",
        ]);
    });

    it("asks again while AWS is still building the report", async () => {
        const state = await created(await checked({ userName: USER, password: PASSWORD }));
        const get = iam.getCredentialReport.bind(iam);
        let attempts = 0;
        iam.getCredentialReport = () => {
            attempts++;
            return attempts === 1
                ? Promise.reject(Object.assign(new Error("Report is in progress"), { name: "ReportInProgress", Code: "ReportInProgress" }))
                : get();
        };

        const calls = await callsOf(() => hooks().read(USER, state));

        expect(attempts).toBe(2);
        expect(calls).toStrictEqual({
            GetLoginProfile: 1,
            ListUsers: 1,
            LookupEvents: 3,
            GenerateCredentialReport: 2,
            GetCredentialReport: 1,
        });
    });
});
