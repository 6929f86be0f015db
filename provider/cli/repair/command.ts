/**
 * `pulumi-iam-login-profile repair --stack NAME [--yes]`, run in the project directory after a
 * killed `pulumi up` or `pulumi destroy`: it completes in state each LoginProfile whose create
 * IAM carried out, drops those it did not, and clears the run's other pending operations
 * (pendingOperations.ts), so that the next `pulumi up` converges with no hand edit of state.
 * Without `--yes` it only says what it would do. It prints one line per pending operation and
 * never a password.
 */
import { profileLookup } from "./profileLookup";
import { repairDeployment } from "./pendingOperations";
import { PulumiCli } from "../pulumiCli";

const USAGE = [
    "usage: pulumi-iam-login-profile repair --stack NAME [--yes] [--cwd DIR]",
    "",
    "After a `pulumi up` or `pulumi destroy` that was killed, run in the project directory (after `pulumi cancel`",
    "if the stack is still locked). Each pending create of a LoginProfile whose profile exists in IAM becomes a",
    "resource in state, and the next `pulumi up` sets its declared password; the other pending operations are",
    "cleared. Without --yes, it prints what it would do and writes nothing.",
].join("\n");

/** The command line, parsed. */
interface RepairOptions {
    readonly stack: string;
    readonly yes: boolean;
    readonly cwd: string;
}

/** Runs the command with `argv` (the arguments after the program); resolves to the exit code. */
export async function main(argv: readonly string[], print: (line: string) => void = console.log): Promise<number> {
    const [command, ...rest] = argv;
    if (command === "--help" || command === "-h" || command === "help") {
        print(USAGE);
        return 0;
    }
    if (command !== "repair") {
        throw new Error(`unknown command ${JSON.stringify(command ?? "")}\n${USAGE}`);
    }
    const options = parse(rest);
    const cli = new PulumiCli(options.stack, options.cwd);
    const state = await cli.exportStack(false);
    if ((state.deployment.pending_operations ?? []).length === 0) {
        print(`stack ${options.stack} has no pending operations: nothing to repair`);
        return 0;
    }
    const lookup = profileLookup((await cli.exportStack(true)).deployment, await cli.config());
    const repaired = await repairDeployment(state.deployment, lookup);
    repaired.lines.forEach((line) => print(line));
    if (!options.yes) {
        print("nothing written: run again with --yes to write this to the stack's state");
        return 0;
    }
    await cli.importStack({ ...state, deployment: repaired.deployment });
    print(`stack ${options.stack} repaired: run \`pulumi up\``);
    return 0;
}

function parse(args: readonly string[]): RepairOptions {
    let stack: string | undefined;
    let yes = false;
    let cwd = process.cwd();
    for (let i = 0; i < args.length; i++) {
        const arg = args[i] ?? "";
        const [flag, inline] =
            arg.startsWith("--") && arg.includes("=")
                ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
                : [arg, undefined];
        const value = (): string => {
            const given = inline ?? args[++i];
            if (given === undefined || given === "") {
                throw new Error(`${flag} needs a value\n${USAGE}`);
            }
            return given;
        };
        if (flag === "--stack" || flag === "-s") {
            stack = value();
        } else if (flag === "--cwd" || flag === "-C") {
            cwd = value();
        } else if (flag === "--yes" || flag === "-y") {
            yes = true;
        } else {
            throw new Error(`unknown option ${JSON.stringify(arg)}\n${USAGE}`);
        }
    }
    if (stack === undefined) {
        throw new Error(`--stack is required: the stack whose interrupted run to repair\n${USAGE}`);
    }
    return { stack, yes, cwd };
}

/** Runs the command with the process's arguments, and exits with its code (1 and the message on stderr when it fails). */
export function runFromCommandLine(): void {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: unknown) => {
            console.error(`pulumi-iam-login-profile: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
        },
    );
}
