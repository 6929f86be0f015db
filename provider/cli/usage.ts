/**
 * The help and usage texts of `pulumi-iam-login-profile`, made from the command table: a command's
 * usage line and its arguments and options tables come from its operands and options, the top
 * level's command table from the commands' summaries, so a new verb, option or operand is
 * documented by declaring it.
 */
import { HELP_OPTION, type Command, type OptionSpec } from "./arguments";

/** The program's name, as users type it. */
export const PROGRAM = "pulumi-iam-login-profile";

/** What the top level's help says between its usage line and its tables. */
const TOP_DESCRIPTION = [
    "Commands for a Pulumi project that uses pulumi-iam-login-profile (run in its directory), and for its password custodians.",
    `\`${PROGRAM} <command> --help\` (or \`${PROGRAM} help <command>\`) shows a command's help.`,
].join("\n");

/** The help `--help` prints: of `command`, or of the program when it is absent. */
export function helpText(commands: readonly Command[], command?: Command): string {
    return [usageLine(command), "", command?.description ?? TOP_DESCRIPTION, "", tables(commands, command)].join("\n");
}

/** What follows a usage error: the help without its description. */
export function usageText(commands: readonly Command[], command?: Command): string {
    return [usageLine(command), "", tables(commands, command)].join("\n");
}

/** `usage: pulumi-iam-login-profile repair [--stack NAME] [--yes] …`, each option and the operands from their declarations. */
function usageLine(command: Command | undefined): string {
    if (command === undefined) {
        return `usage: ${PROGRAM} <command> [options]`;
    }
    const options = command.options.map((option) => `[--${option.name}${option.value === undefined ? "" : ` ${option.value}`}]`);
    const operands = command.operands === undefined ? [] : [`[${command.operands.name}...]`];
    return ["usage:", PROGRAM, command.name, ...options, ...operands].join(" ");
}

/** The arguments (when it takes operands) and options tables of `command`, or the top level's commands and options tables. */
function tables(commands: readonly Command[], command: Command | undefined): string {
    if (command !== undefined) {
        const operands =
            command.operands === undefined
                ? []
                : ["arguments:", ...aligned([[`${command.operands.name}...`, command.operands.description]]), ""];
        return [...operands, "options:", ...aligned(optionRows([...command.options, HELP_OPTION]))].join("\n");
    }
    return [
        "commands:",
        ...aligned(commands.map((entry) => [entry.name, entry.summary] as const)),
        "",
        "options:",
        ...aligned(optionRows([HELP_OPTION])),
    ].join("\n");
}

/** One row per option: its names as typed (`-s, --stack NAME`) and its description. */
function optionRows(options: readonly OptionSpec[]): (readonly [string, string])[] {
    return options.map((option) => [
        `${option.short === undefined ? "    " : `-${option.short}, `}--${option.name}${option.value === undefined ? "" : ` ${option.value}`}`,
        option.description,
    ]);
}

/** The rows indented by two spaces, their second column aligned two spaces after the widest first one. */
function aligned(rows: readonly (readonly [string, string])[]): string[] {
    const width = Math.max(...rows.map(([left]) => left.length));
    return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
