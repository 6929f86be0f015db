/**
 * The LoginProfile provider hooks, as DESIGN.md's lifecycle table says, one file each over a
 * shared context: `check` and `diff` make no AWS call; `create`, `read`, `update` and `delete`
 * make one each (plus retries while IAM settles), except that generating a password first reads
 * the account's password policy (GetAccountPasswordPolicy, once per account per provider process),
 * a refresh also reads the account's event history, users and credential report once per provider
 * process, and an update that changes only the key a declared password is encrypted to, or a
 * setting of the password's life, makes none. `check` also parses the keys it is given and marks a
 * generated password's inputs (rules/generation.ts). Built by `createLifecycle` so that tests can
 * inject the IAM calls and the clock.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { diffProfile } from "../rules/diff";
import type { LoginProfileState } from "../model/types";
import { validateInputs } from "../rules/validation";
import { markGeneration, markRenewedSince, withoutGenerationMark } from "../rules/generation";
import { rotationDue } from "../rules/rotation";
import { keyFailures } from "../rules/keys";
import { stackConfigValues, stackSettings } from "../aws/settings";
import { createContext, type LifecycleContext, type LifecycleOptions } from "./context";
import { createProfile } from "./create";
import { deleteProfile } from "./delete";
import { readProfile } from "./read";
import { updateProfile } from "./update";
import { warnOfDeclaredExpiry } from "./expiry";

export type { LifecycleOptions } from "./context";

/** The dynamic provider hooks, with `configure` and every optional hook present. */
export type LoginProfileLifecycle = Required<dynamic.ResourceProvider<Record<string, unknown>, LoginProfileState>>;

export { DETECT_PASSWORD_CHANGES_CONFIG, stackConfigValues } from "../aws/settings";

/**
 * Creates the provider hooks, over `ctx` when given (the plugin shares one context between the
 * hooks and its functions, so that its configuration reaches both).
 */
export function createLifecycle(options: LifecycleOptions = {}, ctx: LifecycleContext = createContext(options)): LoginProfileLifecycle {
    return {
        async configure(req) {
            ctx.stack = stackSettings(stackConfigValues(req.config));
        },
        async check(olds, news) {
            const { inputs, failures } = validateInputs(news);
            // Keys are parsed here, so that a bad one stops `pulumi preview`, before any AWS call.
            const keys = await keyFailures(news, failures);
            return { inputs: markGeneration(olds, inputs, ctx.clock.now()), failures: [...failures, ...keys] };
        },
        async diff(_id, olds, news) {
            const declared = withoutGenerationMark(news);
            warnOfDeclaredExpiry(ctx, olds, declared);
            const nowMs = ctx.clock.now();
            const result = diffProfile(olds, declared, ctx.stack, nowMs);
            // A rotation the inputs show by a renewed mark is left for the engine to compare, as
            // drift is (rules/diff.ts): it alone can name a secret input that changed.
            const named =
                result.changes === true &&
                (result.replaces ?? []).length === 0 &&
                rotationDue(olds, declared, nowMs) !== undefined &&
                markRenewedSince(news.password, olds.passwordSetAt);
            return named ? { ...result, changes: undefined } : result;
        },
        create: (news) => createProfile(ctx, withoutGenerationMark(news)),
        read: (id, props) => readProfile(ctx, id, props),
        update: (id, olds, news) => updateProfile(ctx, id, olds, withoutGenerationMark(news)),
        delete: (id, props) => deleteProfile(ctx, id, props),
    };
}
