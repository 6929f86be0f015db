/**
 * Small companion resources the scenarios need beside LoginProfile, as a user's program would
 * have them: an IAM user created in the same run (so that IAM's propagation delay is real), and a
 * value computed by another resource (so that it is unknown at preview).
 */
import * as pulumi from "@pulumi/pulumi";

/** Creates an IAM user with CreateUser and deletes it with DeleteUser, through the endpoint in the environment. */
const testUserProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: { userName: string }) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const sdk = require("@aws-sdk/client-iam") as typeof import("@aws-sdk/client-iam");
        const client = new sdk.IAMClient({});
        await client.send(new sdk.CreateUserCommand({ UserName: inputs.userName }));
        return { id: inputs.userName, outs: { userName: inputs.userName } };
    },
    async delete(id: string) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const sdk = require("@aws-sdk/client-iam") as typeof import("@aws-sdk/client-iam");
        const client = new sdk.IAMClient({});
        try {
            await client.send(new sdk.DeleteUserCommand({ UserName: id }));
        } catch (error) {
            if ((error as { name?: string }).name !== "NoSuchEntityException") {
                throw error;
            }
        }
    },
};

/** An IAM user, created in the same `pulumi up` as its login profile. */
export class TestUser extends pulumi.dynamic.Resource {
    declare public readonly userName: pulumi.Output<string>;

    constructor(name: string, userName: string) {
        super(testUserProvider, name, { userName }, {}, "e2e", "TestUser");
    }
}

/**
 * Hands its input `value` back as the output `computed`. In a preview the engine takes a new
 * resource's outputs from its inputs of the same name, so the output has a name of its own: it is
 * unknown until the resource is created.
 */
const computedProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: { value: string }) {
        return { id: "computed", outs: { value: inputs.value, computed: inputs.value } };
    },
};

/** A value another resource computes: unknown at preview, known at `up`. */
export class Computed extends pulumi.dynamic.Resource {
    declare public readonly computed: pulumi.Output<string>;

    constructor(name: string, value: string) {
        super(computedProvider, name, { value, computed: undefined }, {}, "e2e", "Computed");
    }
}
