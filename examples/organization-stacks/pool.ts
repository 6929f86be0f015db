/**
 * A worker pool: at most `concurrency` items in flight, the next one started as soon as one ends.
 * `work` must not reject (a stack's failure is its result, so that the other accounts still
 * finish); if it does, the pool stops starting items and rejects once those in flight have ended.
 */
export async function runPool<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array<R>(items.length);
    let next = 0;
    let failure: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
        while (next < items.length && failure === undefined) {
            const index = next++;
            try {
                results[index] = await work(items[index] as T);
            } catch (error) {
                failure ??= { error };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    if (failure !== undefined) {
        throw failure.error;
    }
    return results;
}
