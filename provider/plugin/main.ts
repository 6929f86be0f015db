/**
 * The entry point of the `iam-login-profile` provider plugin: the engine starts it (through
 * `bin/pulumi-resource-iam-login-profile`) and talks to it over gRPC.
 */
import * as path from "node:path";
import { main } from "@pulumi/pulumi/provider";
import { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest } from "@pulumi/pulumi/proto/engine_pb";
import { engineAddressOf, engineLog, type SendLog } from "./engineLog";
import { receiveEngineRequests } from "./engineRequests";
import { createPluginProvider } from "./provider";

/** The part of @grpc/grpc-js this entry point uses. */
interface Grpc {
    readonly Server: { prototype: object };
    readonly credentials: { createInsecure(): unknown };
}

const args = process.argv.slice(2);
const grpc = pulumiGrpc();
const log = engineLog(engineSender(engineAddressOf(args)));
const plugin = createPluginProvider({ warn: log.warn, inform: log.inform });
receiveEngineRequests(grpc, {
    configure: (values) => plugin.configure(values),
    withOperation: ({ urn, timeoutSeconds }, run) => log.aboutResource(urn, () => plugin.withTimeout(timeoutSeconds, run)),
});
void main(plugin, args);

/** Sends a message to the engine's Log call at `address`; undefined when the engine gave no address. */
function engineSender(address: string | undefined): SendLog | undefined {
    if (address === undefined) {
        return undefined;
    }
    let client: EngineClient | undefined;
    return (severity, message, urn) =>
        new Promise((resolve, reject) => {
            client ??= new EngineClient(address, grpc.credentials.createInsecure() as never);
            const request = new LogRequest().setSeverity(severity).setMessage(message).setUrn(urn);
            client.log(request, (error) => (error ? reject(error) : resolve()));
        });
}

/**
 * The @grpc/grpc-js that @pulumi/pulumi itself loads: the one whose server `main` registers on and
 * whose clients the engine's generated client is made with. Installed from npm, that is the copy
 * @pulumi/pulumi resolves (a program may hold others); in the release's single bundled file
 * (scripts/package-plugin) there is no node_modules to resolve in, and one copy of each module, so
 * the bundled one is it.
 */
function pulumiGrpc(): Grpc {
    let pulumiDir: string;
    try {
        pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    } catch {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require("@grpc/grpc-js") as Grpc;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as Grpc;
}
