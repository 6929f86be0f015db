/**
 * Drift through the hooks against the IAM emulator, whose credential report is AWS's (a snapshot,
 * kept four hours, `password_last_changed` the last password set) and whose CloudTrail event history
 * records every write: every row of the Drift table (tests/support/driftCases.ts), the account's
 * sources read once for many profiles, and without permission for the report (AccessDenied).
 */
import { PASSWORD_CHANGE_TOLERANCE_MS } from "../../provider/rules/drift";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import { SYSTEM_CLOCK } from "../../provider/aws/retry";
import type { LoginProfileState } from "../../provider/model/types";
import { DRIFT_CASES, OUTSIDE_PASSWORD } from "../support/driftCases";
import { callsDuring } from "../support/emulator";
import { integrationSuite } from "../support/integrationSuite";

jest.setTimeout(60_000);

const PASSWORD = "Integr4tion-Drift-Passw0rd!";

const suite = integrationSuite();
let warnings: string[];

beforeEach(async () => {
    await suite.emulator.reset();
    warnings = [];
});

/**
 * One provider process's hooks. Their clock runs behind by more than the tolerance, so that an
 * outside change made now is later than the resource's own by more than it, without waiting.
 */
function hooks(): LoginProfileLifecycle {
    const behind = PASSWORD_CHANGE_TOLERANCE_MS + 5_000;
    return createLifecycle({
        clock: { now: () => SYSTEM_CLOCK.now() - behind, sleep: SYSTEM_CLOCK.sleep },
        warn: (message) => warnings.push(message),
    });
}

async function managedProfile(
    userName: string,
    passwordResetRequired: boolean,
): Promise<{ news: Record<string, unknown>; state: LoginProfileState }> {
    await suite.iam.createUser(userName);
    const news = (await hooks().check({}, { userName, password: PASSWORD, passwordResetRequired })).inputs ?? {};
    const state = (await hooks().create(news)).outs as LoginProfileState;
    return { news, state };
}

describe.each(DRIFT_CASES.map((c) => [c.name, c] as const))("drift against the emulator: %s", (_name, driftCase) => {
    test("read sees it as the table says; the update that follows corrects it", async () => {
        const { news, state } = await managedProfile("alice", driftCase.declaredResetRequired);
        await driftCase.change(suite.iam, "alice");

        const refreshed = await hooks().read("alice", state);

        const process = hooks();
        const up = async (): Promise<unknown> => {
            if (driftCase.refresh === "deleted") {
                expect(refreshed).toStrictEqual({ id: "" });
                return process.create(news);
            }
            const props = refreshed.props as LoginProfileState;
            const diff = await process.diff("alice", props, news);
            expect(diff.changes).toBe(driftCase.refresh === "unchanged" ? false : undefined);
            return driftCase.refresh === "unchanged" ? undefined : process.update("alice", props, news);
        };
        expect(await callsDuring(suite.emulator, up)).toEqual(driftCase.upCalls);
        expect(await suite.emulator.signsIn("alice", PASSWORD)).toBe(driftCase.declaredPasswordSignsIn);
        expect(await suite.emulator.signsIn("alice", OUTSIDE_PASSWORD)).toBe(!driftCase.declaredPasswordSignsIn);
        expect((await suite.iam.profile("alice"))?.passwordResetRequired).toBe(driftCase.resetPendingAfterUp);
        expect(warnings).toStrictEqual([]);
    });
});

describe("CloudTrail's delivery delay against the emulator", () => {
    test("an event not delivered yet is not seen, and the report still shows the change, without who made it", async () => {
        const { state } = await managedProfile("alice", false);
        await suite.emulator.configure({ eventDelaySeconds: 600 });
        await suite.iam.setPassword("alice", OUTSIDE_PASSWORD);

        // No report was made before: the refresh's GenerateCredentialReport makes one that has the change.
        const refreshed = await hooks().read("alice", state);

        expect(refreshed.props?.passwordDrift).toBe("changed");
        expect(refreshed.props?.passwordChangedBy).toBeUndefined();
        expect(refreshed.inputs).toMatchObject({ password: "" });
        expect(warnings).toStrictEqual([]);
    });

    test("once delivered, the event names who made the change", async () => {
        const { state } = await managedProfile("alice", false);
        await suite.emulator.configure({ eventDelaySeconds: 1 });
        await suite.iam.setPassword("alice", OUTSIDE_PASSWORD);
        await new Promise((resolve) => setTimeout(resolve, 1_500));

        const refreshed = await hooks().read("alice", state);

        expect(refreshed.props?.passwordChangedBy).toMatch(/^arn:aws:sts::123456789012:user\/moto \(UpdateLoginProfile at \S+Z\)$/);
    });
});

describe("the credential report against the emulator", () => {
    test("one report, one ListUsers and one event history for a refresh of many profiles", async () => {
        const states: LoginProfileState[] = [];
        for (const userName of ["u1", "u2", "u3", "u4", "u5"]) {
            states.push((await managedProfile(userName, false)).state);
        }
        const process = hooks();

        const calls = await callsDuring(suite.emulator, async () => {
            for (const state of states) {
                await process.read(state.userName, state);
            }
        });

        // N GetLoginProfile, 1 ListUsers, 1 LookupEvents per event name a refresh looks for (3), 2 report calls.
        expect(calls).toEqual({ GetLoginProfile: 5, ListUsers: 1, LookupEvents: 3, GenerateCredentialReport: 1, GetCredentialReport: 1 });
    });

    test("AccessDenied: one warning; the event history still shows the change, with who made it", async () => {
        const { news, state } = await managedProfile("alice", false);
        await suite.iam.setPassword("alice", OUTSIDE_PASSWORD);
        await suite.iam.setResetFlag("alice", true);
        await suite.emulator.configure({ deniedActions: ["GenerateCredentialReport", "GetCredentialReport"] });
        const process = hooks();

        const first = await process.read("alice", state);
        const second = await process.read("alice", state);

        expect(warnings).toStrictEqual([
            "LoginProfile cannot read the IAM credential report of account 123456789012 (AccessDenied: it needs iam:GenerateCredentialReport and iam:GetCredentialReport), " +
                "so a password changed in place outside Pulumi is seen only through CloudTrail's event history; deleted, re-created and reset-forced profiles still are. " +
                "Stack config iam-login-profile:detectPasswordChanges false turns the detection of in-place changes off.",
        ]);
        // The administrator's UpdateLoginProfile (the emulator names moto's caller for its key).
        expect(first.props?.passwordDrift).toBe("changed");
        expect(first.props?.passwordChangedBy).toMatch(/^arn:aws:sts::123456789012:user\/moto \(UpdateLoginProfile at \S+Z\)$/);
        expect(second.props).toStrictEqual(first.props);
        // The forced reset is still seen too, and both are corrected.
        expect(first.inputs).toMatchObject({ password: "", passwordResetRequired: true });
        await process.update("alice", first.props as LoginProfileState, news);
        expect((await suite.iam.profile("alice"))?.passwordResetRequired).toBe(false);
        await expect(suite.emulator.signsIn("alice", PASSWORD)).resolves.toBe(true);
        expect((await suite.emulator.calls()).faults).toEqual({ AccessDenied: 1 });
    });
});
