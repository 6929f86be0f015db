/** Medians and rounding, for the benchmark's figures. */

/** The median of the finite values, NaN when there are none. */
export function median(values: readonly number[]): number {
    const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    if (sorted.length === 0) {
        return NaN;
    }
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** The median of the values present, rounded to 0.1, or null when there are none. */
export function medianOrNull(values: readonly (number | null)[]): number | null {
    const present = values.filter((v): v is number => v !== null);
    return present.length === 0 ? null : round(median(present), 1);
}

/** `value` rounded to `digits` decimals. */
export function round(value: number, digits = 0): number {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}
