/**
 * What the engine's requests carry that `@pulumi/pulumi/provider` (3.276) drops before it calls
 * the plugin's provider: Configure's variables (`iam-login-profile:region`, `…:profile`,
 * `…:assumeRole`, `…:detectPasswordChanges`, `…:maxRetries`, `…:retryMode`,
 * `…:propagationTimeoutSeconds`), which it answers itself, and the timeout of Create, Update and
 * Delete (a resource's `customTimeouts`), which its Provider interface has no argument for. So
 * before the SDK registers its gRPC service, `receiveEngineRequests` wraps those methods of the
 * service: what they carry goes to the plugin first, then the SDK answers as before.
 */
import { CONFIG_KEYS, type ConfigValues } from "../aws/settings";
import { PACKAGE } from "./provider";

/** The part of a Configure request this module reads (provider_pb.ConfigureRequest). */
interface ConfigureCall {
    readonly request: { getVariablesMap(): { entries(): Iterable<[string, string]> } };
}

/** The part of a Create, Update or Delete request this module reads: the operation's timeout in seconds, 0 when none is declared. */
interface TimedCall {
    readonly request: { getTimeout(): number };
}

/** A gRPC method as the SDK's service implements it. */
type Method<Call> = (call: Call, callback: (error: unknown, response?: unknown) => void) => unknown;

/** A gRPC service implementation as `grpc.Server.addService` takes it. */
type ServiceImplementation = Record<string, unknown> & {
    configure?: Method<ConfigureCall>;
    create?: Method<TimedCall>;
    update?: Method<TimedCall>;
    delete?: Method<TimedCall>;
};

/** What the plugin takes from the engine's requests. */
export interface EngineRequestReceiver {
    /** Takes the configuration values of a Configure request. */
    configure(values: ConfigValues): void;
    /** Runs an operation (`run`) within the timeout its request declares (seconds; 0 or undefined: none). */
    withTimeout<T>(timeoutSeconds: number | undefined, run: () => Promise<T>): Promise<T>;
}

/** The configuration keys the plugin reads (the keys of ConfigValues). */
const KEYS: ReadonlySet<string> = new Set(CONFIG_KEYS);

/** The operations whose requests carry a timeout. */
const TIMED_OPERATIONS = ["create", "update", "delete"] as const;

/**
 * The configuration values among Configure's variables: keyed `iam-login-profile:config:<key>`
 * (the engine's form) or `iam-login-profile:<key>`; other packages' keys are ignored.
 */
export function configValues(variables: Iterable<[string, string]>): ConfigValues {
    const values: Record<string, string> = {};
    for (const [name, value] of variables) {
        const [pkg, ...rest] = name.split(":");
        const key = rest[rest.length - 1];
        if (pkg === PACKAGE && key && KEYS.has(key)) {
            values[key] = value;
        }
    }
    return values;
}

/**
 * Makes the next service registered on a gRPC server of `grpc` (the @grpc/grpc-js that
 * @pulumi/pulumi loads) hand every Configure request's values to `receiver` before answering, and
 * run every Create, Update and Delete within its request's timeout. Call it right before
 * `main(provider, args)`, which registers the provider service synchronously.
 */
export function receiveEngineRequests(grpc: { Server: { prototype: object } }, receiver: EngineRequestReceiver): void {
    const prototype = grpc.Server.prototype as {
        addService: (this: unknown, service: unknown, implementation: ServiceImplementation) => void;
    };
    const addService = prototype.addService;
    prototype.addService = function (this: unknown, service, implementation) {
        prototype.addService = addService;
        const answer = implementation.configure;
        if (answer) {
            implementation.configure = (call, callback) => {
                try {
                    receiver.configure(configValues(call.request.getVariablesMap().entries()));
                } catch (error) {
                    callback(error);
                    return;
                }
                answer.call(implementation, call, callback);
            };
        }
        for (const operation of TIMED_OPERATIONS) {
            const perform = implementation[operation];
            if (perform) {
                implementation[operation] = (call, callback) =>
                    receiver.withTimeout(call.request.getTimeout(), async () => perform.call(implementation, call, callback));
            }
        }
        addService.call(this, service, implementation);
    };
}
