/**
 * The package's command line, `pulumi-iam-login-profile` (bin/pulumi-iam-login-profile): one verb
 * per folder beside this file.
 */
export { main, runFromCommandLine } from "./repair/command";
