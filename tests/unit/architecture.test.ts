/**
 * The folder map of provider/ is its architecture (CONTRIBUTING.md, "Architecture"): each folder a
 * floor, every import pointing down to a lower floor or across its own folder, no circle, and the
 * root holding only the package's entry points, which the `exports` map and existing stacks'
 * serialized providers load by name. A change that breaks the layering fails here, not in review.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const PROVIDER = path.join(__dirname, "..", "..", "provider");

/** Floors from the bottom; front doors share the floor above the hooks and never import each other. */
const FLOORS: Readonly<Record<string, number>> = {
    model: 0,
    password: 1,
    aws: 2,
    rules: 3,
    lifecycle: 4,
    dynamic: 5,
    plugin: 5,
    cli: 5,
    policy: 5,
    root: 6,
};

/**
 * The root's files: the package's entry points. `serializedProvider.ts` is stored in every
 * dynamic resource's state and loads the hooks by the package's name when it runs, so it imports
 * nothing at run time and counts as the bottom of the house, below `model/`.
 */
const ENTRY_POINTS = ["hooks.ts", "index.ts", "serializedProvider.ts"];

/** Every .ts file under provider/, relative to it. */
function sources(dir = PROVIDER): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return sources(full);
        }
        return entry.name.endsWith(".ts") ? [path.relative(PROVIDER, full)] : [];
    });
}

/** A file's folder under provider/ ("root" for the entry points). */
function folderOf(file: string): string {
    const [first, ...rest] = file.split(path.sep);
    return rest.length === 0 ? "root" : (first ?? "root");
}

/** The floor a file stands on. */
function floorOf(file: string): number {
    return file === "serializedProvider.ts" ? -1 : (FLOORS[folderOf(file)] ?? Number.NaN);
}

/** A file's imports of other provider/ files, relative to provider/ (with `.ts`), and whether each is type-only. */
function importsOf(file: string): { target: string; typeOnly: boolean }[] {
    // Comments cut out first: their prose may say "imported … from".
    const text = fs
        .readFileSync(path.join(PROVIDER, file), "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/^\s*\/\/.*$/gm, "");
    const found: { target: string; typeOnly: boolean }[] = [];
    for (const match of text.matchAll(
        /(^\s*import\s+type\s[^;]*?from|^\s*(?:import|export)\s[^;]*?from|import\(|require\()\s*"(\.{1,2}\/[^"]+)"/gm,
    )) {
        const spec = match[2] ?? "";
        const base = path.normalize(path.join(path.dirname(file), spec));
        const target = [`${base}.ts`, path.join(base, "index.ts"), base].find((candidate) => fs.existsSync(path.join(PROVIDER, candidate)));
        if (target !== undefined && target.endsWith(".ts")) {
            found.push({ target, typeOnly: /^\s*import\s+type\s/.test(match[1] ?? "") });
        }
    }
    return found;
}

describe("provider/'s architecture", () => {
    const files = sources();

    it("keeps only the package's entry points at the root, and every other file in a folder of the map", () => {
        expect(files.filter((file) => folderOf(file) === "root").sort()).toStrictEqual(ENTRY_POINTS);
        expect(files.filter((file) => Number.isNaN(floorOf(file)))).toStrictEqual([]);
    });

    it("points every import down a floor or across its own folder; the front doors never import each other", () => {
        const upward = files.flatMap((file) =>
            importsOf(file)
                .filter(({ target }) => {
                    const sameFolder = folderOf(target) === folderOf(file);
                    return !sameFolder && floorOf(target) >= floorOf(file);
                })
                .map(({ target }) => `${file} -> ${target}`),
        );

        expect(upward).toStrictEqual([]);
    });

    it("lets the serialized provider import nothing at run time", () => {
        expect(importsOf("serializedProvider.ts")).toStrictEqual([{ target: "hooks.ts", typeOnly: true }]);
    });

    it("is the map CONTRIBUTING.md's Architecture section draws: one line per folder, each of them", () => {
        const contributing = fs.readFileSync(path.join(PROVIDER, "..", "CONTRIBUTING.md"), "utf8");
        const section = contributing.split(/^## /m).find((part) => part.startsWith("Architecture\n")) ?? "";
        const mapped = [...section.matchAll(/^- `provider\/([a-z]*)\/?`/gm)].map((match) => match[1] || "root");
        const folders = fs
            .readdirSync(PROVIDER, { withFileTypes: true })
            .filter((entry) => entry.isDirectory())
            .map((entry) => entry.name);

        expect(mapped).toStrictEqual(["root", ...Object.keys(FLOORS).filter((floor) => floor !== "root")]);
        expect([...folders].sort()).toStrictEqual(
            Object.keys(FLOORS)
                .filter((floor) => floor !== "root")
                .sort(),
        );
    });

    it("has no circle of imports", () => {
        const graph = new Map(files.map((file) => [file, importsOf(file).map(({ target }) => target)]));
        const circles: string[] = [];
        const visit = (file: string, trail: string[]): void => {
            if (trail.includes(file)) {
                circles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
                return;
            }
            for (const next of graph.get(file) ?? []) {
                visit(next, [...trail, file]);
            }
        };
        files.forEach((file) => visit(file, []));

        expect(circles).toStrictEqual([]);
    });
});
