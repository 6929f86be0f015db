/**
 * The benchmark's floor: the same program shape and inputs as the LoginProfile stack
 * (bench/programs/profiles), but each resource is a dynamic resource whose provider does nothing:
 * `create` returns an id and echoes its inputs; there is no check, diff, read, update or delete
 * logic, so the engine and the dynamic-provider host do their defaults. Whatever the LoginProfile
 * stack costs beyond this stack is the cost of our provider.
 */
import * as pulumi from "@pulumi/pulumi";

interface ProfileSpec {
    name: string;
    userName: string;
    passwordKey: string;
    passwordResetRequired?: boolean;
}

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
const profiles = config.getObject<ProfileSpec[]>("profiles") ?? [];
const passwords = config.requireSecretObject<Record<string, string>>("passwords");

for (const spec of profiles) {
    new Floor(spec.name, {
        userName: spec.userName,
        password: pulumi.secret(passwords.apply((all) => all[spec.passwordKey] ?? "")),
        passwordResetRequired: spec.passwordResetRequired ?? false,
    });
}
