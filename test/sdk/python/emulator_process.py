"""The emulator as a real process for the Python SDK suite: `node dist/emulator/cli.js --port 0 …`, read the one
JSON line it prints (emulator/README.md), stop it with SIGTERM. The suite never imports emulator code: it sees
only what a user of the emulator sees, real HTTP on loopback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
# PULUMI_SCIM_EMULATOR_CLI runs the suite against another build (say, an older commit's, to show what it misses).
CLI = Path(os.environ.get("PULUMI_SCIM_EMULATOR_CLI") or REPO / "dist" / "emulator" / "cli.js")
START_TIMEOUT_S = 60


def node_binary() -> str:
    """The Node.js that runs the emulator: the one vitest runs on (PULUMI_SCIM_NODE), else the Node 24 that
    `npm ci` puts in node_modules/.bin, else `node` on PATH (the emulator names the version it needs)."""
    given = os.environ.get("PULUMI_SCIM_NODE")
    if given:
        return given
    local = REPO / "node_modules" / ".bin" / "node"
    if local.exists():
        return str(local)
    found = shutil.which("node")
    if not found:
        raise RuntimeError("no Node.js to run the emulator: run `npm ci` in the repository (it installs Node 24)")
    return found


@dataclass
class Workspace:
    id: str
    federated: bool
    url: str


@dataclass
class Emulator:
    """What the start-up line says (emulator/README.md), plus the process."""

    url: str
    account_id: str
    workspace_id: str
    tokens: dict[str, str]
    oauth: dict[str, str]
    workspaces: list[Workspace]
    process: subprocess.Popen[bytes]
    stderr: list[str] = field(default_factory=list)

    def workspace(self, index: int) -> Workspace:
        """The index-th configured workspace (0 = the primary one)."""
        return self.workspaces[index]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()


def start_emulator(*args: str) -> Emulator:
    if not CLI.exists():
        raise RuntimeError(f"{CLI} is missing: run `npm run build` first")
    proc = subprocess.Popen(
        [node_binary(), str(CLI), "--port", "0", "--host", "127.0.0.1", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert proc.stdout is not None and proc.stderr is not None
    stderr: list[str] = []
    # Drain stderr all along (a full pipe would block the emulator); it is shown if start-up fails.
    threading.Thread(target=lambda: stderr.extend(line.decode(errors="replace") for line in proc.stderr), daemon=True).start()
    line: list[bytes] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(START_TIMEOUT_S)
    if not line or not line[0].strip():
        proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        raise RuntimeError(f"the emulator printed no start-up line (exit {proc.returncode}): {''.join(stderr).strip()}")
    info: dict[str, Any] = json.loads(line[0])
    workspaces = [Workspace(id=w["id"], federated=w["federated"], url=w["url"]) for w in info.get("workspaces", [])]
    return Emulator(
        url=info["url"],
        account_id=info["accountId"],
        workspace_id=info["workspaceId"],
        tokens=info["tokens"],
        oauth=info.get("oauth", {}),
        workspaces=workspaces,
        process=proc,
        stderr=stderr,
    )
