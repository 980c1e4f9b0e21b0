"""Service principals through WorkspaceClient and AccountClient on the default cloud (AWS), where only the
Databricks-managed kind exists: the server generates `applicationId`, `displayName` is required."""

from __future__ import annotations

import uuid

from databricks.sdk import AccountClient, WorkspaceClient
from databricks.sdk.errors import BadRequest, NotFound

from sdk_helpers import expect_error, scim_message, unique


def test_workspace_create_generates_the_application_id(ws: WorkspaceClient) -> None:
    name = unique("bot")
    sp = ws.service_principals.create(display_name=name)
    assert sp.id is not None and sp.id.isdigit()
    assert sp.application_id is not None and str(uuid.UUID(sp.application_id)) == sp.application_id
    assert (sp.display_name, sp.active) == (name, True)
    found = list(ws.service_principals.list(filter=f'applicationId eq "{sp.application_id}"'))
    assert [s.id for s in found] == [sp.id]


def test_workspace_create_without_display_name_is_refused(ws: WorkspaceClient) -> None:
    expect_error(BadRequest, lambda: ws.service_principals.create(active=True))


def test_workspace_delete_then_get_is_not_found(ws: WorkspaceClient) -> None:
    sp = ws.service_principals.create(display_name=unique("gone-bot"))
    ws.service_principals.delete(sp.id or "")
    expect_error(NotFound, lambda: ws.service_principals.get(sp.id or ""), message=scim_message(f"Service principal with id {sp.id} not found."))


def test_account_create_generates_the_application_id(acc: AccountClient) -> None:
    name = unique("acc-bot")
    sp = acc.service_principals.create(display_name=name)
    assert sp.id is not None and sp.id.isdigit()
    assert sp.application_id is not None and str(uuid.UUID(sp.application_id)) == sp.application_id
    assert acc.service_principals.get(sp.id).display_name == name
    expect_error(BadRequest, lambda: acc.service_principals.create(active=True))
