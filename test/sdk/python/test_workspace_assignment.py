"""Workspace assignment (permission assignments) and identity federation: AccountClient.workspace_assignment
at account level, the workspace-level API through the SDK's ApiClient (no typed SDK class exists for it), and
what a federated workspace's SCIM then shows, against the workspace-assignment spec notes."""

from __future__ import annotations

from typing import Any

import pytest
from databricks.sdk import AccountClient, WorkspaceClient
from databricks.sdk.errors import BadRequest, InvalidParameterValue, NotFound, PermissionDenied, ResourceDoesNotExist
from databricks.sdk.service.iam import Patch, PatchOp, PatchSchema, WorkspacePermission

from emulator_process import Emulator
from sdk_helpers import expect_error, scim_message, unique, unique_email, workspace_client

USER, ADMIN = WorkspacePermission.USER, WorkspacePermission.ADMIN
PATCH = [PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP]
WS_API = "/api/2.0/preview/permissionassignments"


@pytest.fixture(scope="module")
def ws1_id(emu: Emulator) -> int:
    return int(emu.workspace(0).id)


@pytest.fixture(scope="module")
def ws2(emu: Emulator) -> WorkspaceClient:
    """The second identity-federated workspace, on its own host."""
    return workspace_client(emu.workspace(1).url, token=emu.tokens["admin"])


def assigned(acc: AccountClient, workspace_id: int) -> dict[int, list[WorkspacePermission]]:
    return {a.principal.principal_id: a.permissions or [] for a in acc.workspace_assignment.list(workspace_id) if a.principal and a.principal.principal_id}


def account_user(acc: AccountClient) -> tuple[str, int]:
    user = acc.users.create(user_name=unique_email("assignee"), display_name="Assignee")
    assert user.id is not None
    return user.id, int(user.id)


def test_permission_levels_are_user_and_admin(acc: AccountClient, ws1_id: int) -> None:
    levels = {p.permission_level for p in acc.workspace_assignment.get(ws1_id).permissions or []}
    assert {USER, ADMIN} <= levels


def test_assigning_a_user_shows_it_in_that_workspace_only(acc: AccountClient, ws1: WorkspaceClient, ws2: WorkspaceClient, ws1_id: int) -> None:
    sid, pid = account_user(acc)
    result = acc.workspace_assignment.update(ws1_id, pid, permissions=[USER])
    assert result.permissions == [USER]
    assert result.principal is not None
    assert type(result.principal.principal_id) is int and result.principal.principal_id == pid
    assert (result.principal.display_name, result.principal.group_name) == ("Assignee", None)
    assert assigned(acc, ws1_id)[pid] == [USER]
    # Same id on both sides: the account id is the workspace SCIM id of the assigned principal.
    assert ws1.users.get(sid).id == sid
    expect_error(NotFound, lambda: ws2.users.get(sid))


def test_admin_wins_and_is_one_put(acc: AccountClient, ws1: WorkspaceClient, ws1_id: int) -> None:
    sid, pid = account_user(acc)
    assert acc.workspace_assignment.update(ws1_id, pid, permissions=[USER, ADMIN]).permissions == [ADMIN]
    assert assigned(acc, ws1_id)[pid] == [ADMIN]
    assert "admins" in {g.display for g in ws1.users.get(sid).groups or []}
    assert acc.workspace_assignment.update(ws1_id, pid, permissions=[USER]).permissions == [USER]
    assert "admins" not in {g.display for g in ws1.users.get(sid).groups or []}


@pytest.mark.parametrize("permissions", [[], None], ids=["empty-list", "no-field"])
def test_an_empty_permission_set_deletes_the_assignment(
    acc: AccountClient, ws1: WorkspaceClient, ws1_id: int, permissions: list[WorkspacePermission] | None
) -> None:
    sid, pid = account_user(acc)
    acc.workspace_assignment.update(ws1_id, pid, permissions=[USER])
    acc.workspace_assignment.update(ws1_id, pid, permissions=permissions)
    assert pid not in assigned(acc, ws1_id)
    expect_error(NotFound, lambda: ws1.users.get(sid))


def test_delete_removes_and_a_second_delete_is_not_found(acc: AccountClient, ws1_id: int) -> None:
    _, pid = account_user(acc)
    acc.workspace_assignment.update(ws1_id, pid, permissions=[USER])
    acc.workspace_assignment.delete(ws1_id, pid)
    assert pid not in assigned(acc, ws1_id)
    expect_error(ResourceDoesNotExist, lambda: acc.workspace_assignment.delete(ws1_id, pid))


def test_a_principal_the_account_lacks_is_not_found(acc: AccountClient, ws1: WorkspaceClient, ws1_id: int) -> None:
    expect_error(
        ResourceDoesNotExist, lambda: acc.workspace_assignment.update(ws1_id, 1234567, permissions=[USER]), message="Principal not found in account."
    )
    local = ws1.groups.create(display_name=unique("local"))
    expect_error(ResourceDoesNotExist, lambda: acc.workspace_assignment.update(ws1_id, int(local.id or 0), permissions=[USER]))


def test_a_workspace_without_federation_refuses(acc: AccountClient, emu: Emulator) -> None:
    _, pid = account_user(acc)
    expect_error(
        InvalidParameterValue,
        lambda: acc.workspace_assignment.update(int(emu.workspace(2).id), pid, permissions=[USER]),
        message="Permission assignments not supported for current workspace.",
    )


def test_an_unknown_workspace_is_not_found(acc: AccountClient) -> None:
    expect_error(ResourceDoesNotExist, lambda: list(acc.workspace_assignment.list(424242)))


def test_a_service_principal_is_named_by_its_application_id(acc: AccountClient, ws1_id: int) -> None:
    sp = acc.service_principals.create(display_name=unique("assigned-bot"))
    result = acc.workspace_assignment.update(ws1_id, int(sp.id or 0), permissions=[USER])
    assert result.principal is not None
    assert (result.principal.service_principal_name, result.principal.user_name) == (sp.application_id, None)


def test_an_assigned_account_group_brings_its_members_and_keeps_its_membership(acc: AccountClient, ws1: WorkspaceClient, ws1_id: int) -> None:
    group = acc.groups.create(display_name=unique("acc-team"))
    gid = group.id or ""
    member_id, _ = account_user(acc)
    acc.groups.patch(gid, schemas=PATCH, operations=[Patch(op=PatchOp.ADD, path="members", value=[{"value": member_id}])])
    result = acc.workspace_assignment.update(ws1_id, int(gid), permissions=[USER])
    assert result.principal is not None and result.principal.group_name == group.display_name
    seen = ws1.groups.get(gid)
    assert seen.meta is not None and seen.meta.resource_type == "Group"
    assert ws1.users.get(member_id).id == member_id
    other, _ = account_user(acc)
    expect_error(
        BadRequest,
        lambda: ws1.groups.patch(gid, schemas=PATCH, operations=[Patch(op=PatchOp.ADD, path="members", value=[{"value": other}])]),
        message=scim_message("Error in performing the patch operation on group resource."),
    )
    expect_error(
        BadRequest,
        lambda: ws1.groups.update(gid, display_name=group.display_name, members=[]),
        message=scim_message("Group membership cannot be updated through PATCH/PUT requests"),
    )


def test_workspace_scim_create_and_delete_on_a_federated_workspace(acc: AccountClient, ws1: WorkspaceClient, ws1_id: int) -> None:
    user = ws1.users.create(user_name=unique_email("fed"))
    sid = user.id or ""
    assert acc.users.get(sid).user_name == user.user_name
    assert assigned(acc, ws1_id)[int(sid)] == [USER]
    ws1.users.delete(sid)
    assert int(sid) not in assigned(acc, ws1_id)
    assert acc.users.get(sid).id == sid


def ws_api(ws: WorkspaceClient, method: str, path: str = "", body: dict[str, Any] | None = None) -> dict[str, Any]:
    out = ws.api_client.do(method, WS_API + path, body=body)
    assert isinstance(out, dict)
    return out


def test_workspace_level_api_by_id_and_by_name(acc: AccountClient, ws1: WorkspaceClient, ws1_id: int) -> None:
    sid, pid = account_user(acc)
    put = ws_api(ws1, "PUT", f"/principals/{sid}", {"permissions": ["ADMIN"]})
    assert put["permissions"] == ["ADMIN"] and put["principal"]["principal_id"] == pid
    listed = {a["principal"]["principal_id"]: a["permissions"] for a in ws_api(ws1, "GET")["permission_assignments"]}
    assert listed[pid] == ["ADMIN"]
    assert ws_api(ws1, "DELETE", f"/principals/{sid}") == {}
    assert pid not in assigned(acc, ws1_id)

    name = acc.users.get(sid).user_name
    posted = ws_api(ws1, "POST", body={"permission_assignments": [{"user_name": name, "permissions": ["USER"]}]})
    [item] = posted["permission_assignments"]
    assert (item["principal"]["principal_id"], item["permissions"]) == (pid, ["USER"])
    missing = ws_api(ws1, "POST", body={"permission_assignments": [{"user_name": unique_email("nobody"), "permissions": ["USER"]}]})
    assert missing["permission_assignments"][0]["error"] == "RESOURCE_DOES_NOT_EXIST: Principal not found in account."
    expect_error(
        InvalidParameterValue,
        lambda: ws_api(ws1, "POST", body={"permission_assignments": [{"user_name": name, "permissions": ["ADMIN"]}]}),
        message="Invalid permission: ADMIN is invalid or not supported for this workspace.",
    )


def test_workspace_level_api_rules(emu: Emulator, ws3: WorkspaceClient, ws1_user: WorkspaceClient) -> None:
    expect_error(InvalidParameterValue, lambda: ws_api(ws3, "GET"), message="Permission assignment APIs are not available for this workspace.")
    expect_error(PermissionDenied, lambda: ws_api(ws1_user, "GET"), starts_with="Only workspace admins can access this API.")
