/**
 * Drift through the hooks, as the engine drives them, over a fake IAM (fakeIam.ts): every row of
 * the Drift table (tests/support/driftCases.ts), then the ownership rule case by case: clock skew
 * within the tolerance, a report older than the resource's own change, a drift that stays until
 * `up`, generated and PGP passwords, the report read once, and without permission for it.
 */
import { PASSWORD_CHANGE_TOLERANCE_MS } from "../../provider/rules/drift";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import type { RetryClock } from "../../provider/aws/retry";
import type { LoginProfileState } from "../../provider/model/types";
import { DRIFT_CASES, OUTSIDE_PASSWORD } from "../support/driftCases";
import { FakeIam } from "./fakeIam";
import { failOnWarning, omit, PASSWORD, stackConfig, USER } from "./fixtures";
import { generateTestKeyPair } from "./pgpKeys";

const START = Date.parse("2026-11-30T09:00:00.000Z");
/** Later than the tolerance, as an outside change after the resource set the password is. */
const LATER = PASSWORD_CHANGE_TOLERANCE_MS + 60_000;

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
async function callsOf(action: () => Promise<unknown>): Promise<Record<string, number>> {
    const before = { ...iam.calls };
    await action();
    return Object.fromEntries(
        Object.entries(iam.calls)
            .map(([name, count]) => [name, count - (before[name] ?? 0)] as const)
            .filter(([, count]) => count > 0),
    );
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

    it("a report generated before the resource last set the password cannot show a later change (a stale report)", async () => {
        const { news, state } = await declaredProfile();
        await hooks().read(USER, state); // the report is generated now…
        iam.advance(1_000);
        const updated = (await hooks().update(USER, state, { ...news, password: "N3w-Declared-Passw0rd" })).outs as LoginProfileState;
        iam.advance(LATER);
        await iam.setPassword(USER, OUTSIDE_PASSWORD); // …and kept for four hours, so it predates this change

        const refreshed = await hooks().read(USER, updated);

        expect(refreshed.props?.passwordDrift).toBeUndefined();
        expect(refreshed.inputs).toBeUndefined();
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

describe("the credential report", () => {
    it("is read once per provider process however many profiles it refreshes: N GetLoginProfile calls and 2 report calls", async () => {
        const users = ["u1", "u2", "u3"];
        const states: LoginProfileState[] = [];
        for (const userName of users) {
            states.push(await created(await checked({ userName, password: PASSWORD })));
        }
        const process = hooks();

        const calls = await callsOf(async () => {
            for (const [i, userName] of users.entries()) {
                await process.read(userName, states[i]);
            }
        });

        expect(calls).toStrictEqual({ GetLoginProfile: 3, GenerateCredentialReport: 1, GetCredentialReport: 1 });
    });

    it("without permission for it, detection of in-place changes is off with one warning, and reads go on", async () => {
        const state = await created(await checked({ userName: USER, password: PASSWORD }));
        const denied = Object.assign(
            new Error("User: arn:aws:iam::123456789012:user/ci is not authorized to perform: iam:GenerateCredentialReport"),
            {
                name: "AccessDenied",
                Code: "AccessDenied",
            },
        );
        iam.generateCredentialReport = () => Promise.reject(denied);
        await iam.setPassword(USER, OUTSIDE_PASSWORD);
        const process = hooks((message) => warnings.push(message));

        const first = await process.read(USER, state);
        const second = await process.read(USER, state);

        expect(warnings).toStrictEqual([
            "LoginProfile cannot read the IAM credential report (AccessDenied: it needs iam:GenerateCredentialReport and iam:GetCredentialReport), " +
                "so passwords changed in place outside Pulumi are not detected in this run; deleted, re-created and reset-forced profiles still are. " +
                "Stack config iam-login-profile:detectPasswordChanges false turns the report off.",
        ]);
        expect(first.props?.passwordDrift).toBeUndefined();
        expect(second.id).toBe(USER);
    });

    it("stack config iam-login-profile:detectPasswordChanges false turns it off: no report call", async () => {
        const state = await created(await checked({ userName: USER, password: PASSWORD }));
        const process = hooks();
        await process.configure(stackConfig({ "iam-login-profile:detectPasswordChanges": "false" }));

        const calls = await callsOf(() => process.read(USER, state));

        expect(calls).toStrictEqual({ GetLoginProfile: 1 });
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
        expect(calls).toStrictEqual({ GetLoginProfile: 1, GenerateCredentialReport: 2, GetCredentialReport: 1 });
    });
});
