/**
 * A password over its life, the hooks against the IAM emulator with AWS's own clock rules: the
 * expiry a refresh reads from the credential report (no call beyond drift's), judged on IAM's clock
 * as the emulator's `clockOffsetSeconds` moves it, and a rotation that sets a password the
 * emulator's sign-in accepts.
 */
import { IAMClient, UpdateAccountPasswordPolicyCommand } from "@aws-sdk/client-iam";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import type { LoginProfileState } from "../../provider/model/types";
import { countsAdded } from "../support/emulator";
import { integrationSuite } from "../support/integrationSuite";

jest.setTimeout(60_000);

const DECLARED = "Integr4tion-Break-Glass!";
const DAY_MS = 86_400_000;

const suite = integrationSuite();
let hooks: LoginProfileLifecycle;
let warnings: string[];

/** The account policy: passwords expire after `days` days, with HardExpiry. */
async function expireAfter(days: number): Promise<void> {
    const client = new IAMClient({ endpoint: suite.emulator.endpoint, region: "us-east-1" });
    await client.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, MaxPasswordAge: days, HardExpiry: true }));
    client.destroy();
}

/** A new provider process, as each CLI run starts one. */
function newProcess(): LoginProfileLifecycle {
    return createLifecycle({ retryPolicy: { timeoutMs: 10_000, initialDelayMs: 100, maxDelayMs: 500 }, warn: (m) => warnings.push(m) });
}

beforeEach(async () => {
    await suite.emulator.reset();
    warnings = [];
    hooks = newProcess();
    await suite.iam.createUser("alice");
    await expireAfter(90);
});

describe("expiry against the emulator", () => {
    test("a generated password expires 90 days after its set; 80 days on, a refresh reads it due with drift's calls alone", async () => {
        const created = (await hooks.create({ userName: "alice", passwordResetRequired: false })).outs as LoginProfileState;
        const lastChanged = Date.parse(created.passwordLastChanged ?? "");
        expect(created.passwordExpiresAt).toBe(new Date(lastChanged + 90 * DAY_MS).toISOString());
        expect(created.iamClockAheadMs).toBe(0);

        await suite.emulator.configure({ clockOffsetSeconds: 80 * 86_400 });
        const before = (await suite.emulator.calls()).calls;
        const read = await newProcess().read("alice", created);

        expect(countsAdded(before, (await suite.emulator.calls()).calls)).toEqual({
            GetLoginProfile: 1,
            ListUsers: 1,
            LookupEvents: 3,
            GenerateCredentialReport: 1,
            GetCredentialReport: 1,
        });
        expect(read.props?.rotationDue).toBe("expiring");
        expect(read.props?.iamClockAheadMs).toBe(80 * DAY_MS);
        expect(read.props?.passwordExpiresAt).toBe(created.passwordExpiresAt);
        expect(read.inputs).toMatchObject({ password: "" });

        const updated = (
            await newProcess().update("alice", read.props as LoginProfileState, { userName: "alice", passwordResetRequired: false })
        ).outs as LoginProfileState;
        expect(updated.password === created.password).toBe(false); // compared apart: a failure must not print a password
        expect(updated.rotationDue).toBeUndefined();
        // Set on IAM's clock, 80 days on: it expires 90 days after that.
        expect(Date.parse(updated.passwordLastChanged ?? "") - Date.now()).toBeGreaterThan(79 * DAY_MS);
        expect(updated.passwordExpiresAt).toBe(new Date(Date.parse(updated.passwordLastChanged ?? "") + 90 * DAY_MS).toISOString());
        expect(await suite.emulator.signIn("alice", updated.password ?? "")).toEqual({ signedIn: true });
        expect(await suite.emulator.signIn("alice", created.password ?? "")).toEqual({ signedIn: false, reason: "wrong-password" });
    });

    test("a declared password learns its expiry from the report at the first refresh, and warns near it, with no drift", async () => {
        const created = (await hooks.create({ userName: "alice", password: DECLARED, passwordResetRequired: false }))
            .outs as LoginProfileState;
        expect(created.passwordExpiresAt).toBeUndefined();

        const fresh = await newProcess().read("alice", created);
        const expiresAt = fresh.props?.passwordExpiresAt ?? "";
        expect(Date.parse(expiresAt) - Date.parse(fresh.props?.passwordLastChanged ?? "")).toBe(90 * DAY_MS);
        expect(fresh.inputs).toBeUndefined();
        expect(warnings).toEqual([]);

        await suite.emulator.configure({ clockOffsetSeconds: 85 * 86_400 });
        const near = await newProcess().read("alice", fresh.props);

        expect(near.inputs).toBeUndefined();
        expect(near.props?.rotationDue).toBeUndefined();
        expect(warnings).toEqual([
            `The console password of IAM user "alice" in account 123456789012 expires at ${expiresAt}, within rotateBeforeExpiry (14d). ` +
                "The resource does not choose a declared password: declare a new one, and the next `pulumi up` sets it",
        ]);
        expect(warnings.join("\n")).not.toContain(DECLARED);
    });

    test("the account without MaxPasswordAge: no expiry, and nothing is due however far the clock moves", async () => {
        const client = new IAMClient({ endpoint: suite.emulator.endpoint, region: "us-east-1" });
        await client.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14 }));
        client.destroy();
        const created = (await hooks.create({ userName: "alice", passwordResetRequired: false })).outs as LoginProfileState;
        expect(created.passwordExpiresAt).toBeUndefined();

        await suite.emulator.configure({ clockOffsetSeconds: 400 * 86_400 });
        const read = await newProcess().read("alice", created);
        expect(read.props?.passwordExpiresAt).toBeUndefined();
        expect(read.props?.rotationDue).toBeUndefined();
        expect(read.inputs).toBeUndefined();
    });
});
