# Pinned versions and the per-user cache layout, shared by every script. Sourced, not run.
NODE_VERSION=22.23.3
# The npm SDK the tests run is the one package-lock.json pins (@pulumi/pulumi 3.276.0); package.json
# declares a range. The CLI built when the machine has none is the newest release the Go module proxy
# serves that builds: 3.276.0 (the proxy serves no release of the pulumi-language-nodejs module, so
# scripts/build-pulumi-cli falls back to the host inside sdk/v3 3.68.0).
PULUMI_CLI_VERSION=3.276.0
# The oldest Pulumi CLI this package is proven on: scripts/setup uses a `pulumi` already on PATH when
# it is at least this version. (3.259.0 passed the whole end-to-end suite before 3.276.0 did.)
PULUMI_CLI_MINIMUM=3.259.0
MOTO_VERSION=5.2.5
CACHE_DIR=${PULUMI_IAM_LP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-iam-login-profile}
NODE_DIR=$CACHE_DIR/node-$NODE_VERSION
PULUMI_BIN_DIR=$CACHE_DIR/pulumi-$PULUMI_CLI_VERSION/bin
# Where scripts/setup links the dynamic provider's shim when a CLI of your own has none beside it;
# and where it builds the language hosts a Pulumi install would ship.
SHIM_DIR=$CACHE_DIR/shims
HOSTS_DIR=$CACHE_DIR/hosts/bin
