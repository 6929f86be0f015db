/** The package's error class, AWS error codes, and how an AWS failure becomes a message. */
import { LoginProfileError, redact } from "../../provider/model/errors";
import { awsCallOf, awsErrorCode, calling, describeAwsError, type AwsCall } from "../../provider/aws/awsError";
import { endpointOf } from "../../provider/aws/endpoint";
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

describe("describeAwsError", () => {
    it("names the action, the user, the AWS code and AWS's message", () => {
        const error = describeAwsError("UpdateLoginProfile", USER, awsError.limitExceeded("Too many requests"));

        expect(error).toBeInstanceOf(LoginProfileError);
        expect({ code: error.code, message: error.message }).toStrictEqual({
            code: "LimitExceeded",
            message: `UpdateLoginProfile for IAM user "${USER}" failed: LimitExceeded: Too many requests`,
        });
    });

    it("returns a LoginProfileError as it is", () => {
        const original = new LoginProfileError("NoSuchEntity", "already explained");

        expect(describeAwsError("DeleteLoginProfile", USER, original, PASSWORD)).toBe(original);
    });

    it.each(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT"])(
        "says AWS cannot be reached on %s, and where to look, for an error of no known call",
        (code) => {
            const error = describeAwsError("GetLoginProfile", USER, networkError(code, `connect ${code}`));

            expect({ code: error.code, message: error.message }).toStrictEqual({
                code: "Unreachable",
                message:
                    `GetLoginProfile for IAM user "${USER}" failed: cannot reach AWS (${code}: connect ${code}). ` +
                    "Check the network, the AWS_ENDPOINT_URL_* variables and the region.",
            });
        },
    );

    it("says AWS cannot be reached when the SDK times out a connection", () => {
        const timeout = Object.assign(new Error("Connection timed out after 5000 ms"), { name: "TimeoutError" });

        const error = describeAwsError("GetLoginProfile", USER, timeout);

        expect({ code: error.code, message: error.message }).toStrictEqual({
            code: "Unreachable",
            message:
                `GetLoginProfile for IAM user "${USER}" failed: cannot reach AWS (ETIMEDOUT: Connection timed out after 5000 ms). ` +
                "Check the network, the AWS_ENDPOINT_URL_* variables and the region.",
        });
    });

    describe("of a call this package made", () => {
        const sts = (env: Record<string, string>): AwsCall => ({
            operation: "GetCallerIdentity",
            endpoint: endpointOf("STS", "us-east-1", env),
        });
        const iam = (env: Record<string, string>): AwsCall => ({
            operation: "UpdateLoginProfile",
            endpoint: endpointOf("IAM", "eu-west-1", env),
        });
        const failed = (call: AwsCall, error: Error): Promise<unknown> =>
            calling(call, () => Promise.reject(error)).catch((thrown: unknown) => thrown);

        it("names STS, the call and AWS's own endpoint when STS cannot be reached, though IAM's variable is set", async () => {
            const thrown = await failed(
                sts({ AWS_ENDPOINT_URL_IAM: "http://127.0.0.1:5000" }),
                networkError("ENOTFOUND", "getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com"),
            );

            const error = describeAwsError("Finding the account of the credentials", USER, thrown);

            expect({ code: error.code, message: error.message }).toStrictEqual({
                code: "Unreachable",
                message:
                    `Finding the account of the credentials for IAM user "${USER}" failed: STS GetCallerIdentity: ` +
                    "cannot reach STS (ENOTFOUND: getaddrinfo ENOTFOUND sts.us-east-1.amazonaws.com) at the STS endpoint " +
                    "https://sts.us-east-1.amazonaws.com: AWS's own for us-east-1, as neither AWS_ENDPOINT_URL_STS nor AWS_ENDPOINT_URL is set. " +
                    "Check the network, that endpoint and the region.",
            });
        });

        it("names the variable the endpoint came from, the service's own before AWS_ENDPOINT_URL", async () => {
            const thrown = await failed(
                sts({ AWS_ENDPOINT_URL_STS: "http://127.0.0.1:5001", AWS_ENDPOINT_URL: "http://127.0.0.1:5002" }),
                networkError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5001"),
            );

            expect(describeAwsError("Finding the account of the credentials", USER, thrown).message).toBe(
                `Finding the account of the credentials for IAM user "${USER}" failed: STS GetCallerIdentity: ` +
                    "cannot reach STS (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5001) at the STS endpoint http://127.0.0.1:5001, from AWS_ENDPOINT_URL_STS. " +
                    "Check the network, that endpoint and the region.",
            );
        });

        it("says the call once when the step is the call, with AWS's answer and the endpoint", async () => {
            const thrown = await failed(iam({ AWS_ENDPOINT_URL: "http://127.0.0.1:5002" }), awsError.limitExceeded("Too many requests"));

            const error = describeAwsError("UpdateLoginProfile", USER, thrown, PASSWORD);

            expect({ code: error.code, message: error.message }).toStrictEqual({
                code: "LimitExceeded",
                message: `IAM UpdateLoginProfile for IAM user "${USER}" failed: LimitExceeded: Too many requests (IAM endpoint http://127.0.0.1:5002, from AWS_ENDPOINT_URL)`,
            });
        });

        it("keeps the error as it was thrown, with its code, and marks it once", async () => {
            const original = awsError.noSuchEntity();
            const thrown = await failed(iam({}), original);
            const again = await failed(sts({}), thrown as Error);

            expect(again).toBe(original);
            expect(awsErrorCode(again)).toBe("NoSuchEntity");
            expect(awsCallOf(again)?.operation).toBe("UpdateLoginProfile");
            expect(Object.keys(original)).not.toContain("awsCall");
        });
    });

    it("describes something thrown that is not an Error", () => {
        const error = describeAwsError("GetLoginProfile", USER, "socket closed");

        expect({ code: error.code, message: error.message }).toStrictEqual({
            code: "Unknown",
            message: `GetLoginProfile for IAM user "${USER}" failed: Unknown: socket closed`,
        });
    });

    it("cuts every occurrence of the password out of the message", () => {
        const error = describeAwsError("CreateLoginProfile", USER, awsError.passwordPolicyViolation(`${PASSWORD}/${PASSWORD}`), PASSWORD);

        expect(error.message).toBe(`CreateLoginProfile for IAM user "${USER}" failed: PasswordPolicyViolation: [secret]/[secret]`);
    });

    it("cuts the password out of a network error's message too", () => {
        const error = describeAwsError("CreateLoginProfile", USER, networkError("ECONNRESET", `reset while sending ${PASSWORD}`), PASSWORD);

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
