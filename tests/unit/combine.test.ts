/**
 * The bin's `combine` command end to end (provider/cli/combine/command.ts through `main`): shares
 * decrypted as custodians decrypt them, in files or on standard input, give the password on
 * stdout; every refusal is `combine: <reason>`, exit code 1, and holds no password or share. No
 * stack, no AWS.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { main, runFromCommandLine } from "../../provider/cli/main";
import { splitToCustodians } from "../../provider/password/custodians";
import { readPgpKeys } from "../../provider/password/pgp";
import { decryptPassword, generateTestKeyPairs } from "./pgpKeys";
import { withOneCharacterChanged } from "./shareLines";

/** A generated password, as the resource would split it. */
const PASSWORD = "q7{Rb!x2Lk@9Wm$ZpT4e";

const COMBINE_USAGE = [
    "usage: pulumi-iam-login-profile combine [FILE...]",
    "",
    "arguments:",
    "  FILE...  A file of decrypted shares, one per line (default: standard input)",
    "",
    "options:",
    "  -h, --help  Print this help",
].join("\n");

const COMBINE_HELP = [
    "usage: pulumi-iam-login-profile combine [FILE...]",
    "",
    "Prints the generated password of a LoginProfile that split it among custodians (pgpKeys, threshold), from",
    "enough of its shares. Each custodian decrypts their entry of the encryptedShares output, which prints their",
    "share, one line:",
    "  echo '<encryptedShare>' | base64 --decode | gpg --decrypt > share.txt",
    "Give the shares as FILEs or, with no FILE, on standard input, one per line. Too few shares, an altered one",
    "or one of another password are refused, and then no password is printed. It needs no stack and no AWS access.",
    "",
    "arguments:",
    "  FILE...  A file of decrypted shares, one per line (default: standard input)",
    "",
    "options:",
    "  -h, --help  Print this help",
].join("\n");

/** The three custodians' decrypted shares of a 2-of-3 split of PASSWORD, as `gpg --decrypt` prints them. */
let shares: [string, string, string];
let dir: string;

beforeAll(async () => {
    const custodians = await generateTestKeyPairs(3);
    const split = await splitToCustodians(PASSWORD, await readPgpKeys(custodians.map((pair) => pair.publicKey)), 2);
    shares = (await Promise.all(
        split.map((share, index) => decryptPassword(share.encryptedShare, custodians[index]?.privateKey ?? "")),
    )) as [string, string, string];
});

beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "combine-"));
});

afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    jest.restoreAllMocks();
});

/** Writes `text` to the file `name` in the test's folder; its path. */
function file(name: string, text: string): string {
    const written = path.join(dir, name);
    fs.writeFileSync(written, text);
    return written;
}

/** Makes standard input read `text`. */
function standardInput(text: string): void {
    jest.spyOn(process, "stdin", "get").mockReturnValue(Readable.from([Buffer.from(text)]) as unknown as typeof process.stdin);
}

/** What `main` printed and returned for `args`. */
async function run(args: readonly string[]): Promise<{ code: number; printed: string[] }> {
    const printed: string[] = [];
    const code = await main(args, (text) => printed.push(text));
    return { code, printed };
}

/** The message `main` refuses `args` with, checked to hold no password and no share. */
async function refusal(args: readonly string[]): Promise<string> {
    const error = await run(args).then(
        () => undefined,
        (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).not.toContain(PASSWORD);
    for (const share of shares) {
        expect(message).not.toContain(share.split(" ")[6]);
    }
    return message;
}

describe("combine prints the password", () => {
    it("from two share files, and exits 0", async () => {
        expect(await run(["combine", file("alice.txt", shares[0]), file("carol.txt", shares[2])])).toEqual({
            code: 0,
            printed: [PASSWORD],
        });
    });

    it("from one file that holds several shares, one per line", async () => {
        expect(await run(["combine", file("shares.txt", `${shares[1]}\n${shares[2]}`)])).toEqual({ code: 0, printed: [PASSWORD] });
    });

    it("from standard input, one share per line, as `cat share*.txt |` gives them", async () => {
        standardInput(shares.join(""));

        expect(await run(["combine"])).toEqual({ code: 0, printed: [PASSWORD] });
    });

    it("from standard input with Windows line ends and blank lines", async () => {
        standardInput(`\r\n${shares[0].trim()}\r\n\r\n${shares[1].trim()}\r\n`);

        expect(await run(["combine"])).toEqual({ code: 0, printed: [PASSWORD] });
    });
});

describe("combine refuses, naming where the bad share came from", () => {
    it("one share on standard input", async () => {
        standardInput(shares[1]);

        expect(await refusal(["combine"])).toBe("combine: 1 share given, but this password needs 2 of its 3 shares");
    });

    it("nothing on standard input", async () => {
        standardInput("");

        expect(await refusal(["combine"])).toBe("combine: no share given: give the decrypted shares, one per line");
    });

    it("a line of standard input that is no share", async () => {
        standardInput(`${shares[0]}hello\n${shares[1]}`);

        expect(await refusal(["combine"])).toBe("combine: line 2 of standard input is not a pulumi-iam-login-profile share");
    });

    it("a file with an altered share, by the file's name", async () => {
        const altered = file("bob.txt", withOneCharacterChanged(shares[1]));

        expect(await refusal(["combine", file("alice.txt", shares[0]), altered])).toBe(
            `combine: the share in ${altered} was altered: its checksum does not match`,
        );
    });

    it("a line of a file of several shares, by its number", async () => {
        const several = file("shares.txt", `${shares[0]}${withOneCharacterChanged(shares[1])}\n`);

        expect(await refusal(["combine", several])).toBe(
            `combine: the share in line 2 of ${several} was altered: its checksum does not match`,
        );
    });

    it("a file that cannot be read", async () => {
        const missing = path.join(dir, "missing.txt");

        expect(await refusal(["combine", missing])).toBe(
            `combine: cannot read ${missing}: ENOENT: no such file or directory, open '${missing}'`,
        );
    });
});

describe("combine's help and usage", () => {
    it.each([[["combine", "--help"]], [["help", "combine"]], [["combine", "a.txt", "-h"]]])(
        "%j prints combine's help and combines nothing",
        async (args) => {
            expect(await run(args)).toEqual({ code: 0, printed: [COMBINE_HELP] });
        },
    );

    it("refuses an option it does not take, with its usage", async () => {
        expect(await refusal(["combine", "--yes"])).toBe(`unknown option "--yes"\n${COMBINE_USAGE}`);
    });
});

describe("the bin's entry point", () => {
    /** Runs the command line `args` as the bin does; resolves to the exit code, with stdout and stderr. */
    async function runBin(args: readonly string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
        const stdout: string[] = [];
        const stderr: string[] = [];
        jest.replaceProperty(process, "argv", ["node", "pulumi-iam-login-profile", ...args]);
        jest.spyOn(console, "log").mockImplementation((text: string) => stdout.push(text));
        jest.spyOn(console, "error").mockImplementation((text: string) => stderr.push(text));
        const code = await new Promise<number>((resolve) => {
            jest.spyOn(process, "exit").mockImplementation((exitCode) => {
                resolve(Number(exitCode));
                return undefined as never;
            });
            runFromCommandLine();
        });
        return { code, stdout, stderr };
    }

    it("prints the password and a line break on stdout, exit 0", async () => {
        expect(await runBin(["combine", file("a.txt", shares[0]), file("b.txt", shares[1])])).toEqual({
            code: 0,
            stdout: [PASSWORD],
            stderr: [],
        });
    });

    it("prints `pulumi-iam-login-profile: combine: <reason>` on stderr and nothing on stdout, exit 1", async () => {
        const only = file("a.txt", shares[0]);

        expect(await runBin(["combine", only])).toEqual({
            code: 1,
            stdout: [],
            stderr: ["pulumi-iam-login-profile: combine: 1 share given, but this password needs 2 of its 3 shares"],
        });
    });
});
