/**
 * What a create or update has decided before it calls IAM to apply it: the inputs, the password
 * it sets and what the state records about it, and where the profile lives. One value, so that
 * each step (create, adopt, update, the state after them) takes the plan whole, and what later
 * joins a plan (a rotation's reason, custodians' shares) needs no new parameter on each of them.
 */
import type { AccountAccess } from "../model/account";
import type { LoginProfileInputs } from "../model/types";
import type { PasswordRecord } from "../password/record";
import type { Generated } from "./generate";

/** A create's or update's plan. */
export interface ProfilePlan {
    /** The inputs as `check` returned them (the engine's `news`): what `appliedInputs` mirrors. */
    readonly news: Record<string, unknown>;
    /** The same, validated. */
    readonly inputs: LoginProfileInputs;
    /** The password this step sets (declared or generated); undefined when it sets none (an update of the flag alone). */
    readonly password: string | undefined;
    /** The password generated now and the account policy it was made for; undefined when none was generated. */
    readonly generated?: Generated | undefined;
    /** What the state records about the password: itself, or its encryption, hash and fingerprint. */
    readonly record: PasswordRecord;
    /** The account the profile lives in. */
    readonly accountId: string;
    /** How the account's credentials are obtained (declared, or the provider's or stack's). */
    readonly access: AccountAccess;
}
