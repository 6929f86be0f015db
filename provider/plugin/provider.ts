/**
 * The provider plugin's front door: Pulumi's provider protocol (`@pulumi/pulumi/provider`) over
 * the very hooks the dynamic resource calls (lifecycle/), for every Pulumi language and for
 * `pulumi import`. It translates, and decides nothing: secrets on the wire to plain values and
 * back, the schema's function tokens to the lookups, and an import's read to the inputs the engine
 * needs beside the state.
 */
import type * as provider from "@pulumi/pulumi/provider";
import { createLifecycle, type LifecycleOptions } from "../lifecycle";
import { createContext } from "../lifecycle/context";
import { listProfiles, lookupProfile } from "../lifecycle/lookup";
import type { LoginProfileState } from "../types";
import schema from "./schema.json";
import { plain, withSecrets } from "./secrets";

/** The package name and the tokens the schema declares. */
export const PACKAGE = "iam-login-profile";
export const LOGIN_PROFILE_TOKEN = `${PACKAGE}:index:LoginProfile`;
export const GET_LOGIN_PROFILE_TOKEN = `${PACKAGE}:index:getLoginProfile`;
export const LIST_LOGIN_PROFILES_TOKEN = `${PACKAGE}:index:listLoginProfiles`;

/** Creates the plugin's provider over the hooks. */
export function createPluginProvider(options: LifecycleOptions = {}): provider.Provider {
    const hooks = createLifecycle(options);
    const lookups = createContext(options);
    return {
        version: schema.version,
        schema: JSON.stringify(schema),

        async check(urn, olds, news) {
            requireLoginProfile(urn);
            const { inputs, failures } = await hooks.check(plain(olds), plain(news));
            return { inputs: withSecrets(inputs), failures: failures ?? [] };
        },

        async diff(id, urn, olds, news) {
            requireLoginProfile(urn);
            return hooks.diff(id, plain(olds) as unknown as LoginProfileState, plain(news));
        },

        async create(urn, inputs) {
            requireLoginProfile(urn);
            const { id, outs } = await hooks.create(plain(inputs));
            return { id, outs: withSecrets(outs as unknown as Record<string, unknown>) };
        },

        async read(id, urn, props) {
            requireLoginProfile(urn);
            const state = plain(props);
            // `pulumi import` reads with no state: the profile is read as AWS reports it.
            const importing = Object.keys(state).length === 0;
            const result = await hooks.read(id, importing ? undefined : (state as unknown as LoginProfileState));
            if (!result.id) {
                return { id: "" };
            }
            const outs = result.props as unknown as Record<string, unknown>;
            // The engine needs inputs beside the state to import: the user and the flag AWS has
            // (no password: AWS never returns one, so the next `up` sets the declared one in place).
            const inputs = importing
                ? { userName: outs.userName, passwordResetRequired: outs.passwordResetRequired }
                : (result.inputs as Record<string, unknown> | undefined);
            return { id: result.id, props: withSecrets(outs), ...(inputs !== undefined ? { inputs: withSecrets(inputs) } : {}) };
        },

        async update(id, urn, olds, news) {
            requireLoginProfile(urn);
            const { outs } = await hooks.update(id, plain(olds) as unknown as LoginProfileState, plain(news));
            return { outs: withSecrets(outs as unknown as Record<string, unknown>) };
        },

        async delete(id, urn, props) {
            requireLoginProfile(urn);
            await hooks.delete(id, plain(props) as unknown as LoginProfileState);
        },

        async invoke(token, inputs) {
            const args = plain(inputs);
            switch (token) {
                case GET_LOGIN_PROFILE_TOKEN:
                    return { outputs: await lookupProfile(lookups, args) };
                case LIST_LOGIN_PROFILES_TOKEN:
                    return { outputs: await listProfiles(lookups, args) };
                default:
                    throw new Error(
                        `unknown function ${token}: ${PACKAGE} offers ${GET_LOGIN_PROFILE_TOKEN} and ${LIST_LOGIN_PROFILES_TOKEN}`,
                    );
            }
        },
    };
}

/** Fails for a resource type this plugin does not serve. */
function requireLoginProfile(urn: string): void {
    const type = urn.split("::")[2] ?? "";
    if (type !== LOGIN_PROFILE_TOKEN) {
        throw new Error(`unknown resource type ${type}: ${PACKAGE} serves ${LOGIN_PROFILE_TOKEN}`);
    }
}
