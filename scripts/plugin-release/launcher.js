// The iam-login-profile provider plugin's entry point in a release (scripts/package-plugin): it
// checks the Node.js it runs on, keeps V8's compiled code of the plugin between starts (Node's
// compile cache: every Pulumi command starts the plugin, and compiling it is most of its start),
// then runs the bundled plugin, iam-login-profile.js.
"use strict";
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
    process.stderr.write(
        `pulumi-resource-iam-login-profile needs Node.js 22 or newer on PATH; ${process.execPath} is ${process.version}. Install a newer one from https://nodejs.org\n`,
    );
    process.exit(1);
}
const nodeModule = require("node:module");
// Node 22.1 and newer (22.10 for the flush); an older 22 runs the plugin uncached.
const cached = typeof nodeModule.enableCompileCache === "function" && typeof nodeModule.flushCompileCache === "function";
if (cached) {
    nodeModule.enableCompileCache();
}
require("./iam-login-profile.js");
if (cached) {
    // Node writes the cache when the process exits, and the engine ends a plugin with a signal:
    // write it once the plugin has started and announced its port, and again once a hook has
    // loaded the AWS SDK (a flush writes what was compiled since the last).
    setTimeout(() => nodeModule.flushCompileCache(), 200).unref();
    setTimeout(() => nodeModule.flushCompileCache(), 10_000).unref();
}
