/**
 * The entry point of the `iam-login-profile` provider plugin: the engine starts it (through
 * `bin/pulumi-resource-iam-login-profile`) and talks to it over gRPC.
 */
import * as path from "node:path";
import { main } from "@pulumi/pulumi/provider";
import { receiveEngineRequests } from "./engineRequests";
import { createPluginProvider } from "./provider";

const plugin = createPluginProvider();
receiveEngineRequests(pulumiGrpc(), plugin);
void main(plugin, process.argv.slice(2));

/**
 * The @grpc/grpc-js that @pulumi/pulumi itself loads: the one whose server `main` registers on.
 * Installed from npm, that is the copy @pulumi/pulumi resolves (a program may hold others); in the
 * release's single bundled file (scripts/package-plugin) there is no node_modules to resolve in,
 * and one copy of each module, so the bundled one is it.
 */
function pulumiGrpc(): { Server: { prototype: object } } {
    let pulumiDir: string;
    try {
        pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    } catch {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require("@grpc/grpc-js") as { Server: { prototype: object } };
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as { Server: { prototype: object } };
}
