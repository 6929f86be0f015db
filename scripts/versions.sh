# Pinned versions and the per-user cache layout, shared by every script. Sourced, not run.
NODE_VERSION=22.23.3
PULUMI_VERSION=3.270.0
MOTO_VERSION=5.2.5
CACHE_DIR=${PULUMI_IAM_LP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-iam-login-profile}
NODE_DIR=$CACHE_DIR/node-$NODE_VERSION
PULUMI_BIN_DIR=$CACHE_DIR/pulumi-$PULUMI_VERSION/bin
