/**
 * The provider plugin's front door: Pulumi's provider protocol (`@pulumi/pulumi/provider`) over
 * the very hooks the dynamic resource calls (lifecycle/), for every Pulumi language and for
 * `pulumi import`. It translates, and decides nothing: secrets on the wire to plain values and
 * back, the schema's function tokens to the lookups, and the engine's configuration to the
 * settings the hooks read.
 */
import type * as provider from "@pulumi/pulumi/provider";
import { createLifecycle, type LifecycleOptions } from "../lifecycle";
import { createContext } from "../lifecycle/context";
import { listProfiles, lookupProfile } from "../lifecycle/lookup";
import { stackSettings, type ConfigValues } from "../aws/settings";
import type { LoginProfileState } from "../model/types";
import schema from "./schema.json";
import { plain, withSecrets } from "./secrets";

/** The package name and the tokens the schema declares. */
export const PACKAGE = "iam-login-profile";
export const LOGIN_PROFILE_TOKEN = `${PACKAGE}:index:LoginProfile`;
export const GET_LOGIN_PROFILE_TOKEN = `${PACKAGE}:index:getLoginProfile`;
export const LIST_LOGIN_PROFILES_TOKEN = `${PACKAGE}:index:listLoginProfiles`;

/** The plugin's provider: Pulumi's provider protocol, and the configuration the engine sends. */
export interface PluginProvider extends provider.Provider {
    /** Takes the plugin's configuration (engineRequests.ts delivers it from the engine's Configure call). */
    configure(values: ConfigValues): void;
    /** Runs an operation within its resource's `customTimeouts` (engineRequests.ts delivers the engine's timeout). */
    withTimeout<T>(timeoutSeconds: number | undefined, run: () => Promise<T>): Promise<T>;
}

/** Creates the plugin's provider over the hooks. */
export function createPluginProvider(options: LifecycleOptions = {}): PluginProvider {
    // One context for the hooks and the functions, so that the configuration reaches both.
    const ctx = createContext(options);
    const hooks = createLifecycle(options, ctx);
    return {
        version: schema.version,
        schema: JSON.stringify(schema),

        configure(values) {
            ctx.stack = stackSettings(values);
        },

        withTimeout: (timeoutSeconds, run) => ctx.withTimeout(timeoutSeconds, run),

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
            // `pulumi import` reads with no state: the hook then reads the profile as AWS reports
            // it, and returns the inputs the engine needs beside the state.
            const result = await hooks.read(id, plain(props) as unknown as LoginProfileState);
            if (!result.id) {
                return { id: "" };
            }
            const outs = result.props as unknown as Record<string, unknown>;
            const inputs = result.inputs as Record<string, unknown> | undefined;
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
                    return { outputs: await lookupProfile(ctx, args) };
                case LIST_LOGIN_PROFILES_TOKEN:
                    return { outputs: await listProfiles(ctx, args) };
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
