/**
 * Three suites, run one after another by scripts/test:
 * unit (stubbed IAM client, with coverage), integration (the emulator over HTTP),
 * e2e (the real Pulumi CLI against the emulator). The hooks' unit and integration tests run twice:
 * as the dynamic resource calls the hooks, and through the provider plugin's front door
 * (unit-plugin, integration-plugin: `provider/lifecycle` mapped to tests/support/pluginFrontDoor.ts).
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

/** The tests that drive the hooks through `createLifecycle`, which the plugin projects run through the plugin. */
const hookTests = {
    unit: [
        "<rootDir>/tests/unit/lifecycle.*.test.ts",
        "<rootDir>/tests/unit/badInputs.test.ts",
        "<rootDir>/tests/unit/diff.test.ts",
        "<rootDir>/tests/unit/validation.generated.test.ts",
    ],
    integration: [
        "<rootDir>/tests/integration/lifecycle.integration.test.ts",
        "<rootDir>/tests/integration/drift.integration.test.ts",
        "<rootDir>/tests/integration/accounts.integration.test.ts",
        "<rootDir>/tests/integration/lostResponse.integration.test.ts",
    ],
};
const throughPlugin = {
    ...common,
    moduleNameMapper: { ...common.moduleNameMapper, "^(\\.\\./)+provider/lifecycle$": "<rootDir>/tests/support/pluginFrontDoor.ts" },
};

/** Unit tests stub STS (the caller's account, assumed roles) as they stub IAM: see tests/unit/stsStub.ts. */
const stubbedSts = { setupFilesAfterEnv: ["<rootDir>/tests/unit/stsStub.ts"] };

/** @type {import('jest').Config} */
module.exports = {
    projects: [
        { ...common, ...stubbedSts, displayName: "unit", testMatch: ["<rootDir>/tests/unit/**/*.test.ts"] },
        { ...throughPlugin, ...stubbedSts, displayName: "unit-plugin", testMatch: hookTests.unit },
        { ...common, displayName: "integration", testMatch: ["<rootDir>/tests/integration/**/*.test.ts"] },
        { ...throughPlugin, displayName: "integration-plugin", testMatch: hookTests.integration },
        { ...common, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"] },
    ],
    collectCoverageFrom: ["provider/**/*.ts"],
    coverageReporters: ["text-summary", "text"],
    coverageThreshold: { global: { lines: 95 } },
};
