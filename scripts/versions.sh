# Pinned versions and the per-user cache layout, shared by every script. Sourced, not run.
NODE_VERSION=22.23.3
# The npm SDK is pinned in package.json (@pulumi/pulumi 3.270.0). The CLI is built from the Go module
# proxy, which here refuses github.com/pulumi/pulumi/pkg/v3 at 3.260.0 and later (and serves no
# release of the pulumi-language-nodejs module at all): 3.259.0 is the newest CLI that builds.
# scripts/build-pulumi-cli says what it falls back to for the language host.
PULUMI_CLI_VERSION=3.259.0
MOTO_VERSION=5.2.5
CACHE_DIR=${PULUMI_IAM_LP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-iam-login-profile}
NODE_DIR=$CACHE_DIR/node-$NODE_VERSION
PULUMI_BIN_DIR=$CACHE_DIR/pulumi-$PULUMI_CLI_VERSION/bin
