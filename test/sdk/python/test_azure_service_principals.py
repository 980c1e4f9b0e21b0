"""Service principals on `--cloud azure` (issue 24 item 3; SCIM spec notes §2, corrected 2026-12-06): Azure
Databricks has both kinds. Entra ID-managed: the client supplies the Entra app id (`displayName` optional), one
principal per app id. Databricks-managed: no `applicationId`, the server generates it, `displayName` required."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from databricks.sdk import AccountClient, WorkspaceClient
from databricks.sdk.errors import BadRequest, ResourceConflict

from emulator_process import Emulator
from sdk_helpers import account_client, expect_error, scim_message, unique, workspace_client


@pytest.fixture(scope="module")
def azure_ws(azure_emu: Emulator) -> Iterator[WorkspaceClient]:
    yield workspace_client(azure_emu.workspace(0).url, token=azure_emu.tokens["admin"])


@pytest.fixture(scope="module")
def azure_acc(azure_emu: Emulator) -> Iterator[AccountClient]:
    yield account_client(azure_emu.url, account_id=azure_emu.account_id, token=azure_emu.tokens["accountAdmin"])


def test_entra_managed_keeps_the_given_app_id_and_it_is_unique(azure_ws: WorkspaceClient) -> None:
    app_id = str(uuid.uuid4())
    sp = azure_ws.service_principals.create(application_id=app_id)
    assert sp.id is not None and sp.application_id == app_id
    expect_error(
        ResourceConflict,
        lambda: azure_ws.service_principals.create(application_id=app_id, display_name="again"),
        message=scim_message(f"Service principal with application ID {app_id} already exists."),
    )


def test_databricks_managed_on_a_workspace_gets_a_generated_app_id(azure_ws: WorkspaceClient, azure_acc: AccountClient) -> None:
    name = unique("dbx-managed")
    sp = azure_ws.service_principals.create(display_name=name)
    assert sp.application_id is not None and str(uuid.UUID(sp.application_id)) == sp.application_id
    assert (sp.display_name, sp.active) == (name, True)
    # The workspace is identity-federated: the account has the same principal, same id.
    assert azure_acc.service_principals.get(sp.id or "").application_id == sp.application_id


def test_databricks_managed_on_the_account_gets_a_generated_app_id(azure_acc: AccountClient) -> None:
    sp = azure_acc.service_principals.create(display_name=unique("acc-dbx-managed"))
    assert sp.application_id is not None and str(uuid.UUID(sp.application_id)) == sp.application_id


def test_neither_app_id_nor_display_name_is_refused(azure_ws: WorkspaceClient, azure_acc: AccountClient) -> None:
    expect_error(BadRequest, lambda: azure_ws.service_principals.create(active=True))
    expect_error(BadRequest, lambda: azure_acc.service_principals.create(active=True))
