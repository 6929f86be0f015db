/**
 * Under faults, interruptions and bad input, on the real Pulumi CLI against the IAM emulator:
 * nothing lost, nothing half-applied, nothing leaked. Every case counts in the closing table
 * (tried, held, failed, per group). Each group starts from an empty emulator and a stack of its own.
 */
import * as fs from "node:fs";
import { randomBytes } from "node:crypto";
import { BAD_INPUT_CASES, BAD_PASSWORDS, badInputArgs, GOOD_PASSWORD } from "../support/badInputs";
import { callsDuring, startEmulator, type Emulator } from "../support/emulator";
import { Iam } from "../support/iam";
import {
    leakedPasswords,
    type PendingOperation,
    record,
    requirePulumiCli,
    TestProject,
    filesUnder,
    isSecretEnvelope,
    type CliResult,
    type ProfileSpec,
    yamlProfiles,
} from "./harness";
import { Tally } from "./tally";

jest.setTimeout(600_000);

/** The login-profile actions whose calls the cases count. */
const PROFILE_ACTIONS = ["CreateLoginProfile", "GetLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile"];

const tally = new Tally();
/** Every password this suite sets, for the closing secret scan. */
const testPasswords = new Set<string>([GOOD_PASSWORD, ...Object.values(BAD_PASSWORDS).filter((p) => p !== "")]);

let emulator: Emulator;
let port: number;
let iam: Iam;
let project: TestProject;

/** A distinctive password that satisfies AWS's default policy; remembered for the secret scan. */
function newPassword(label: string): string {
    const password = `Resil-${label}-${randomBytes(6).toString("hex")}-Aa1!`;
    testPasswords.add(password);
    return password;
}

/** `count` profiles named `${prefix}0`… for users of the same names, each with a password of its own. */
function fleet(prefix: string, count: number): { specs: ProfileSpec[]; passwords: Record<string, string> } {
    const specs: ProfileSpec[] = [];
    const passwords: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
        const name = `${prefix}${i}`;
        specs.push({ name, userName: name, passwordKey: name });
        passwords[name] = newPassword(name);
    }
    return { specs, passwords };
}

/** Empties the emulator and creates the users of `specs`. */
async function freshUsers(specs: readonly ProfileSpec[]): Promise<void> {
    await emulator.reset();
    for (const spec of specs) {
        await iam.createUser(spec.userName);
    }
}

/** The user names that have a login profile in the emulator, of those given, sorted. */
async function usersWithProfiles(userNames: readonly string[]): Promise<string[]> {
    const found: string[] = [];
    for (const userName of userNames) {
        if (await iam.profile(userName)) {
            found.push(userName);
        }
    }
    return found.sort();
}

/** The ids of the LoginProfile resources in the selected stack's state, sorted (duplicates kept). */
async function idsInState(): Promise<string[]> {
    return (await project.profilesInState()).map((r) => r.id ?? "").sort();
}

/** Asserts that state and IAM both hold exactly the profiles of `specs`, each opening with its password. */
async function expectExactly(specs: readonly ProfileSpec[], passwords: Record<string, string>): Promise<void> {
    const names = specs.map((s) => s.userName).sort();
    expect(await idsInState()).toEqual(names);
    expect(await usersWithProfiles(names)).toEqual(names);
    for (const spec of specs) {
        expect(await emulator.signsIn(spec.userName, passwords[spec.passwordKey] ?? "")).toBe(true);
    }
}

/** Faults the emulator injected since the last reset (added latency aside): in all, and by kind. */
async function injectedFaults(): Promise<{ total: number; byKind: Record<string, number> }> {
    const byKind = Object.fromEntries(Object.entries((await emulator.calls()).faults).filter(([kind]) => kind !== "Latency"));
    return { total: Object.values(byKind).reduce((sum, n) => sum + n, 0), byKind };
}

/** The LoginProfile resources' state, comparable across writes of the state (see profilesDigest), in URN order. */
async function profilesState(): Promise<{ resources: unknown[]; digest: string }> {
    const resources = (await project.profilesInState()).map(({ urn, id, inputs, outputs }) => ({
        urn,
        id,
        inputs: withoutCiphertexts(inputs),
        outputs: withoutCiphertexts(outputs),
    }));
    resources.sort((a, b) => a.urn.localeCompare(b.urn)); // a write may reorder resources
    return { resources, digest: await project.profilesDigest() };
}

/** The properties with each secret's ciphertext replaced by a marker: ciphertexts change on every write. */
function withoutCiphertexts(properties: Record<string, unknown> | undefined): Record<string, unknown> {
    return Object.fromEntries(Object.entries(properties ?? {}).map(([key, value]) => [key, isSecretEnvelope(value) ? "[secret]" : value]));
}

beforeAll(async () => {
    console.log(`resilience: ${requirePulumiCli()}`);
    emulator = await startEmulator();
    port = Number(new URL(emulator.endpoint).port);
    iam = new Iam(emulator.endpoint);
    project = TestProject.create(emulator.endpoint);
});

afterAll(async () => {
    console.log(`resilience: summary\n${tally.table()}`);
    iam?.close();
    await emulator?.stop();
    project?.dispose();
});

describe("bad input", () => {
    const group = "bad input";
    const passwords = { good: GOOD_PASSWORD, ...Object.fromEntries(Object.entries(BAD_PASSWORDS).map(([k, v]) => [`bad-${k}`, v])) };

    beforeAll(async () => {
        await emulator.reset();
        await project.initStack("bad-input", [], passwords);
    });

    for (const badCase of BAD_INPUT_CASES) {
        tally.case(group, `preview fails naming the property and the rule: ${badCase.title}`, async () => {
            const { password, ...raw } = badInputArgs(badCase);
            const passwordKey = badCase.badPassword === undefined ? "good" : `bad-${badCase.badPassword}`;
            // The password comes from secret config unless the case declares a raw (non-string or null) one.
            const extra = typeof password === "string" ? raw : { ...raw, password };
            await project.expectPulumi([
                "config",
                "set",
                "profiles",
                JSON.stringify([{ name: "bad", userName: "unused", passwordKey, extra }]),
            ]);

            const calls = await callsDuring(emulator, async () => {
                const failed = await project.expectPulumi(["preview"], 1);
                expect(failed.stdout).toContain("LoginProfile resource 'bad'");
                for (const reason of badCase.reasons) {
                    expect(failed.stdout).toContain(reason);
                }
            });
            expect(calls).toEqual({});
        });
    }

    tally.case(group, "no bad-input preview left anything in state", async () => {
        expect(await project.profilesInState()).toEqual([]);
    });

    tally.case(group, "a user name unknown at preview and invalid at up fails up before any IAM call; state stays as it was", async () => {
        const keep = { name: "keep", userName: "keep", passwordKey: "keep" };
        const keepPasswords = { keep: newPassword("keep") };
        await iam.createUser("keep");
        await project.initStack("bad-unknown", [keep], keepPasswords);
        await project.expectPulumi(["up", "--yes"]);
        const before = await profilesState();

        await project.configure(
            [keep, { name: "late", userName: "late user", passwordKey: "keep", userNameFrom: "computed" }],
            keepPasswords,
        );
        const previewCalls = await callsDuring(emulator, () => project.expectPulumi(["preview"]));
        expect(previewCalls).toEqual({});

        const calls = await callsDuring(emulator, async () => {
            const failed = await project.expectPulumi(["up", "--yes", "--skip-preview"], 1);
            expect(failed.stdout).toContain(
                `userName may hold only ASCII letters, digits and _+=,.@- (IAM's [\\w+=,.@-]); it contains " "`,
            );
        });
        expect(calls).toEqual({});
        expect(await profilesState()).toEqual(before);
        expect(await emulator.signsIn("keep", keepPasswords.keep)).toBe(true);
        await project.configure([keep], keepPasswords);
        await project.expectPulumi(["destroy", "--yes"]);
    });
});

describe("faults injected by the emulator", () => {
    const group = "faults";
    const { specs, passwords } = fleet("f", 50);

    beforeAll(async () => {
        await project.initStack("faults", specs, passwords);
    });

    /** `up` and `destroy` of the 50 profiles with `faults` switched on: both succeed, every fault retried. */
    async function rideOut(label: string, faults: Parameters<Emulator["configure"]>[0]): Promise<void> {
        await freshUsers(specs);
        await emulator.configure({ ...faults, faultActions: PROFILE_ACTIONS });
        await project.expectPulumi(["up", "--yes", "--skip-preview"]);
        const duringUp = await injectedFaults();
        await emulator.configure({ faultRate: 0 });
        await expectExactly(specs, passwords);
        await emulator.configure({ ...faults, seed: 2 });
        await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
        const duringDestroy = (await injectedFaults()).total - duringUp.total;
        await emulator.configure({ faultRate: 0 });
        expect(await idsInState()).toEqual([]);
        expect(await usersWithProfiles(specs.map((s) => s.userName))).toEqual([]);

        // Every injected fault cost one retry and nothing else: one successful call per profile and operation.
        const { calls } = await emulator.calls();
        expect(duringUp.total).toBeGreaterThan(0);
        expect(calls.CreateLoginProfile).toBe(50 + duringUp.total);
        expect(calls.DeleteLoginProfile).toBe(50 + duringDestroy);
        console.log(
            `resilience: ${label}: up of 50 retried ${duringUp.total} faulted calls (${JSON.stringify(duringUp.byKind)}); ` +
                `destroy of 50 retried ${duringDestroy}; no failure`,
        );
    }

    tally.case(group, "throttling on 30% of calls during up and destroy of 50 profiles: no failure, retries counted", () =>
        rideOut("throttling 30%", { faultRate: 0.3, faultKinds: ["throttle"], seed: 1 }),
    );

    tally.case(group, "5xx bursts (4 calls in a row) during up and destroy of 50 profiles: no failure, retries counted", () =>
        rideOut("5xx bursts", { faultRate: 0.1, faultKinds: ["5xx"], faultBurst: 4, seed: 1 }),
    );

    tally.case(group, "dropped connections on 20% of calls during up and destroy of 50 profiles: no failure, retries counted", () =>
        rideOut("dropped connections 20%", { faultRate: 0.2, faultKinds: ["drop"], seed: 1 }),
    );

    tally.case(
        group,
        "answers lost after IAM acted on 30% of creates, updates and deletes of 20 profiles: up, a password change and destroy all exit 0",
        async () => {
            const { specs: lostSpecs, passwords: first } = fleet("lost", 20);
            const names = lostSpecs.map((s) => s.userName);
            await freshUsers(lostSpecs);
            await project.initStack("lost", lostSpecs, first);
            const lost = {
                faultRate: 0.3,
                faultKinds: ["lost" as const],
                faultActions: ["CreateLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile"],
            };
            await emulator.configure({ ...lost, seed: 18 });

            await project.expectPulumi(["up", "--yes", "--skip-preview"]);
            const duringUp = (await emulator.calls()).faults.Lost ?? 0;
            await expectExactly(lostSpecs, first);
            const second = Object.fromEntries(names.map((name) => [name, newPassword(`${name}-second`)]));
            await project.configure(lostSpecs, second);
            await project.expectPulumi(["up", "--yes", "--skip-preview"]);
            const duringUpdate = ((await emulator.calls()).faults.Lost ?? 0) - duringUp;
            await expectExactly(lostSpecs, second);
            await project.expectPulumi(["preview", "--expect-no-changes"]);
            await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
            const duringDestroy = ((await emulator.calls()).faults.Lost ?? 0) - duringUp - duringUpdate;
            await emulator.configure({ faultRate: 0 });

            expect(await idsInState()).toEqual([]);
            expect(await usersWithProfiles(names)).toEqual([]);
            expect(duringUp).toBeGreaterThan(0);
            expect(duringUpdate).toBeGreaterThan(0);
            expect(duringDestroy).toBeGreaterThan(0);
            // No profile was deleted and made again: only the deletes of the destroy, and their retries.
            expect((await emulator.calls()).calls.DeleteLoginProfile).toBe(20 + duringDestroy);
            console.log(
                `resilience: answers lost after IAM acted: ${duringUp} in up, ${duringUpdate} in the update, ${duringDestroy} in destroy; no failure`,
            );
        },
    );

    tally.case(group, "a password rotation right after creation waits out EntityTemporarilyUnmodifiable", async () => {
        const { specs: one, passwords: first } = fleet("settle", 1);
        await freshUsers(one);
        await emulator.configure({ profileSettleSeconds: 15 });
        await project.initStack("settle", one, first);
        await project.expectPulumi(["up", "--yes", "--skip-preview"]);
        const rotated = { settle0: newPassword("settle0-rotated") };
        await project.configure(one, rotated);

        const calls = await callsDuring(emulator, () => project.expectPulumi(["up", "--yes", "--skip-preview"]));
        const { faults } = await emulator.calls();
        expect(faults.EntityTemporarilyUnmodifiable).toBeGreaterThan(0);
        expect(calls.UpdateLoginProfile).toBe(1 + (faults.EntityTemporarilyUnmodifiable ?? 0));
        expect(await emulator.signsIn("settle0", rotated.settle0)).toBe(true);
        console.log(
            `resilience: rotation right after create: ${faults.EntityTemporarilyUnmodifiable} EntityTemporarilyUnmodifiable answers waited out`,
        );
        await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
    });

    tally.case(group, "a profile for a user created in the same run waits out NoSuchEntity while the user propagates", async () => {
        await emulator.reset();
        await emulator.configure({ userPropagationSeconds: 5 });
        const spec: ProfileSpec = { name: "fresh", userName: "fresh-user", passwordKey: "fresh", userNameFrom: "testUser" };
        const own = { fresh: newPassword("fresh") };
        await project.initStack("propagation", [spec], own);

        const calls = await callsDuring(emulator, () => project.expectPulumi(["up", "--yes", "--skip-preview"]));
        const { faults } = await emulator.calls();
        expect(calls.CreateUser).toBe(1);
        expect(faults.NoSuchEntity).toBeGreaterThan(0);
        expect(calls.CreateLoginProfile).toBe(1 + (faults.NoSuchEntity ?? 0));
        expect(await emulator.signsIn("fresh-user", own.fresh)).toBe(true);
        console.log(`resilience: profile of a user created in the same run: ${faults.NoSuchEntity} NoSuchEntity answers waited out`);
        // The profile goes first: IAM refuses to delete a user that still has one.
        expect(await callsDuring(emulator, () => project.expectPulumi(["destroy", "--yes", "--skip-preview"]))).toEqual({
            DeleteLoginProfile: 1,
            DeleteUser: 1,
        });
    });

    tally.case(
        group,
        "the emulator stopped: up fails within 60 s saying the endpoint cannot be reached; state unchanged; up converges once it is back",
        async () => {
            const { specs: three, passwords: initial } = fleet("outage", 3);
            await freshUsers(three);
            await project.initStack("outage", three, initial);
            await project.expectPulumi(["up", "--yes", "--skip-preview"]);
            const before = await profilesState();

            // While it is down: one password rotated and one profile added.
            const four = fleet("outage", 4).specs;
            const planned = { ...initial, outage3: newPassword("outage3"), outage0: newPassword("outage0-rotated") };
            await project.configure(four, planned);
            await emulator.stop();
            const started = Date.now();
            let failed: CliResult;
            try {
                failed = await project.pulumi(["up", "--yes", "--skip-preview"]);
            } finally {
                // moto keeps its state in memory: a new emulator on the same port starts empty.
                emulator = await startEmulator(port);
            }
            const seconds = (Date.now() - started) / 1000;
            expect(failed.code).toBe(1);
            expect(seconds).toBeLessThan(60);
            // Each failure names the service and call that failed and where its endpoint came from:
            // the update's IAM call, and the create's STS call for the account, made first.
            expect(failed.stdout).toContain(
                `IAM UpdateLoginProfile for IAM user "outage0" failed: cannot reach IAM (ECONNREFUSED: connect ECONNREFUSED ${new URL(emulator.endpoint).host}) ` +
                    `at the IAM endpoint ${emulator.endpoint}, from AWS_ENDPOINT_URL_IAM. Check the network, that endpoint and the region.`,
            );
            expect(failed.stdout).toContain(
                `Finding the account of the credentials for IAM user "outage3" failed: STS GetCallerIdentity: cannot reach STS (ECONNREFUSED: connect ECONNREFUSED ${new URL(emulator.endpoint).host}) ` +
                    `at the STS endpoint ${emulator.endpoint}, from AWS_ENDPOINT_URL_STS. Check the network, that endpoint and the region.`,
            );
            expect(await profilesState()).toEqual(before);
            console.log(`resilience: up with the endpoint down failed after ${seconds.toFixed(1)} s`);

            // The restarted emulator is given back what IAM held before the outage.
            for (const spec of four) {
                await iam.createUser(spec.userName);
            }
            for (const spec of three) {
                await iam.createProfile(spec.userName, initial[spec.passwordKey] ?? "");
            }
            const calls = await callsDuring(emulator, () => project.expectPulumi(["up", "--yes", "--skip-preview"]));
            // A create asks for the account of the credentials first, once per provider process.
            expect(calls).toEqual({ UpdateLoginProfile: 1, GetCallerIdentity: 1, CreateLoginProfile: 1 });
            await expectExactly(four, planned);
            await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
        },
    );
});

describe("interrupted runs", () => {
    const group = "interrupted runs";
    const { specs, passwords } = fleet("k", 20);
    const names = specs.map((s) => s.userName);
    /** The YAML program's profiles (through the plugin): users y0…y19 sharing the secret config `password`. */
    const yamlNames = Array.from({ length: 20 }, (_, i) => `y${i}`);
    const yamlPassword = newPassword("yaml");

    /**
     * Starts `pulumi <args>` in `target` and kills it with SIGKILL once the emulator has received
     * `calls` calls of `action` from it (slowed by latency so that the kill lands in the middle of the run).
     */
    async function killDuring(target: TestProject, args: readonly string[], action: string, calls: number): Promise<void> {
        await emulator.configure({ latencyMs: 1500, faultActions: [action] });
        // Counted from here: the emulator's counts run from the group's last reset, earlier cases' calls included.
        const before = (await emulator.calls()).calls[action] ?? 0;
        const run = target.start(args);
        for (;;) {
            const received = ((await emulator.calls()).calls[action] ?? 0) - before;
            if (received >= calls || run.child.exitCode !== null) {
                break;
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(run.child.exitCode).toBeNull(); // still running: the kill interrupts it
        run.kill();
        const result = await run.done;
        expect(result.code).toBe(-1);
        // Nothing of the killed run is left: not the CLI, nor the plugins it started in groups of their own.
        expect(await target.endLeftovers()).toStrictEqual([]);
        // Calls the killed run had sent still land at IAM; confirming what happened waits for them.
        while ((await emulator.calls()).inFlight > 0) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await emulator.configure({ latencyMs: 0, faultActions: null });
        const repaired = target.repairTruncatedSidecars();
        if (repaired > 0) {
            console.log(`resilience: the kill left ${repaired} truncated state sidecar(s) (*.attrs); removed as the README says`);
        }
        // The killed run still holds the stack's lock; Pulumi's message names the way out.
        const locked = await target.expectPulumi(["refresh", "--yes", "--skip-preview"], 1);
        expect(locked.stderr).toContain("the stack is currently locked by 1 lock(s)");
        await target.expectPulumi(["cancel", "--yes"]);
    }

    /** The pending operations of `type` the interrupted run left in the state of `target`. */
    async function pendingOperations(target: TestProject, type?: string): Promise<PendingOperation[]> {
        const exported = await target.exportStack();
        return (exported.deployment.pending_operations ?? []).filter((op) => type === undefined || op.type === type);
    }

    /** The user name of a profile in this group: its resource name, the last part of its URN. */
    function userNameOf(op: PendingOperation): string {
        return op.resource.urn.split("::").pop() ?? "";
    }

    /** The ids of the LoginProfile resources in the state of `target`, sorted. */
    async function idsIn(target: TestProject): Promise<string[]> {
        return (await target.profilesInState()).map((r) => r.id ?? "").sort();
    }

    /**
     * After a killed `up` of `userNames` in `target`'s stack `stack` (the selected one): `repair
     * --stack` without --yes says what it would do and writes nothing; `repair --yes`, on the
     * selected stack, completes each create IAM carried out and drops the others; then `up` creates
     * the rest and sets the declared password on the completed ones, in place. Returns how many
     * creates were pending, and how many of those IAM had done.
     */
    async function repairAndConverge(
        target: TestProject,
        stack: string,
        userNames: readonly string[],
    ): Promise<{ pending: number; done: number }> {
        const creating = await pendingOperations(target, "creating");
        expect(creating.length).toBeGreaterThan(0);
        const managed = await idsIn(target);
        const withProfiles = await usersWithProfiles(userNames);
        const done = creating
            .map(userNameOf)
            .filter((name) => withProfiles.includes(name))
            .sort();
        expect(done.length).toBeGreaterThan(0);
        // Before repair, the profiles the killed run made are in IAM and not in state.
        expect(managed.filter((id) => done.includes(id))).toEqual([]);

        const plan = target.runPackageCommand(["repair", "--stack", stack]);
        for (const op of creating) {
            const verb = done.includes(userNameOf(op)) ? "completed" : "dropped";
            expect(plan).toContain(`${verb.padEnd(10)} ${op.resource.urn}: IAM user "${userNameOf(op)}" has`);
        }
        expect(plan).toContain("nothing written: run again with --yes to write this to the stack's state");
        expect((await pendingOperations(target, "creating")).length).toBe(creating.length);

        // No --stack: as a `pulumi` command, repair works on the selected stack, and names it.
        const repaired = target.runPackageCommand(["repair", "--yes"]);
        expect(repaired).toContain(`stack ${stack} repaired: run \`pulumi up\``);
        expect(await pendingOperations(target)).toEqual([]);
        expect(await idsIn(target)).toEqual([...managed, ...done].sort());

        const calls = await callsDuring(emulator, () => target.expectPulumi(["up", "--yes", "--skip-preview"]));
        const created = userNames.length - managed.length - done.length;
        // Nothing deleted, nothing made twice: the missing profiles created, the completed ones set in place.
        expect(calls).toEqual({
            ...(created > 0 ? { GetCallerIdentity: 1, CreateLoginProfile: created } : {}),
            UpdateLoginProfile: done.length,
        });
        expect(await idsIn(target)).toEqual([...userNames].sort());
        expect(await pendingOperations(target)).toEqual([]);
        await target.expectPulumi(["preview", "--expect-no-changes"]);
        return { pending: creating.length, done: done.length };
    }

    tally.case(
        group,
        "up killed while creating 20 profiles; repair --yes, then up: every profile managed, none deleted or made twice, no pending operation",
        async () => {
            await freshUsers(specs);
            await project.initStack("kill-up", specs, passwords);
            await killDuring(project, ["up", "--yes", "--skip-preview"], "CreateLoginProfile", 6);

            const { pending, done } = await repairAndConverge(project, "kill-up", names);

            await expectExactly(specs, passwords);
            console.log(`resilience: up killed with ${pending} creates pending, ${done} of them done at IAM; repaired, and up converged`);
        },
    );

    tally.case(group, "up killed while updating 20 passwords; the next up finishes: every new password signs in", async () => {
        const rotated = Object.fromEntries(names.map((name) => [name, newPassword(`${name}-rotated`)]));
        await project.configure(specs, rotated);
        await killDuring(project, ["up", "--yes", "--skip-preview"], "UpdateLoginProfile", 6);
        const updating = await pendingOperations(project, "updating");
        expect(updating.length).toBeGreaterThan(0);

        await project.expectPulumi(["up", "--yes", "--skip-preview"]);

        await expectExactly(specs, rotated);
        Object.assign(passwords, rotated);
        console.log(`resilience: up killed with ${updating.length} updates pending; the next up set every password`);
    });

    tally.case(group, "destroy killed while deleting 20 profiles; the next destroy finishes: none left, none orphaned", async () => {
        await killDuring(project, ["destroy", "--yes", "--skip-preview"], "DeleteLoginProfile", 6);
        const deleting = await pendingOperations(project, "deleting");
        expect(deleting.length).toBeGreaterThan(0);
        const goneBefore = 20 - (await usersWithProfiles(names)).length;

        await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);

        expect(await idsInState()).toEqual([]);
        expect(await usersWithProfiles(names)).toEqual([]);
        console.log(
            `resilience: destroy killed with ${deleting.length} deletes pending, ${goneBefore} profiles already gone; the next destroy finished`,
        );
    });

    tally.case(
        group,
        "finding, pinned: the engine's own `refresh --import-pending-creates URN ID` drops the creates it is given",
        async () => {
            await freshUsers(specs);
            await project.initStack("kill-import", specs, passwords);
            await killDuring(project, ["up", "--yes", "--skip-preview"], "CreateLoginProfile", 6);
            const creating = await pendingOperations(project, "creating");
            const withProfiles = await usersWithProfiles(names);
            const done = creating.filter((op) => withProfiles.includes(userNameOf(op)));
            expect(done.length).toBeGreaterThan(0);

            const importArgs = done.flatMap((op) => [
                "--import-pending-creates",
                op.resource.urn,
                "--import-pending-creates",
                userNameOf(op),
            ]);
            await project.expectPulumi(["refresh", "--yes", "--skip-preview", ...importArgs, "--clear-pending-creates"]);

            // The creates are gone from the pending operations, and not one of them is in state.
            expect(await pendingOperations(project, "creating")).toEqual([]);
            const doneIds = done.map(userNameOf);
            expect((await idsInState()).filter((id) => doneIds.includes(id))).toEqual([]);
            // Left as the engine leaves them: unmanaged profiles, removed here by hand.
            await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
            for (const userName of doneIds) {
                await iam.deleteProfile(userName);
            }
            expect(await usersWithProfiles(names)).toEqual([]);
        },
    );

    tally.case(
        group,
        "a YAML program on the plugin: up killed while creating 20 profiles; repair --yes, then up: every profile managed, none made twice",
        async () => {
            const yaml = TestProject.create(emulator.endpoint);
            try {
                yaml.useYamlProgram(
                    [...yamlProfiles(yamlNames.map((name) => ({ name, userName: name, passwordResetRequired: false }))), ""].join("\n"),
                );
                await emulator.reset();
                for (const name of yamlNames) {
                    await iam.createUser(name);
                }
                await yaml.expectPulumi(["stack", "init", "yaml-kill"]);
                await yaml.setConfig("password", yamlPassword, true);
                await killDuring(yaml, ["up", "--yes", "--skip-preview"], "CreateLoginProfile", 6);

                const { pending, done } = await repairAndConverge(yaml, "yaml-kill", yamlNames);

                for (const name of yamlNames) {
                    expect(await emulator.signsIn(name, yamlPassword)).toBe(true);
                }
                await yaml.expectPulumi(["destroy", "--yes", "--skip-preview"]);
                expect(await usersWithProfiles(yamlNames)).toEqual([]);
                console.log(
                    `resilience: YAML up killed with ${pending} creates pending, ${done} of them done at IAM; repaired, and up converged`,
                );
            } finally {
                yaml.dispose();
            }
        },
    );
});

describe("conflicts", () => {
    const group = "conflicts";
    const alreadyManaged = (userName: string): string =>
        `IAM user "${userName}" already has a login profile (console password) that this resource does not manage ` +
        "(another stack, another LoginProfile in this program, someone outside Pulumi, or a pulumi up killed while creating it made it)";

    tally.case(
        group,
        "two resources for the same user in one program: one fails with a clear message, the other's profile is untouched",
        async () => {
            await freshUsers([{ name: "shared", userName: "shared", passwordKey: "" }]);
            const own = { one: newPassword("one"), two: newPassword("two") };
            await project.initStack(
                "same-program",
                [
                    { name: "one", userName: "shared", passwordKey: "one" },
                    { name: "two", userName: "shared", passwordKey: "two" },
                ],
                own,
            );
            const failed = await project.expectPulumi(["up", "--yes", "--skip-preview"], 1);
            expect(failed.stdout).toContain(alreadyManaged("shared"));

            const [winner, ...others] = await project.profilesInState();
            expect(others).toEqual([]);
            const winnerName = winner?.urn.split("::").pop() as "one" | "two";
            expect(await emulator.signsIn("shared", own[winnerName])).toBe(true);
            await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
        },
    );

    tally.case(
        group,
        "two stacks for the same user: the second fails with a clear message, the first's profile and state are untouched",
        async () => {
            await freshUsers([{ name: "both", userName: "both", passwordKey: "" }]);
            const own = { first: newPassword("first"), second: newPassword("second") };
            await project.initStack("first-owner", [{ name: "both", userName: "both", passwordKey: "first" }], own);
            await project.expectPulumi(["up", "--yes", "--skip-preview"]);
            const firstState = await profilesState();

            await project.initStack("second-owner", [{ name: "both", userName: "both", passwordKey: "second" }], own);
            const failed = await project.expectPulumi(["up", "--yes", "--skip-preview"], 1);
            expect(failed.stdout).toContain(alreadyManaged("both"));
            expect(await project.profilesInState()).toEqual([]);
            expect(await callsDuring(emulator, () => project.expectPulumi(["destroy", "--yes", "--skip-preview"]))).toEqual({});

            expect(await emulator.signsIn("both", own.first)).toBe(true);
            await project.expectPulumi(["stack", "select", "first-owner"]);
            expect(await profilesState()).toEqual(firstState);
            // A refresh finds nothing changed: it records only when it looked and the sign-in above.
            const refreshed = await project.expectPulumi(["refresh", "--yes", "--skip-preview"]);
            expect(refreshed.stdout).toMatch(/Resources:\s+2 unchanged/);
            const readTime = ["driftCheckedAt", "passwordLastUsed"];
            const withoutReadTime = ({ resources }: { resources: unknown[] }): unknown[] =>
                resources.map((resource) => {
                    const { outputs, ...rest } = resource as { outputs: Record<string, unknown> };
                    return { ...rest, outputs: Object.fromEntries(Object.entries(outputs).filter(([key]) => !readTime.includes(key))) };
                });
            expect(withoutReadTime(await profilesState())).toEqual(withoutReadTime(firstState));
            await project.expectPulumi(["destroy", "--yes", "--skip-preview"]);
        },
    );
});

describe("load", () => {
    const group = "load";
    const { specs, passwords } = fleet("load", 200);

    tally.case(group, "200 profiles in one stack through up, refresh and destroy with no failure", async () => {
        await freshUsers(specs);
        await project.initStack("load", specs, passwords);
        const timings: string[] = [];
        const timed = async (args: string[]): Promise<void> => {
            const started = Date.now();
            await project.expectPulumi(args);
            timings.push(`${args[0]} ${((Date.now() - started) / 1000).toFixed(1)} s`);
        };

        await timed(["up", "--yes", "--skip-preview"]);
        await expectExactly(specs, passwords);
        const calls = await callsDuring(emulator, () => timed(["refresh", "--yes", "--skip-preview"]));
        // Each profile read once; once for the provider process ListUsers, the event history (its 200
        // CreateLoginProfile events in 4 pages of 50, one page for each of the two other names a
        // refresh looks for) and the credential report.
        expect(calls).toEqual({ GetLoginProfile: 200, ListUsers: 1, LookupEvents: 6, GenerateCredentialReport: 1, GetCredentialReport: 1 });
        expect(await idsInState()).toHaveLength(200);
        await timed(["destroy", "--yes", "--skip-preview"]);
        expect(await idsInState()).toEqual([]);
        expect(await usersWithProfiles(specs.map((s) => s.userName))).toEqual([]);
        console.log(`resilience: 200 profiles: ${timings.join(", ")}`);
    });
});

describe("secrets", () => {
    tally.case("secret scan", "no test password appears in any state, CLI output, provider output or emulator log", async () => {
        const stacks = await project.expectPulumi(["stack", "ls", "--json"]);
        for (const { name } of JSON.parse(stacks.stdout) as { name: string }[]) {
            await project.expectPulumi(["stack", "select", name]);
            await project.exportStack();
        }
        for (const file of filesUnder(project.dir, ["node_modules"])) {
            record(fs.readFileSync(file, "utf8"));
        }
        record(emulator.log());
        expect(leakedPasswords([...testPasswords])).toEqual([]);
        console.log(`resilience: secret scan: ${testPasswords.size} passwords, none found in plaintext`);
    });
});
