/**
 * The entry point of the `iam-login-profile` provider plugin: the engine starts it (through
 * `bin/pulumi-resource-iam-login-profile`) and talks to it over gRPC.
 */
import * as path from "node:path";
import { main } from "@pulumi/pulumi/provider";
import { receiveConfiguration } from "./configure";
import { createPluginProvider } from "./provider";

const plugin = createPluginProvider();
// The @grpc/grpc-js that @pulumi/pulumi itself loads: the one whose server `main` registers on.
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as { Server: { prototype: object } };
receiveConfiguration(grpc, (values) => plugin.configure(values));
void main(plugin, process.argv.slice(2));
