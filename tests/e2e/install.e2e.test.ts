/**
 * The package as a user gets it: installed from a git URL, and packed from a clean clone, with no
 * `dist/` until npm's lifecycle (`prepare`) builds it; and next to the newest @pulumi/pulumi, one
 * copy of the SDK, because the package declares a range rather than pinning its host SDK.
 *
 * The "clean clone" is the working tree as `git clone` would give it (tracked and untracked files
 * that .gitignore does not exclude), committed into a repository of its own, so that the test also
 * covers changes not yet committed here.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO, runTool } from "./harness";

jest.setTimeout(600_000);

const NAME = "pulumi-iam-login-profile";
const NPM_QUIET = ["--no-audit", "--no-fund", "--loglevel=error", "--prefer-offline"];

let work: string;
let clone: string;

/** A repository holding exactly what a clone of this working tree holds. */
function cleanClone(into: string): string {
    const files = runTool("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], REPO)
        .split("\0")
        .filter((file) => file !== "" && fs.existsSync(path.join(REPO, file)));
    for (const file of files) {
        fs.mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
        fs.copyFileSync(path.join(REPO, file), path.join(into, file));
    }
    runTool("git", ["init", "-q"], into);
    runTool("git", ["add", "-A"], into);
    runTool("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "clean clone"], into);
    return into;
}

/** A new npm project (a user's Pulumi program, as far as npm is concerned). */
function userProject(name: string): string {
    const dir = path.join(work, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true }));
    return dir;
}

/** Every installed copy of @pulumi/pulumi under `dir`, as "path@version". */
function sdkCopies(dir: string): string[] {
    const copies: string[] = [];
    const visit = (modules: string): void => {
        if (!fs.existsSync(modules)) {
            return;
        }
        const manifest = path.join(modules, "@pulumi", "pulumi", "package.json");
        if (fs.existsSync(manifest)) {
            copies.push(
                `${path.relative(dir, path.dirname(manifest))}@${(JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version}`,
            );
        }
        for (const entry of fs.readdirSync(modules)) {
            const packages = entry.startsWith("@")
                ? fs.readdirSync(path.join(modules, entry)).map((p) => path.join(modules, entry, p))
                : [path.join(modules, entry)];
            for (const pkg of packages) {
                visit(path.join(pkg, "node_modules"));
            }
        }
    };
    visit(path.join(dir, "node_modules"));
    return copies;
}

/** What `require` of the package and of its hooks gives, in a new node process in `dir`. */
function loadedExports(dir: string): string {
    return runTool(
        "node",
        [
            "-e",
            `const m = require("${NAME}"); const h = require("${NAME}/hooks");` +
                `console.log(typeof m.LoginProfile, typeof m.LoginProfileError, typeof h.create, typeof h.read)`,
        ],
        dir,
    ).trim();
}

beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "lp-install-"));
    clone = cleanClone(path.join(work, "clone"));
});

afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
});

it("a clean clone has no build output", () => {
    expect(fs.existsSync(path.join(clone, "dist"))).toBe(false);
    expect(fs.existsSync(path.join(clone, "node_modules"))).toBe(false);
});

it("installs from a git URL, next to the newest @pulumi/pulumi, loads, and leaves one copy of the SDK", () => {
    const newest = runTool("npm", ["view", "@pulumi/pulumi@latest", "version"], work).trim();
    const dir = userProject("from-git");

    runTool("npm", ["install", ...NPM_QUIET, `@pulumi/pulumi@${newest}`, `git+file://${clone}`], dir);

    expect(loadedExports(dir)).toBe("function function function function");
    expect(fs.existsSync(path.join(dir, "node_modules", NAME, "dist", "index.js"))).toBe(true);
    expect(sdkCopies(dir)).toStrictEqual([`node_modules/@pulumi/pulumi@${newest}`]);
});

it("packs from the clean clone without a prior build (npm ci runs prepare), and the tarball loads", () => {
    runTool("npm", ["ci", ...NPM_QUIET], clone);
    const packed = runTool("npm", ["pack", "--silent", "--pack-destination", work], clone).trim().split("\n").pop() ?? "";
    const tarball = path.join(work, packed);
    const listing = runTool("tar", ["-tzf", tarball], work).split("\n");
    expect(listing).toEqual(
        expect.arrayContaining(["package/dist/index.js", "package/dist/hooks.js", "package/dist/serializedProvider.js"]),
    );
    expect(listing.filter((file) => /^package\/(provider|tests|scripts)\//.test(file))).toStrictEqual([]);

    const dir = userProject("from-tarball");
    runTool("npm", ["install", ...NPM_QUIET, `file:${tarball}`], dir);

    expect(loadedExports(dir)).toBe("function function function function");
    expect(sdkCopies(dir)).toHaveLength(1);
});
