/**
 * The plugin's configuration (`iam-login-profile:region`, `…:profile`, `…:assumeRole`,
 * `…:detectPasswordChanges`, `…:maxRetries`, `…:retryMode`),
 * which the engine sends in its Configure call. `@pulumi/pulumi/provider` (3.276) answers that call
 * itself and drops what it carries, and its Provider interface has no hook for it; so before the
 * SDK registers its gRPC service, `receiveConfiguration` wraps the service's `configure` method:
 * the variables go to the plugin first, then the SDK answers as before.
 */
import { CONFIG_KEYS, type ConfigValues } from "../aws/settings";
import { PACKAGE } from "./provider";

/** The part of a Configure request this module reads (provider_pb.ConfigureRequest). */
interface ConfigureCall {
    readonly request: { getVariablesMap(): { entries(): Iterable<[string, string]> } };
}

/** A gRPC service implementation as `grpc.Server.addService` takes it. */
type ServiceImplementation = Record<string, unknown> & {
    configure?: (call: ConfigureCall, callback: (error: unknown, response?: unknown) => void) => void;
};

/** The configuration keys the plugin reads (the keys of ConfigValues). */
const KEYS: ReadonlySet<string> = new Set(CONFIG_KEYS);

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
 * @pulumi/pulumi loads) hand every Configure request's values to `configure` before answering.
 * Call it right before `main(provider, args)`, which registers the provider service synchronously.
 */
export function receiveConfiguration(grpc: { Server: { prototype: object } }, configure: (values: ConfigValues) => void): void {
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
                    configure(configValues(call.request.getVariablesMap().entries()));
                } catch (error) {
                    callback(error);
                    return;
                }
                answer.call(implementation, call, callback);
            };
        }
        addService.call(this, service, implementation);
    };
}
