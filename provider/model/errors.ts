/**
 * The one error class this package throws, and the translation of AWS errors into it. Messages
 * name the user and the way out, and never contain a password.
 */

/** An error from a LoginProfile hook; `code` is the AWS error code, or one of this package's own. */
export class LoginProfileError extends Error {
    /**
     * The AWS error code (such as `EntityAlreadyExists`), or one of this package's own:
     * `Unreachable`, `Timeout`, `Invalid`, `InvalidPgpKey`. A `passwordLength` too short for the
     * account's password policy is `PasswordPolicyViolation`, as AWS would have answered.
     */
    public readonly code: string;

    constructor(code: string, message: string) {
        super(message);
        this.name = "LoginProfileError";
        this.code = code;
    }
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
 * Wraps any error from an IAM call as a LoginProfileError that says what failed and for whom.
 * Whatever the error says, every occurrence of each given password (the new one and the one
 * still live) is cut out first: AWS does not echo
 * passwords today, but a message that reaches the terminal must not depend on that.
 */
export function describeIamError(
    action: string,
    userName: string,
    error: unknown,
    ...passwords: (string | undefined)[]
): LoginProfileError {
    if (error instanceof LoginProfileError) {
        return error;
    }
    const code = awsErrorCode(error) ?? "Unknown";
    const raw = error instanceof Error ? error.message : String(error);
    const detail = passwords.reduce((text: string, password) => redact(text, password), raw);
    if (UNREACHABLE_CODES.has(code)) {
        return new LoginProfileError(
            "Unreachable",
            `${action} for IAM user "${userName}" failed: cannot reach the IAM endpoint (${code}: ${detail}). ` +
                "Check the network, AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL and the region.",
        );
    }
    return new LoginProfileError(code, `${action} for IAM user "${userName}" failed: ${code}: ${detail}`);
}

/** Replaces every occurrence of `secret` in `text` with `[secret]`. */
export function redact(text: string, secret: string | undefined): string {
    return secret ? text.split(secret).join("[secret]") : text;
}
