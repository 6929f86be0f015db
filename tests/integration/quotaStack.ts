/**
 * One stack's provider process, for quota.integration.test.ts: run by Node as a process of its
 * own (bundled from these sources), as each `pulumi up`, `refresh` and `destroy` runs the provider
 * in a new process, whose account limiter shares no memory with the other stacks'. It plays one
 * operation of one stack with the engine's default parallelism (8 steps in flight):
 *
 *   node quotaStack.js JOB_FILE
 *
 * The job file (JSON, `Job`) names the operation, the users, the role and where the states are
 * kept between operations. It prints one line of JSON (`Outcome`): the failures' first lines (an
 * error of the provider never holds a password) and the CloudTrail answers this process saw, since
 * the emulator counts CloudTrail's throttles with IAM's under one name.
 */
import { subscribe } from "node:diagnostics_channel";
import * as fs from "node:fs";
import type { ClientRequest, IncomingMessage } from "node:http";
import { createLifecycle } from "../../provider/lifecycle";
import type { LoginProfileState } from "../../provider/model/types";

/** What one process does. */
export interface Job {
    readonly operation: "up" | "refresh" | "destroy";
    readonly users: readonly string[];
    readonly role: { readonly roleArn: string; readonly externalId: string };
    /** Where `up` writes the states and `refresh` and `destroy` read them (a file of the test's temporary folder). */
    readonly stateFile: string;
}

/** What one process reports. */
export interface Outcome {
    /** The first line of each failed step's error. */
    readonly failures: readonly string[];
    /** LookupEvents answers: accepted, and refused (400: CloudTrail's ThrottlingException here). */
    readonly lookups: { readonly ok: number; readonly refused: number };
}

/** The engine's steps in flight (`--parallel` by default on this machine's two cores). */
const STEPS_IN_FLIGHT = 8;

/** Runs `step` over `items`, at most `limit` at once, and collects each failure's first line. */
async function inFlight<T>(items: readonly T[], limit: number, step: (item: T) => Promise<void>): Promise<string[]> {
    const failures: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) {
            const item = items[next++] as T;
            await step(item).catch((error: unknown) => {
                failures.push((error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "");
            });
        }
    };
    await Promise.all(Array.from({ length: limit }, worker));
    return failures;
}

/** Counts the answers to LookupEvents (CloudTrail's JSON protocol names the action in X-Amz-Target). */
function countLookups(): { ok: number; refused: number } {
    const lookups = { ok: 0, refused: 0 };
    subscribe("http.client.response.finish", (message) => {
        const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
        if (String(request.getHeader("x-amz-target") ?? "").endsWith(".LookupEvents")) {
            lookups[response.statusCode === 200 ? "ok" : "refused"]++;
        }
    });
    return lookups;
}

async function main(jobFile: string): Promise<void> {
    const job = JSON.parse(fs.readFileSync(jobFile, "utf8")) as Job;
    const lookups = countLookups();
    const hooks = createLifecycle({ warn: () => undefined, inform: () => undefined });
    let failures: string[];
    if (job.operation === "up") {
        const states: LoginProfileState[] = [];
        failures = await inFlight(job.users, STEPS_IN_FLIGHT, async (userName) => {
            const created = await hooks.create({ userName, passwordLength: 24, passwordResetRequired: false, assumeRole: job.role });
            states.push(created.outs as LoginProfileState);
        });
        fs.writeFileSync(job.stateFile, JSON.stringify(states), { mode: 0o600 });
    } else {
        const states = JSON.parse(fs.readFileSync(job.stateFile, "utf8")) as LoginProfileState[];
        failures = await inFlight(states, STEPS_IN_FLIGHT, async (state) => {
            if (job.operation === "refresh") {
                const read = await hooks.read(state.userName, state);
                if (read.id !== state.userName) {
                    throw new Error(`refresh found no profile for ${state.userName}`);
                }
            } else {
                await hooks.delete(state.userName, state);
            }
        });
    }
    const outcome: Outcome = { failures, lookups };
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

main(process.argv[2] ?? "").catch((error: unknown) => {
    process.stderr.write(`quotaStack: ${(error instanceof Error ? error.message : String(error)).split("\n")[0] ?? ""}\n`);
    process.exit(1);
});
