/**
 * The one error class this package throws (aws/awsError.ts translates AWS's errors into it).
 * Messages name the user and the way out, and never contain a password.
 */

/** An error from a LoginProfile hook; `code` is the AWS error code, or one of this package's own. */
export class LoginProfileError extends Error {
    /**
     * The AWS error code (such as `EntityAlreadyExists`), or one of this package's own:
     * `Unreachable`, `Timeout`, `Invalid`, `InvalidPgpKey`, `InvalidShare` (shares the `combine`
     * command refuses). A `passwordLength` too short for the account's password policy is
     * `PasswordPolicyViolation`, as AWS would have answered.
     */
    public readonly code: string;

    constructor(code: string, message: string) {
        super(message);
        this.name = "LoginProfileError";
        this.code = code;
        // The message says all a user needs (it names the user, the call and the way out), so no
        // stack trace is shown with it:
        // - Pulumi's program runner prints a RunError's message alone; it looks for this marker,
        //   which works across copies of @pulumi/pulumi (a failed lookup in a program);
        // - the dynamic provider host prints `${error}: ${error.stack}` for a failed read or delete
        //   (LoginProfile.get, refresh, destroy), so the stack holds no frames;
        // - the CLI passes a program's error to `util.inspect`, which in Node 20.20 and 22.23 loops
        //   for 18 s of CPU on a frame under `node_modules/@scope/` with no package directory,
        //   as source maps give an Output's apply.
        Object.defineProperty(this, "__pulumiRunError", { value: true });
        this.stack = "";
    }
}

/** Replaces every occurrence of `secret` in `text` with `[secret]`. */
export function redact(text: string, secret: string | undefined): string {
    return secret ? text.split(secret).join("[secret]") : text;
}
