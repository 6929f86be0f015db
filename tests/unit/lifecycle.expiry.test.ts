/**
 * A declared password near its expiry (issue 26, lifecycle/expiry.ts), through the hooks over a
 * fake IAM whose account policy sets MaxPasswordAge 90: the resource never chooses a user's
 * password, so refresh and the plan of `up` print one warning naming the user, the account and the
 * date, show no drift and plan no change until a new password is declared. `passwordExpiresAt`
 * comes from the first refresh, which reads the credential report.
 */
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import type { RetryClock } from "../../provider/aws/retry";
import type { LoginProfileState } from "../../provider/model/types";
import { FAKE_ACCOUNT_ID, FakeIam } from "./fakeIam";
import { EXPIRING_POLICY, NEW_PASSWORD, PASSWORD, stackConfig, USER } from "./fixtures";

const START = Date.parse("2026-11-30T09:00:00.000Z");
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const EXPIRES_ISO = "2027-02-28T09:00:00.000Z";

const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: false };
const UPDATE_IN_PLACE = { changes: true, replaces: [], deleteBeforeReplace: false };
const DECLARE_ONE = "The resource does not choose a declared password: declare a new one, and the next `pulumi up` sets it";

/** The warning for a declared password that expires within the window. */
function expiresWarning(expiresAt: string, window = "14d"): string {
    return `The console password of IAM user "${USER}" in account ${FAKE_ACCOUNT_ID} expires at ${expiresAt}, within rotateBeforeExpiry (${window}). ${DECLARE_ONE}`;
}

/** The warning for a declared password that has expired. */
function expiredWarning(expiresAt: string): string {
    return `The console password of IAM user "${USER}" in account ${FAKE_ACCOUNT_ID} expired at ${expiresAt}. ${DECLARE_ONE}`;
}

let iam: FakeIam;
let warnings: string[];
let connections: number;

beforeEach(() => {
    iam = new FakeIam(START);
    iam.passwordPolicy = EXPIRING_POLICY;
    warnings = [];
    connections = 0;
});

function iso(ms: number): string {
    return new Date(ms).toISOString();
}

/** The hooks of one provider process over the fake IAM, on the test's clock, recording warnings. */
function hooks(): LoginProfileLifecycle {
    const clock: RetryClock = { now: () => iam.now, sleep: async (ms) => iam.advance(ms) };
    return createLifecycle({
        connect: async () => {
            connections += 1;
            return iam;
        },
        clock,
        env: {},
        warn: (message) => warnings.push(message),
    });
}

/** A profile created with a declared password, in a process of its own. */
async function created(declared: Record<string, unknown> = {}): Promise<{ news: Record<string, unknown>; state: LoginProfileState }> {
    const lifecycle = hooks();
    const { inputs, failures } = await lifecycle.check({}, { userName: USER, password: PASSWORD, ...declared });
    expect(failures).toStrictEqual([]);
    const news = inputs ?? {};
    return { news, state: (await lifecycle.create(news)).outs as LoginProfileState };
}

describe("a declared password's expiry", () => {
    it("is not known at create, which does not read the policy for a declared password", async () => {
        const { state } = await created();

        expect(iam.calls).toStrictEqual({ CreateLoginProfile: 1 });
        expect(state.passwordLastChanged).toBe(iso(START));
        expect(state).not.toHaveProperty("passwordExpiresAt");
    });

    it("is learnt by the first refresh, from the credential report, with no warning while far off", async () => {
        const { state } = await created();
        iam.advance(10 * DAY);

        const refreshed = await hooks().read(USER, state);

        expect(refreshed).toStrictEqual({
            id: USER,
            props: { ...state, driftCheckedAt: iso(START + 10 * DAY), passwordExpiresAt: EXPIRES_ISO },
        });
        expect(iam.calls.GetAccountPasswordPolicy).toBeUndefined();
        expect(warnings).toStrictEqual([]);
    });

    it("within 14 days: refresh warns once, naming the user, the account and the date, and shows no drift", async () => {
        const { state } = await created();
        iam.advance(80 * DAY);
        const lifecycle = hooks();

        const refreshed = await lifecycle.read(USER, state);
        await lifecycle.read(USER, state);

        expect(refreshed).toStrictEqual({
            id: USER,
            props: { ...state, driftCheckedAt: iso(START + 80 * DAY), passwordExpiresAt: EXPIRES_ISO },
        });
        expect(warnings).toStrictEqual([expiresWarning(EXPIRES_ISO)]);
    });

    it("expired: refresh says so", async () => {
        const { state } = await created();
        iam.advance(91 * DAY);

        const refreshed = await hooks().read(USER, state);

        expect(refreshed.props).not.toHaveProperty("rotationDue");
        expect(refreshed).not.toHaveProperty("inputs");
        expect(warnings).toStrictEqual([expiredWarning(EXPIRES_ISO)]);
    });

    it("takes rotateBeforeExpiry as the window, and names it", async () => {
        const { state } = await created({ rotateBeforeExpiry: "30d" });
        iam.advance(59 * DAY);
        await hooks().read(USER, state);
        expect(warnings).toStrictEqual([]);
        iam.advance(2 * DAY);

        await hooks().read(USER, state);

        expect(warnings).toStrictEqual([expiresWarning(EXPIRES_ISO, "30d")]);
    });

    it("preview (diff) warns from the state alone, plans no change, and makes no AWS call", async () => {
        const { news, state } = await created();
        iam.advance(80 * DAY);
        const refreshed = (await hooks().read(USER, state)).props as LoginProfileState;
        warnings = [];
        connections = 0;
        const before = { ...iam.calls };

        const preview = hooks();
        await expect(preview.diff(USER, refreshed, news)).resolves.toStrictEqual(NO_CHANGE);
        await expect(preview.diff(USER, refreshed, news)).resolves.toStrictEqual(NO_CHANGE);

        expect(warnings).toStrictEqual([expiresWarning(EXPIRES_ISO)]);
        expect(connections).toBe(0);
        expect(iam.calls).toStrictEqual(before);
    });

    it("refresh and the plan of the up after it, in one provider process, warn once between them", async () => {
        const { news, state } = await created();
        iam.advance(80 * DAY);
        const lifecycle = hooks();

        const refreshed = (await lifecycle.read(USER, state)).props as LoginProfileState;
        await expect(lifecycle.diff(USER, refreshed, news)).resolves.toStrictEqual(NO_CHANGE);

        expect(warnings).toStrictEqual([expiresWarning(EXPIRES_ISO)]);
    });

    it("no warning, and the update, once a new password is declared; it expires MaxPasswordAge days after it is set", async () => {
        const { state } = await created();
        iam.advance(80 * DAY);
        const refreshed = (await hooks().read(USER, state)).props as LoginProfileState;
        warnings = [];
        const lifecycle = hooks();
        const news = { userName: USER, password: NEW_PASSWORD, passwordResetRequired: false };

        await expect(lifecycle.diff(USER, refreshed, news)).resolves.toStrictEqual(UPDATE_IN_PLACE);
        const outs = (await lifecycle.update(USER, refreshed, news)).outs as LoginProfileState;

        expect(warnings).toStrictEqual([]);
        expect(iam.signsIn(USER, NEW_PASSWORD)).toBe(true);
        expect(outs.passwordLastChanged).toBe(iso(START + 80 * DAY));
        expect(outs.passwordExpiresAt).toBe(iso(START + 170 * DAY));
        // A declared password is never read against the policy.
        expect(iam.calls.GetAccountPasswordPolicy).toBeUndefined();
    });

    it("counts from the user's own password after a forced reset, which the credential report shows", async () => {
        const { state } = await created({ passwordResetRequired: true });
        iam.advance(DAY);
        await iam.changeOwnPassword(USER, NEW_PASSWORD);
        iam.advance(DAY);

        const refreshed = await hooks().read(USER, state);

        expect(refreshed.props?.passwordLastChanged).toBe(iso(START + DAY));
        expect(refreshed.props?.passwordExpiresAt).toBe(iso(START + 91 * DAY));
        expect(refreshed).not.toHaveProperty("inputs");
        expect(warnings).toStrictEqual([]);
    });

    it("is carried from the state, with no report read, when stack config turns the detection of changes off", async () => {
        const { state } = await created();
        iam.advance(10 * DAY);
        const learnt = (await hooks().read(USER, state)).props as LoginProfileState;
        iam.advance(70 * DAY);
        const lifecycle = hooks();
        await lifecycle.configure(stackConfig({ "iam-login-profile:detectPasswordChanges": "false" }));
        const before = { ...iam.calls };

        const refreshed = await lifecycle.read(USER, learnt);

        expect(refreshed.props?.passwordExpiresAt).toBe(EXPIRES_ISO);
        expect(iam.calls.GenerateCredentialReport).toBe(before.GenerateCredentialReport);
        expect(iam.calls.GetCredentialReport).toBe(before.GetCredentialReport);
        expect(warnings).toStrictEqual([expiresWarning(EXPIRES_ISO)]);
    });

    it("no warning and no expiry when the account sets no MaxPasswordAge", async () => {
        iam.passwordPolicy = { ...EXPIRING_POLICY, maxPasswordAgeDays: undefined };
        const { news, state } = await created();
        iam.advance(400 * DAY);

        const refreshed = await hooks().read(USER, state);
        await hooks().diff(USER, refreshed.props as LoginProfileState, news);

        expect(refreshed.props).not.toHaveProperty("passwordExpiresAt");
        expect(warnings).toStrictEqual([]);
    });
});
