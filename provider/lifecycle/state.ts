/**
 * The state a hook returns after setting or reading a profile, and the inputs a refresh that found
 * drift returns beside it, so that the CLI names the drifted input.
 */
import type { AccountAccess } from "../model/account";
import type { PasswordRecord } from "../password/record";
import type { LoginProfileInputs, LoginProfileState } from "../model/types";

/** Inputs that never go into `appliedInputs`: secrets, the large key (kept in state already), the engine's own. */
const NOT_MIRRORED = new Set(["password", "pgpKey", "__provider"]);

/** What the state records after the resource applied `inputs`. */
export interface AppliedProfile {
    /** The inputs as `check` returned them (the engine's `news`). */
    readonly news: Record<string, unknown>;
    /** The same, validated. */
    readonly inputs: LoginProfileInputs;
    /** What the state records about the password. */
    readonly record: PasswordRecord;
    /** The user name as AWS reports it. */
    readonly userName: string;
    /** When AWS created the profile, ISO 8601. */
    readonly createDate: string;
    /** The reset flag as AWS has it now. */
    readonly pending: boolean;
    /** When this resource set the password, ISO 8601; undefined when it did not set one now. */
    readonly passwordSetAt: string | undefined;
    /** The account the profile lives in. */
    readonly accountId: string;
    /** How its credentials were obtained (declared, or the provider's or stack's). */
    readonly access: AccountAccess;
}

/** The state after the resource applied its inputs (create, adopt or update). */
export function stateFrom(applied: AppliedProfile): LoginProfileState {
    const { inputs, record, passwordSetAt } = applied;
    return {
        userName: applied.userName,
        ...record,
        passwordResetRequired: inputs.passwordResetRequired,
        passwordResetPending: applied.pending,
        createDate: applied.createDate,
        ...(inputs.region ? { region: inputs.region } : {}),
        accountId: applied.accountId,
        ...applied.access,
        ...(passwordSetAt !== undefined ? { passwordSetAt } : {}),
        appliedInputs: appliedInputsOf(applied.news),
    };
}

/**
 * The inputs the state's `inputs` hold, but the password and the key: a refresh that finds drift
 * returns them with the drifted input changed, so that the CLI shows exactly that input as the
 * drift (`[diff: ~password]`), and the dynamic provider's `read` is never given the old inputs.
 */
export function appliedInputsOf(news: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(news)
            .filter(([key, value]) => !NOT_MIRRORED.has(key) && value !== undefined && value !== null)
            .map(([key, value]) => [key, key === "assumeRole" ? withoutExternalId(value) : value]),
    );
}

/**
 * A declared `assumeRole` without its external id, a secret that `appliedInputs` (kept in plain
 * view) must not hold; the state's own `assumeRole` keeps it, as a secret, for a refresh to put back.
 */
function withoutExternalId(value: unknown): unknown {
    if (typeof value !== "object" || value === null) {
        return value;
    }
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "externalId"));
}
