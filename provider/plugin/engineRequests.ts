/**
 * What the engine's requests carry that `@pulumi/pulumi/provider` (3.276) drops before it calls
 * the plugin's provider: Configure's variables (`iam-login-profile:region`, `…:profile`,
 * `…:assumeRole`, `…:detectPasswordChanges`, `…:maxRetries`, `…:retryMode`,
 * `…:propagationTimeoutSeconds`), which it answers itself, and the resource and timeout of Create,
 * Read, Update and Delete (a resource's `customTimeouts`), which its Provider interface has no
 * argument for (the plugin's messages name the resource: engineLog.ts). So before the SDK
 * registers its gRPC service, `receiveEngineRequests` wraps those methods of the service: what
 * they carry goes to the plugin first, then the SDK answers as before.
 */
import { CONFIG_KEYS, type ConfigValues } from "../aws/settings";
import { PACKAGE } from "./provider";

/** The part of a Configure request this module reads (provider_pb.ConfigureRequest). */
interface ConfigureCall {
    readonly request: { getVariablesMap(): { entries(): Iterable<[string, string]> } };
}

/**
 * The part of a Create, Read, Update or Delete request this module reads: the resource, and the
 * operation's timeout in seconds (0 when none is declared; a Read carries none).
 */
interface OperationCall {
    readonly request: { getUrn(): string; getTimeout?(): number };
}

/** A gRPC method as the SDK's service implements it. */
type Method<Call> = (call: Call, callback: (error: unknown, response?: unknown) => void) => unknown;

/** A gRPC service implementation as `grpc.Server.addService` takes it. */
type ServiceImplementation = Record<string, unknown> & {
    configure?: Method<ConfigureCall>;
    create?: Method<OperationCall>;
    read?: Method<OperationCall>;
    update?: Method<OperationCall>;
    delete?: Method<OperationCall>;
};

/** What the plugin takes from the engine's requests. */
export interface EngineRequestReceiver {
    /** Takes the configuration values of a Configure request. */
    configure(values: ConfigValues): void;
    /** Runs an operation (`run`) on the resource its request names, within the timeout it declares (seconds; 0 or undefined: none). */
    withOperation<T>(operation: Operation, run: () => Promise<T>): Promise<T>;
}

/** What an operation's request says about it. */
export interface Operation {
    /** The resource's URN. */
    readonly urn: string;
    /** The operation's timeout in seconds (a resource's `customTimeouts`); 0 or undefined when none is declared. */
    readonly timeoutSeconds: number | undefined;
}

/** The configuration keys the plugin reads (the keys of ConfigValues). */
const KEYS: ReadonlySet<string> = new Set(CONFIG_KEYS);

/** The operations on a resource: their requests name it, and all but Read carry a timeout. */
const OPERATIONS = ["create", "read", "update", "delete"] as const;

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
 * run every Create, Read, Update and Delete as its request describes. Call it right before
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
        for (const operation of OPERATIONS) {
            const perform = implementation[operation];
            if (perform) {
                implementation[operation] = (call, callback) =>
                    receiver.withOperation({ urn: call.request.getUrn(), timeoutSeconds: call.request.getTimeout?.() }, async () =>
                        perform.call(implementation, call, callback),
                    );
            }
        }
        addService.call(this, service, implementation);
    };
}
