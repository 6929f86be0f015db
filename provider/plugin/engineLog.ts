/**
 * What the hooks say to the user through the plugin: a credential report it cannot read, a wait
 * for IAM to settle. The engine shows a resource plugin's stdout and stderr only with `--debug`
 * (it shows them for the dynamic-provider hosts alone: pulumi/pulumi
 * sdk/go/common/resource/plugin/plugin.go, CLI 3.276), so these messages go through the engine's
 * Log call instead, each under the resource whose request was being served when it was said.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** The severities of the engine's Log call (engine.proto's LogSeverity). */
export const SEVERITY = { info: 1, warning: 2 } as const;

/** What the plugin says, and the resource each message is about. */
export interface EngineLog {
    /** Shows `message` as a warning. */
    readonly warn: (message: string) => void;
    /** Shows `message` as information. */
    readonly inform: (message: string) => void;
    /** Runs `run` with every message said meanwhile shown under the resource `urn`. */
    aboutResource<T>(urn: string | undefined, run: () => T): T;
}

/** Sends one message to the engine; the transport is the engine's gRPC client, or a test's stand-in. */
export type SendLog = (severity: number, message: string, urn: string) => Promise<void>;

/**
 * An EngineLog over `send`; without one (no engine address: a unit test, or the plugin run by
 * hand), messages go to stderr as before.
 */
export function engineLog(send: SendLog | undefined, fallback: (message: string) => void = (message) => console.warn(message)): EngineLog {
    const resources = new AsyncLocalStorage<string>();
    const say = (severity: number, message: string): void => {
        if (send === undefined) {
            fallback(message);
            return;
        }
        // A message the engine did not take is said on stderr rather than lost.
        send(severity, message, resources.getStore() ?? "").catch(() => fallback(message));
    };
    return {
        warn: (message) => say(SEVERITY.warning, message),
        inform: (message) => say(SEVERITY.info, message),
        aboutResource: (urn, run) => (urn ? resources.run(urn, run) : run()),
    };
}

/**
 * The engine's address among the plugin's arguments: the first one that is not one of the flags
 * the engine may put before it (`--logtostderr`, `-v=N`, `--tracing URL`).
 */
export function engineAddressOf(args: readonly string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        const arg = args[i] ?? "";
        if (arg === "--tracing") {
            i++;
        } else if (!arg.startsWith("-")) {
            return arg;
        }
    }
    return undefined;
}
