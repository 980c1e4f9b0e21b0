#!/usr/bin/env bash
# Provides the Python venv of the real-client suite (test/sdk/python: Databricks' official Python SDK driving
# the emulator), with exactly the packages pinned in test/sdk/python/requirements.txt, from PyPI.
#
#   scripts/python-venv.sh [REQUIREMENTS]   # prints the venv directory (its bin/python runs the suite)
#
# REQUIREMENTS defaults to test/sdk/python/requirements.txt; the plugin's suite passes test/sdk/plugin/requirements.txt.
#
# The venv lives outside the repository, under ${PULUMI_SCIM_CACHE:-$HOME/.cache/pulumi-databricks-scim}, in a
# folder named by the hash of the requirements file and the Python version: a fresh clone on a machine that
# ran the suite before reuses it at once; a changed pin builds a new one (older ones are left for `rm -rf`).
# A venv is built in a temporary folder and renamed into place only when every package installed, so an
# interrupted install never leaves a half venv that later runs would trust. Progress goes to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUIREMENTS="$(cd "$(dirname "${1:-$ROOT/test/sdk/python/requirements.txt}")" && pwd)/$(basename "${1:-requirements.txt}")"
CACHE="${PULUMI_SCIM_CACHE:-$HOME/.cache/pulumi-databricks-scim}"
PYTHON="${PULUMI_SCIM_PYTHON:-python3}"

log() { echo "[python-venv] $*" >&2; }

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  log "no '$PYTHON' on PATH: the real-client suite needs Python >= 3.10 with venv and pip (set PULUMI_SCIM_PYTHON to another interpreter)."
  exit 3
fi
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'; then
  log "$("$PYTHON" --version 2>&1) is too old: databricks-sdk and pytest as pinned need Python >= 3.10 (set PULUMI_SCIM_PYTHON)."
  exit 3
fi

PY_VERSION="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
KEY="$( { cat "$REQUIREMENTS"; echo "python $PY_VERSION"; } | sha256sum | cut -c1-16)"
VENV="$CACHE/python-venv-$KEY"

# Ready = renamed into place after a complete install (see the header), so the folder's existence says it all.
if [ -x "$VENV/bin/python" ] && [ -f "$VENV/.complete" ]; then
  echo "$VENV"; exit 0
fi

mkdir -p "$CACHE"
WORK="$(mktemp -d "$CACHE/.python-venv-tmp.XXXXXX")"; trap 'rm -rf "$WORK"' EXIT
start=$(date +%s)
log "creating a venv for $(basename "$REQUIREMENTS") with Python $PY_VERSION (first run only)"
if ! "$PYTHON" -m venv "$WORK/venv" >&2; then
  log "'$PYTHON -m venv' failed: install the venv module (Debian/Ubuntu: apt-get install python3-venv)."
  exit 3
fi
# `python -m pip` (never the venv's bin/pip script, whose first line names the temporary folder); no version
# check, no prompt; the pins come from the file alone.
PIP_DISABLE_PIP_VERSION_CHECK=1 "$WORK/venv/bin/python" -m pip install --no-input --quiet -r "$REQUIREMENTS" >&2
touch "$WORK/venv/.complete"
# Another run may have finished first: keep its venv (same pins) and drop ours.
if ! mv -T "$WORK/venv" "$VENV" 2>/dev/null; then
  [ -f "$VENV/.complete" ] || { log "could not move the new venv to $VENV"; exit 1; }
fi
log "done in $(( $(date +%s) - start ))s: $VENV"
echo "$VENV"
