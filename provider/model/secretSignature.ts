/**
 * Pulumi's mark of a secret value: on the wire between the engine and a provider plugin, and in a
 * state file (where the object holds `ciphertext`, or `plaintext` when exported with secrets
 * shown). The plugin and the repair command both read it, so it lives below them both.
 */

/** The key whose value marks an object as a secret (sdk/nodejs/runtime/rpc.ts). */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** The value under SIGNATURE_KEY that says "secret". */
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
