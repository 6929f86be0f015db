/**
 * `pulumi-iam-login-profile repair [--stack NAME] [--yes]`, run in the project directory after a
 * killed `pulumi up` or `pulumi destroy`: it completes in state each LoginProfile whose create
 * IAM carried out, drops those it did not, and clears the run's other pending operations
 * (pendingOperations.ts), so that the next `pulumi up` converges with no hand edit of state.
 * Like a `pulumi` command, it works on the selected stack unless `--stack` names one. Without
 * `--yes` it only says what it would do. It prints one line per pending operation and never a
 * password.
 */
import { CWD_OPTION, STACK_OPTION, type Command, type GivenOptions } from "../arguments";
import { profileLookup } from "./profileLookup";
import { repairDeployment } from "./pendingOperations";
import { PulumiCli } from "../pulumiCli";

/** The `repair` entry of the command table. */
export const repair: Command = {
    name: "repair",
    summary: "Finish a killed `pulumi up` or `pulumi destroy` in the stack's state",
    description: [
        "After a `pulumi up` or `pulumi destroy` that was killed, run in the project directory (after `pulumi cancel`",
        "if the stack is still locked), on the selected stack or the one --stack names. Each pending create of a",
        "LoginProfile whose profile exists in IAM becomes a resource in state, and the next `pulumi up` sets its",
        "declared password; the other pending operations are cleared. Without --yes, it prints what it would do and",
        "writes nothing.",
    ].join("\n"),
    options: [
        STACK_OPTION,
        { name: "yes", short: "y", description: "Write the repaired state (without it, only print what would be done)" },
        CWD_OPTION,
    ],
    run: runRepair,
};

/** Repairs the stack `options` name (the selected one by default); resolves to the exit code. */
async function runRepair(options: GivenOptions, print: (text: string) => void): Promise<number> {
    const cli = new PulumiCli(options.text("stack"), options.text("cwd") ?? process.cwd());
    // Asked first: with no stack selected, this is the failure that says how to choose one.
    const stack = await cli.stackName();
    const state = await cli.exportStack(false);
    if ((state.deployment.pending_operations ?? []).length === 0) {
        print(`stack ${stack} has no pending operations: nothing to repair`);
        return 0;
    }
    const lookup = profileLookup((await cli.exportStack(true)).deployment, await cli.config());
    const repaired = await repairDeployment(state.deployment, lookup);
    repaired.lines.forEach((line) => print(line));
    if (!options.flag("yes")) {
        print("nothing written: run again with --yes to write this to the stack's state");
        return 0;
    }
    await cli.importStack({ ...state, deployment: repaired.deployment });
    print(`stack ${stack} repaired: run \`pulumi up\``);
    return 0;
}
