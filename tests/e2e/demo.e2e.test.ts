/**
 * `npm run demo`, the main job, as a user runs it: it exits 0, walks through every step, and its
 * output holds no `warning:` line (the CLI finds every plugin where a Pulumi install keeps it, none
 * through PATH). Set-up has run already (scripts/test), so the demo skips it.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { record, REPO, requirePulumiCli } from "./harness";
import { withRepoLockAsync } from "./repoBuild";

jest.setTimeout(300_000);

/** Runs the demo; resolves to its exit code and its output, both streams in order. */
function runDemo(): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
        const env = { ...process.env, DEMO_SKIP_SETUP: "1" };
        const child = spawn("bash", [path.join(REPO, "scripts", "demo")], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, output: record(output) }));
    });
}

test("npm run demo exits 0 through every step, with no warning line in its output", async () => {
    console.log(`demo: ${requirePulumiCli()}`);

    // The demo builds the repository and runs its dist/: no other file may build meanwhile.
    const { code, output } = await withRepoLockAsync(runDemo);

    expect({ code, tail: code === 0 ? "" : output.slice(-4000) }).toEqual({ code: 0, tail: "" });
    // Each step's title is printed bold: "== title" then the escape sequence that ends the bold.
    const steps = [...output.matchAll(/== (.+?).\[0m/g)].map((match) => match[1]);
    expect(steps).toEqual([
        "starting the IAM emulator",
        "creating the IAM user alice (as @pulumi/aws or an admin would)",
        "pulumi up",
        "an administrator sets alice a new password outside Pulumi",
        "pulumi refresh: the LoginProfile shows as updated, on password (drift)",
        "pulumi up: sets the declared password again (one UpdateLoginProfile)",
        "alice signs in and sets her own password (AWS clears the reset flag)",
        "pulumi refresh: no change (the requirement was fulfilled; the password is hers now)",
        "pulumi preview: nothing to change",
        "outputs",
        "pulumi destroy",
    ]);
    expect(output.split("\n").filter((line) => /warning:/i.test(line))).toEqual([]);
    expect(output).toContain("demo: done");
});
