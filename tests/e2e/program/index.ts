/**
 * The Pulumi program every end-to-end scenario runs, driven by stack config so that one installed
 * project serves them all: `profiles` (plain JSON) says which profiles to declare, `passwords`
 * (secret JSON) holds their passwords by key.
 */
import * as pulumi from "@pulumi/pulumi";
import { getLoginProfileOutput, listLoginProfilesOutput, LoginProfile } from "pulumi-iam-login-profile";
import { Computed, TestUser } from "./companions";

interface ProfileSpec {
    name: string;
    userName: string;
    passwordKey: string;
    passwordResetRequired?: boolean;
    adoptExisting?: boolean;
    /** Pass the password as a plain string (from E2E_PLAIN_PASSWORD): the resource must make it secret by itself. */
    plainPassword?: boolean;
    /** Import instead of create: the `import` resource option with this id. */
    importId?: string;
    /** Raw extra inputs, to prove that bad input is rejected (only for the bad-input scenarios). */
    extra?: Record<string, unknown>;
    /**
     * Where the user name comes from: "testUser" creates the IAM user in the same run (a TestUser
     * the profile depends on); "computed" passes it through a Computed resource, so it is unknown
     * at preview. @default the literal userName
     */
    userNameFrom?: "testUser" | "computed";
    /** The account to reach through the role `roleName` there, with the secret config `externalId`. @default the default credentials' */
    account?: string;
}

const config = new pulumi.Config();
const profiles = config.getObject<ProfileSpec[]>("profiles") ?? [];
const passwords = config.requireSecretObject<Record<string, string>>("passwords");
// From the environment rather than config, so that no plaintext copy lands in the update history.
const plainPassword = process.env.E2E_PLAIN_PASSWORD ?? "";
const roleName = config.get("roleName") ?? "OrganizationBreakGlass";
const externalId = config.getSecret("externalId");

/** The role to assume in `account`, with the stack's external id (a secret) when it has one. */
function roleIn(account: string): { roleArn: string; externalId?: pulumi.Input<string> } {
    return { roleArn: `arn:aws:iam::${account}:role/${roleName}`, ...(externalId ? { externalId } : {}) };
}

export const outputs: Record<string, pulumi.Output<unknown>> = {};
for (const spec of profiles) {
    const password = spec.plainPassword ? plainPassword : passwords.apply((all) => all[spec.passwordKey] ?? "");
    const args = {
        userName: userNameOf(spec),
        password,
        passwordResetRequired: spec.passwordResetRequired ?? false,
        ...(spec.adoptExisting ? { adoptExisting: true } : {}),
        ...(spec.account ? { assumeRole: roleIn(spec.account) } : {}),
        ...(spec.extra ?? {}),
    };
    const profile = new LoginProfile(spec.name, args, spec.importId ? { import: spec.importId } : {});
    outputs[spec.name] = pulumi.output({
        userName: profile.userName,
        password: profile.password,
        passwordResetRequired: profile.passwordResetRequired,
        passwordResetPending: profile.passwordResetPending,
        createDate: profile.createDate,
        accountId: profile.accountId,
    });
}

// Lookups: `reads` names users whose profiles the stack reads without managing them (with
// LoginProfile.get and getLoginProfileOutput); `inventory` lists every console user.
for (const userName of config.getObject<string[]>("reads") ?? []) {
    const read = LoginProfile.get(`read-${userName}`, userName);
    const looked = getLoginProfileOutput({ userName });
    outputs[`read-${userName}`] = pulumi.output({
        get: {
            userName: read.userName,
            createDate: read.createDate,
            passwordResetPending: read.passwordResetPending,
            password: read.password,
        },
        function: looked,
    });
}
// `lookups` names users read with getLoginProfileOutput alone.
for (const userName of config.getObject<string[]>("lookups") ?? []) {
    outputs[`lookup-${userName}`] = getLoginProfileOutput({ userName });
}
if (config.getBoolean("inventory")) {
    outputs.inventory = listLoginProfilesOutput();
}
// `inventoryAccounts` lists other accounts' console users, each through its role.
for (const account of config.getObject<string[]>("inventoryAccounts") ?? []) {
    // The external id makes the result secret; the inventory itself holds none.
    const inventory = listLoginProfilesOutput({ assumeRole: roleIn(account) });
    outputs[`inventory-${account}`] = pulumi.unsecret(
        inventory.apply((listed) => ({ accountId: listed.accountId, users: listed.profiles.map((user) => user.userName) })),
    );
}

function userNameOf(spec: ProfileSpec): pulumi.Input<string> {
    switch (spec.userNameFrom) {
        case "testUser":
            return new TestUser(`${spec.name}-user`, spec.userName).userName;
        case "computed":
            return new Computed(`${spec.name}-name`, spec.userName).computed;
        default:
            return spec.userName;
    }
}
