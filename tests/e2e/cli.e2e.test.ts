/**
 * The package's command line as users run it: the bin npm installed in a project
 * (`node_modules/.bin/pulumi-iam-login-profile`, which loads the built `dist/`), with the real
 * Pulumi CLI. Help and usage errors as the unit tests pin them (tests/unit/cli.test.ts), their exit
 * codes and streams, and `repair` on the selected stack: none selected, then one.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { COMMANDS } from "../../provider/cli/main";
import { repair } from "../../provider/cli/repair/command";
import { helpText, usageText } from "../../provider/cli/usage";
import { projectEnv } from "./harness";
import { e2eSuite } from "./suite";

jest.setTimeout(180_000);

const suite = e2eSuite();

/** Runs the installed bin with `args` in the project, with the project's environment. */
function bin(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
    const { dir } = suite.project;
    const result = spawnSync(path.join(dir, "node_modules", ".bin", "pulumi-iam-login-profile"), args, {
        cwd: dir,
        env: { ...projectEnv(dir, suite.emulator.endpoint), PULUMI_SKIP_UPDATE_CHECK: "true" },
        encoding: "utf8",
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test.each([[["--help"]], [["help"]]])("%j prints the top-level help on stdout, exit 0", (args) => {
    expect(bin(args)).toEqual({ code: 0, stdout: `${helpText(COMMANDS)}\n`, stderr: "" });
});

test.each([[["repair", "--help"]], [["-h", "repair"]], [["help", "repair"]]])("%j prints repair's help on stdout, exit 0", (args) => {
    expect(bin(args)).toEqual({ code: 0, stdout: `${helpText(COMMANDS, repair)}\n`, stderr: "" });
});

test("an unknown option: the reason and the usage on stderr, exit 1", () => {
    expect(bin(["repair", "--force"])).toEqual({
        code: 1,
        stdout: "",
        stderr: `pulumi-iam-login-profile: unknown option "--force"\n${usageText(COMMANDS, repair)}\n`,
    });
});

test("repair without --stack works on the selected stack, and says how to choose one when none is", async () => {
    expect(bin(["repair", "--yes"])).toEqual({
        code: 1,
        stdout: "",
        stderr: "pulumi-iam-login-profile: no stack selected: pass --stack NAME, or select the stack with `pulumi stack select NAME`\n",
    });

    await suite.project.expectPulumi(["stack", "init", "picked"]);

    expect(bin(["repair", "--yes"])).toEqual({
        code: 0,
        stdout: "stack picked has no pending operations: nothing to repair\n",
        stderr: "",
    });
});
