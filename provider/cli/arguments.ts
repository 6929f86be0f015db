/**
 * The grammar every command of `pulumi-iam-login-profile` shares: a verb, its options and, for a
 * command that declares them, its operands (`combine FILE...`), read with Node's `util.parseArgs`,
 * strictly (an option the command does not declare is an error, never ignored, and so is an
 * argument after a command that takes none). As with `pulumi`, options may come before or after
 * the verb, `-h`/`--help` belongs to every command, and `help <command>` is `<command> --help`. The commands themselves are data
 * (`Command`), one per verb, listed in main.ts.
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/** One option of a command: how `util.parseArgs` reads it and how the help shows it. */
export interface OptionSpec {
    /** The long name, without `--`. */
    readonly name: string;
    /** The one-letter name, without `-`. */
    readonly short?: string;
    /** The placeholder of its value in the help (`NAME`, `DIR`); a flag, which takes no value, has none. */
    readonly value?: string;
    /** One line for the help. */
    readonly description: string;
}

/**
 * The operands of a command that takes them: any number, from none up, of one kind (`FILE...`).
 * The one kind is all a command needs so far; the help shows it as `[FILE...]`.
 */
export interface OperandSpec {
    /** Its placeholder in the help (`FILE`). */
    readonly name: string;
    /** One line for the help. */
    readonly description: string;
}

/** The options a command was given, by long name, and its operands. */
export interface GivenOptions {
    /** The value of option `name`, or undefined when it was not given. */
    text(name: string): string | undefined;
    /** Whether flag `name` was given. */
    flag(name: string): boolean;
    /** The operands, in order: empty for a command that declares none. */
    readonly operands: readonly string[];
}

/** A verb of the command line: one entry of the command table. */
export interface Command {
    /** The verb. */
    readonly name: string;
    /** One line, for the command table of the top-level help. */
    readonly summary: string;
    /** What the command does, for its help, between the usage line and the options. */
    readonly description: string;
    /**
     * Its options, besides `--help`. An option's name, short name and kind must mean the same in
     * every command: the verb is found with all of them (a value-taking option may come first).
     */
    readonly options: readonly OptionSpec[];
    /** Its operands; a command without them refuses any argument after the verb. */
    readonly operands?: OperandSpec;
    /** Runs the command; `print` writes to stdout. Resolves to the exit code. */
    run(options: GivenOptions, print: (text: string) => void): Promise<number>;
}

/** `-h`/`--help`, which every command and the top level take. */
export const HELP_OPTION: OptionSpec = { name: "help", short: "h", description: "Print this help" };

/** `-s`/`--stack`, for a command that works on a stack: like `pulumi`'s, it defaults to the selected stack. */
export const STACK_OPTION: OptionSpec = {
    name: "stack",
    short: "s",
    value: "NAME",
    description: "The stack to operate on (default: the selected stack)",
};

/** `-C`/`--cwd`, for a command that runs in a Pulumi project, like `pulumi`'s. */
export const CWD_OPTION: OptionSpec = {
    name: "cwd",
    short: "C",
    value: "DIR",
    description: "Run in the Pulumi project in DIR (default: the current directory)",
};

/** What a command line asks for: a help (a command's, or the top level's when `command` is absent), or a run. */
export type Invocation =
    | { readonly kind: "help"; readonly command?: Command }
    | { readonly kind: "run"; readonly command: Command; readonly options: GivenOptions };

/** A command line that cannot be run: why, and the command whose usage goes with it (the top level's when absent). */
export class UsageError extends Error {
    constructor(
        message: string,
        /** The command whose usage to show; absent for the top level's. */
        readonly command?: Command,
    ) {
        super(message);
        this.name = "UsageError";
    }
}

/** Reads `argv` (the arguments after the program) against the command table `commands`; throws a UsageError for a line that cannot run. */
export function parseCommandLine(argv: readonly string[], commands: readonly Command[]): Invocation {
    // A first, lenient pass only finds the verb: it must know every option that takes a value, so
    // that `--stack dev repair` reads "dev" as the stack's name and not as the verb.
    const [verb, ...rest] = parseArgs({ args: argv, options: everyOption(commands), strict: false, allowPositionals: true }).positionals;
    if (verb === undefined || verb === "help") {
        parseStrictly(argv, [HELP_OPTION], undefined);
        const [topic, ...extra] = rest;
        if (extra[0] !== undefined) {
            throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
        }
        return topic === undefined ? { kind: "help" } : { kind: "help", command: commandNamed(topic, commands) };
    }
    const command = commandNamed(verb, commands);
    const { values, positionals } = parseStrictly(argv, [...command.options, HELP_OPTION], command);
    if (command.operands === undefined && rest[0] !== undefined) {
        throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`, command);
    }
    if (values.help === true) {
        return { kind: "help", command };
    }
    return {
        kind: "run",
        command,
        options: {
            text: (name) => {
                const value = values[name];
                return typeof value === "string" ? value : undefined;
            },
            flag: (name) => values[name] === true,
            // From the strict reading, which knows only this command's options: the verb, then the operands.
            operands: positionals.slice(1),
        },
    };
}

/** The values of parsed options, by long name. */
type Values = Readonly<Record<string, string | boolean | readonly (string | boolean)[] | undefined>>;

/** `util.parseArgs`'s strict reading of `argv` with `specs`, its errors reworded as one short reason each. */
function parseStrictly(
    argv: readonly string[],
    specs: readonly OptionSpec[],
    command: Command | undefined,
): { values: Values; positionals: readonly string[] } {
    const options = parseArgsOptions(specs);
    let parsed: { values: Values; positionals: readonly string[] };
    try {
        parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    } catch (error) {
        if (!isParseArgsError(error)) {
            throw error;
        }
        throw new UsageError(reasonFor(argv, options) ?? error.message, command);
    }
    // parseArgs takes `--stack=` as the empty name; no option here means anything by an empty value.
    const empty = specs.find((spec) => spec.value !== undefined && parsed.values[spec.name] === "");
    if (empty !== undefined) {
        throw new UsageError(`--${empty.name} needs a value`, command);
    }
    return parsed;
}

/**
 * Why a strict parse refused `argv`, in the words of the usage errors: parseArgs's own messages
 * carry advice about positional arguments that misleads here. Found from the lenient parse's
 * tokens, which keep the offending option as it was typed; undefined if none explains it.
 */
function reasonFor(argv: readonly string[], options: ParseArgsOptionsConfig): string | undefined {
    const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
    for (const token of tokens) {
        if (token.kind !== "option") {
            continue;
        }
        const type = Object.hasOwn(options, token.name) ? options[token.name]?.type : undefined;
        if (type === undefined) {
            return `unknown option ${JSON.stringify(token.rawName)}`;
        }
        if (type === "boolean" && token.value !== undefined) {
            return `${token.rawName} takes no value`;
        }
        // The strict parse refuses a value that looks like an option (`--stack --yes`) unless given inline.
        if (type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))) {
            return `${token.rawName} needs a value`;
        }
    }
    return undefined;
}

/**
 * Whether `error` is util.parseArgs's refusal of the arguments (not of its configuration). Told by
 * its code, not `instanceof`: Node's errors come from another realm under a test runner's VM.
 */
function isParseArgsError(error: unknown): error is Error & { readonly code: string } {
    const code: unknown = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
    return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

/** The command named `name`. */
function commandNamed(name: string, commands: readonly Command[]): Command {
    const command = commands.find((candidate) => candidate.name === name);
    if (command === undefined) {
        throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    }
    return command;
}

/** `specs` as util.parseArgs takes them. */
function parseArgsOptions(specs: readonly OptionSpec[]): ParseArgsOptionsConfig {
    return Object.fromEntries(
        specs.map((spec) => [
            spec.name,
            { type: spec.value === undefined ? "boolean" : "string", ...(spec.short !== undefined ? { short: spec.short } : {}) },
        ]),
    );
}

/** Every command's options and `--help`, for finding the verb; fails when a name or a letter means two things. */
function everyOption(commands: readonly Command[]): ParseArgsOptionsConfig {
    const specs = [HELP_OPTION, ...commands.flatMap((command) => command.options)];
    specs.forEach((spec, index) => {
        for (const other of specs.slice(index + 1)) {
            if (other.name === spec.name && (other.short !== spec.short || (other.value === undefined) !== (spec.value === undefined))) {
                throw new Error(`--${spec.name} is declared twice, differently: an option must mean the same in every command`);
            }
            if (other.name !== spec.name && other.short !== undefined && other.short === spec.short) {
                throw new Error(`-${spec.short} is both --${spec.name} and --${other.name}: an option must mean the same in every command`);
            }
        }
    });
    return parseArgsOptions(specs);
}
