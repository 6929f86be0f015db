/**
 * The LoginProfile provider hooks, as DESIGN.md's lifecycle table says, one file each over a
 * shared context: `check` and `diff` make no AWS call; `create`, `read`, `update` and `delete`
 * make one each (plus retries while IAM settles), except that generating a password first reads
 * the account's password policy (GetAccountPasswordPolicy), a refresh also reads the credential
 * report once per provider process, and an update that changes only the key a declared password
 * is encrypted to makes none. Built by `createLifecycle` so that tests can inject the IAM calls
 * and the clock.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { diffProfile } from "../rules/diff";
import type { LoginProfileState } from "../model/types";
import { validateInputs } from "../rules/validation";
import { stackConfigValues, stackSettings } from "../aws/settings";
import { createContext, type LifecycleContext, type LifecycleOptions } from "./context";
import { createProfile } from "./create";
import { deleteProfile } from "./delete";
import { readProfile } from "./read";
import { updateProfile } from "./update";

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
        async check(_olds, news) {
            const { inputs, failures } = validateInputs(news);
            return { inputs, failures };
        },
        async diff(_id, olds, news) {
            return diffProfile(olds, news, ctx.stack);
        },
        create: (news) => createProfile(ctx, news),
        read: (id, props) => readProfile(ctx, id, props),
        update: (id, olds, news) => updateProfile(ctx, id, olds, news),
        delete: (id, props) => deleteProfile(ctx, id, props),
    };
}
