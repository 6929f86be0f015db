/**
 * Where the AWS SDK sends a service's calls, and what set it: so that an error can name the
 * endpoint that was really called and the variable that points there. The SDK reads
 * `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, else uses AWS's endpoint for the region.
 * IAM, STS and CloudTrail are separate services with separate variables: a program that points only IAM at
 * an emulator still sends STS calls (the caller's account, assumed roles) to AWS (FACTS.md).
 */

/** The AWS services this package calls. */
export type AwsService = "IAM" | "STS" | "CloudTrail";

/** A service's endpoint for a region, and the variable it came from. */
export interface ServiceEndpoint {
    /** The service. */
    readonly service: AwsService;
    /** The endpoint's URL. */
    readonly url: string;
    /** The variable the URL came from; undefined when it is AWS's own endpoint for `region`. */
    readonly variable: string | undefined;
    /** The region the endpoint was resolved for. */
    readonly region: string;
}

/** The endpoint the SDK reaches `service` at, for `region`, with the environment `env`. */
export function endpointOf(
    service: AwsService,
    region: string,
    env: Readonly<Record<string, string | undefined>> = process.env,
): ServiceEndpoint {
    for (const variable of [serviceVariable(service), "AWS_ENDPOINT_URL"]) {
        const url = env[variable];
        if (url) {
            return { service, url, variable, region };
        }
    }
    return { service, url: awsEndpoint(service, region), variable: undefined, region };
}

/** The variable that points one service elsewhere: `AWS_ENDPOINT_URL_IAM`, `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_CLOUDTRAIL`. */
export function serviceVariable(service: AwsService): string {
    return `AWS_ENDPOINT_URL_${service.toUpperCase()}`;
}

/**
 * The region whose CloudTrail event history holds IAM's events for a partition: IAM is global,
 * and its events are recorded in the partition's home region (us-east-1 for the commercial
 * partition since November 2021, FACTS.md), whatever region the caller used.
 */
export function iamEventsRegion(region: string): string {
    if (region.startsWith("cn-")) {
        return "cn-north-1";
    }
    return region.startsWith("us-gov-") ? "us-gov-west-1" : "us-east-1";
}

/**
 * The endpoint and where it came from, for a message: "IAM endpoint http://127.0.0.1:5000, from
 * AWS_ENDPOINT_URL_IAM", or "STS endpoint https://sts.us-east-1.amazonaws.com: AWS's own for
 * us-east-1, as neither AWS_ENDPOINT_URL_STS nor AWS_ENDPOINT_URL is set".
 */
export function describeEndpoint(endpoint: ServiceEndpoint): string {
    const what = `${endpoint.service} endpoint ${endpoint.url}`;
    return endpoint.variable !== undefined
        ? `${what}, from ${endpoint.variable}`
        : `${what}: AWS's own for ${endpoint.region}, as neither ${serviceVariable(endpoint.service)} nor AWS_ENDPOINT_URL is set`;
}

/**
 * AWS's endpoint for the service: IAM is global per partition; STS and CloudTrail are regional
 * (the SDK for JavaScript v3 uses the regional endpoint, us-east-1's included).
 */
function awsEndpoint(service: AwsService, region: string): string {
    const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    if (service !== "IAM") {
        return `https://${service.toLowerCase()}.${region}.${suffix}`;
    }
    if (region.startsWith("cn-")) {
        return `https://iam.cn-north-1.${suffix}`;
    }
    return region.startsWith("us-gov-") ? "https://iam.us-gov.amazonaws.com" : "https://iam.amazonaws.com";
}
