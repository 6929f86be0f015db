/**
 * One account's stack: the program of program/ as the stack named by the account id, with the
 * account's configuration set from the accounts file on every run that runs the program (so that a
 * machine that has never run it needs nothing but the backend and the secrets key), then one
 * operation. Each stack has a workspace of its own: `createOrSelectStack` selects the stack in its
 * workspace, and two stacks sharing one would run each other's (pulumi/pulumi#8186).
 */
import { spawn } from "node:child_process";
import { LocalWorkspace, type PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import type { Account } from "./accounts";
import { errorLine, statusOf, type AccountResult, type Changes, type Operation } from "./report";

/** What every stack of a run shares. */
export interface StackSettings {
    /** The Pulumi program's directory (Pulumi.yaml). */
    readonly programDir: string;
    /** The CLI every workspace runs, looked up once for the whole run. */
    readonly pulumiCommand: PulumiCommand;
    /** The state backend's URL (s3://…, file://…, https://api.pulumi.com). */
    readonly backendUrl: string;
    /** The secrets provider a new stack is created with (awskms://…); the passphrase (PULUMI_CONFIG_PASSPHRASE) when absent. */
    readonly secretsProvider?: string;
    /** An OpenPGP public key to seal the passwords to. */
    readonly pgpKey?: string;
    /** Variables for every CLI run besides the runner's own environment. */
    readonly env?: Readonly<Record<string, string>>;
}

/** Runs `operation` on `account`'s stack; a failure is a result (`failed: …`), never a rejection. */
export async function runAccountStack(account: Account, operation: Operation, settings: StackSettings): Promise<AccountResult> {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    try {
        const stack = await openStack(account, operation, settings);
        const changes = await runOperation(stack, operation);
        return { accountId: account.accountId, status: statusOf(operation, changes), changes, seconds: seconds() };
    } catch (error) {
        const line = errorLine(error);
        return { accountId: account.accountId, status: `failed: ${line}`, error: line, seconds: seconds() };
    }
}

/** The environment of every CLI run for a stack. */
function stackEnv(settings: StackSettings): Record<string, string> {
    return {
        ...settings.env,
        PULUMI_BACKEND_URL: settings.backendUrl,
        // A machine without the stack's Pulumi.<account>.yaml (a fresh CI runner) takes the secrets
        // provider and its salt from the stack's state. Without this the CLI makes a default one:
        // a new passphrase salt on every runner, or a passphrase in place of the KMS key the stack
        // was created with (pulumi/pulumi#16412).
        PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
        // `npm run build` type-checks the program once; each stack's run only transpiles it.
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        PULUMI_SKIP_UPDATE_CHECK: "true",
    };
}

/**
 * Creates or selects the account's stack in a workspace of its own and, for an operation that runs
 * the program (preview, up), sets its configuration. Refresh and destroy read only the state (and
 * decrypt it with the key the state names), so they skip the two CLI calls.
 */
async function openStack(account: Account, operation: Operation, settings: StackSettings): Promise<Stack> {
    const envVars = stackEnv(settings);
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: account.accountId, workDir: settings.programDir },
        {
            pulumiCommand: settings.pulumiCommand,
            envVars,
            ...(settings.secretsProvider !== undefined ? { secretsProvider: settings.secretsProvider } : {}),
        },
    );
    if (operation === "refresh" || operation === "destroy") {
        return stack;
    }
    await stack.setAllConfig({
        roleArn: { value: account.roleArn },
        users: { value: JSON.stringify(account.users) },
        // Always set, empty for none, so that removing the key from the file removes it from the stack.
        pgpKey: { value: settings.pgpKey ?? "" },
    });
    await setSecretConfig(settings, envVars, account.accountId, "externalId", account.externalId);
    return stack;
}

/**
 * `pulumi config set --secret` with the value on stdin. The Automation API's setConfig passes the
 * value as a command-line argument, which every user of the machine can read in /proc while the
 * CLI runs: an external id must not be there.
 */
function setSecretConfig(
    settings: StackSettings,
    envVars: Record<string, string>,
    stack: string,
    key: string,
    value: string,
): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(settings.pulumiCommand.command, ["config", "set", "--secret", key, "--stack", stack, "--non-interactive"], {
            cwd: settings.programDir,
            env: { ...process.env, ...envVars },
            stdio: ["pipe", "ignore", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) =>
            code === 0 ? resolve() : reject(new Error(`pulumi config set ${key} exited ${String(code)}\n${stderr}`)),
        );
        child.stdin.end(value);
    });
}

/** Runs the operation and returns Pulumi's change counts. */
async function runOperation(stack: Stack, operation: Operation): Promise<Changes> {
    switch (operation) {
        case "preview":
            return (await stack.preview()).changeSummary;
        case "up":
            return (await stack.up()).summary.resourceChanges ?? {};
        case "refresh":
            return (await stack.refresh()).summary.resourceChanges ?? {};
        case "destroy":
            return (await stack.destroy()).summary.resourceChanges ?? {};
    }
}
