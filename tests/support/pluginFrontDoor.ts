/**
 * The provider plugin's front door, shaped as the hooks the dynamic resource calls, so that the
 * same unit and integration tests prove both front doors: the `unit-plugin` and
 * `integration-plugin` jest projects map `provider/lifecycle` to this module, and every test that
 * calls `createLifecycle` then drives `createPluginProvider` instead, as the engine would: inputs
 * and state go over the wire with the password as a secret, and come back unwrapped.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { stackConfigValues, type LifecycleOptions, type LoginProfileLifecycle } from "../../provider/lifecycle/index";
import { createPluginProvider, LOGIN_PROFILE_TOKEN } from "../../provider/plugin/provider";
import { plain, withSecrets } from "../../provider/plugin/secrets";
import type { LoginProfileState } from "../../provider/model/types";

export * from "../../provider/lifecycle/index";

/** The URN the engine would send for a LoginProfile named as its user. */
function urnOf(userName: unknown): string {
    return `urn:pulumi:dev::front-doors::${LOGIN_PROFILE_TOKEN}::${typeof userName === "string" && userName ? userName : "profile"}`;
}

/** The engine's wire form of inputs or state: secret outputs wrapped; plain values otherwise. */
function wire(values: unknown): Record<string, unknown> {
    return withSecrets(plain(values)) ?? {};
}

/**
 * The plugin's provider as the hooks: same arguments, same results. `configure` takes the dynamic
 * resource's stack config names and hands the plugin the same values under its own
 * (`aws:region` → `iam-login-profile:region`, and so on).
 */
export function createLifecycle(options: LifecycleOptions = {}): LoginProfileLifecycle {
    const plugin = createPluginProvider(options);
    const required = <K extends keyof typeof plugin>(name: K): NonNullable<(typeof plugin)[K]> => {
        const method = plugin[name];
        if (method === undefined) {
            throw new Error(`the plugin provider has no ${String(name)}`);
        }
        return method;
    };
    return {
        async configure(req: dynamic.ConfigureRequest) {
            plugin.configure(stackConfigValues(req.config));
        },
        async check(olds, news) {
            const checked = await required("check")(urnOf(news.userName), wire(olds), wire(news));
            return { inputs: plain(checked.inputs), failures: checked.failures };
        },
        async diff(id, olds, news) {
            return required("diff")(id, urnOf(id), wire(olds), wire(news));
        },
        async create(news) {
            const created = await required("create")(urnOf(news.userName), wire(news));
            return { id: created.id, outs: plain(created.outs) as unknown as LoginProfileState };
        },
        async read(id, props) {
            const result = await required("read")(id, urnOf(id), wire(props));
            if (!result.id) {
                return { id: result.id };
            }
            return {
                id: result.id,
                props: plain(result.props) as unknown as LoginProfileState,
                ...(result.inputs !== undefined ? { inputs: plain(result.inputs) as unknown as LoginProfileState } : {}),
            };
        },
        async update(id, olds, news) {
            const updated = await required("update")(id, urnOf(id), wire(olds), wire(news));
            return { outs: plain(updated.outs) as unknown as LoginProfileState };
        },
        async delete(id, props) {
            await required("delete")(id, urnOf(id), wire(props));
        },
    };
}
