// Type-aware linting for everything TypeScript in the repository.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    // bench/programs/plugin runs on the generated Node.js SDK, installed only in the bench's project
    // (the SDK suite type-checks the same kind of program against the installed package).
    { ignores: ["dist/", "coverage/", "node_modules/", "**/*.js", "**/*.mjs", ".bench/", "sdk/", "bench/programs/plugin/"] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: {
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/explicit-module-boundary-types": "error",
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/require-await": "off",
        },
    },
);
