// Bundles the provider plugin and packs one release per platform (see scripts/package-plugin):
//   node scripts/package-plugin.mjs OUT_DIR
// after `npm run build`. Prints each tarball's path, one per line.
//
// The plugin's code (dist/plugin/main.js with @pulumi/pulumi's provider server, gRPC and this
// package's hooks) is one file, iam-login-profile.js. What it loads only when a hook first calls
// AWS or encrypts to a PGP key (the AWS SDK's IAM, STS and CloudTrail clients, openpgp) is bundled apart, each
// as the one file of a package under node_modules/, so that starting the plugin, which every Pulumi
// command does, compiles none of it. The launchers differ by platform; the JavaScript is the same.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const outDir = path.resolve(process.argv[2] ?? path.join(repo, "release"));
const { version } = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
/** Loaded lazily by the hooks (iam.ts, credentials.ts, cloudTrail.ts, pgp.ts): bundled apart from the start-up code. */
const LAZY = ["@aws-sdk/client-iam", "@aws-sdk/client-sts", "@aws-sdk/client-cloudtrail", "openpgp"];
const PLATFORMS = ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64"];
const LAUNCHERS = path.join(repo, "scripts", "plugin-release");
const common = { bundle: true, platform: "node", target: "node22", format: "cjs", minify: true, logLevel: "error" };

const stage = fs.mkdtempSync(path.join(os.tmpdir(), "package-plugin-"));
try {
    const code = path.join(stage, "code");
    await build({
        ...common,
        entryPoints: [path.join(repo, "dist", "plugin", "main.js")],
        outfile: path.join(code, "iam-login-profile.js"),
        external: LAZY,
        // main.ts falls back to the bundled @grpc/grpc-js when @pulumi/pulumi cannot be resolved.
        logOverride: { "require-resolve-not-external": "silent" },
    });
    for (const name of LAZY) {
        await build({
            ...common,
            stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: repo, loader: "js" },
            outfile: path.join(code, "node_modules", name, "index.js"),
        });
    }
    fs.copyFileSync(path.join(LAUNCHERS, "launcher.js"), path.join(code, "launcher.js"));
    fs.copyFileSync(path.join(repo, "LICENSE"), path.join(code, "LICENSE"));
    fs.mkdirSync(outDir, { recursive: true });
    for (const platform of PLATFORMS) {
        const dir = path.join(stage, platform);
        fs.cpSync(code, dir, { recursive: true });
        const launcher = platform.startsWith("windows") ? "pulumi-resource-iam-login-profile.cmd" : "pulumi-resource-iam-login-profile";
        fs.copyFileSync(path.join(LAUNCHERS, launcher), path.join(dir, launcher));
        fs.chmodSync(path.join(dir, launcher), 0o755);
        const tarball = path.join(outDir, `pulumi-resource-iam-login-profile-v${version}-${platform}.tar.gz`);
        execFileSync("tar", ["-czf", `${tarball}.partial`, "-C", dir, "."]);
        fs.renameSync(`${tarball}.partial`, tarball);
        console.log(tarball);
    }
} finally {
    fs.rmSync(stage, { recursive: true, force: true });
}
