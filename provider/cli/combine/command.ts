/**
 * `pulumi-iam-login-profile combine [FILE...]`: the custodians' side of DESIGN.md's break-glass
 * dual control. Each custodian decrypts their entry of a LoginProfile's `encryptedShares` with
 * `base64 --decode | gpg --decrypt`, which prints one line, their share; this joins enough of them
 * and prints the password. It reads no stack and calls no AWS: it needs only the shares. It prints
 * the password and nothing else, only once the shares are proved to give the password they were
 * split from (password/custodians.ts), and its errors never quote a share.
 */
import { readFile } from "node:fs/promises";
import { combineShares, type ShareLine } from "../../password/custodians";
import type { Command, GivenOptions } from "../arguments";

/** The `combine` entry of the command table. */
export const combine: Command = {
    name: "combine",
    summary: "Join custodians' decrypted shares and print the password they were split from",
    description: [
        "Prints the generated password of a LoginProfile that split it among custodians (pgpKeys, threshold), from",
        "enough of its shares. Each custodian decrypts their entry of the encryptedShares output, which prints their",
        "share, one line:",
        "  echo '<encryptedShare>' | base64 --decode | gpg --decrypt > share.txt",
        "Give the shares as FILEs or, with no FILE, on standard input, one per line. Too few shares, an altered one",
        "or one of another password are refused, and then no password is printed. It needs no stack and no AWS access.",
    ].join("\n"),
    options: [],
    operands: { name: "FILE", description: "A file of decrypted shares, one per line (default: standard input)" },
    run: runCombine,
};

/** Combines the shares in the files `options` name (standard input without one) and prints the password. */
async function runCombine(options: GivenOptions, print: (text: string) => void): Promise<number> {
    try {
        const lines = options.operands.length === 0 ? linesOf(await standardInput(), undefined) : await linesOfFiles(options.operands);
        print(await combineShares(lines));
        return 0;
    } catch (error) {
        // Said as `pulumi-iam-login-profile: combine: …`, so that a custodian's script knows which step failed.
        throw new Error(`combine: ${messageOf(error)}`);
    }
}

/** The lines of each file in turn. */
async function linesOfFiles(files: readonly string[]): Promise<ShareLine[]> {
    const lines: ShareLine[] = [];
    for (const file of files) {
        let text: string;
        try {
            text = await readFile(file, "utf8");
        } catch (error) {
            throw new Error(`cannot read ${file}: ${messageOf(error)}`);
        }
        lines.push(...linesOf(text, file));
    }
    return lines;
}

/**
 * The lines of `text` with their sources: a file that holds one share is named by itself
 * (`alice.txt`); the lines of one with several, and of standard input (`file` undefined), by number.
 */
function linesOf(text: string, file: string | undefined): ShareLine[] {
    const lines = text.split(/\r?\n/);
    const single = file !== undefined && lines.filter((line) => line.trim() !== "").length === 1;
    return lines.map((line, index) => ({
        source: single ? file : `line ${index + 1} of ${file ?? "standard input"}`,
        text: line,
    }));
}

/** All of standard input, as UTF-8. */
async function standardInput(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) {
        chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    }
    return Buffer.concat(chunks).toString("utf8");
}

/**
 * An error's message. Read as a property, not through `instanceof Error`: Node's own errors come
 * from another realm under a test runner's VM, as arguments.ts notes of util.parseArgs's.
 */
function messageOf(error: unknown): string {
    const message: unknown = typeof error === "object" && error !== null ? (error as { message?: unknown }).message : undefined;
    return typeof message === "string" ? message : String(error);
}
