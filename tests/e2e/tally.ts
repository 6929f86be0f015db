/**
 * A tally of cases by group, printed as the resilience suite's closing table: cases tried, held
 * and failed. Each case is a jest test as well, so a failure fails the suite; the table says where.
 */

interface Counts {
    tried: number;
    held: number;
    failed: number;
}

/** Counts cases per group as they run. */
export class Tally {
    private readonly groups = new Map<string, Counts>();

    /** Declares a jest test that counts as one case of `group`: tried when it starts, held or failed when it ends. */
    case(group: string, title: string, run: () => Promise<void>, timeoutMs?: number): void {
        const counts = this.countsOf(group);
        test(
            title,
            async () => {
                counts.tried++;
                try {
                    await run();
                    counts.held++;
                } catch (error) {
                    counts.failed++;
                    throw error;
                }
            },
            timeoutMs,
        );
    }

    /** The table: one row per group in the order they were declared, and a total. */
    table(): string {
        const rows = [...this.groups.entries()];
        const total = rows.reduce(
            (sum, [, c]) => ({ tried: sum.tried + c.tried, held: sum.held + c.held, failed: sum.failed + c.failed }),
            {
                tried: 0,
                held: 0,
                failed: 0,
            },
        );
        const width = Math.max(5, ...rows.map(([group]) => group.length));
        const line = (group: string, c: Counts): string =>
            `${group.padEnd(width)}  ${String(c.tried).padStart(5)}  ${String(c.held).padStart(4)}  ${String(c.failed).padStart(6)}`;
        return [
            `${"group".padEnd(width)}  tried  held  failed`,
            ...rows.map(([group, counts]) => line(group, counts)),
            line("total", total),
        ].join("\n");
    }

    private countsOf(group: string): Counts {
        let counts = this.groups.get(group);
        if (!counts) {
            counts = { tried: 0, held: 0, failed: 0 };
            this.groups.set(group, counts);
        }
        return counts;
    }
}
