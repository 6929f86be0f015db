/**
 * Three suites, run one after another by scripts/test:
 * unit (stubbed IAM client, with coverage), integration (the emulator over HTTP),
 * e2e (the real Pulumi CLI against the emulator).
 */
const common = {
    preset: "ts-jest",
    testEnvironment: "node",
    // The serialized provider loads its hooks by the package's public name; in tests that is the source.
    moduleNameMapper: {
        "^pulumi-iam-login-profile/hooks$": "<rootDir>/provider/hooks.ts",
        "^pulumi-iam-login-profile$": "<rootDir>/provider/index.ts",
    },
    transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
};

/** @type {import('jest').Config} */
module.exports = {
    projects: [
        { ...common, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
        { ...common, displayName: "integration", testMatch: ["<rootDir>/tests/integration/**/*.test.ts"] },
        { ...common, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"] },
    ],
    collectCoverageFrom: ["provider/**/*.ts"],
    coverageReporters: ["text-summary", "text"],
    coverageThreshold: { global: { lines: 95 } },
};
