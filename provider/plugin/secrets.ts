/**
 * Pulumi's wire form of a secret, which the provider plugin sees because its host accepts
 * secrets (`@pulumi/pulumi/provider` answers Configure with acceptSecrets): the hooks work on
 * plain values, so the plugin unwraps what comes in and wraps the secret outputs that go out.
 */

import { SECRET_SIGNATURE, SIGNATURE_KEY } from "../model/secretSignature";

/** Outputs that are always secret, whatever the program passed. */
export const SECRET_OUTPUTS = ["password", "passwordHash"] as const;

/** `value` with every secret replaced by the value it holds, at any depth. */
export function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(unwrapSecrets);
    }
    if (typeof value === "object" && value !== null) {
        const record = value as Record<string, unknown>;
        if (record[SIGNATURE_KEY] === SECRET_SIGNATURE) {
            return unwrapSecrets(record.value);
        }
        return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, unwrapSecrets(inner)]));
    }
    return value;
}

/** The properties of `record`, plain values, as the hooks take them. */
export function plain(record: unknown): Record<string, unknown> {
    const unwrapped = unwrapSecrets(record ?? {});
    return typeof unwrapped === "object" && unwrapped !== null ? (unwrapped as Record<string, unknown>) : {};
}

/** `record` with each of SECRET_OUTPUTS it holds marked secret, and an `assumeRole`'s external id. */
export function withSecrets(record: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (record === undefined) {
        return undefined;
    }
    return Object.fromEntries(
        Object.entries(record).map(([key, value]) => {
            if ((SECRET_OUTPUTS as readonly string[]).includes(key) && value !== undefined) {
                return [key, secret(value)];
            }
            if (key === "assumeRole" && typeof value === "object" && value !== null && "externalId" in value) {
                const role = value as Record<string, unknown>;
                return [key, { ...role, externalId: secret(role.externalId) }];
            }
            return [key, value];
        }),
    );
}

/** `value` in Pulumi's wire form of a secret. */
function secret(value: unknown): Record<string, unknown> {
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}
