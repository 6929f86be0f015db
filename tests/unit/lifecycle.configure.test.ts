/** `configure` and the client settings: which region and profile each IAM call goes through. */
import { DeleteLoginProfileCommand, IAMClient } from "@aws-sdk/client-iam";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import "aws-sdk-client-mock-jest";
import { connectIam, type LoginProfileApi } from "../../provider/aws/iam";
import { createLifecycle, type LoginProfileLifecycle } from "../../provider/lifecycle";
import type { ClientSettings } from "../../provider/aws/settings";
import { instantClock, stackConfig, stateOf, USER, mockCloudTrail } from "./fixtures";

type Env = Record<string, string | undefined>;

/** The retry settings every client gets unless the stack sets maxRetries or retryMode. */
const RETRY = { maxAttempts: 11, retryMode: "standard" } as const;

let iamMock: AwsClientStub<IAMClient>;
let cloudTrailMock: AwsClientStub<CloudTrailClient>;
let connected: ClientSettings[];

/** A lifecycle whose connections are recorded, then made through the real SDK client. */
function lifecycleWith(env: Env): LoginProfileLifecycle {
    return createLifecycle({
        clock: instantClock(),
        env,
        connect: (settings): Promise<LoginProfileApi> => {
            connected.push(settings);
            return connectIam(settings);
        },
    });
}

beforeEach(() => {
    iamMock = mockClient(IAMClient);
    cloudTrailMock = mockCloudTrail();
    iamMock.on(DeleteLoginProfileCommand).resolves({});
    connected = [];
});

afterEach(() => {
    iamMock.restore();
    cloudTrailMock.restore();
});

/**
 * A state that records no account (written before accounts were tracked): reached as the stack's
 * configuration says now. A state that records its account is reached as it records (accounts test).
 */
const LEGACY_STATE = stateOf({ accountId: undefined });

const ALL_ENV: Env = { AWS_REGION: "eu-west-3", AWS_DEFAULT_REGION: "eu-north-1" };
const STACK = { "aws:region": "ap-northeast-1" };

describe("the region each call goes to", () => {
    it.each<[string, string | undefined, Record<string, string>, Env, string]>([
        ["picks the resource's own region first", "sa-east-1", STACK, ALL_ENV, "sa-east-1"],
        ["picks stack config aws:region next", undefined, STACK, ALL_ENV, "ap-northeast-1"],
        ["picks AWS_REGION next", undefined, {}, ALL_ENV, "eu-west-3"],
        ["picks AWS_DEFAULT_REGION next", undefined, {}, { AWS_DEFAULT_REGION: "eu-north-1" }, "eu-north-1"],
        ["picks us-east-1 when nothing names a region", undefined, {}, {}, "us-east-1"],
        ["skips empty values", "", { "aws:region": "" }, { AWS_REGION: "", AWS_DEFAULT_REGION: "ca-central-1" }, "ca-central-1"],
    ])("%s", async (_case, region, stack, env, expected) => {
        const lifecycle = lifecycleWith(env);
        await lifecycle.configure(stackConfig(stack));

        await lifecycle.delete(USER, stateOf(region === undefined ? {} : { region }));

        expect(connected).toStrictEqual([{ region: expected, ...RETRY }]);
        await expect((iamMock.call(0).thisValue as IAMClient).config.region()).resolves.toBe(expected);
    });

    it("falls back to the process environment by default", async () => {
        const saved = process.env.AWS_REGION;
        process.env.AWS_REGION = "me-south-1";
        try {
            const lifecycle = createLifecycle({ clock: instantClock() });

            await lifecycle.delete(USER, stateOf());

            await expect((iamMock.call(0).thisValue as IAMClient).config.region()).resolves.toBe("me-south-1");
        } finally {
            if (saved === undefined) {
                delete process.env.AWS_REGION;
            } else {
                process.env.AWS_REGION = saved;
            }
        }
    });
});

describe("the credentials profile", () => {
    it("passes stack config aws:profile to the client", async () => {
        const lifecycle = lifecycleWith({});
        await lifecycle.configure(stackConfig({ "aws:region": "eu-west-1", "aws:profile": "deploy-sso" }));

        await lifecycle.delete(USER, LEGACY_STATE);

        expect(connected).toStrictEqual([{ region: "eu-west-1", profile: "deploy-sso", ...RETRY }]);
        const client = iamMock.call(0).thisValue as IAMClient;
        expect(client.config.profile).toBe("deploy-sso");
    });

    it("names no profile when stack config has none, leaving AWS_PROFILE to the SDK", async () => {
        const lifecycle = lifecycleWith({ AWS_PROFILE: "from-env" });
        await lifecycle.configure(stackConfig({}));

        await lifecycle.delete(USER, LEGACY_STATE);

        expect(connected).toStrictEqual([{ region: "us-east-1", ...RETRY }]);
        expect((iamMock.call(0).thisValue as IAMClient).config.profile).toBeUndefined();
    });

    it("applies the latest configuration to later calls", async () => {
        const lifecycle = lifecycleWith({});
        await lifecycle.configure(stackConfig({ "aws:region": "eu-west-1", "aws:profile": "one" }));
        await lifecycle.delete(USER, LEGACY_STATE);
        await lifecycle.configure(stackConfig({ "aws:region": "eu-west-2" }));
        await lifecycle.delete(USER, LEGACY_STATE);

        expect(connected).toStrictEqual([
            { region: "eu-west-1", profile: "one", ...RETRY },
            { region: "eu-west-2", ...RETRY },
        ]);
    });
});

describe("the IAM client", () => {
    it("is made once per region and profile and reused, so connections are pooled", async () => {
        const lifecycle = lifecycleWith({});

        await lifecycle.delete(USER, stateOf({ region: "us-west-2" }));
        await lifecycle.delete(USER, stateOf({ region: "us-west-2" }));
        await lifecycle.delete(USER, stateOf({ region: "us-west-1" }));

        const clients = iamMock.calls().map((call) => call.thisValue as IAMClient);
        expect(clients[0]).toBe(clients[1]);
        expect(clients[2]).not.toBe(clients[0]);
    });

    it("lets the SDK retry throttling and 5xx up to 11 attempts, in its standard mode (the limiter per account is this package's own)", async () => {
        await lifecycleWith({}).delete(USER, stateOf({ region: "af-south-1" }));

        await expect((iamMock.call(0).thisValue as IAMClient).config.maxAttempts()).resolves.toBe(11);
        const mode: unknown = (iamMock.call(0).thisValue as IAMClient).config.retryMode;
        expect(typeof mode === "function" ? await (mode as () => Promise<string>)() : mode).toBe("standard");
    });
});
