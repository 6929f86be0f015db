/**
 * Every provider hook against the IAM emulator over HTTP, through the real AWS SDK client: no
 * stubbed client. The emulator is reset before each test.
 */
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import type { LoginProfileState } from "../../provider/model/types";
import { integrationSuite } from "../support/integrationSuite";
import { stackConfig } from "../support/stackConfig";

jest.setTimeout(60_000);

const PASSWORD = "Integr4tion-Passw0rd!";
const NEW_PASSWORD = "Integr4tion-N3w-Passw0rd?";

const suite = integrationSuite();
let hooks: LoginProfileLifecycle;

beforeEach(async () => {
    await suite.emulator.reset();
    // A short settle policy: the emulator's windows below are a second or two.
    hooks = createLifecycle({ retryPolicy: { timeoutMs: 20_000, initialDelayMs: 100, maxDelayMs: 1_000 } });
    await suite.iam.createUser("alice");
});

function inputs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { userName: "alice", password: PASSWORD, passwordResetRequired: true, ...overrides };
}

async function created(overrides: Record<string, unknown> = {}): Promise<LoginProfileState> {
    const result = await hooks.create(inputs(overrides));
    return result.outs as LoginProfileState;
}

describe("against the IAM emulator", () => {
    test("check and diff make no IAM call", async () => {
        const state = await created();
        const before = (await suite.emulator.calls()).calls;

        await hooks.check({}, inputs({ password: NEW_PASSWORD }));
        await hooks.diff("alice", state, inputs({ password: NEW_PASSWORD }));

        expect((await suite.emulator.calls()).calls).toEqual(before);
    });

    test("create makes one CreateLoginProfile call and reports what AWS reports", async () => {
        const result = await hooks.create(inputs());

        const { createDate, passwordSetAt, writtenAt, driftCheckedAt, passwordLastChanged, ...rest } =
            result.outs ?? ({} as Partial<LoginProfileState>);
        expect(result.id).toBe("alice");
        expect(rest).toEqual({
            userName: "alice",
            password: PASSWORD,
            passwordResetRequired: true,
            passwordResetPending: true,
            accountId: "123456789012",
            appliedInputs: { userName: "alice", passwordResetRequired: true },
            // The emulator's clock is this machine's: no offset, to the second the Date header tells.
            iamClockAheadMs: 0,
        });
        // On IAM's clock, which is this machine's here; no expiry, since the account sets no MaxPasswordAge.
        expect(passwordLastChanged).toBe(passwordSetAt);
        expect(createDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
        // When the resource set the password, by this machine's clock: no earlier than AWS's record of it.
        expect(Date.parse(passwordSetAt ?? "")).toBeGreaterThanOrEqual(Date.parse(createDate ?? "") - 1_000);
        // It wrote the profile then, and knows it as it set it until then.
        expect([writtenAt, driftCheckedAt]).toEqual([passwordSetAt, passwordSetAt]);
        // The account of the default credentials, asked once per provider process, before the create.
        expect((await suite.emulator.calls()).calls).toEqual({ CreateUser: 1, GetCallerIdentity: 1, CreateLoginProfile: 1 });
        expect(await suite.iam.profile("alice")).toMatchObject({ passwordResetRequired: true });
    });

    test("create fails for a user that does not exist once the settle time is spent, saying once that it waits", async () => {
        const warnings: string[] = [];
        hooks = createLifecycle({
            retryPolicy: { timeoutMs: 300, initialDelayMs: 100, maxDelayMs: 100 },
            inform: (message) => warnings.push(message),
        });

        await expect(hooks.create(inputs({ userName: "nobody" }))).rejects.toThrow(
            'IAM user "nobody" does not exist, or IAM has not propagated it yet if it was created a moment ago: IAM still answered NoSuchEntity after',
        );
        expect(warnings).toStrictEqual([
            'IAM user "nobody" does not exist, or IAM has not propagated it yet if it was created a moment ago: waiting up to 0.3 s for IAM to settle ' +
                "(by default; iam-login-profile:propagationTimeoutSeconds or the plugin's customTimeouts sets how long)",
        ]);
    });

    test("create waits for a missing user as long as iam-login-profile:propagationTimeoutSeconds says", async () => {
        const warnings: string[] = [];
        hooks = createLifecycle({ inform: (message) => warnings.push(message) });
        await hooks.configure(stackConfig({ "iam-login-profile:propagationTimeoutSeconds": "2" }));
        const started = Date.now();

        await expect(hooks.create(inputs({ userName: "nobody" }))).rejects.toThrow(
            /^IAM user "nobody" does not exist, or IAM has not propagated it yet if it was created a moment ago: IAM still answered NoSuchEntity after \d+ attempts over [12] s \(iam-login-profile:propagationTimeoutSeconds is 2\)$/,
        );
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(warnings).toStrictEqual([
            'IAM user "nobody" does not exist, or IAM has not propagated it yet if it was created a moment ago: waiting up to 2 s for IAM to settle ' +
                "(iam-login-profile:propagationTimeoutSeconds is 2)",
        ]);
    });

    test("create waits out the NoSuchEntity window right after CreateUser", async () => {
        await suite.emulator.configure({ userPropagationSeconds: 1.5 });
        await suite.iam.createUser("bob");

        const result = await hooks.create(inputs({ userName: "bob" }));

        expect(result.id).toBe("bob");
        expect((await suite.emulator.calls()).faults.NoSuchEntity).toBeGreaterThan(0);
    });

    test("create answers an existing profile with the way out, and adoptExisting takes it over", async () => {
        await suite.iam.createProfile("alice", "Someone-Elses-Passw0rd!");

        await expect(hooks.create(inputs())).rejects.toThrow(
            'IAM user "alice" already has a login profile (console password) that this resource does not manage (another stack, another LoginProfile in this program, someone outside Pulumi, or a pulumi up killed while creating it made it). To take it over, set `adoptExisting: true`',
        );
        const adopted = await hooks.create(inputs({ adoptExisting: true }));

        expect(adopted.outs).toMatchObject({ userName: "alice", passwordResetRequired: true, passwordResetPending: true });
        expect(await suite.iam.profile("alice")).toMatchObject({ passwordResetRequired: true });
    });

    test("read refreshes passwordResetPending and carries the declared values over", async () => {
        const state = await created();
        await suite.iam.setResetFlag("alice", false);

        const before = Date.now();
        const result = await hooks.read("alice", state);

        // The user set their own password at the forced sign-in: nothing to check, so checked until now.
        const { driftCheckedAt, ...props } = (result.props ?? {}) as Partial<LoginProfileState>;
        expect({ id: result.id, props }).toEqual({ id: "alice", props: { ...omitChecked(state), passwordResetPending: false } });
        expect(Date.parse(driftCheckedAt ?? "")).toBeGreaterThanOrEqual(before);
    });

    test("read of a profile deleted out of band reports it gone", async () => {
        const state = await created();
        await suite.iam.deleteProfile("alice");

        expect(await hooks.read("alice", state)).toEqual({ id: "" });
    });

    test("update sets a new password in one UpdateLoginProfile call and re-arms the reset", async () => {
        const state = await created();
        await suite.iam.setResetFlag("alice", false);
        const before = (await suite.emulator.calls()).calls.UpdateLoginProfile ?? 0;

        const result = await hooks.update("alice", { ...state, passwordResetPending: false }, inputs({ password: NEW_PASSWORD }));

        expect(result.outs).toMatchObject({ password: NEW_PASSWORD, passwordResetRequired: true, passwordResetPending: true });
        expect((await suite.emulator.calls()).calls.UpdateLoginProfile).toBe(before + 1);
        expect(await suite.iam.profile("alice")).toMatchObject({ passwordResetRequired: true });
    });

    test("update of the flag alone changes the flag and keeps the profile", async () => {
        const state = await created();

        const result = await hooks.update("alice", state, inputs({ passwordResetRequired: false }));

        expect(result.outs).toMatchObject({ passwordResetRequired: false, passwordResetPending: false });
        expect(await suite.iam.profile("alice")).toMatchObject({ passwordResetRequired: false });
    });

    test("update waits out EntityTemporarilyUnmodifiable right after the profile was created", async () => {
        await suite.emulator.configure({ profileSettleSeconds: 1.5 });
        const state = await created();

        await hooks.update("alice", state, inputs({ password: NEW_PASSWORD }));

        expect((await suite.emulator.calls()).faults.EntityTemporarilyUnmodifiable).toBeGreaterThan(0);
    });

    test("update is refused with the account policy's reason, password not echoed", async () => {
        const state = await created();
        await suite.emulator.configure({ enforcePasswordPolicy: true });

        const failure = hooks.update("alice", state, inputs({ password: "short" }));

        await expect(failure).rejects.toThrow('UpdateLoginProfile for IAM user "alice" failed: PasswordPolicyViolation: ');
        await expect(failure).rejects.not.toThrow("short");
    });

    test("a generated password with passwordLength omitted is as long as a strict policy's minimum, and IAM accepts it", async () => {
        await suite.iam.setPasswordPolicy(30);
        await suite.emulator.configure({ enforcePasswordPolicy: true });

        const result = await hooks.create({ userName: "alice", passwordResetRequired: false });

        expect(result.outs?.password).toHaveLength(30);
        expect(result.outs?.passwordLength).toBe(20);
        expect(await suite.emulator.signsIn("alice", String(result.outs?.password))).toBe(true);
    });

    test("a declared passwordLength below a strict policy's minimum is refused before CreateLoginProfile", async () => {
        await suite.iam.setPasswordPolicy(30);
        await suite.emulator.configure({ enforcePasswordPolicy: true });

        await expect(hooks.create({ userName: "alice", passwordResetRequired: false, passwordLength: 24 })).rejects.toThrow(
            "passwordLength is 24, but the account's password policy requires passwords of at least 30 characters: raise passwordLength to at least 30",
        );
        expect((await suite.emulator.calls()).calls).toEqual({
            CreateUser: 1,
            UpdateAccountPasswordPolicy: 1,
            GetCallerIdentity: 1,
            GetAccountPasswordPolicy: 1,
        });
    });

    test("delete removes the profile; deleting it again counts as deleted", async () => {
        const state = await created();
        await hooks.delete("alice", state);
        await hooks.delete("alice", state);

        expect(await suite.iam.profile("alice")).toBeUndefined();
    });

    test("delete waits out EntityTemporarilyUnmodifiable right after the profile was created", async () => {
        await suite.emulator.configure({ profileSettleSeconds: 1.5 });
        const state = await created();

        await hooks.delete("alice", state);

        expect(await suite.iam.profile("alice")).toBeUndefined();
    });

    test("throttling, 5xx and dropped connections on 30% of calls are retried by the SDK", async () => {
        const users = ["u1", "u2", "u3", "u4", "u5", "u6"];
        for (const name of users) {
            await suite.iam.createUser(name);
        }
        await suite.emulator.configure({ faultRate: 0.3, faultKinds: ["throttle", "5xx", "drop"], seed: 7 });

        for (const name of users) {
            const state = await created({ userName: name });
            await hooks.update(name, state, inputs({ userName: name, password: NEW_PASSWORD }));
            await hooks.read(name, state);
        }

        const { faults } = await suite.emulator.calls();
        expect(Object.values(faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    });

    test("configure's aws:region reaches the client; IAM answers from any region", async () => {
        await hooks.configure({ config: { get: (key: string) => (key === "aws:region" ? "eu-west-1" : undefined), require: () => "" } });

        const result = await hooks.create(inputs());

        expect(result.id).toBe("alice");
    });
});

/** A state without its `driftCheckedAt`, which every read moves on. */
function omitChecked(state: LoginProfileState): Partial<LoginProfileState> {
    return Object.fromEntries(Object.entries(state).filter(([key]) => key !== "driftCheckedAt"));
}
