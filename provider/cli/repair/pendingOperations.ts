/**
 * What `repair` does to a stack's state after a killed run: each pending create of a
 * LoginProfile whose profile exists in IAM becomes a resource in state (read as an import reads
 * it: no password, so the next `pulumi up` sets the declared one in place); one whose profile does
 * not exist is dropped (the next `up` creates it); every other pending operation is cleared, since
 * its resource is still in state and the next run applies it again. Pure: IAM is read through
 * the lookup it is given.
 */
import type { LoginProfileState } from "../../model/types";

/** A resource as `pulumi stack export` writes it; only the fields read here are named. */
export interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly id?: string;
    readonly provider?: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly [field: string]: unknown;
}

/** An operation a killed run left pending (`creating`, `updating`, `deleting`, …). */
export interface PendingOperation {
    readonly type: string;
    readonly resource: StateResource;
    readonly [field: string]: unknown;
}

/** The `deployment` of `pulumi stack export`. */
export interface Deployment {
    readonly resources?: readonly StateResource[];
    readonly pending_operations?: readonly PendingOperation[];
    readonly [field: string]: unknown;
}

/** The dynamic resource's type. */
export const DYNAMIC_TYPE = "pulumi-nodejs:dynamic/aws-iam:LoginProfile";
/** The provider plugin's LoginProfile type, whose provider resource in state holds its configuration. */
export const PLUGIN_TYPE = "iam-login-profile:index:LoginProfile";
/** The resource types of a LoginProfile, through either front door. */
export const LOGIN_PROFILE_TYPES: readonly string[] = [DYNAMIC_TYPE, PLUGIN_TYPE];

/** What IAM holds for a pending create: the user it declares, and its profile as an import reads it (none when absent). */
export interface FoundProfile {
    readonly userName: string;
    readonly state?: LoginProfileState;
}

/** Reads the profile a pending create declares, in the account and region of its inputs. */
export type ProfileLookup = (operation: PendingOperation) => Promise<FoundProfile>;

/** The repaired deployment, and one line per pending operation saying what became of it. */
export interface Repair {
    readonly deployment: Deployment;
    readonly lines: readonly string[];
}

/** Resolves every pending operation of `deployment`; it is unchanged when there are none. */
export async function repairDeployment(deployment: Deployment, lookup: ProfileLookup): Promise<Repair> {
    const pending = deployment.pending_operations ?? [];
    const resources = [...(deployment.resources ?? [])];
    const lines: string[] = [];
    for (const operation of pending) {
        const { urn, type } = operation.resource;
        if (operation.type !== "creating") {
            lines.push(`cleared    ${urn}: a pending ${operation.type.replace(/ing$/, "e")}; ${nextRunFor(operation.type)}`);
        } else if (!LOGIN_PROFILE_TYPES.includes(type)) {
            lines.push(
                `dropped    ${urn}: a pending create of a ${type}, not a LoginProfile; if it was created, bring it in with \`pulumi import\``,
            );
        } else if (resources.some((resource) => resource.urn === urn)) {
            lines.push(`cleared    ${urn}: a pending create that a later run completed`);
        } else {
            const { userName, state } = await lookup(operation);
            if (state === undefined) {
                lines.push(`dropped    ${urn}: IAM user "${userName}" has no login profile; the next \`pulumi up\` creates it`);
            } else {
                resources.push(completed(operation, userName, state));
                lines.push(
                    `completed  ${urn}: IAM user "${userName}" has a login profile (account ${state.accountId ?? "unknown"}); ` +
                        "the next `pulumi up` sets its declared password in place",
                );
            }
        }
    }
    return { deployment: { ...deployment, resources, pending_operations: [] }, lines };
}

/** What the next run does for a resource whose operation of `type` was cleared. */
function nextRunFor(type: string): string {
    switch (type) {
        case "updating":
            return "the resource is in state, and the next `pulumi up` applies the update again";
        case "deleting":
            return "the resource is in state, and the next `pulumi destroy` (or `pulumi up`, if it is no longer declared) deletes it again";
        default:
            return "the resource's state is as the last completed run left it";
    }
}

/**
 * The resource a pending create becomes: its id is the user name, its outputs the profile as read.
 * A declared role is kept as the inputs hold it (its external id still encrypted), and a dynamic
 * resource keeps its serialized provider, which its next `read`, `update` and `delete` run.
 */
function completed(operation: PendingOperation, userName: string, state: LoginProfileState): StateResource {
    const inputs = operation.resource.inputs ?? {};
    const { assumeRole, ...rest } = state;
    const outputs: Record<string, unknown> = {
        ...rest,
        ...(assumeRole !== undefined && inputs.assumeRole !== undefined ? { assumeRole: inputs.assumeRole } : {}),
        ...(inputs.__provider !== undefined ? { __provider: inputs.__provider } : {}),
    };
    return { ...operation.resource, id: userName, outputs };
}
