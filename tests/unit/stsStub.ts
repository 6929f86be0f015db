/**
 * Every unit test runs with STS stubbed, as IAM is: GetCallerIdentity answers the default account,
 * and no credentials or accounts are remembered from one test to the next. A test about roles sets
 * its own answers on `stsMock`.
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { forgetConnections } from "../../provider/aws/iam";

// No unit test reaches an endpoint, so none is set: an error names AWS's own (fixtures.ts's IAM_ENDPOINT).
for (const variable of ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_CLOUDTRAIL"]) {
    delete process.env[variable];
}

/** The account GetCallerIdentity answers with. */
export const CALLER_ACCOUNT_ID = "123456789012";

/** The STS stub, reset before each test. */
export const stsMock = mockClient(STSClient);

beforeEach(() => {
    stsMock.reset();
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: CALLER_ACCOUNT_ID, Arn: `arn:aws:iam::${CALLER_ACCOUNT_ID}:user/tests` });
    forgetConnections();
});
