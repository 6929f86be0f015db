/**
 * Answers lost after IAM acted (the emulator's `lost` fault: moto carries the call out, then the
 * connection closes with no response) on every mutating call, through the real AWS SDK client and
 * its retries: a create whose answer was lost is recognised as the provider's own, an update
 * is applied again, a delete finds the profile gone. Nothing fails, and every declared password
 * signs in. Runs through both front doors (jest projects integration and integration-plugin).
 */
import { CLOCK_TOLERANCE_MS } from "../../provider/aws/lostResponse";
import { connectIam } from "../../provider/aws/iam";
import { resolveClientSettings } from "../../provider/aws/settings";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import type { LoginProfileState } from "../../provider/model/types";
import { callsDuring } from "../support/emulator";
import { integrationSuite } from "../support/integrationSuite";

jest.setTimeout(120_000);

const suite = integrationSuite();
let hooks: LoginProfileLifecycle;
const MUTATING = ["CreateLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile"];
const USERS = Array.from({ length: 50 }, (_, i) => `lost${i}`);

function password(userName: string, generation: number): string {
    return `Lost-${userName}-${generation}-Passw0rd!`;
}

beforeEach(async () => {
    await suite.emulator.reset();
    hooks = createLifecycle({ retryPolicy: { timeoutMs: 20_000, initialDelayMs: 100, maxDelayMs: 1_000 } });
    for (const userName of USERS) {
        await suite.iam.createUser(userName);
    }
});

test("50 profiles created, updated and deleted with 30% of the answers lost after IAM acted: 0 failures, every password signs in", async () => {
    await suite.emulator.configure({ faultRate: 0.3, faultKinds: ["lost"], faultActions: MUTATING, seed: 18 });

    const states = new Map<string, LoginProfileState>();
    for (const userName of USERS) {
        const result = await hooks.create({ userName, password: password(userName, 1), passwordResetRequired: false });
        expect(result.id).toBe(userName);
        states.set(userName, result.outs as LoginProfileState);
    }
    const afterCreates = await suite.emulator.calls();
    const lostCreates = afterCreates.faults.Lost ?? 0;
    // Each create that met its own profile looked at it, completed it (UpdateLoginProfile) and read
    // it back: two GetLoginProfile calls each, never faulted here.
    const completed = (afterCreates.calls.GetLoginProfile ?? 0) / 2;
    expect(completed).toBeGreaterThan(0);
    expect(completed).toBeLessThanOrEqual(lostCreates);
    expect(afterCreates.calls.UpdateLoginProfile ?? 0).toBeGreaterThanOrEqual(completed);
    for (const userName of USERS) {
        expect(await suite.emulator.signsIn(userName, password(userName, 1))).toBe(true);
    }

    for (const userName of USERS) {
        const olds = states.get(userName) as LoginProfileState;
        const news = { userName, password: password(userName, 2), passwordResetRequired: false };
        const result = await hooks.update(userName, olds, news);
        states.set(userName, result.outs as LoginProfileState);
    }
    for (const userName of USERS) {
        expect(await suite.emulator.signsIn(userName, password(userName, 2))).toBe(true);
    }

    for (const userName of USERS) {
        await hooks.delete(userName, states.get(userName) as LoginProfileState);
    }
    for (const userName of USERS) {
        expect(await suite.iam.profile(userName)).toBeUndefined();
    }

    const { faults, calls } = await suite.emulator.calls();
    // The fault hit each kind of call: creates, and the updates and deletes after them.
    expect(lostCreates).toBeGreaterThan(0);
    expect(faults.Lost ?? 0).toBeGreaterThan(lostCreates);
    expect(calls.CreateLoginProfile).toBeGreaterThan(USERS.length);
    expect(calls.DeleteLoginProfile).toBeGreaterThan(USERS.length);
});

test("a profile made before the create began is still refused when the create's first attempt got no answer", async () => {
    await suite.iam.createProfile("lost0", "Someone-Elses-Passw0rd!");
    await new Promise((resolve) => setTimeout(resolve, CLOCK_TOLERANCE_MS + 1_000)); // older than the clock tolerance
    // Seed 4 drops the first CreateLoginProfile before IAM acts and lets the second through, so the
    // SDK's retry meets the profile made before: EntityAlreadyExists on a second attempt.
    await suite.emulator.configure({ faultRate: 0.5, faultKinds: ["drop"], faultActions: ["CreateLoginProfile"], seed: 4 });

    const calls = await callsDuring(suite.emulator, () =>
        expect(hooks.create({ userName: "lost0", password: password("lost0", 1), passwordResetRequired: false })).rejects.toThrow(
            'IAM user "lost0" already has a login profile (console password) that this resource does not manage',
        ),
    );
    // The account first; two attempts of the create (the first dropped); the look at the profile it met.
    expect(calls).toEqual({ GetCallerIdentity: 1, CreateLoginProfile: 2, GetLoginProfile: 1 });
    expect((await suite.emulator.calls()).faults).toEqual({ Dropped: 1 });
    expect(await suite.emulator.signsIn("lost0", "Someone-Elses-Passw0rd!")).toBe(true);
});

test("the IAM client measures IAM's clock from the Date of its answers (the emulator runs on this machine's clock)", async () => {
    const iam = await connectIam(resolveClientSettings(undefined, {}, process.env));
    expect(iam.clockOffsetMs?.()).toBeUndefined();

    await iam.getAccountPasswordPolicy();

    // The Date header has whole seconds: this machine's clock reads up to a second (and the answer's time) later.
    const offset = iam.clockOffsetMs?.() ?? Number.NaN;
    expect(offset).toBeLessThanOrEqual(0);
    expect(offset).toBeGreaterThan(-2_000);
});
