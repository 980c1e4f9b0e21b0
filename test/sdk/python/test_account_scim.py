"""Account SCIM through AccountClient (users, groups, service principals, roles) and the token rules of both
levels, against the SCIM spec notes (account variants, 409 texts, group lists without members)."""

from __future__ import annotations

from databricks.sdk import AccountClient, WorkspaceClient
from databricks.sdk.errors import NotFound, PermissionDenied, ResourceConflict
from databricks.sdk.service.iam import Patch, PatchOp, PatchSchema

from emulator_process import Emulator
from sdk_helpers import account_client, expect_error, scim_message, unique, unique_email, workspace_client

PATCH = [PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP]


def test_account_user_lifecycle(acc: AccountClient) -> None:
    name = unique_email("acc-ann")
    user = acc.users.create(user_name=name, display_name="Ann")
    assert user.id is not None and user.id.isdigit()
    assert (user.user_name, user.display_name, user.active) == (name, "Ann", True)
    assert [u.id for u in acc.users.list(filter=f'userName eq "{name}"')] == [user.id]
    expect_error(
        ResourceConflict,
        lambda: acc.users.create(user_name=name),
        starts_with=scim_message(f"User with email {name} already exists in this account"),
        error_code="SCIM_409",
    )
    acc.users.patch(user.id, schemas=PATCH, operations=[Patch(op=PatchOp.REPLACE, path="active", value="false")])
    assert acc.users.get(user.id).active is False
    acc.users.delete(user.id)
    expect_error(NotFound, lambda: acc.users.get(user.id or ""), message=scim_message(f"User with id {user.id} not found."))


def test_account_group_members_show_on_get_not_in_lists(acc: AccountClient) -> None:
    group = acc.groups.create(display_name=unique("acc-grp"))
    gid = group.id or ""
    ann = acc.users.create(user_name=unique_email("acc-member"))
    acc.groups.patch(gid, schemas=PATCH, operations=[Patch(op=PatchOp.ADD, value={"members": [{"value": ann.id}]})])
    assert [m.value for m in acc.groups.get(gid).members or []] == [ann.id]
    # Account group lists no longer carry members (since 2025-08-22): fetch each group.
    [listed] = list(acc.groups.list(filter=f'displayName eq "{group.display_name}"'))
    assert (listed.id, listed.members) == (gid, [])
    name = group.display_name or ""
    expect_error(ResourceConflict, lambda: acc.groups.create(display_name=name), message=scim_message(f"Group with name {name} already exists."))


def test_account_admin_role_by_pathless_add(acc: AccountClient) -> None:
    sp = acc.service_principals.create(display_name=unique("acc-admin-bot"))
    acc.service_principals.patch(
        sp.id or "", schemas=PATCH, operations=[Patch(op=PatchOp.ADD, value={"roles": [{"value": "account_admin"}]})]
    )
    assert [r.value for r in acc.service_principals.get(sp.id or "").roles or []] == ["account_admin"]


def test_a_workspace_user_is_added_to_the_account(ws3: WorkspaceClient, acc: AccountClient) -> None:
    name = unique_email("propagated")
    ws3.users.create(user_name=name)
    assert [u.user_name for u in acc.users.list(filter=f'userName eq "{name}"')] == [name]


def test_tokens_work_only_at_their_own_level(emu: Emulator) -> None:
    on_account = account_client(emu.url, account_id=emu.account_id, token=emu.tokens["admin"])
    expect_error(PermissionDenied, lambda: list(on_account.users.list()), starts_with="Invalid access token.")
    on_workspace = workspace_client(emu.workspace(0).url, token=emu.tokens["accountAdmin"])
    expect_error(PermissionDenied, lambda: on_workspace.current_user.me(), starts_with="Invalid access token.")
    unknown = workspace_client(emu.workspace(0).url, token="dapi-not-a-token")
    e = expect_error(PermissionDenied, lambda: unknown.current_user.me(), starts_with="Invalid access token.")
    # The SDK appends its configuration to 401/403 messages, with secrets masked.
    assert "token=***" in str(e) and "dapi-not-a-token" not in str(e)


def test_another_account_id_is_denied(emu: Emulator) -> None:
    other = account_client(emu.url, account_id="00000000-0000-0000-0000-000000000000", token=emu.tokens["accountAdmin"])
    expect_error(PermissionDenied, lambda: list(other.users.list()))
