/**
 * The provider implementation the serialized provider loads at run time, by the package's public
 * name (`pulumi-iam-login-profile/hooks`): upgrading the package upgrades refresh and delete too.
 */
import { createLifecycle } from "./lifecycle";

const lifecycle = createLifecycle();

/** Reads stack config `aws:region` and `aws:profile`. */
export const configure = lifecycle.configure;
/** Validates and normalises inputs; no AWS call. */
export const check = lifecycle.check;
/** Compares state with declared inputs; no AWS call. */
export const diff = lifecycle.diff;
/** CreateLoginProfile; GetAccountPasswordPolicy first when it generates the password. */
export const create = lifecycle.create;
/** GetLoginProfile. */
export const read = lifecycle.read;
/** UpdateLoginProfile with only what changed; GetAccountPasswordPolicy first when it generates a new password. */
export const update = lifecycle.update;
/** DeleteLoginProfile. */
const deleteHook = lifecycle.delete;
export { deleteHook as delete };
