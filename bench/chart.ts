/**
 * The benchmark's chart, hand-written SVG (no dependency): on the left, the median wall time of
 * each operation against the number of profiles, LoginProfile stack (solid), floor stack (dashed)
 * and bare-SDK stack (dotted); on the right, LoginProfile ÷ floor, with the targets drawn in.
 */
import { OPS, RATIO_TARGETS } from "./model";
import type { Results } from "./report";

/** One operation's medians, by number of profiles. */
export interface ChartSeries {
    readonly op: string;
    /** Seconds, LoginProfile stack, one per size. */
    readonly profiles: readonly number[];
    /** Seconds, floor stack, one per size. */
    readonly floor: readonly number[];
    /** Seconds, bare-SDK stack, one per size. */
    readonly sdk: readonly number[];
    /** LoginProfile ÷ floor, one per size. */
    readonly ratio: readonly number[];
    /** The ratio the issue asks for at the largest size. */
    readonly target: number;
}

/** What the chart shows. */
export interface ChartInput {
    readonly sizes: readonly number[];
    readonly series: readonly ChartSeries[];
    readonly title: string;
    /** A line under the title: machine, versions, repetitions. */
    readonly caption: string;
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
const WIDTH = 980;
const HEIGHT = 490;
const PANEL = { top: 78, height: 300, width: 370 };
const LEFT_X = 70;
const RIGHT_X = 560;

/** Renders the chart as a standalone SVG document. */
export function renderChart(input: ChartInput): string {
    const { sizes, series } = input;
    const x = logScale(sizes, PANEL.width);
    const maxTime = Math.max(0.001, ...series.flatMap((s) => [...s.profiles, ...s.floor, ...s.sdk]));
    const timeTicks = niceTicks(0, maxTime);
    const timeTop = timeTicks[timeTicks.length - 1] ?? maxTime;
    const ratios = series.flatMap((s) => s.ratio);
    const ratioLow = Math.min(0.9, ...ratios.map((r) => Math.floor(r * 20) / 20));
    const ratioHigh = Math.max(1.3, ...ratios.map((r) => Math.ceil(r * 20) / 20));
    const ratioTicks = niceTicks(ratioLow, ratioHigh, 6).filter((t) => t >= ratioLow - 1e-9);
    const yTime = (v: number): number => PANEL.top + PANEL.height - (v / timeTop) * PANEL.height;
    const rLow = ratioTicks[0] ?? ratioLow;
    const rHigh = ratioTicks[ratioTicks.length - 1] ?? ratioHigh;
    const yRatio = (v: number): number => PANEL.top + PANEL.height - ((v - rLow) / (rHigh - rLow)) * PANEL.height;

    const parts: string[] = [];
    parts.push(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
        `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
        `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escape(input.title)}</text>`,
        `<text x="${WIDTH / 2}" y="44" text-anchor="middle" fill="#555">${escape(input.caption)}</text>`,
    );

    // Left panel: seconds against profiles.
    parts.push(...axes(LEFT_X, sizes, x, timeTicks, yTime, "number of profiles (log scale)", "wall time, s (median)", (t) => fmt(t)));
    series.forEach((s, i) => {
        const color = COLORS[i % COLORS.length] ?? "#000";
        parts.push(
            line(
                sizes.map((n, j) => [LEFT_X + x(n), yTime(s.sdk[j] ?? 0)]),
                color,
                "2,3",
            ),
        );
        parts.push(
            line(
                sizes.map((n, j) => [LEFT_X + x(n), yTime(s.floor[j] ?? 0)]),
                color,
                "6,4",
            ),
        );
        parts.push(
            line(
                sizes.map((n, j) => [LEFT_X + x(n), yTime(s.profiles[j] ?? 0)]),
                color,
            ),
        );
        sizes.forEach((n, j) => {
            parts.push(
                `<rect x="${LEFT_X + x(n) - 3}" y="${yTime(s.floor[j] ?? 0) - 3}" width="6" height="6" fill="#fff" stroke="${color}"/>`,
            );
            parts.push(`<circle cx="${LEFT_X + x(n)}" cy="${yTime(s.profiles[j] ?? 0)}" r="3.5" fill="${color}"/>`);
        });
    });
    parts.push(`<text x="${LEFT_X + PANEL.width / 2}" y="${PANEL.top - 12}" text-anchor="middle" font-weight="bold">time</text>`);

    // Right panel: ratio against profiles, with the targets.
    parts.push(
        ...axes(RIGHT_X, sizes, x, ratioTicks, yRatio, "number of profiles (log scale)", "LoginProfile ÷ floor", (t) => t.toFixed(2)),
    );
    for (const target of [...new Set(series.map((s) => s.target))]) {
        const y = yRatio(target);
        parts.push(
            `<line x1="${RIGHT_X}" y1="${y}" x2="${RIGHT_X + PANEL.width}" y2="${y}" stroke="#888" stroke-dasharray="2,3"/>`,
            `<text x="${RIGHT_X + PANEL.width - 4}" y="${y - 4}" text-anchor="end" fill="#666">target ${target.toFixed(2)}</text>`,
        );
    }
    const one = yRatio(1);
    parts.push(`<line x1="${RIGHT_X}" y1="${one}" x2="${RIGHT_X + PANEL.width}" y2="${one}" stroke="#bbb"/>`);
    series.forEach((s, i) => {
        const color = COLORS[i % COLORS.length] ?? "#000";
        parts.push(
            line(
                sizes.map((n, j) => [RIGHT_X + x(n), yRatio(s.ratio[j] ?? 1)]),
                color,
            ),
        );
        sizes.forEach((n, j) => parts.push(`<circle cx="${RIGHT_X + x(n)}" cy="${yRatio(s.ratio[j] ?? 1)}" r="3.5" fill="${color}"/>`));
    });
    parts.push(`<text x="${RIGHT_X + PANEL.width / 2}" y="${PANEL.top - 12}" text-anchor="middle" font-weight="bold">ratio</text>`);

    // Legend: one colour per operation, one line style per stack.
    const legendY = HEIGHT - 40;
    series.forEach((s, i) => {
        const lx = LEFT_X + i * 100;
        parts.push(
            `<line x1="${lx}" y1="${legendY}" x2="${lx + 22}" y2="${legendY}" stroke="${COLORS[i % COLORS.length] ?? "#000"}" stroke-width="3"/>`,
            `<text x="${lx + 28}" y="${legendY + 4}">${escape(s.op)}</text>`,
        );
    });
    const styles: [string, string | undefined][] = [
        ["LoginProfile stack", undefined],
        ["floor: no-op dynamic provider", "6,4"],
        ["bare SDK: the same IAM calls, nothing else", "2,3"],
    ];
    styles.forEach(([name, dashes], i) => {
        const lx = LEFT_X + i * 260;
        parts.push(
            `<line x1="${lx}" y1="${legendY + 22}" x2="${lx + 30}" y2="${legendY + 22}" stroke="#333" stroke-width="2"${dashes ? ` stroke-dasharray="${dashes}"` : ""}/>`,
            `<text x="${lx + 36}" y="${legendY + 26}">${escape(name)}</text>`,
        );
    });
    parts.push("</svg>");
    return parts.join("\n") + "\n";
}

function axes(
    left: number,
    sizes: readonly number[],
    x: (n: number) => number,
    ticks: readonly number[],
    y: (v: number) => number,
    xLabel: string,
    yLabel: string,
    format: (t: number) => string,
): string[] {
    const bottom = PANEL.top + PANEL.height;
    const out = [
        `<rect x="${left}" y="${PANEL.top}" width="${PANEL.width}" height="${PANEL.height}" fill="none" stroke="#333"/>`,
        `<text x="${left + PANEL.width / 2}" y="${bottom + 36}" text-anchor="middle">${escape(xLabel)}</text>`,
        `<text transform="translate(${left - 48},${PANEL.top + PANEL.height / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`,
    ];
    for (const n of sizes) {
        out.push(
            `<line x1="${left + x(n)}" y1="${bottom}" x2="${left + x(n)}" y2="${bottom + 5}" stroke="#333"/>`,
            `<text x="${left + x(n)}" y="${bottom + 18}" text-anchor="middle">${n}</text>`,
        );
    }
    for (const t of ticks) {
        out.push(
            `<line x1="${left}" y1="${y(t)}" x2="${left + PANEL.width}" y2="${y(t)}" stroke="#eee"/>`,
            `<text x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${format(t)}</text>`,
        );
    }
    return out;
}

function line(points: readonly (readonly [number, number])[], color: string, dashes?: string): string {
    const d = points.map(([px, py], i) => `${i === 0 ? "M" : "L"}${px.toFixed(1)},${py.toFixed(1)}`).join(" ");
    return `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dashes ? ` stroke-dasharray="${dashes}"` : ""}/>`;
}

/** Positions sizes on a log axis with a margin at both ends (a single size sits in the middle). */
function logScale(sizes: readonly number[], width: number): (n: number) => number {
    const lo = Math.log10(Math.min(...sizes));
    const hi = Math.log10(Math.max(...sizes));
    const margin = 24;
    return (n) => (hi === lo ? width / 2 : margin + ((Math.log10(n) - lo) / (hi - lo)) * (width - 2 * margin));
}

/** Round tick values covering [low, high]. */
function niceTicks(low: number, high: number, count = 5): number[] {
    const span = Math.max(high - low, 1e-9);
    const raw = span / count;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
    const ticks: number[] = [];
    for (let t = Math.floor(low / step) * step; t < high + step - 1e-9; t += step) {
        ticks.push(Math.round(t * 1e6) / 1e6);
    }
    return ticks;
}

function fmt(value: number): string {
    return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function escape(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The chart's input from the results: one series per operation, seconds by N. */
export function chartInput(results: Results): ChartInput {
    const { sizes, repetitions } = results.settings;
    const series = OPS.map((op) => {
        const rows = sizes.map((n) => results.time.rows.find((t) => t.op === op && t.n === n));
        return {
            op,
            profiles: rows.map((r) => (r?.medianMs.profiles ?? 0) / 1000),
            floor: rows.map((r) => (r?.medianMs.floor ?? 0) / 1000),
            sdk: rows.map((r) => (r?.medianMs.sdk ?? 0) / 1000),
            ratio: rows.map((r) => r?.ratio ?? 1),
            target: RATIO_TARGETS[op],
        };
    });
    const m = results.machine;
    return {
        sizes,
        series,
        title: "pulumi-iam-login-profile: wall time against the number of profiles",
        caption:
            `median of ${repetitions} interleaved runs · ${m.nproc} cores, ${m.memoryGiB} GiB · Node ${m.node} · Pulumi CLI ${m.pulumiCli} · ` +
            `${results.generated.slice(0, 10)}${results.quick ? " · QUICK" : ""}`,
    };
}
