// The manifest of the generated SDKs (sdk/manifest.json): the SHA-256 of the schema they were
// generated from and of every file under sdk/, so that a test can tell, without Go, that the
// SDKs are current and that nobody edited them by hand.
//
//   node scripts/sdk-manifest.mjs --write   writes sdk/manifest.json (scripts/generate-sdks runs it)
//   node scripts/sdk-manifest.mjs --check   exits 1, saying what differs, when it is not current
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const sdk = join(repo, "sdk");
const manifestPath = join(sdk, "manifest.json");
const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

function* files(dir) {
    for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
            // What a language's tooling leaves behind (git ignores it too) is not part of an SDK.
            if (!["__pycache__", "node_modules"].includes(name)) {
                yield* files(path);
            }
        } else if (path !== manifestPath) {
            yield path;
        }
    }
}

function manifest() {
    return {
        schema: sha256(join(repo, "provider", "plugin", "schema.json")),
        files: Object.fromEntries([...files(sdk)].map((path) => [relative(sdk, path), sha256(path)])),
    };
}

const current = `${JSON.stringify(manifest(), null, 2)}\n`;
if (process.argv.includes("--write")) {
    writeFileSync(manifestPath, current);
    console.log(`wrote ${relative(repo, manifestPath)}`);
} else {
    let recorded = "";
    try {
        recorded = readFileSync(manifestPath, "utf8");
    } catch {
        // missing counts as stale
    }
    if (recorded !== current) {
        const was = recorded ? JSON.parse(recorded) : { files: {} };
        const now = JSON.parse(current);
        const changed = [
            ...(was.schema !== now.schema ? ["provider/plugin/schema.json"] : []),
            ...Object.keys({ ...was.files, ...now.files })
                .filter((f) => was.files[f] !== now.files[f])
                .map((f) => `sdk/${f}`),
        ];
        console.error(`the SDKs are not current (${changed.join(", ")}): run scripts/generate-sdks, and never edit sdk/ by hand`);
        process.exit(1);
    }
    console.log("the SDKs under sdk/ are current");
}
