"""A unified host (the emulator's main URL serves the account API and every workspace): WorkspaceClient sends
`X-Databricks-Workspace-Id` from its `workspace_id`, explicit or read from the host's metadata, and an
AccountClient finds its `account_id` there too (issue 24 items 1 and 4)."""

from __future__ import annotations

from databricks.sdk.errors import NotFound, PermissionDenied

from emulator_process import Emulator
from sdk_helpers import account_client, expect_error, unique_email, workspace_client


def test_workspace_id_routes_a_workspace_client_to_that_workspace(emu: Emulator) -> None:
    second = emu.workspace(1)
    w = workspace_client(emu.url, token=emu.tokens["admin"], workspace_id=second.id)
    assert w.config.workspace_id == second.id
    # /Me answers X-Databricks-Org-Id = the workspace the header reached.
    assert w.get_workspace_id() == int(second.id)
    user = w.users.create(user_name=unique_email("unified"))
    on_own_host = workspace_client(second.url, token=emu.tokens["admin"])
    assert on_own_host.users.get(user.id or "").user_name == user.user_name
    primary = workspace_client(emu.workspace(0).url, token=emu.tokens["admin"])
    expect_error(NotFound, lambda: primary.users.get(user.id or ""))


def test_without_workspace_id_the_host_metadata_names_the_primary_workspace(emu: Emulator) -> None:
    w = workspace_client(emu.url, token=emu.tokens["admin"])
    assert w.config.workspace_id == emu.workspace_id
    assert w.get_workspace_id() == int(emu.workspace_id)


def test_an_unknown_workspace_id_is_denied_not_missing(emu: Emulator) -> None:
    w = workspace_client(emu.url, token=emu.tokens["admin"], workspace_id="999")
    expect_error(PermissionDenied, lambda: w.current_user.me(), starts_with="Caller is not authorized to access workspace 999.")


def test_an_account_client_finds_its_account_id_on_the_host(emu: Emulator) -> None:
    a = account_client(emu.url, token=emu.tokens["accountAdmin"])
    assert a.config.account_id == emu.account_id
    assert "account-admin@example.com" in {u.user_name for u in a.users.list(filter='userName eq "account-admin@example.com"')}
    # What the user sets wins over the metadata.
    other = account_client(emu.url, token=emu.tokens["accountAdmin"], account_id="00000000-0000-0000-0000-000000000000")
    assert other.config.account_id == "00000000-0000-0000-0000-000000000000"
