/** Edits of a decrypted share's line (provider/password/shares.ts), for the tests of what combining refuses. */

/** `line` with its field `index` (0-based, split at spaces) replaced by `value`. */
export function withField(line: string, index: number, value: string): string {
    const fields = line.trim().split(" ");
    fields[index] = value;
    return fields.join(" ");
}

/** `line` with one character of its share field (the seventh) changed, as a slip when copying it would. */
export function withOneCharacterChanged(line: string): string {
    const share = line.trim().split(" ")[6] ?? "";
    return withField(line, 6, `${share.startsWith("A") ? "B" : "A"}${share.slice(1)}`);
}
