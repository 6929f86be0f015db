/**
 * The set-up every integration suite shares: one emulator for the suite, the AWS SDK's
 * environment pointed at it (as a provider process would see it), an IAM client for arranging and
 * inspecting, and all of it undone after the suite.
 */
import { forgetConnections } from "../../provider/aws/iam";
import { startEmulator, type Emulator } from "./emulator";
import { Iam } from "./iam";

/** What a suite's tests use, available once the suite's beforeAll has run. */
export interface IntegrationSuite {
    readonly emulator: Emulator;
    readonly iam: Iam;
}

/** Registers the suite's beforeAll and afterAll; call at the top of the test file. */
export function integrationSuite(): IntegrationSuite {
    const suite: { emulator?: Emulator; iam?: Iam } = {};
    const savedEnv = { ...process.env };
    beforeAll(async () => {
        suite.emulator = await startEmulator();
        suite.iam = new Iam(suite.emulator.endpoint);
        Object.assign(process.env, {
            AWS_ENDPOINT_URL_IAM: suite.emulator.endpoint,
            AWS_ENDPOINT_URL_STS: suite.emulator.endpoint,
            AWS_ENDPOINT_URL_CLOUDTRAIL: suite.emulator.cloudTrailEndpoint,
            AWS_ACCESS_KEY_ID: "testing",
            AWS_SECRET_ACCESS_KEY: "testing",
            AWS_REGION: "us-east-1",
        });
    });
    // Each test runs as a new provider process would: no role's credentials and no caller's account
    // remembered from the last test (the emulator forgets the keys it issued when a test resets it).
    beforeEach(() => {
        forgetConnections();
    });
    afterAll(async () => {
        suite.iam?.close();
        await suite.emulator?.stop();
        process.env = savedEnv;
    });
    return {
        get emulator(): Emulator {
            if (!suite.emulator) {
                throw new Error("the emulator starts in the suite's beforeAll");
            }
            return suite.emulator;
        },
        get iam(): Iam {
            if (!suite.iam) {
                throw new Error("the IAM client is made in the suite's beforeAll");
            }
            return suite.iam;
        },
    };
}
