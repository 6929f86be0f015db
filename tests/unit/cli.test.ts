/**
 * The command line's grammar and help (`provider/cli/main.ts`, `arguments.ts`, `usage.ts`): every
 * form of `--help` prints the exact help and runs nothing, every refused line fails with its exact
 * reason and the usage, and options reach the command wherever they stand.
 */
import { parseCommandLine, type Command, type GivenOptions } from "../../provider/cli/arguments";
import { main } from "../../provider/cli/main";
import { repair } from "../../provider/cli/repair/command";

/** The top level's command table and options, under its usage line in both its usage and its help. */
const TOP_TABLES = [
    "commands:",
    "  repair   Finish a killed `pulumi up` or `pulumi destroy` in the stack's state",
    "  combine  Join custodians' decrypted shares and print the password they were split from",
    "",
    "options:",
    "  -h, --help  Print this help",
];

const TOP_USAGE = ["usage: pulumi-iam-login-profile <command> [options]", "", ...TOP_TABLES].join("\n");

const TOP_HELP = [
    "usage: pulumi-iam-login-profile <command> [options]",
    "",
    "Commands for a Pulumi project that uses pulumi-iam-login-profile (run in its directory), and for its password custodians.",
    "`pulumi-iam-login-profile <command> --help` (or `pulumi-iam-login-profile help <command>`) shows a command's help.",
    "",
    ...TOP_TABLES,
].join("\n");

const REPAIR_OPTIONS = [
    "options:",
    "  -s, --stack NAME  The stack to operate on (default: the selected stack)",
    "  -y, --yes         Write the repaired state (without it, only print what would be done)",
    "  -C, --cwd DIR     Run in the Pulumi project in DIR (default: the current directory)",
    "  -h, --help        Print this help",
];

const REPAIR_USAGE = ["usage: pulumi-iam-login-profile repair [--stack NAME] [--yes] [--cwd DIR]", "", ...REPAIR_OPTIONS].join("\n");

const REPAIR_HELP = [
    "usage: pulumi-iam-login-profile repair [--stack NAME] [--yes] [--cwd DIR]",
    "",
    "After a `pulumi up` or `pulumi destroy` that was killed, run in the project directory (after `pulumi cancel`",
    "if the stack is still locked), on the selected stack or the one --stack names. Each pending create of a",
    "LoginProfile whose profile exists in IAM becomes a resource in state, and the next `pulumi up` sets its",
    "declared password; the other pending operations are cleared. Without --yes, it prints what it would do and",
    "writes nothing.",
    "",
    ...REPAIR_OPTIONS,
].join("\n");

/** What `main` printed and returned, with the command's own run replaced by a stub that records its options. */
async function run(args: readonly string[]): Promise<{ code: number; printed: string[] }> {
    const printed: string[] = [];
    const code = await main(args, (text) => printed.push(text));
    return { code, printed };
}

let repairRun: jest.SpiedFunction<Command["run"]>;

beforeEach(() => {
    repairRun = jest.spyOn(repair, "run").mockResolvedValue(0);
});

afterEach(() => {
    repairRun.mockRestore();
});

describe("help", () => {
    it.each([[[]], [["--help"]], [["-h"]], [["help"]], [["help", "--help"]]])("%j prints the top-level help, exit 0", async (args) => {
        expect(await run(args)).toEqual({ code: 0, printed: [TOP_HELP] });
        expect(repairRun).not.toHaveBeenCalled();
    });

    it.each([
        [["repair", "--help"]],
        [["repair", "-h"]],
        [["--help", "repair"]],
        [["-h", "repair"]],
        [["help", "repair"]],
        [["repair", "--stack", "dev", "--yes", "-h"]],
    ])("%j prints repair's help and repairs nothing, exit 0", async (args) => {
        expect(await run(args)).toEqual({ code: 0, printed: [REPAIR_HELP] });
        expect(repairRun).not.toHaveBeenCalled();
    });
});

describe("refused command lines", () => {
    it.each([
        [["fix"], `unknown command "fix"\n${TOP_USAGE}`],
        [["help", "fix"], `unknown command "fix"\n${TOP_USAGE}`],
        [["-h", "fix"], `unknown command "fix"\n${TOP_USAGE}`],
        [["--yes"], `unknown option "--yes"\n${TOP_USAGE}`],
        [["--stack", "dev"], `unknown option "--stack"\n${TOP_USAGE}`],
        [["help", "repair", "extra"], `unexpected argument "extra"\n${TOP_USAGE}`],
        [["repair", "--force"], `unknown option "--force"\n${REPAIR_USAGE}`],
        [["repair", "-yx"], `unknown option "-x"\n${REPAIR_USAGE}`],
        [["repair", "--stack"], `--stack needs a value\n${REPAIR_USAGE}`],
        [["repair", "-s"], `-s needs a value\n${REPAIR_USAGE}`],
        [["repair", "--stack", "--yes"], `--stack needs a value\n${REPAIR_USAGE}`],
        [["repair", "--cwd="], `--cwd needs a value\n${REPAIR_USAGE}`],
        [["repair", "--yes=no"], `--yes takes no value\n${REPAIR_USAGE}`],
        [["repair", "dev"], `unexpected argument "dev"\n${REPAIR_USAGE}`],
    ])("%j", async (args, message) => {
        await expect(run(args)).rejects.toThrow(new Error(message));
        expect(repairRun).not.toHaveBeenCalled();
    });
});

describe("operands", () => {
    /** A command that takes files, as `combine` does. */
    const cat: Command = {
        name: "cat",
        summary: "",
        description: "",
        options: [{ name: "yes", short: "y", description: "" }],
        operands: { name: "FILE", description: "" },
        run: async () => 0,
    };

    it.each([
        [["cat"], []],
        [["cat", "a.txt"], ["a.txt"]],
        [
            ["cat", "a.txt", "-y", "b.txt"],
            ["a.txt", "b.txt"],
        ],
        [["-y", "cat", "a.txt"], ["a.txt"]],
        [
            ["cat", "--", "-y", "b.txt"],
            ["-y", "b.txt"],
        ],
    ])("%j reach a command that takes operands as %j, in order", (args, operands) => {
        const invocation = parseCommandLine(args, [repair, cat]);

        expect(invocation.kind === "run" && invocation.options.operands).toEqual(operands);
    });

    it("gives a command without operands none", () => {
        const invocation = parseCommandLine(["repair", "--yes"], [repair, cat]);

        expect(invocation.kind === "run" && invocation.options.operands).toEqual([]);
    });
});

describe("options", () => {
    /** The options repair was run with, read back through the names it declares. */
    function given(options: GivenOptions): Record<string, string | boolean | undefined> {
        return { stack: options.text("stack"), cwd: options.text("cwd"), yes: options.flag("yes") };
    }

    it.each([
        [["repair"], { stack: undefined, cwd: undefined, yes: false }],
        [["repair", "--stack", "dev", "--yes"], { stack: "dev", cwd: undefined, yes: true }],
        [["repair", "--stack=dev", "--cwd=/p"], { stack: "dev", cwd: "/p", yes: false }],
        [["-s", "dev", "repair", "-y", "-C", "/p"], { stack: "dev", cwd: "/p", yes: true }],
        [["repair", "-ys", "dev"], { stack: "dev", cwd: undefined, yes: true }],
    ])("%j reach repair as %j, before or after the verb; its exit code is the command's", async (args, expected) => {
        repairRun.mockResolvedValue(3);

        expect(await run(args)).toEqual({ code: 3, printed: [] });

        expect(repairRun).toHaveBeenCalledTimes(1);
        const [options] = repairRun.mock.calls[0] ?? [];
        expect(options && given(options)).toEqual(expected);
    });

    it("refuses a command table in which an option means two things, since the verb is found with every command's options", () => {
        const command = (name: string, short: string, value?: string): Command => ({
            name,
            summary: "",
            description: "",
            options: [{ name: "output", short, ...(value !== undefined ? { value } : {}), description: "" }],
            run: async () => 0,
        });

        expect(() => parseCommandLine(["a"], [command("a", "o", "FILE"), command("b", "o", "FILE")])).not.toThrow();
        expect(() => parseCommandLine(["a"], [command("a", "o", "FILE"), command("b", "o")])).toThrow(
            new Error("--output is declared twice, differently: an option must mean the same in every command"),
        );
        expect(() => parseCommandLine(["a"], [command("a", "o", "FILE"), command("b", "h", "FILE")])).toThrow(
            new Error("-h is both --help and --output: an option must mean the same in every command"),
        );
    });
});
