/**
 * Runs bench/main.ts (scripts/bench calls this): TypeScript files are transpiled in memory as they
 * are required, with the repository's TypeScript, so that `__dirname` in the e2e harness and the
 * emulator support stays their source folder. No type-check here: `npx tsc -p bench/tsconfig.json`.
 */
"use strict";

const fs = require("node:fs");
const ts = require("typescript");

const compilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    inlineSourceMap: true,
};

require.extensions[".ts"] = (module, filename) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), { compilerOptions, fileName: filename });
    module._compile(outputText, filename);
};

process.setSourceMapsEnabled(true);
require("./main.ts");
