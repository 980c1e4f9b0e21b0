#!/usr/bin/env bash
# Generates a language SDK of the provider plugin (sdk/python, sdk/go) from schema.json, with Pulumi's own code
# generators (pkg/codegen/python and pkg/codegen/go, at the CLI's version): scripts/gen-sdk/main.go, built once and
# cached outside the repository. Why not `pulumi package gen-sdk schema.json --language python`: this CLI delegates
# code generation to the language hosts (pulumi-language-python, -go), whose Go modules the module proxy here does
# not serve; the generator packages are served, and are what those hosts run. No .NET: its generator is not in
# pkg/v3 at this version (it moved to the pulumi-dotnet repository, whose module is not served here).
#
#   scripts/gen-sdk.sh python|go [OUT]     # OUT defaults to sdk/<language>; needs Go (as scripts/build-pulumi.sh does)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LANGUAGE="${1:?usage: scripts/gen-sdk.sh python|go [OUT]}"
case "$LANGUAGE" in python|go) ;; *) echo "[gen-sdk] language must be python or go, got \"$LANGUAGE\"" >&2; exit 2;; esac
OUT="${2:-$ROOT/sdk/$LANGUAGE}"
CACHE="${PULUMI_SCIM_CACHE:-$HOME/.cache/pulumi-databricks-scim}"
KEY="$(cat "$ROOT/scripts/gen-sdk/go.mod" "$ROOT/scripts/gen-sdk/main.go" | sha256sum | cut -c1-16)"
BIN="$CACHE/gen-sdk-$KEY"

if [ ! -x "$BIN" ]; then
  command -v go >/dev/null 2>&1 || { echo "[gen-sdk] needs Go >= 1.25 (https://go.dev/dl/) to build the code generator" >&2; exit 3; }
  echo "[gen-sdk] building the code generator (first run only)" >&2
  mkdir -p "$CACHE"
  (cd "$ROOT/scripts/gen-sdk" && GOFLAGS=-mod=mod go build -o "$BIN.tmp" . >&2)
  mv "$BIN.tmp" "$BIN"
fi

rm -rf "$OUT"
mkdir -p "$OUT"
"$BIN" "$ROOT/schema.json" "$LANGUAGE" "$OUT"
if [ "$LANGUAGE" = go ]; then
  # The generator writes the packages only; the module (importBasePath of schema.json's language.go, minus the
  # package) requires the Go SDK at the CLI's version. A program uses it with `replace <module> => <checkout>/sdk/go`.
  cat > "$OUT/go.mod" <<MOD
module pulumi-databricks-scim/sdk/go

go 1.25.11

require github.com/pulumi/pulumi/sdk/v3 v3.259.0
MOD
fi
echo "$OUT"
