/**
 * Where CloudTrail's calls go (provider/aws/endpoint.ts): `AWS_ENDPOINT_URL_CLOUDTRAIL`, then
 * `AWS_ENDPOINT_URL`, else AWS's own regional endpoint; and which region's event history holds
 * IAM's events for each partition.
 */
import { describeEndpoint, endpointOf, iamEventsRegion, serviceVariable } from "../../provider/aws/endpoint";

describe("CloudTrail's endpoint", () => {
    it("is named by its own variable, AWS_ENDPOINT_URL_CLOUDTRAIL", () => {
        expect(serviceVariable("CloudTrail")).toBe("AWS_ENDPOINT_URL_CLOUDTRAIL");
        expect(serviceVariable("IAM")).toBe("AWS_ENDPOINT_URL_IAM");
        expect(serviceVariable("STS")).toBe("AWS_ENDPOINT_URL_STS");
    });

    it("comes from AWS_ENDPOINT_URL_CLOUDTRAIL before AWS_ENDPOINT_URL", () => {
        const endpoint = endpointOf("CloudTrail", "us-east-1", {
            AWS_ENDPOINT_URL_CLOUDTRAIL: "http://127.0.0.1:5001",
            AWS_ENDPOINT_URL: "http://127.0.0.1:5002",
        });

        expect(endpoint).toStrictEqual({
            service: "CloudTrail",
            url: "http://127.0.0.1:5001",
            variable: "AWS_ENDPOINT_URL_CLOUDTRAIL",
            region: "us-east-1",
        });
        expect(describeEndpoint(endpoint)).toBe("CloudTrail endpoint http://127.0.0.1:5001, from AWS_ENDPOINT_URL_CLOUDTRAIL");
    });

    it("comes from AWS_ENDPOINT_URL when CloudTrail has no variable of its own", () => {
        expect(endpointOf("CloudTrail", "us-east-1", { AWS_ENDPOINT_URL: "http://127.0.0.1:5002" })).toStrictEqual({
            service: "CloudTrail",
            url: "http://127.0.0.1:5002",
            variable: "AWS_ENDPOINT_URL",
            region: "us-east-1",
        });
    });

    it("is AWS's own regional endpoint otherwise, even when IAM's or STS's variable points elsewhere", () => {
        const endpoint = endpointOf("CloudTrail", "us-east-1", {
            AWS_ENDPOINT_URL_IAM: "http://127.0.0.1:5000",
            AWS_ENDPOINT_URL_STS: "http://127.0.0.1:5000",
        });

        expect(endpoint).toStrictEqual({
            service: "CloudTrail",
            url: "https://cloudtrail.us-east-1.amazonaws.com",
            variable: undefined,
            region: "us-east-1",
        });
        expect(describeEndpoint(endpoint)).toBe(
            "CloudTrail endpoint https://cloudtrail.us-east-1.amazonaws.com: AWS's own for us-east-1, " +
                "as neither AWS_ENDPOINT_URL_CLOUDTRAIL nor AWS_ENDPOINT_URL is set",
        );
    });

    it.each([
        ["us-east-1", "https://cloudtrail.us-east-1.amazonaws.com"],
        ["cn-north-1", "https://cloudtrail.cn-north-1.amazonaws.com.cn"],
        ["us-gov-west-1", "https://cloudtrail.us-gov-west-1.amazonaws.com"],
    ])("is AWS's own in %s: %s", (region, url) => {
        expect(endpointOf("CloudTrail", region, {}).url).toBe(url);
    });

    it("leaves IAM's and STS's endpoints as they were", () => {
        expect(endpointOf("IAM", "eu-west-1", {}).url).toBe("https://iam.amazonaws.com");
        expect(endpointOf("IAM", "cn-northwest-1", {}).url).toBe("https://iam.cn-north-1.amazonaws.com.cn");
        expect(endpointOf("IAM", "us-gov-east-1", {}).url).toBe("https://iam.us-gov.amazonaws.com");
        expect(endpointOf("STS", "eu-west-1", {}).url).toBe("https://sts.eu-west-1.amazonaws.com");
        expect(endpointOf("STS", "cn-north-1", {}).url).toBe("https://sts.cn-north-1.amazonaws.com.cn");
    });
});

describe("iamEventsRegion", () => {
    it.each([
        // aws: IAM's events are in us-east-1's event history, whatever region the caller used
        ["us-east-1", "us-east-1"],
        ["us-west-2", "us-east-1"],
        ["eu-central-1", "us-east-1"],
        ["ap-southeast-2", "us-east-1"],
        ["sa-east-1", "us-east-1"],
        // aws-cn
        ["cn-north-1", "cn-north-1"],
        ["cn-northwest-1", "cn-north-1"],
        // aws-us-gov
        ["us-gov-west-1", "us-gov-west-1"],
        ["us-gov-east-1", "us-gov-west-1"],
    ])("is %s's partition's home region: %s", (region, home) => {
        expect(iamEventsRegion(region)).toBe(home);
    });
});
