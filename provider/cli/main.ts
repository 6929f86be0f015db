/**
 * The package's command line, `pulumi-iam-login-profile` (bin/pulumi-iam-login-profile): the
 * command table, one entry per verb (each in its folder beside this file), read with the grammar
 * of arguments.ts. Help goes to stdout with exit code 0; a failure to stderr, as
 * `pulumi-iam-login-profile: <message>`, with exit code 1.
 */
import { parseCommandLine, UsageError, type Command, type Invocation } from "./arguments";
import { combine } from "./combine/command";
import { repair } from "./repair/command";
import { helpText, PROGRAM, usageText } from "./usage";

/** The commands, in the order the top-level help lists them. */
export const COMMANDS: readonly Command[] = [repair, combine];

/**
 * Runs the command line `argv` (the arguments after the program); resolves to the exit code, and
 * rejects with the message to show when it fails (a usage error's message ends with the usage).
 */
export async function main(argv: readonly string[], print: (text: string) => void = console.log): Promise<number> {
    let invocation: Invocation;
    try {
        invocation = parseCommandLine(argv, COMMANDS);
    } catch (error) {
        if (error instanceof UsageError) {
            throw new Error(`${error.message}\n${usageText(COMMANDS, error.command)}`);
        }
        throw error;
    }
    if (invocation.kind === "help") {
        print(helpText(COMMANDS, invocation.command));
        return 0;
    }
    return invocation.command.run(invocation.options, print);
}

/** Runs the command line of the process, and exits with its code (1, and the message on stderr, when it fails). */
export function runFromCommandLine(): void {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (error: unknown) => {
            console.error(`${PROGRAM}: ${error instanceof Error ? error.message : String(error)}`);
            process.exit(1);
        },
    );
}
