/** How check failures name a value they reject. */

/** Names a value's type for a message without showing the value itself. */
export function describeType(value: unknown): string {
    if (Array.isArray(value)) {
        return "an array";
    }
    return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Shows a value that is no secret: a string quoted, a number, boolean, null or undefined as is, anything else by its type. */
export function describeValue(value: unknown): string {
    if (typeof value === "string") {
        return JSON.stringify(value);
    }
    if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) {
        return String(value);
    }
    return describeType(value);
}
