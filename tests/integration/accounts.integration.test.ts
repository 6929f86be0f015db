/**
 * Several accounts through the hooks against the emulator (moto gives an assumed role's
 * credentials the role ARN's account): the break-glass user `breakglass` in three accounts (the
 * default credentials' and two reached through roles), drift found in one account shown on that
 * account's profile only, one AssumeRole per role and one report per account, a move to a fourth
 * account, a role that cannot be assumed, lookups per account, and destroy.
 */
import { PASSWORD_CHANGE_TOLERANCE_MS } from "../../provider/rules/drift";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import { getLoginProfile, listLoginProfiles } from "../../provider/dynamic/lookups";
import { forgetConnections } from "../../provider/aws/iam";
import { SYSTEM_CLOCK } from "../../provider/aws/retry";
import type { LoginProfileState } from "../../provider/model/types";
import { callsDuring, callsDuringByAccount } from "../support/emulator";
import { Iam } from "../support/iam";
import { integrationSuite } from "../support/integrationSuite";

jest.setTimeout(60_000);

const USER = "breakglass";
const DEFAULT_ACCOUNT = "123456789012";
const ACCOUNTS = ["111111111111", "222222222222"] as const;
const FOURTH = "444444444444";
const PASSWORD = "Break-Gl4ss-Sealed-Passw0rd!";
const OUTSIDE_PASSWORD = "Set-0utside-Pulumi-Passw0rd!";
const EXTERNAL_ID = "org-break-glass-7c1d";

/** The role of the organization's break-glass administration in `account`. */
function roleIn(account: string): { roleArn: string; externalId: string } {
    return { roleArn: `arn:aws:iam::${account}:role/OrganizationBreakGlass`, externalId: EXTERNAL_ID };
}

const suite = integrationSuite();

beforeEach(async () => {
    await suite.emulator.reset();
});

/**
 * One provider process's hooks. Its clock runs 1 s short of the tolerance behind, so that a
 * password it set is its own in the credential report (whose times are whole seconds), and an
 * outside change made 2.5 s later is later than the resource's own by more than the tolerance.
 */
function hooks(): LoginProfileLifecycle {
    const behind = PASSWORD_CHANGE_TOLERANCE_MS - 1_000;
    // A new provider process remembers no role's credentials and no caller's account.
    forgetConnections();
    return createLifecycle({
        clock: { now: () => SYSTEM_CLOCK.now() - behind, sleep: SYSTEM_CLOCK.sleep },
        warn: (message) => {
            throw new Error(`unexpected warning: ${message}`);
        },
    });
}

/** The inputs of the break-glass profile in `account` (the default credentials' account when undefined). */
function inputsIn(account: string | undefined): Record<string, unknown> {
    return { userName: USER, password: PASSWORD, passwordResetRequired: false, ...(account ? { assumeRole: roleIn(account) } : {}) };
}

/** Creates `breakglass` in the default account and each of ACCOUNTS, and its profile through one provider process. */
async function breakGlassEverywhere(): Promise<LoginProfileState[]> {
    await suite.iam.createUser(USER);
    for (const account of ACCOUNTS) {
        const admin = await Iam.inAccount(suite.emulator.endpoint, account);
        await admin.createUser(USER);
        admin.close();
    }
    const process = hooks();
    const created = await Promise.all([undefined, ...ACCOUNTS].map((account) => process.create(inputsIn(account))));
    return created.map((result) => result.outs as LoginProfileState);
}

describe("one break-glass user in three accounts", () => {
    it("creates each profile in its own account, with the password that signs in there only", async () => {
        const states = await breakGlassEverywhere();

        expect(states.map((state) => state.accountId)).toStrictEqual([DEFAULT_ACCOUNT, ...ACCOUNTS]);
        for (const account of [DEFAULT_ACCOUNT, ...ACCOUNTS]) {
            await expect(suite.emulator.signsIn(USER, PASSWORD, account)).resolves.toBe(true);
        }
        await expect(suite.emulator.signsIn(USER, PASSWORD, FOURTH)).resolves.toBe(false);
        // The provider: one AssumeRole per role, one GetCallerIdentity for the default credentials
        // (the other AssumeRole calls are the test's own, as each account's administrator).
        const calls = (await suite.emulator.calls()).calls;
        expect(calls).toMatchObject({ AssumeRole: ACCOUNTS.length + ACCOUNTS.length, GetCallerIdentity: 1, CreateLoginProfile: 3 });
    });

    it("shows a password changed outside in one account on that account's profile only, and sets it back there", async () => {
        const states = await breakGlassEverywhere();
        const admin = await Iam.inAccount(suite.emulator.endpoint, ACCOUNTS[0]);
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        await admin.setPassword(USER, OUTSIDE_PASSWORD);
        admin.close();

        const refresh = hooks();
        let reads: Awaited<ReturnType<LoginProfileLifecycle["read"]>>[] = [];
        let calls: Record<string, number> = {};
        const byAccount = await callsDuringByAccount(suite.emulator, [DEFAULT_ACCOUNT, ...ACCOUNTS], async () => {
            calls = await callsDuring(suite.emulator, async () => {
                reads = await Promise.all(states.map((state) => refresh.read(USER, state)));
            });
        });

        expect(reads.map((read) => read.props?.passwordDrift)).toStrictEqual([undefined, "changed", undefined]);
        expect(reads.map((read) => read.inputs !== undefined)).toStrictEqual([false, true, false]);
        // N GetLoginProfile; per account one ListUsers, one LookupEvents per event name and two report
        // calls; one AssumeRole per role (made with the default credentials).
        expect(calls).toStrictEqual({
            GetLoginProfile: 3,
            ListUsers: 3,
            LookupEvents: 9,
            GenerateCredentialReport: 3,
            GetCredentialReport: 3,
            AssumeRole: 2,
        });
        const perAccount = { GetLoginProfile: 1, ListUsers: 1, LookupEvents: 3, GenerateCredentialReport: 1, GetCredentialReport: 1 };
        expect(byAccount).toStrictEqual([{ ...perAccount, AssumeRole: 2 }, perAccount, perAccount]);

        const drifted = reads[1]?.props as LoginProfileState;
        await refresh.update(USER, drifted, inputsIn(ACCOUNTS[0]));
        await expect(suite.emulator.signsIn(USER, PASSWORD, ACCOUNTS[0])).resolves.toBe(true);
    });

    it("moves a profile to a fourth account: the diff replaces it, created there, then deleted from the old one", async () => {
        const [, inFirst] = await breakGlassEverywhere();
        const admin = await Iam.inAccount(suite.emulator.endpoint, FOURTH);
        await admin.createUser(USER);
        const process = hooks();

        const diff = await process.diff(USER, inFirst as LoginProfileState, inputsIn(FOURTH));
        expect(diff).toStrictEqual({ changes: true, replaces: ["assumeRole"], deleteBeforeReplace: false });
        const moved = await process.create(inputsIn(FOURTH));
        await process.delete(USER, inFirst as LoginProfileState);

        expect(moved.outs).toMatchObject({ accountId: FOURTH });
        await expect(suite.emulator.signsIn(USER, PASSWORD, FOURTH)).resolves.toBe(true);
        await expect(suite.emulator.signsIn(USER, PASSWORD, ACCOUNTS[0])).resolves.toBe(false);
        await expect(suite.emulator.signsIn(USER, PASSWORD, ACCOUNTS[1])).resolves.toBe(true);
        admin.close();
    });

    it("fails only the profile whose role cannot be assumed, before any IAM call in its account, naming the role and the user", async () => {
        await suite.iam.createUser(USER);
        await suite.emulator.configure({ deniedActions: ["AssumeRole"] });
        const process = hooks();

        const results = await Promise.allSettled([process.create(inputsIn(undefined)), process.create(inputsIn(ACCOUNTS[0]))]);

        expect(results[0]).toMatchObject({ status: "fulfilled" });
        expect(results[1]).toMatchObject({
            status: "rejected",
            reason: {
                code: "AccessDenied",
                message: `The login profile of IAM user "${USER}" is out of reach: cannot assume role ${roleIn(ACCOUNTS[0]).roleArn}: STS AssumeRole: AccessDenied: User: arn:aws:iam::${DEFAULT_ACCOUNT}:user/emulator is not authorized to perform: sts:AssumeRole on resource: * (STS endpoint ${suite.emulator.endpoint}, from AWS_ENDPOINT_URL_STS)`,
            },
        });
        expect(JSON.stringify(results)).not.toContain(EXTERNAL_ID);
        expect((await suite.emulator.calls(ACCOUNTS[0])).calls).toEqual({});
    });

    it("reads and lists each account through its role, and destroys every profile", async () => {
        const states = await breakGlassEverywhere();

        const found = await getLoginProfile({ userName: USER, assumeRole: roleIn(ACCOUNTS[1]) });
        const inventories = await Promise.all(
            [undefined, ...ACCOUNTS].map((account) => listLoginProfiles(account ? { assumeRole: roleIn(account) } : {})),
        );

        expect(found).toMatchObject({ userName: USER, passwordResetRequired: false });
        expect(inventories.map((inventory) => [inventory.accountId, inventory.profiles.map((profile) => profile.userName)])).toStrictEqual([
            [DEFAULT_ACCOUNT, [USER]],
            [ACCOUNTS[0], [USER]],
            [ACCOUNTS[1], [USER]],
        ]);

        const destroy = hooks();
        await Promise.all(states.map((state) => destroy.delete(USER, state)));
        for (const account of [DEFAULT_ACCOUNT, ...ACCOUNTS]) {
            await expect(suite.emulator.signsIn(USER, PASSWORD, account)).resolves.toBe(false);
        }
    });
});
