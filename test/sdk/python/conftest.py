"""Fixtures of the real-client suite: Databricks' official Python SDK (databricks-sdk, pinned in
requirements.txt) against the emulator started as a process, as a user of the emulator would point it.

Two emulators for the whole run (started once, lazily): `emu`, `--cloud aws` (asked for: the emulator defaults to Azure) with three workspaces
(1 and 2 identity-federated, 3 not; 1 is the primary one, also served by the unified main host) and OAuth M2M
on; `azure_emu`, `--cloud azure` with one federated workspace, for what differs on Azure.

Every warning the SDK logs fails the test during which it was logged: a warning about the emulator (such as
"Failed to automatically resolve config from host metadata") means the emulator is not what the SDK expects.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import Iterator

import pytest
from databricks.sdk import AccountClient, WorkspaceClient

from emulator_process import Emulator, start_emulator
from sdk_helpers import account_client, workspace_client

class _SdkWarnings(logging.Handler):
    """Collects WARNING and above from the `databricks` loggers (the SDK logs under `databricks.sdk`)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self) -> list[str]:
        found = [f"{r.name} {r.levelname}: {r.getMessage()}" for r in self.records]
        self.records.clear()
        return found


SDK_WARNINGS = _SdkWarnings()


def pytest_configure(config: pytest.Config) -> None:
    # The machine's own Databricks settings must not leak in: no DATABRICKS_*/ARM_*/AZURE_* variables, and a
    # config file that does not exist (the SDK then reads none; ~/.databrickscfg stays out of it).
    for name in list(os.environ):
        if name.startswith(("DATABRICKS_", "ARM_", "AZURE_", "GOOGLE_")):
            del os.environ[name]
    os.environ["DATABRICKS_CONFIG_FILE"] = os.path.join(tempfile.gettempdir(), f"no-databrickscfg-{uuid.uuid4().hex}")
    logging.getLogger("databricks").addHandler(SDK_WARNINGS)


@pytest.fixture(autouse=True)
def no_sdk_warnings() -> Iterator[None]:
    """Fails a test when the SDK logged a warning while it ran (its fixtures' set-up included)."""
    yield
    found = SDK_WARNINGS.take()
    if found:
        pytest.fail("the SDK logged warnings:\n" + "\n".join(found), pytrace=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    found = SDK_WARNINGS.take()
    if found:
        print("\nthe SDK logged warnings after the last test:\n" + "\n".join(found))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def emu() -> Iterator[Emulator]:
    e = start_emulator("--cloud", "aws", "--workspaces", "3", "--not-federated", "3", "--oauth")
    yield e
    e.stop()


@pytest.fixture(scope="session")
def azure_emu() -> Iterator[Emulator]:
    e = start_emulator("--cloud", "azure", "--workspaces", "1", "--oauth")
    yield e
    e.stop()


@pytest.fixture(scope="session")
def ws1(emu: Emulator) -> WorkspaceClient:
    """Workspace admin on the primary (identity-federated) workspace's own host."""
    return workspace_client(emu.workspace(0).url, token=emu.tokens["admin"])


@pytest.fixture(scope="session")
def ws3(emu: Emulator) -> WorkspaceClient:
    """Workspace admin on the workspace without identity federation."""
    return workspace_client(emu.workspace(2).url, token=emu.tokens["admin"])


@pytest.fixture(scope="session", params=["federated", "not-federated"])
def ws(request: pytest.FixtureRequest, emu: Emulator) -> WorkspaceClient:
    """Workspace admin on either kind of workspace: plain SCIM behaves the same on both."""
    index = 0 if request.param == "federated" else 2
    return workspace_client(emu.workspace(index).url, token=emu.tokens["admin"])


@pytest.fixture(scope="session")
def ws1_user(emu: Emulator) -> WorkspaceClient:
    """A workspace user without admin rights, on the primary workspace."""
    return workspace_client(emu.workspace(0).url, token=emu.tokens["user"])


@pytest.fixture(scope="session")
def acc(emu: Emulator) -> AccountClient:
    """Account admin on the account host (the emulator's main host)."""
    return account_client(emu.url, account_id=emu.account_id, token=emu.tokens["accountAdmin"])
