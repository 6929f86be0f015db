/**
 * A generated password over its life (issue 26), through the hooks as the engine drives them,
 * over a fake IAM (fakeIam.ts) whose account policy sets MaxPasswordAge 90, on a clock the test
 * moves: what create records (passwordLastChanged and passwordExpiresAt on IAM's clock), a
 * preview that sees `rotateAfter` passed from state with no AWS call, a refresh that finds the
 * password expiring or used (`rotationDue`, and the drifted input `password`), and the `up` that
 * sets a new password in place with one UpdateLoginProfile, reading the account's policy once per
 * account per provider process.
 */
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import type { RetryClock } from "../../provider/aws/retry";
import type { LoginProfileState } from "../../provider/model/types";
import { FAKE_ACCOUNT_ID, FakeIam } from "./fakeIam";
import { EXPIRING_POLICY, failOnWarning, omit, USER } from "./fixtures";
import { decryptPassword, generateTestKeyPair } from "./pgpKeys";

const START = Date.parse("2026-11-30T09:00:00.000Z");
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * Half a second into a second: IAM's `Date` tells its time to the second, cut down, and the
 * provider adds half a second back (passwordLife.ts), so that a test at this instant sees IAM's
 * clock offset measured exactly.
 */
const HALF_SECOND = 500;

const NO_CHANGE = { changes: false, replaces: [], deleteBeforeReplace: false };
const UPDATE_IN_PLACE = { changes: true, replaces: [], deleteBeforeReplace: false };
/**
 * Drift a refresh recorded, or a rotation the inputs show by a renewed generation mark: diff leaves
 * the comparison of the inputs to the engine, which alone can name a secret input that changed.
 */
const ENGINE_COMPARES = { changes: undefined, replaces: [], deleteBeforeReplace: false };

let iam: FakeIam;
/** Every connection the hooks made, across provider processes. */
let connections: number;

beforeEach(() => {
    iam = new FakeIam(START);
    iam.passwordPolicy = EXPIRING_POLICY;
    connections = 0;
});

function iso(ms: number): string {
    return new Date(ms).toISOString();
}

/**
 * `value` with every generated password in it masked, so that a failing comparison never prints
 * one; whether two passwords are the same is asked apart, as a boolean.
 */
function masked(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(masked);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(
            Object.entries(value).map(([key, item]) => [
                key,
                key === "password" && typeof item === "string" && item !== "" ? "[password]" : masked(item),
            ]),
        );
    }
    return value;
}

/** The hooks of one provider process over the fake IAM, on the test's clock; a warning fails the test. */
function hooks(): LoginProfileLifecycle {
    const clock: RetryClock = { now: () => iam.now, sleep: async (ms) => iam.advance(ms) };
    return createLifecycle({
        connect: async () => {
            connections += 1;
            return iam;
        },
        clock,
        env: {},
        warn: failOnWarning,
    });
}

/** The calls `action` makes at the fake IAM. */
function callsOf(action: () => Promise<unknown>): Promise<Record<string, number>> {
    return iam.callsDuring(action);
}

/** `check` as the engine calls it, with the inputs it stored before (none for a new resource). */
async function checked(lifecycle: LoginProfileLifecycle, declared: Record<string, unknown>, olds: Record<string, unknown> = {}) {
    const { inputs, failures } = await lifecycle.check(olds, declared);
    expect(failures).toStrictEqual([]);
    return inputs ?? {};
}

/** `pulumi up` of a new profile in a process of its own: its inputs (with the generation mark) and state. */
async function created(declared: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; state: LoginProfileState }> {
    const lifecycle = hooks();
    const inputs = await checked(lifecycle, declared);
    const state = (await lifecycle.create(inputs)).outs as LoginProfileState;
    return { inputs, state };
}

describe("create of a generated password records its life on IAM's clock", () => {
    it("passwordLastChanged as IAM set it, passwordExpiresAt MaxPasswordAge days later, and how far IAM's clock is ahead", async () => {
        iam.clockAheadMs = 3 * MINUTE;
        iam.advance(HALF_SECOND);
        const lifecycle = hooks();
        const inputs = await checked(lifecycle, { userName: USER, rotateAfter: "90d" });

        let state: LoginProfileState | undefined;
        const calls = await callsOf(async () => {
            state = (await lifecycle.create(inputs)).outs;
        });

        const now = START + HALF_SECOND;
        expect(inputs).toStrictEqual({
            userName: USER,
            rotateAfter: "90d",
            passwordResetRequired: false,
            password: { generated: iso(now) },
        });
        expect(calls).toStrictEqual({ GetAccountPasswordPolicy: 1, CreateLoginProfile: 1 });
        const password = String(state?.password);
        expect(iam.signsIn(USER, password)).toBe(true);
        expect(masked(state)).toStrictEqual(
            masked({
                userName: USER,
                password,
                passwordLength: 20,
                passwordResetRequired: false,
                passwordResetPending: false,
                createDate: iso(now + 3 * MINUTE),
                accountId: FAKE_ACCOUNT_ID,
                passwordSetAt: iso(now),
                writtenAt: iso(now),
                driftCheckedAt: iso(now),
                passwordLastChanged: iso(now + 3 * MINUTE),
                passwordExpiresAt: iso(now + 3 * MINUTE + 90 * DAY),
                iamClockAheadMs: 3 * MINUTE,
                appliedInputs: { userName: USER, rotateAfter: "90d", passwordResetRequired: false },
            }),
        );
    });

    it("no passwordExpiresAt when the account sets no MaxPasswordAge, and no iamClockAheadMs when the connection measured none", async () => {
        iam.passwordPolicy = { ...EXPIRING_POLICY, maxPasswordAgeDays: undefined, hardExpiry: undefined };

        const { state } = await created({ userName: USER });

        expect(state.passwordLastChanged).toBe(iso(START));
        expect(state).not.toHaveProperty("passwordExpiresAt");
        expect(state).not.toHaveProperty("iamClockAheadMs");
    });

    it("no passwordExpiresAt either when the account has no policy at all (AWS's default never expires)", async () => {
        iam.passwordPolicy = undefined;

        const { state } = await created({ userName: USER });

        expect(state.passwordLastChanged).toBe(iso(START));
        expect(state).not.toHaveProperty("passwordExpiresAt");
    });
});

describe("rotation by age: preview sees it from state, up rotates in place", () => {
    it("before rotateAfter passed, preview shows no change, and makes no AWS call", async () => {
        const { inputs, state } = await created({ userName: USER, rotateAfter: "20s" });
        iam.advance(15 * SECOND);
        connections = 0;

        const preview = hooks();
        const news = await checked(preview, { userName: USER, rotateAfter: "20s" }, inputs);
        const calls = await callsOf(async () => expect(await preview.diff(USER, state, news)).toStrictEqual(NO_CHANGE));

        expect(news).toStrictEqual(inputs);
        expect(calls).toStrictEqual({});
        expect(connections).toBe(0);
    });

    it("once rotateAfter passed, preview shows ~password (a new mark, for the engine to compare), with no AWS call", async () => {
        const { inputs, state } = await created({ userName: USER, rotateAfter: "20s" });
        iam.advance(25 * SECOND);
        connections = 0;

        const preview = hooks();
        const news = await checked(preview, { userName: USER, rotateAfter: "20s" }, inputs);
        const calls = await callsOf(async () => expect(await preview.diff(USER, state, news)).toStrictEqual(ENGINE_COMPARES));

        // The CLI names the inputs that differ: only the password, by its mark.
        expect(
            Object.keys({ ...inputs, ...news }).filter((key) => JSON.stringify(inputs[key]) !== JSON.stringify(news[key])),
        ).toStrictEqual(["password"]);
        expect(news.password).toStrictEqual({ generated: iso(START + 25 * SECOND) });
        expect(calls).toStrictEqual({});
        expect(connections).toBe(0);
    });

    it("up sets a new generated password with one UpdateLoginProfile, and reads the policy once per process across two rotations", async () => {
        const { inputs, state } = await created({ userName: USER, rotateAfter: "20s" });
        const first = String(state.password);
        iam.advance(25 * SECOND);

        const up = hooks();
        const news = await checked(up, { userName: USER, rotateAfter: "20s" }, inputs);
        let rotated: LoginProfileState | undefined;
        const calls = await callsOf(async () => {
            expect(await up.diff(USER, state, news)).toStrictEqual(ENGINE_COMPARES);
            rotated = (await up.update(USER, state, news)).outs;
        });

        expect(calls).toStrictEqual({ GetAccountPasswordPolicy: 1, UpdateLoginProfile: 1 });
        expect(iam.lastUpdate).toStrictEqual({ password: true });
        const second = String(rotated?.password);
        expect(second === first).toBe(false);
        expect(iam.signsIn(USER, second)).toBe(true);
        expect(iam.signsIn(USER, first)).toBe(false);
        const setAt = iso(START + 25 * SECOND);
        expect(masked(rotated)).toStrictEqual(
            masked({
                ...state,
                password: second,
                passwordSetAt: setAt,
                writtenAt: setAt,
                driftCheckedAt: setAt,
                passwordLastChanged: setAt,
                passwordExpiresAt: iso(START + 25 * SECOND + 90 * DAY),
            }),
        );

        // The same provider process, 25 s on: the second rotation asks for the policy no more.
        iam.advance(25 * SECOND);
        const again = await checked(up, { userName: USER, rotateAfter: "20s" }, news);
        let third: LoginProfileState | undefined;
        const secondCalls = await callsOf(async () => {
            expect(await up.diff(USER, rotated as LoginProfileState, again)).toStrictEqual(ENGINE_COMPARES);
            third = (await up.update(USER, rotated as LoginProfileState, again)).outs;
        });

        expect(secondCalls).toStrictEqual({ UpdateLoginProfile: 1 });
        expect(third?.password === second).toBe(false);
        expect(iam.signsIn(USER, String(third?.password))).toBe(true);
        expect(third?.passwordLastChanged).toBe(iso(START + 50 * SECOND));
    });
});

describe("the account's password policy, read once per account per provider process", () => {
    it("is read once for each account, however many profiles in it one process rotates", async () => {
        const staging = new FakeIam(START);
        staging.passwordPolicy = EXPIRING_POLICY;
        const accounts: Record<string, FakeIam> = { prod: iam, staging };
        const clock: RetryClock = { now: () => iam.now, sleep: async (ms) => iam.advance(ms) };
        const lifecycle = (): LoginProfileLifecycle =>
            createLifecycle({
                connect: async (settings) => accounts[settings.profile ?? ""] ?? iam,
                clock,
                env: {},
                warn: failOnWarning,
            });
        const declared = (userName: string, profile: string) => ({ userName, profile, rotateAfter: "20s" });
        const profiles = [declared("alice", "prod"), declared("bob", "prod"), declared("carol", "staging")];
        const creating = lifecycle();
        const states = new Map<string, { inputs: Record<string, unknown>; state: LoginProfileState }>();
        for (const profile of profiles) {
            const inputs = await checked(creating, profile);
            states.set(profile.userName, { inputs, state: (await creating.create(inputs)).outs as LoginProfileState });
        }
        staging.advance(25 * SECOND);
        iam.advance(25 * SECOND);
        const before = { prod: { ...iam.calls }, staging: { ...staging.calls } };
        const since = (fake: FakeIam, calls: Record<string, number>, action: string): number =>
            (fake.calls[action] ?? 0) - (calls[action] ?? 0);

        const up = lifecycle();
        for (const profile of profiles) {
            const { inputs, state } = states.get(profile.userName) ?? { inputs: {}, state: {} as LoginProfileState };
            const news = await checked(up, profile, inputs);
            expect(await up.diff(profile.userName, state, news)).toStrictEqual(ENGINE_COMPARES);
            await up.update(profile.userName, state, news);
        }

        expect(since(iam, before.prod, "GetAccountPasswordPolicy")).toBe(1);
        expect(since(iam, before.prod, "UpdateLoginProfile")).toBe(2);
        expect(since(staging, before.staging, "GetAccountPasswordPolicy")).toBe(1);
        expect(since(staging, before.staging, "UpdateLoginProfile")).toBe(1);
    });

    it("is asked again after a failure, which is not kept", async () => {
        const { inputs, state } = await created({ userName: USER, rotateAfter: "20s" });
        iam.advance(25 * SECOND);
        iam.passwordPolicyError = Object.assign(new Error("The request processing has failed because of an unknown error."), {
            name: "ServiceFailure",
            Code: "ServiceFailure",
        });
        const up = hooks();
        const news = await checked(up, { userName: USER, rotateAfter: "20s" }, inputs);
        await expect(up.update(USER, state, news)).rejects.toMatchObject({
            code: "ServiceFailure",
            message: `GetAccountPasswordPolicy for IAM user "${USER}" failed: ServiceFailure: The request processing has failed because of an unknown error.`,
        });
        expect(iam.signsIn(USER, String(state.password))).toBe(true);
        iam.passwordPolicyError = undefined;

        const calls = await callsOf(() => up.update(USER, state, news));

        expect(calls).toStrictEqual({ GetAccountPasswordPolicy: 1, UpdateLoginProfile: 1 });
        expect(iam.signsIn(USER, String(state.password))).toBe(false);
    });
});

describe("expiry of a generated password: a refresh shows drift, up rotates", () => {
    it("shows nothing while the password is more than rotateBeforeExpiry from expiry, and refreshes passwordExpiresAt from the report", async () => {
        const { state } = await created({ userName: USER });
        iam.advance(70 * DAY);

        const refreshed = await hooks().read(USER, state);

        expect(masked(refreshed)).toStrictEqual(masked({ id: USER, props: { ...state, driftCheckedAt: iso(START + 70 * DAY) } }));
        expect(refreshed.props?.password === state.password).toBe(true);
    });

    it("finds one within 14 days of expiry (by default) due, and returns the inputs with the password drifted", async () => {
        const { state } = await created({ userName: USER });
        iam.advance(80 * DAY);

        const refreshed = await hooks().read(USER, state);

        expect(masked(refreshed)).toStrictEqual(
            masked({
                id: USER,
                props: { ...state, driftCheckedAt: iso(START + 80 * DAY), rotationDue: "expiring" },
                inputs: { userName: USER, passwordResetRequired: false, password: "" },
            }),
        );
    });

    it("finds an expired one due as well", async () => {
        const { state } = await created({ userName: USER });
        iam.advance(91 * DAY);

        const refreshed = await hooks().read(USER, state);

        expect(refreshed.props?.rotationDue).toBe("expiring");
        expect(refreshed.inputs).toStrictEqual({ userName: USER, passwordResetRequired: false, password: "" });
    });

    it("takes rotateBeforeExpiry as the window", async () => {
        const declared = { userName: USER, rotateBeforeExpiry: "30d" };
        const { state } = await created(declared);
        iam.advance(59 * DAY);
        expect((await hooks().read(USER, state)).props).not.toHaveProperty("rotationDue");
        iam.advance(2 * DAY);

        const refreshed = await hooks().read(USER, state);

        expect(refreshed.props?.rotationDue).toBe("expiring");
        expect(refreshed.inputs).toStrictEqual({ ...declared, passwordResetRequired: false, password: "" });
    });

    it("judges expiry on IAM's clock, which the state then keeps for preview", async () => {
        const { state } = await created({ userName: USER });
        // IAM's clock moves an hour ahead of this machine's, as the emulator's clockOffsetSeconds moves it.
        iam.clockAheadMs = HOUR;
        iam.advance(HALF_SECOND);
        // IAM's clock says 76 days and 30 minutes since the set, 13 days 23:30 before expiry; this machine's an hour less.
        iam.advance(76 * DAY - 30 * MINUTE);

        const refreshed = await hooks().read(USER, state);

        expect(masked(refreshed)).toStrictEqual(
            masked({
                id: USER,
                props: {
                    ...state,
                    driftCheckedAt: iso(START + HALF_SECOND + 76 * DAY - 30 * MINUTE),
                    iamClockAheadMs: HOUR,
                    rotationDue: "expiring",
                },
                inputs: { userName: USER, passwordResetRequired: false, password: "" },
            }),
        );
        // Preview, from a state that knows IAM's clock, with no AWS call: the same; on this machine's clock alone, not yet.
        const known = omit(refreshed.props as LoginProfileState, "rotationDue");
        const unknown = omit(known, "iamClockAheadMs");
        connections = 0;
        const preview = hooks();
        await expect(preview.diff(USER, known, { userName: USER, passwordResetRequired: false })).resolves.toStrictEqual(UPDATE_IN_PLACE);
        await expect(preview.diff(USER, unknown, { userName: USER, passwordResetRequired: false })).resolves.toStrictEqual(NO_CHANGE);
        expect(connections).toBe(0);
    });

    it("up after the refresh sets a new password with one UpdateLoginProfile, which expires MaxPasswordAge days after it", async () => {
        const { inputs, state } = await created({ userName: USER });
        const old = String(state.password);
        iam.advance(80 * DAY);
        const refreshed = await hooks().read(USER, state);
        const props = refreshed.props as LoginProfileState;
        const stored = refreshed.inputs as unknown as Record<string, unknown>;

        const up = hooks();
        const news = await checked(up, { userName: USER }, stored);
        let outs: LoginProfileState | undefined;
        const calls = await callsOf(async () => {
            expect(await up.diff(USER, props, news)).toStrictEqual(ENGINE_COMPARES);
            outs = (await up.update(USER, props, news)).outs;
        });

        // The engine shows the drifted input: the password, and nothing else.
        expect(
            Object.keys({ ...stored, ...news }).filter((key) => JSON.stringify(stored[key]) !== JSON.stringify(news[key])),
        ).toStrictEqual(["password"]);
        expect(inputs.password).toStrictEqual({ generated: iso(START) });
        expect(calls).toStrictEqual({ GetAccountPasswordPolicy: 1, UpdateLoginProfile: 1 });
        const password = String(outs?.password);
        expect(password === old).toBe(false);
        expect(iam.signsIn(USER, password)).toBe(true);
        const setAt = iso(START + 80 * DAY);
        expect(masked(outs)).toStrictEqual(
            masked({
                ...state,
                password,
                passwordSetAt: setAt,
                writtenAt: setAt,
                driftCheckedAt: setAt,
                passwordLastChanged: setAt,
                passwordExpiresAt: iso(START + 170 * DAY),
            }),
        );
        expect(outs).not.toHaveProperty("rotationDue");
    });

    it("after a rotation on an IAM clock moved 80 days on (the e2e's clockOffsetSeconds), the next refresh finds no change outside Pulumi", async () => {
        const { inputs, state } = await created({ userName: USER });
        iam.clockAheadMs = 80 * DAY;
        iam.advance(HALF_SECOND);
        const refreshed = await hooks().read(USER, state);
        expect(refreshed.props?.rotationDue).toBe("expiring");
        const up = hooks();
        const news = await checked(up, { userName: USER }, inputs);
        const rotated = (await up.update(USER, refreshed.props as LoginProfileState, news)).outs as LoginProfileState;
        expect(rotated.passwordLastChanged).toBe(iso(START + HALF_SECOND + 80 * DAY));
        iam.advance(DAY);

        const after = await hooks().read(USER, rotated);

        // The credential report's password_last_changed is on IAM's clock, 80 days ahead of passwordSetAt.
        expect(after.props).not.toHaveProperty("passwordDrift");
        expect(after.props).not.toHaveProperty("rotationDue");
        expect(after).not.toHaveProperty("inputs");
    });

    it("up rotates an expiring password from state alone, with no refresh before it", async () => {
        const { state } = await created({ userName: USER });
        iam.advance(80 * DAY);

        const up = hooks();
        const news = await checked(
            up,
            { userName: USER },
            { userName: USER, passwordResetRequired: false, password: { generated: iso(START) } },
        );
        const calls = await callsOf(async () => {
            // No mark renewed (no rotateAfter): diff itself says the profile changes.
            expect(news).toStrictEqual({ userName: USER, passwordResetRequired: false, password: { generated: iso(START) } });
            expect(await up.diff(USER, state, news)).toStrictEqual(UPDATE_IN_PLACE);
            await up.update(USER, state, news);
        });

        expect(calls).toStrictEqual({ GetAccountPasswordPolicy: 1, UpdateLoginProfile: 1 });
        expect(iam.signsIn(USER, String(state.password))).toBe(false);
    });

    it("encrypts the new password again to the pgpKey", async () => {
        const key = await generateTestKeyPair("breakglass");
        const { state } = await created({ userName: USER, pgpKey: key.publicKey });
        iam.advance(80 * DAY);
        const props = (await hooks().read(USER, state)).props as LoginProfileState;
        expect(props.rotationDue).toBe("expiring");

        const outs = (await hooks().update(USER, props, { userName: USER, pgpKey: key.publicKey, passwordResetRequired: false }))
            .outs as LoginProfileState;

        expect(outs).not.toHaveProperty("password");
        expect(outs.encryptedPassword).not.toBe(state.encryptedPassword);
        const password = await decryptPassword(String(outs.encryptedPassword), key.privateKey);
        expect(iam.signsIn(USER, password)).toBe(true);
        expect(outs.keyFingerprint).toBe(key.fingerprint);
    });
});

describe("rotation after use", () => {
    it("with rotateAfterUse, a sign-in after the set is drift; up rotates, and the next refresh finds nothing", async () => {
        const declared = { userName: USER, rotateAfterUse: true };
        const { state } = await created(declared);
        iam.advance(HOUR);
        iam.signIn(USER);
        iam.advance(MINUTE);

        const refreshed = await hooks().read(USER, state);

        expect(masked(refreshed)).toStrictEqual(
            masked({
                id: USER,
                props: {
                    ...state,
                    driftCheckedAt: iso(START + HOUR + MINUTE),
                    passwordLastUsed: iso(START + HOUR),
                    rotationDue: "used",
                },
                inputs: { ...declared, passwordResetRequired: false, password: "" },
            }),
        );

        const up = hooks();
        const news = await checked(up, declared, refreshed.inputs as unknown as Record<string, unknown>);
        let rotated: LoginProfileState | undefined;
        const calls = await callsOf(async () => {
            rotated = (await up.update(USER, refreshed.props as LoginProfileState, news)).outs;
        });
        expect(calls).toStrictEqual({ GetAccountPasswordPolicy: 1, UpdateLoginProfile: 1 });
        expect(iam.signsIn(USER, String(state.password))).toBe(false);
        expect(iam.signsIn(USER, String(rotated?.password))).toBe(true);

        iam.advance(MINUTE);
        const after = await hooks().read(USER, rotated);
        expect(after.props).not.toHaveProperty("rotationDue");
        expect(after.props?.passwordLastUsed).toBe(iso(START + HOUR));
        expect(after).not.toHaveProperty("inputs");
    });

    it("without rotateAfterUse, the use shows in passwordLastUsed only", async () => {
        const { state } = await created({ userName: USER });
        iam.advance(HOUR);
        iam.signIn(USER);
        iam.advance(MINUTE);

        const refreshed = await hooks().read(USER, state);

        expect(masked(refreshed)).toStrictEqual(
            masked({
                id: USER,
                props: { ...state, driftCheckedAt: iso(START + HOUR + MINUTE), passwordLastUsed: iso(START + HOUR) },
            }),
        );
    });

    it("a use before the resource set the password is not drift", async () => {
        const declared = { userName: USER, rotateAfterUse: true };
        const { inputs, state } = await created(declared);
        iam.advance(HOUR);
        iam.signIn(USER);
        iam.advance(MINUTE);
        const used = (await hooks().read(USER, state)).props as LoginProfileState;
        const up = hooks();
        const rotated = (await up.update(USER, used, await checked(up, declared, inputs))).outs as LoginProfileState;
        iam.advance(MINUTE);

        const refreshed = await hooks().read(USER, rotated);

        expect(refreshed.props?.passwordLastUsed).toBe(iso(START + HOUR));
        expect(refreshed.props).not.toHaveProperty("rotationDue");
        expect(refreshed).not.toHaveProperty("inputs");
    });
});

describe("a setting of the password's life changed on an existing profile", () => {
    it("is an update that records it with no AWS call, so that the next refresh judges by it", async () => {
        const { inputs, state } = await created({ userName: USER });
        const lifecycle = hooks();
        const news = await checked(lifecycle, { userName: USER, rotateAfterUse: true }, inputs);

        expect(await lifecycle.diff(USER, state, news)).toStrictEqual(UPDATE_IN_PLACE);
        let updated: LoginProfileState | undefined;
        const calls = await callsOf(async () => {
            updated = (await lifecycle.update(USER, state, news)).outs;
        });

        expect(calls).toStrictEqual({});
        expect(updated?.appliedInputs).toStrictEqual({ userName: USER, passwordResetRequired: false, rotateAfterUse: true });
        expect(updated?.password === state.password).toBe(true);
        expect(masked(omit(updated ?? state, "appliedInputs"))).toStrictEqual(masked(omit(state, "appliedInputs")));
    });
});
