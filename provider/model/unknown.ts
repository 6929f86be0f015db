/**
 * The placeholder the engine sends for a value not known until apply (`pulumi preview` of a
 * property computed from another resource). It is `pulumi.runtime.unknownValue`, repeated here so
 * that `check` and `diff` need not load the Pulumi SDK to recognise it.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value is the engine's placeholder for "unknown until apply". */
export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}
