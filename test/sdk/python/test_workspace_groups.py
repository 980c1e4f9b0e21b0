"""Workspace SCIM Groups, memberships and entitlements through WorkspaceClient, in the PATCH forms the mature
clients send (SCIM spec notes §4), on a federated and a non-federated workspace."""

from __future__ import annotations

from typing import Any

from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import BadRequest, NotFound, PermissionDenied, ResourceConflict
from databricks.sdk.service.iam import ComplexValue, Group, Patch, PatchOp, PatchSchema

from sdk_helpers import expect_error, scim_message, unique, unique_email

PATCH = [PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP]


def patch(ws: WorkspaceClient, group_id: str, op: PatchOp, path: str | None, value: Any = None) -> None:
    ws.groups.patch(group_id, schemas=PATCH, operations=[Patch(op=op, path=path, value=value)])


def new_group(ws: WorkspaceClient, prefix: str = "grp") -> Group:
    group = ws.groups.create(display_name=unique(prefix))
    assert group.id is not None and group.id.isdigit()
    return group


def member_ids(ws: WorkspaceClient, group_id: str) -> set[str]:
    return {m.value or "" for m in ws.groups.get(group_id).members or []}


def test_reserved_groups_exist(ws: WorkspaceClient) -> None:
    for name in ("admins", "users"):
        assert [g.display_name for g in ws.groups.list(filter=f'displayName eq "{name}"')] == [name]


def test_create_names_a_workspace_local_group_and_a_duplicate_name_conflicts(ws: WorkspaceClient) -> None:
    group = new_group(ws)
    assert group.meta is not None and group.meta.resource_type == "WorkspaceGroup"
    name = group.display_name or ""
    expect_error(ResourceConflict, lambda: ws.groups.create(display_name=name), message=scim_message(f"Group with name {name} already exists."))


def test_get_of_an_unknown_group_is_not_found(ws: WorkspaceClient) -> None:
    expect_error(NotFound, lambda: ws.groups.get("1234"), message=scim_message("Group with id 1234 not found."), error_code="SCIM_404")


def test_members_added_by_path_and_pathless_and_removed_by_filter(ws: WorkspaceClient) -> None:
    group = new_group(ws)
    gid = group.id or ""
    ann = ws.users.create(user_name=unique_email("ann"))
    bot = ws.service_principals.create(display_name=unique("bot"))
    child = new_group(ws, "child")
    patch(ws, gid, PatchOp.ADD, "members", [{"value": ann.id}, {"value": bot.id}])
    patch(ws, gid, PatchOp.ADD, None, {"members": [{"value": child.id}]})
    assert member_ids(ws, gid) == {ann.id, bot.id, child.id}
    refs = {m.value: m.ref for m in ws.groups.get(gid).members or []}
    assert refs == {ann.id: f"Users/{ann.id}", bot.id: f"ServicePrincipals/{bot.id}", child.id: f"Groups/{child.id}"}
    patch(ws, gid, PatchOp.REMOVE, f'members[value eq "{bot.id}"]')
    assert member_ids(ws, gid) == {ann.id, child.id}
    # Workspace group lists still carry members (account ones no longer do).
    [listed] = ws.groups.list(filter=f'displayName eq "{group.display_name}"')
    assert {m.value for m in listed.members or []} == {ann.id, child.id}


def test_a_users_groups_are_derived_direct_and_indirect(ws: WorkspaceClient) -> None:
    parent, child = new_group(ws, "parent"), new_group(ws, "child")
    ann = ws.users.create(user_name=unique_email("nested"))
    patch(ws, child.id or "", PatchOp.ADD, "members", [{"value": ann.id}])
    patch(ws, parent.id or "", PatchOp.ADD, "members", [{"value": child.id}])
    groups = {g.value: g.type for g in ws.users.get(ann.id or "").groups or []}
    assert groups[child.id] == "direct"
    assert groups[parent.id] == "indirect"


def test_a_bare_string_member_is_invalid_syntax(ws: WorkspaceClient) -> None:
    group = new_group(ws)
    ann = ws.users.create(user_name=unique_email("bare"))
    expect_error(
        BadRequest,
        lambda: patch(ws, group.id or "", PatchOp.ADD, "members", ann.id),
        message=scim_message("Request is unparsable, syntactically incorrect, or violates schema.", "invalidSyntax"),
        error_code="SCIM_400",
    )


def test_rename_by_patch_and_by_put(ws: WorkspaceClient) -> None:
    group = new_group(ws)
    gid = group.id or ""
    renamed = unique("renamed")
    patch(ws, gid, PatchOp.REPLACE, "displayName", renamed)
    assert ws.groups.get(gid).display_name == renamed
    again = unique("put")
    ann = ws.users.create(user_name=unique_email("put"))
    ws.groups.update(gid, display_name=again, members=[ComplexValue(value=ann.id)])
    got = ws.groups.get(gid)
    assert (got.display_name, {m.value for m in got.members or []}) == (again, {ann.id})


def test_delete_then_get_is_not_found(ws: WorkspaceClient) -> None:
    group = new_group(ws)
    ws.groups.delete(group.id or "")
    expect_error(NotFound, lambda: ws.groups.get(group.id or ""), message=scim_message(f"Group with id {group.id} not found."))


def test_entitlements_replace_read_clear_and_remove(ws: WorkspaceClient) -> None:
    group = new_group(ws)
    gid = group.id or ""
    wanted = ["allow-cluster-create", "databricks-sql-access"]
    patch(ws, gid, PatchOp.REPLACE, "entitlements", [{"value": v} for v in wanted])
    assert sorted(e.value or "" for e in ws.groups.get(gid).entitlements or []) == wanted
    patch(ws, gid, PatchOp.REMOVE, "entitlements", [{"value": "databricks-sql-access"}])
    assert [e.value for e in ws.groups.get(gid).entitlements or []] == ["allow-cluster-create"]
    # Terraform clears all with `[{}]` (Go's omitempty of {"value": ""}).
    patch(ws, gid, PatchOp.REPLACE, "entitlements", [{}])
    assert ws.groups.get(gid).entitlements in (None, [])
    # Removing from a group without entitlements is Databricks' invalidPath, which Terraform swallows.
    expect_error(
        BadRequest,
        lambda: patch(ws, gid, PatchOp.REMOVE, "entitlements", [{"value": "allow-cluster-create"}]),
        message=scim_message("No such attribute with the name : entitlements in the current resource", "invalidPath"),
    )


def test_service_principal_entitlements(ws: WorkspaceClient) -> None:
    sp = ws.service_principals.create(display_name=unique("ent-bot"))
    ws.service_principals.patch(
        sp.id or "",
        schemas=PATCH,
        operations=[Patch(op=PatchOp.REPLACE, path="entitlements", value=[{"value": "workspace-access"}])],
    )
    assert [e.value for e in ws.service_principals.get(sp.id or "").entitlements or []] == ["workspace-access"]


def test_group_get_by_id_is_admin_only(ws1: WorkspaceClient, ws1_user: WorkspaceClient) -> None:
    group = new_group(ws1)
    expect_error(
        PermissionDenied,
        lambda: ws1_user.groups.get(group.id or ""),
        starts_with=scim_message(f"/2.0/preview/scim/v2/Groups/{group.id} is only accessible by admins"),
    )
    # A non-admin may still list users, with id, userName and displayName only (the typed list cannot tell an
    # absent list from an empty one, so read the page as the SDK's ApiClient returns it).
    page = ws1_user.api_client.do("GET", "/api/2.0/preview/scim/v2/Users", query={"filter": 'userName eq "admin@example.com"'})
    assert isinstance(page, dict)
    [admin] = page["Resources"]
    assert admin["userName"] == "admin@example.com"
    assert set(admin) - {"schemas"} == {"id", "userName", "displayName"}
