/**
 * The docs as users read them (README.md, CONTRIBUTING.md, docs/): every code block that is a
 * program or a document (anything but shell commands) is the file under examples/ or docs/ that
 * its `<!-- example: path -->` line names, which the suites type-check, compile, import or run; every
 * relative link points to a file that exists, and to a heading in it when it names one; the README
 * stays a front page.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");
const PAGES = [
    "README.md",
    "CONTRIBUTING.md",
    ...fs
        .readdirSync(path.join(REPO, "docs"))
        .filter((f) => f.endsWith(".md"))
        .map((f) => `docs/${f}`),
];
/** Code blocks that are commands to type, not files. */
const COMMANDS = new Set(["sh", "console", "text"]);

function read(page: string): string {
    return fs.readFileSync(path.join(REPO, page), "utf8");
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
    return heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

function anchors(page: string): Set<string> {
    return new Set([...read(page).matchAll(/^#{1,6} (.+)$/gm)].map((match) => slug(match[1] ?? "")));
}

describe.each(PAGES)("%s", (page) => {
    const text = read(page);

    it("shows exactly the file each program or document block names", () => {
        const blocks = [...text.matchAll(/(<!-- example: (\S+) -->\n)?```(\w*)\n([\s\S]*?)```/g)];
        for (const [, , file, language, code] of blocks) {
            if (COMMANDS.has(language ?? "")) {
                continue;
            }
            expect({ page, language, marked: file !== undefined }).toEqual({ page, language, marked: true });
            expect({ file, code }).toEqual({ file, code: fs.readFileSync(path.join(REPO, file ?? ""), "utf8") });
        }
    });

    it("links only to files and headings that exist", () => {
        const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? "").filter((link) => !/^[a-z]+:/.test(link));
        for (const link of links) {
            const [file, anchor] = link.split("#");
            const target = file ? path.normalize(path.join(path.dirname(page), file)) : page;
            expect({ link, exists: fs.existsSync(path.join(REPO, target)) }).toEqual({ link, exists: true });
            if (anchor && target.endsWith(".md")) {
                expect({ link, heading: anchors(target).has(anchor) }).toEqual({ link, heading: true });
            }
        }
    });
});

test("the README is a front page: at most 150 lines", () => {
    expect(read("README.md").split("\n").length).toBeLessThanOrEqual(150);
});
