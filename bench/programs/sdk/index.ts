/**
 * The benchmark's second reference, "bare SDK": the same program shape and inputs as the
 * LoginProfile stack, with a dynamic provider that makes the same IAM calls the simplest way, with
 * the AWS SDK and nothing else: CreateLoginProfile in create, GetLoginProfile in read,
 * DeleteLoginProfile in delete; no check, no diff, no validation, no retries of its own. It shows
 * what the IAM calls themselves cost (the SDK in the provider process, the emulator), so that the
 * LoginProfile stack's time can be read against both floors: no provider work at all, and the
 * provider work any IAM-calling provider does. Like LoginProfile, it loads the SDK on first use.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as IamSdk from "@aws-sdk/client-iam";
import * as pulumi from "@pulumi/pulumi";

interface ProfileSpec {
    name: string;
    userName: string;
    passwordKey: string;
    passwordResetRequired?: boolean;
}

/** The SDK and one client for the provider process, created on first use (never captured). */
function iam(): { sdk: typeof IamSdk; client: IamSdk.IAMClient } {
    const cache = globalThis as { benchBareIam?: { sdk: typeof IamSdk; client: IamSdk.IAMClient } };
    if (!cache.benchBareIam) {
        const sdk = require("@aws-sdk/client-iam") as typeof IamSdk;
        cache.benchBareIam = { sdk, client: new sdk.IAMClient({}) };
    }
    return cache.benchBareIam;
}

const bare: pulumi.dynamic.ResourceProvider = {
    async create(inputs: Record<string, unknown>) {
        const { sdk, client } = iam();
        const created = await client.send(
            new sdk.CreateLoginProfileCommand({
                UserName: String(inputs.userName),
                Password: String(inputs.password),
                PasswordResetRequired: inputs.passwordResetRequired === true,
            }),
        );
        return { id: String(inputs.userName), outs: { ...inputs, createDate: created.LoginProfile?.CreateDate?.toISOString() } };
    },
    async read(id: string, props?: Record<string, unknown>) {
        const { sdk, client } = iam();
        const current = await client.send(new sdk.GetLoginProfileCommand({ UserName: id }));
        return { id, props: { ...props, passwordResetPending: current.LoginProfile?.PasswordResetRequired ?? false } };
    },
    async delete(id: string) {
        const { sdk, client } = iam();
        await client.send(new sdk.DeleteLoginProfileCommand({ UserName: id }));
    },
};

class Bare extends pulumi.dynamic.Resource {
    constructor(name: string, args: Record<string, pulumi.Input<unknown>>) {
        super(bare, name, args, { additionalSecretOutputs: ["password"] }, "bench", "Bare");
    }
}

const config = new pulumi.Config();
const profiles = config.getObject<ProfileSpec[]>("profiles") ?? [];
const passwords = config.requireSecretObject<Record<string, string>>("passwords");

for (const spec of profiles) {
    new Bare(spec.name, {
        userName: spec.userName,
        password: pulumi.secret(passwords.apply((all) => all[spec.passwordKey] ?? "")),
        passwordResetRequired: spec.passwordResetRequired ?? false,
    });
}
