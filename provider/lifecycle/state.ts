/**
 * The state a hook returns after setting or reading a profile, and the inputs a refresh that found
 * drift returns beside it, so that the CLI names the drifted input.
 */
import type { LoginProfileState } from "../model/types";
import type { ProfilePlan } from "./plan";
import type { PasswordLife } from "./passwordLife";

/** Inputs that never go into `appliedInputs`: secrets, the large key (kept in state already), the engine's own. */
const NOT_MIRRORED = new Set(["password", "pgpKey", "pgpKeys", "__provider"]);

/** What IAM holds once a plan was applied, as AWS reports it. */
export interface AppliedProfile {
    /** The user name as AWS reports it. */
    readonly userName: string;
    /** When AWS created the profile, ISO 8601. */
    readonly createDate: string;
    /** The reset flag as AWS has it now. */
    readonly pending: boolean;
    /** When this resource set the password, ISO 8601; undefined when it did not set one now. */
    readonly passwordSetAt: string | undefined;
    /** When this resource last wrote the profile (now, or as the state had it), ISO 8601. */
    readonly writtenAt: string | undefined;
    /** Until when a change made outside Pulumi was looked for: now when the password was set now. */
    readonly driftCheckedAt: string | undefined;
    /** When the password was last used, as the state had it (a set does not change it). */
    readonly passwordLastUsed?: string | undefined;
    /** The password's age and expiry on IAM's clock, and that clock's offset (lifecycle/passwordLife.ts). */
    readonly life: PasswordLife;
}

/** The state after the resource applied `plan` (create, adopt or update), and IAM holds `applied`. */
export function stateFrom(plan: ProfilePlan, applied: AppliedProfile): LoginProfileState {
    const { inputs, record } = plan;
    return {
        userName: applied.userName,
        ...record,
        passwordResetRequired: inputs.passwordResetRequired,
        passwordResetPending: applied.pending,
        createDate: applied.createDate,
        ...(inputs.region ? { region: inputs.region } : {}),
        accountId: plan.accountId,
        ...plan.access,
        ...(applied.passwordSetAt !== undefined ? { passwordSetAt: applied.passwordSetAt } : {}),
        ...(applied.writtenAt !== undefined ? { writtenAt: applied.writtenAt } : {}),
        ...(applied.driftCheckedAt !== undefined ? { driftCheckedAt: applied.driftCheckedAt } : {}),
        ...(applied.passwordLastUsed !== undefined ? { passwordLastUsed: applied.passwordLastUsed } : {}),
        ...applied.life,
        appliedInputs: appliedInputsOf(plan.news),
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
