/**
 * The provider Pulumi serializes into every resource's state (`__provider`) and runs on refresh
 * and delete. The resource passes this module's exports object, so that:
 *
 * - installed from npm, the closure serializer refers to it by the package's public name,
 *   `require("pulumi-iam-login-profile/serializedProvider")` (it is in the `exports` map), and
 *   the stored text is a few hundred bytes;
 * - loaded from a local path (this repository's own demo, unit tests), it is serialized by value,
 *   and then each function below is a one-line stub of its own, about 2 KB in all.
 *
 * Either way nothing is captured (no client, no config, no environment) and the implementation is
 * loaded by the package's public name when a hook runs, so upgrading the package upgrades old
 * resources' refresh and delete. `require` is spelled out instead of imported because the
 * serializer resolves `require` in the provider process, while a captured local module would be
 * copied into state whole.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as Hooks from "./hooks";

type HooksModule = typeof Hooks;

/** Delegates to `hooks.configure`. */
export const configure: HooksModule["configure"] = (...a) => (require("pulumi-iam-login-profile/hooks") as HooksModule).configure(...a);
/** Delegates to `hooks.check`. */
export const check: HooksModule["check"] = (...a) => (require("pulumi-iam-login-profile/hooks") as HooksModule).check(...a);
/** Delegates to `hooks.diff`. */
export const diff: HooksModule["diff"] = (...a) => (require("pulumi-iam-login-profile/hooks") as HooksModule).diff(...a);
/** Delegates to `hooks.create`. */
export const create: HooksModule["create"] = (...a) => (require("pulumi-iam-login-profile/hooks") as HooksModule).create(...a);
/** Delegates to `hooks.read`. */
export const read: HooksModule["read"] = (...a) => (require("pulumi-iam-login-profile/hooks") as HooksModule).read(...a);
/** Delegates to `hooks.update`. */
export const update: HooksModule["update"] = (...a) => (require("pulumi-iam-login-profile/hooks") as HooksModule).update(...a);
const deleteHook: HooksModule["delete"] = (...a) => (require("pulumi-iam-login-profile/hooks") as HooksModule).delete(...a);
/** Delegates to `hooks.delete`. */
export { deleteHook as delete };
