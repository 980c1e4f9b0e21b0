#!/usr/bin/env bash
# Provides `pulumi-language-yaml`, the language host that runs `runtime: yaml` programs, for the YAML program
# test (test/sdk/pluginYaml.test.ts) and for users of the provider plugin who write YAML. The pulumi CLI of
# scripts/build-pulumi.sh has no YAML host (the official installer bundles one; it cannot download here).
#
#   scripts/build-pulumi-yaml.sh       # prints the path of the binary; put its folder on PATH beside `pulumi`
#
# Order: 1) a cached build of the pinned version; 2) a `pulumi-language-yaml` already on PATH unless
# PULUMI_SCIM_FORCE_BUILD=1; 3) a build from the Go module proxy with `go install …@VERSION` in module mode, so
# with exactly the dependency versions pulumi-yaml's own go.mod asks for (it does not compile against the CLI's
# newer pulumi modules; the host and the CLI talk over gRPC, so they need not share them). The binary is cached
# under ${PULUMI_SCIM_CACHE:-$HOME/.cache/pulumi-databricks-scim}, so that a second run takes no time. Go's own
# module and build caches are used as scripts/build-pulumi.sh uses them (same -trimpath, CGO_ENABLED=0), so the
# many third-party packages the two builds share compile once.
set -euo pipefail

YAML_VERSION="${PULUMI_SCIM_YAML_VERSION:-v1.25.0}"
CACHE="${PULUMI_SCIM_CACHE:-$HOME/.cache/pulumi-databricks-scim}"
BIN="$CACHE/pulumi-yaml-$YAML_VERSION/bin"

log() { echo "[build-pulumi-yaml] $*" >&2; }

if [ -x "$BIN/pulumi-language-yaml" ]; then
  echo "$BIN/pulumi-language-yaml"; exit 0
fi

if [ "${PULUMI_SCIM_FORCE_BUILD:-0}" != "1" ] && command -v pulumi-language-yaml >/dev/null 2>&1; then
  log "using the pulumi-language-yaml on PATH"; command -v pulumi-language-yaml; exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
[build-pulumi-yaml] No 'pulumi-language-yaml' on PATH and no Go toolchain to build one.
  Install one of:
    - the Pulumi CLI with its bundled YAML host:  curl -fsSL https://get.pulumi.com | sh   (then re-run)
    - Go >= 1.24:  https://go.dev/dl/   (this script then builds pulumi-yaml $YAML_VERSION from source)
MSG
  exit 3
fi

# A temporary GOBIN beside the final one, renamed into place only after a complete build, so that an
# interrupted build never leaves a binary that later runs would trust.
TMP="$CACHE/pulumi-yaml-$YAML_VERSION/bin.tmp.$$"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP"
start=$(date +%s)
log "building github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$YAML_VERSION (cold build takes several minutes)"
# Run outside any module (a checkout's go.mod or go.work must not take part) and with -mod=mod off: `go install
# pkg@version` ignores the current module and uses the target's go.mod, as documented for module-aware mode.
(
  cd "$TMP"
  GOFLAGS= GOWORK=off GOBIN="$TMP" CGO_ENABLED=0 \
    go install -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$YAML_VERSION" \
    "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$YAML_VERSION" >&2
)
mkdir -p "$BIN"
mv "$TMP/pulumi-language-yaml" "$BIN/pulumi-language-yaml"
log "done in $(( $(date +%s) - start ))s"
echo "$BIN/pulumi-language-yaml"
