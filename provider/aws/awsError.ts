/**
 * AWS's errors, told apart and described. Every call this package makes goes through `calling`,
 * which marks an error with the call that failed (service, operation, endpoint); a hook then
 * describes it with `describeAwsError`, so that the message names what was really called and
 * the variable that points at that service's endpoint, whichever step made the call.
 */
import { LoginProfileError, redact } from "../model/errors";
import { describeEndpoint, type ServiceEndpoint } from "./endpoint";

/** One AWS call: its service and endpoint, and the operation's name. */
export interface AwsCall {
    /** The endpoint the call was sent to, and its service. */
    readonly endpoint: ServiceEndpoint;
    /** The operation, as AWS names it: `CreateLoginProfile`, `GetCallerIdentity`. */
    readonly operation: string;
}

/** The property under which an error carries the call it came from (not enumerable: it never reaches a log by accident). */
const CALL = Symbol("awsCall");

/** Runs `send`; an error it throws is thrown as it is, marked with `call`. */
export async function calling<T>(call: AwsCall, send: () => Promise<T>): Promise<T> {
    try {
        return await send();
    } catch (error) {
        if (typeof error === "object" && error !== null && !(CALL in error)) {
            Object.defineProperty(error, CALL, { value: call, enumerable: false });
        }
        throw error;
    }
}

/** The call an error came from, when it came from one. */
export function awsCallOf(error: unknown): AwsCall | undefined {
    return typeof error === "object" && error !== null && CALL in error ? ((error as Record<symbol, unknown>)[CALL] as AwsCall) : undefined;
}

/** The AWS error code of an SDK v3 error: `Code` from the query protocol, else the class name. */
export function awsErrorCode(error: unknown): string | undefined {
    if (typeof error !== "object" || error === null) {
        return undefined;
    }
    const record = error as { Code?: unknown; name?: unknown; code?: unknown };
    if (typeof record.Code === "string") {
        return record.Code;
    }
    if (typeof record.code === "string" && /^E[A-Z_]+$/.test(record.code)) {
        return record.code; // a Node network error such as ECONNREFUSED
    }
    if (typeof record.name === "string") {
        // The SDK names a connection or request timeout TimeoutError and gives it no code.
        return record.name === "TimeoutError" ? "ETIMEDOUT" : record.name.replace(/Exception$/, "");
    }
    return undefined;
}

/** Network error codes that mean the endpoint could not be reached at all. */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ETIMEDOUT"]);

/**
 * Wraps any error of an AWS call as a LoginProfileError that says which step failed, for whom,
 * which call of which service answered (or could not be reached), and where that service's
 * endpoint came from. `step` is the hook's step; when it is the operation itself it is said once.
 * Whatever the error says, every occurrence of each given password (the new one and the one
 * still live) is cut out first: AWS does not echo passwords today, but a message that reaches
 * the terminal must not depend on that.
 */
export function describeAwsError(step: string, userName: string, error: unknown, ...passwords: (string | undefined)[]): LoginProfileError {
    if (error instanceof LoginProfileError) {
        return error;
    }
    const code = awsErrorCode(error) ?? "Unknown";
    const detail = textOf(error, passwords);
    const call = awsCallOf(error);
    if (call === undefined) {
        // Not from a call of this package's clients (a test's stand-in): say what is known.
        return UNREACHABLE_CODES.has(code)
            ? new LoginProfileError(
                  "Unreachable",
                  `${step} for IAM user "${userName}" failed: cannot reach AWS (${code}: ${detail}). ` +
                      "Check the network, the AWS_ENDPOINT_URL_* variables and the region.",
              )
            : new LoginProfileError(code, `${step} for IAM user "${userName}" failed: ${code}: ${detail}`);
    }
    const { service } = call.endpoint;
    const named = `${service} ${call.operation}`;
    // The call is named once: as the step when it is the step, else right after the step.
    const [lead, callNamed] = step === call.operation ? [named, ""] : [step, `${named}: `];
    const unreachable = UNREACHABLE_CODES.has(code);
    const what = unreachable
        ? `cannot reach ${service} (${code}: ${detail}) at the ${describeEndpoint(call.endpoint)}. Check the network, that endpoint and the region.`
        : answer(call, code, detail);
    return new LoginProfileError(unreachable ? "Unreachable" : code, `${lead} for IAM user "${userName}" failed: ${callNamed}${what}`);
}

/**
 * What `call` answered with `error`, for a message that has said which step failed: "STS
 * AssumeRole: AccessDenied: … (STS endpoint http://…, from AWS_ENDPOINT_URL_STS)". Every
 * occurrence of each of `secrets` (a password, an external id) is cut out of AWS's text.
 */
export function describeCallFailure(call: AwsCall, error: unknown, ...secrets: (string | undefined)[]): string {
    return `${call.endpoint.service} ${call.operation}: ${answer(call, awsErrorCode(error) ?? "Unknown", textOf(error, secrets))}`;
}

/** AWS's answer to `call` and where the call went: "AccessDenied: … (IAM endpoint …, from AWS_ENDPOINT_URL_IAM)". */
function answer(call: AwsCall, code: string, detail: string): string {
    return `${code}: ${detail} (${describeEndpoint(call.endpoint)})`;
}

/** The text of `error`, each of `secrets` cut out. */
function textOf(error: unknown, secrets: readonly (string | undefined)[]): string {
    const raw = error instanceof Error ? error.message : String(error);
    return secrets.reduce((text: string, secret) => redact(text, secret), raw);
}
