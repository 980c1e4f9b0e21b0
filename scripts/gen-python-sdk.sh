#!/usr/bin/env bash
# Generates the Python SDK of the provider plugin (sdk/python) from schema.json, with Pulumi's own Python code
# generator (pkg/codegen/python, at the CLI's version): scripts/gen-sdk/main.go, built once and cached outside the
# repository. Why not `pulumi package gen-sdk schema.json --language python`: this CLI delegates Python code
# generation to the Python language host (pulumi-language-python), whose Go module the module proxy here does not
# serve; the generator package is served, and is what that host runs.
#
#   scripts/gen-python-sdk.sh [OUT]      # OUT defaults to sdk/python; needs Go (as scripts/build-pulumi.sh does)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/sdk/python}"
CACHE="${PULUMI_SCIM_CACHE:-$HOME/.cache/pulumi-databricks-scim}"
KEY="$(cat "$ROOT/scripts/gen-sdk/go.mod" "$ROOT/scripts/gen-sdk/main.go" | sha256sum | cut -c1-16)"
BIN="$CACHE/gen-sdk-$KEY"

if [ ! -x "$BIN" ]; then
  command -v go >/dev/null 2>&1 || { echo "[gen-python-sdk] needs Go >= 1.25 (https://go.dev/dl/) to build the code generator" >&2; exit 3; }
  echo "[gen-python-sdk] building the code generator (first run only)" >&2
  mkdir -p "$CACHE"
  (cd "$ROOT/scripts/gen-sdk" && GOFLAGS=-mod=mod go build -o "$BIN.tmp" . >&2)
  mv "$BIN.tmp" "$BIN"
fi

rm -rf "$OUT"
mkdir -p "$OUT"
"$BIN" "$ROOT/schema.json" python "$OUT"
echo "$OUT"
