#!/usr/bin/env bash
# Provides a `pulumi` CLI (plus its Node.js language host and the dynamic-provider plugin script) for tests,
# benchmarks and the quickstart, without the official installer (which cannot download on our machines).
#
#   scripts/build-pulumi.sh            # prints the bin directory to put first on PATH
#
# Order: 1) a cached build of the pinned version; 2) a `pulumi` already on PATH (with a language host next
# to it) unless PULUMI_SCIM_FORCE_BUILD=1; 3) a source build from the Go module proxy, cached outside the repo
# under ${PULUMI_SCIM_CACHE:-$HOME/.cache/pulumi-databricks-scim} so that a second run takes seconds.
set -euo pipefail

PULUMI_VERSION="${PULUMI_SCIM_CLI_VERSION:-v3.259.0}"
CACHE="${PULUMI_SCIM_CACHE:-$HOME/.cache/pulumi-databricks-scim}"
BIN="$CACHE/pulumi-$PULUMI_VERSION/bin"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { echo "[build-pulumi] $*" >&2; }

# Note: the dynamic-provider plugin (pulumi-resource-pulumi-nodejs) ships inside the @pulumi/pulumi npm package;
# scripts/engine.ts puts that package's folder on PATH, so nothing of a checkout is linked into the cache.

if [ -x "$BIN/pulumi" ] && { [ -x "$BIN/pulumi-language-nodejs" ] || [ -f "$BIN/.no-language-host" ]; }; then
  echo "$BIN"; exit 0
fi

if [ "${PULUMI_SCIM_FORCE_BUILD:-0}" != "1" ] && command -v pulumi >/dev/null 2>&1; then
  existing="$(dirname "$(command -v pulumi)")"
  if [ -x "$existing/pulumi-language-nodejs" ] || command -v pulumi-language-nodejs >/dev/null 2>&1; then
    log "using the pulumi on PATH ($existing)"; echo "$existing"; exit 0
  fi
fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
[build-pulumi] No 'pulumi' CLI on PATH and no Go toolchain to build one.
  Install one of:
    - the Pulumi CLI:  curl -fsSL https://get.pulumi.com | sh   (then re-run)
    - Go >= 1.25:      https://go.dev/dl/   (this script then builds pulumi $PULUMI_VERSION from source)
MSG
  exit 3
fi

mkdir -p "$BIN"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
start=$(date +%s)
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"

build_cli() {
  mkdir -p "$WORK/cli" && cd "$WORK/cli"
  # A wrapper module: require pkg/v3 and sdk/v3 at one release and repeat the upstream replace directive that
  # matters for the build (replace directives of dependencies are ignored by Go).
  cat > go.mod <<MOD
module pulumiwrapper

go 1.25.11

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
  log "resolving github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION"
  GOFLAGS=-mod=mod go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" >&2
  log "building pulumi (cold build takes several minutes)"
  CGO_ENABLED=0 go build -trimpath -ldflags "$LDFLAGS" -o "$BIN/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
  mv "$BIN/pulumi.tmp" "$BIN/pulumi"
}

build_language_host() {
  mkdir -p "$WORK/lh" && cd "$WORK/lh"
  local mod="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
  cat > go.mod <<MOD
module pulumilanguagewrapper

go 1.25.11

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
  # The module has no release tags; the proxy our machines reach refuses it ("This module version is not
  # available", 403), so by default we do not try. Set PULUMI_SCIM_LANGHOST_REF to a commit to try anyway.
  local ref="${PULUMI_SCIM_LANGHOST_REF:-}"
  if [ -z "$ref" ]; then log "no language host: programs run through the Automation API (see README)"; return 1; fi
  GOFLAGS=-mod=mod go get "$mod@$ref" "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" >&2 || return 1
  CGO_ENABLED=0 go build -trimpath -ldflags "$LDFLAGS" -o "$BIN/pulumi-language-nodejs" "$mod" >&2 || return 1
}

[ -x "$BIN/pulumi" ] || build_cli
if [ ! -x "$BIN/pulumi-language-nodejs" ]; then
  if build_language_host; then rm -f "$BIN/.no-language-host"; else touch "$BIN/.no-language-host"; fi
fi
log "done in $(( $(date +%s) - start ))s: $("$BIN/pulumi" version)"
echo "$BIN"
