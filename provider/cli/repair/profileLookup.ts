/**
 * Reads, for `repair`, the profile each pending create declares, where the provider would have
 * created it: the region, role and profile of the create's inputs, else those of its provider (the
 * plugin's provider resource in state) or of the stack's config (the dynamic resource's `aws:region`,
 * `aws:profile`, `iam-login-profile:*`), else the AWS SDK's defaults. It reads with the provider's
 * own `read` of an import, so a completed resource's state is exactly what an import would write.
 */
import { createContext } from "../../lifecycle/context";
import { SECRET_SIGNATURE, SIGNATURE_KEY } from "../../model/secretSignature";
import { readProfile } from "../../lifecycle/read";
import { CONFIG_KEYS, stackConfigValues, stackSettings, type StackSettings } from "../../aws/settings";
import type { LoginProfileState } from "../../model/types";
import { PLUGIN_TYPE, type Deployment, type FoundProfile, type PendingOperation, type ProfileLookup } from "./pendingOperations";

/**
 * The lookup over `revealed` (the state with secrets shown, as `pulumi stack export --show-secrets`
 * writes them) and the stack's config values (`namespace:key` to text).
 */
export function profileLookup(revealed: Deployment, stackConfig: ReadonlyMap<string, string>): ProfileLookup {
    const dynamicSettings = stackSettings(stackConfigValues({ get: (key) => stackConfig.get(key) }));
    return async (operation: PendingOperation): Promise<FoundProfile> => {
        const pending = (revealed.pending_operations ?? []).find(
            (candidate) => candidate.type === "creating" && candidate.resource.urn === operation.resource.urn,
        );
        const inputs = plainSecrets(pending?.resource.inputs ?? {}) as Record<string, unknown>;
        const userName = typeof inputs.userName === "string" ? inputs.userName : "";
        const provider = operation.resource.provider;
        const ctx = createContext();
        ctx.stack = operation.resource.type === PLUGIN_TYPE && provider ? providerSettings(revealed, provider) : dynamicSettings;
        const target = {
            ...(typeof inputs.region === "string" ? { region: inputs.region } : {}),
            ...(inputs.assumeRole !== undefined ? { assumeRole: inputs.assumeRole } : {}),
            ...(typeof inputs.profile === "string" ? { profile: inputs.profile } : {}),
        } as unknown as LoginProfileState;
        const read = await readProfile(ctx, userName, target);
        return read.id === "" ? { userName } : { userName, state: read.props as LoginProfileState };
    };
}

/**
 * The settings of the plugin's provider resource `reference` (`urn::id`), from its inputs in
 * state: a default provider's come from the stack's `iam-login-profile:*` config, an explicit
 * provider's from its properties.
 */
function providerSettings(revealed: Deployment, reference: string): StackSettings {
    const urn = reference.slice(0, reference.lastIndexOf("::"));
    const resource = (revealed.resources ?? []).find((candidate) => candidate.urn === urn);
    const inputs = plainSecrets(resource?.inputs ?? {}) as Record<string, unknown>;
    const values: Record<string, string> = {};
    for (const key of CONFIG_KEYS) {
        const value = inputs[key];
        if (value !== undefined && value !== null) {
            values[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return stackSettings(values);
}

/** `value` with each shown secret (`{…, plaintext: JSON}`) replaced by the value it holds, at any depth. */
function plainSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(plainSecrets);
    }
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (record[SIGNATURE_KEY] === SECRET_SIGNATURE) {
            return typeof record.plaintext === "string" ? plainSecrets(JSON.parse(record.plaintext)) : undefined;
        }
        return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, plainSecrets(inner)]));
    }
    return value;
}
