/**
 * The entry point of the `iam-login-profile` provider plugin: the engine starts it (through
 * `bin/pulumi-resource-iam-login-profile`) and talks to it over gRPC.
 */
import { main } from "@pulumi/pulumi/provider";
import { createPluginProvider } from "./provider";

void main(createPluginProvider(), process.argv.slice(2));
