/**
 * The organization benchmark's floor: the same program shape and inputs as bench/programs/organization,
 * but each resource is a dynamic resource whose provider does nothing (create echoes its inputs).
 */
import * as pulumi from "@pulumi/pulumi";

const noop: pulumi.dynamic.ResourceProvider = {
    async create(inputs: Record<string, unknown>) {
        return { id: String(inputs.userName), outs: inputs };
    },
};

class Floor extends pulumi.dynamic.Resource {
    constructor(name: string, args: Record<string, pulumi.Input<unknown>>) {
        super(noop, name, args, { additionalSecretOutputs: ["password"] }, "bench", "Floor");
    }
}

const config = new pulumi.Config();
const accounts = config.requireObject<string[]>("accounts");
const perAccount = config.requireNumber("perAccount");
const roleName = config.require("roleName");
const password = config.requireSecret("password");

for (const account of accounts) {
    const assumeRole = { roleArn: `arn:aws:iam::${account}:role/${roleName}` };
    for (let i = 0; i < perAccount; i++) {
        new Floor(`bg-${account}-${i}`, { userName: `bg-${i}`, password, passwordResetRequired: false, assumeRole });
    }
}
