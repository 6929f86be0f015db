/** The package's error class, AWS error codes, and how an AWS failure becomes a message. */
import { describeIamError, LoginProfileError, redact, awsErrorCode } from "../../provider/model/errors";
import { awsError, networkError, PASSWORD, USER } from "./fixtures";

describe("LoginProfileError", () => {
    it("is an Error with its own name, a code and the message", () => {
        const error = new LoginProfileError("Timeout", "gave up");

        expect(error).toBeInstanceOf(Error);
        expect({ name: error.name, code: error.code, message: error.message }).toStrictEqual({
            name: "LoginProfileError",
            code: "Timeout",
            message: "gave up",
        });
    });
});

describe("awsErrorCode", () => {
    it.each<[string, unknown, string | undefined]>([
        ["a modeled SDK exception, from its class name", awsError.noSuchEntity(), "NoSuchEntity"],
        ["EntityTemporarilyUnmodifiable", awsError.entityTemporarilyUnmodifiable(), "EntityTemporarilyUnmodifiable"],
        ["a query-protocol error, from its Code", { Code: "Throttling", name: "ThrottlingException" }, "Throttling"],
        ["an unmodeled error, from its name", Object.assign(new Error("slow down"), { name: "Throttling" }), "Throttling"],
        ["a Node network error, from its code", networkError("ECONNREFUSED"), "ECONNREFUSED"],
        ["a plain Error, as Error", new Error("boom"), "Error"],
        ["an object with a non-network code, from its name", { code: "NoSuchEntity", name: "Other" }, "Other"],
        ["a string, as nothing", "boom", undefined],
        ["null, as nothing", null, undefined],
        ["an object with no name, as nothing", {}, undefined],
    ])("reads %s", (_case, error, code) => {
        expect(awsErrorCode(error)).toBe(code);
    });

    it("reads the DNS error EAI_AGAIN from its code", () => {
        expect(awsErrorCode(networkError("EAI_AGAIN", "getaddrinfo EAI_AGAIN iam.amazonaws.com"))).toBe("EAI_AGAIN");
    });
});

describe("describeIamError", () => {
    it("names the action, the user, the AWS code and AWS's message", () => {
        const error = describeIamError("UpdateLoginProfile", USER, awsError.limitExceeded("Too many requests"));

        expect(error).toBeInstanceOf(LoginProfileError);
        expect({ code: error.code, message: error.message }).toStrictEqual({
            code: "LimitExceeded",
            message: `UpdateLoginProfile for IAM user "${USER}" failed: LimitExceeded: Too many requests`,
        });
    });

    it("returns a LoginProfileError as it is", () => {
        const original = new LoginProfileError("NoSuchEntity", "already explained");

        expect(describeIamError("DeleteLoginProfile", USER, original, PASSWORD)).toBe(original);
    });

    it.each(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT"])(
        "says the endpoint cannot be reached on %s, and where to look",
        (code) => {
            const error = describeIamError("GetLoginProfile", USER, networkError(code, `connect ${code}`));

            expect({ code: error.code, message: error.message }).toStrictEqual({
                code: "Unreachable",
                message:
                    `GetLoginProfile for IAM user "${USER}" failed: cannot reach the IAM endpoint (${code}: connect ${code}). ` +
                    "Check the network, AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL and the region.",
            });
        },
    );

    it("says the endpoint cannot be reached when the SDK times out a connection", () => {
        const timeout = Object.assign(new Error("Connection timed out after 5000 ms"), { name: "TimeoutError" });

        const error = describeIamError("GetLoginProfile", USER, timeout);

        expect({ code: error.code, message: error.message }).toStrictEqual({
            code: "Unreachable",
            message:
                `GetLoginProfile for IAM user "${USER}" failed: cannot reach the IAM endpoint (ETIMEDOUT: Connection timed out after 5000 ms). ` +
                "Check the network, AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL and the region.",
        });
    });

    it("describes something thrown that is not an Error", () => {
        const error = describeIamError("GetLoginProfile", USER, "socket closed");

        expect({ code: error.code, message: error.message }).toStrictEqual({
            code: "Unknown",
            message: `GetLoginProfile for IAM user "${USER}" failed: Unknown: socket closed`,
        });
    });

    it("cuts every occurrence of the password out of the message", () => {
        const error = describeIamError("CreateLoginProfile", USER, awsError.passwordPolicyViolation(`${PASSWORD}/${PASSWORD}`), PASSWORD);

        expect(error.message).toBe(`CreateLoginProfile for IAM user "${USER}" failed: PasswordPolicyViolation: [secret]/[secret]`);
    });

    it("cuts the password out of a network error's message too", () => {
        const error = describeIamError("CreateLoginProfile", USER, networkError("ECONNRESET", `reset while sending ${PASSWORD}`), PASSWORD);

        expect(error.message).not.toContain(PASSWORD);
        expect(error.message).toContain("(ECONNRESET: reset while sending [secret])");
    });
});

describe("redact", () => {
    it("replaces every occurrence of the secret", () => {
        expect(redact("a-pw-b-pw", "pw")).toBe("a-[secret]-b-[secret]");
    });

    it("leaves the text as it is when there is no secret or it does not occur", () => {
        expect(redact("nothing to hide", undefined)).toBe("nothing to hide");
        expect(redact("nothing to hide", "")).toBe("nothing to hide");
        expect(redact("nothing to hide", PASSWORD)).toBe("nothing to hide");
    });
});
