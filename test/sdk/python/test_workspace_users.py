"""Workspace SCIM Users and /Me through WorkspaceClient, on a federated and a non-federated workspace, against
what the SCIM spec notes say Databricks answers (shapes, case rules, paging, errors and their SDK classes)."""

from __future__ import annotations

from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import BadRequest, NotFound, ResourceConflict
from databricks.sdk.service.iam import ComplexValue, ListSortOrder, Name, Patch, PatchOp, PatchSchema

from emulator_process import Emulator
from sdk_helpers import expect_error, scim_message, unique, unique_email

PATCH = [PatchSchema.URN_IETF_PARAMS_SCIM_API_MESSAGES_2_0_PATCH_OP]


def test_create_lowercases_the_user_name_and_returns_a_numeric_id(ws: WorkspaceClient) -> None:
    given = unique("Ann.Lee") + "@Example.COM"
    user = ws.users.create(user_name=given, display_name="Ann Lee", name=Name(given_name="Ann", family_name="Lee"))
    assert user.id is not None and user.id.isdigit()
    assert user.user_name == given.lower()
    assert user.display_name == "Ann Lee"
    assert user.active is True
    assert user.name == Name(given_name="Ann", family_name="Lee")
    got = ws.users.get(user.id)
    assert (got.id, got.user_name, got.display_name) == (user.id, given.lower(), "Ann Lee")


def test_a_second_user_with_the_same_name_in_other_case_is_a_conflict(ws: WorkspaceClient) -> None:
    name = unique_email("dup")
    ws.users.create(user_name=name)
    expect_error(ResourceConflict, lambda: ws.users.create(user_name=name.upper()), starts_with=scim_message("User with username "))
    expect_error(ResourceConflict, lambda: ws.users.create(user_name=name), message=scim_message(f"User with username {name} already exists."), error_code="SCIM_409")


def test_filter_matches_user_name_case_insensitively_and_attributes_limit_the_answer(ws: WorkspaceClient) -> None:
    name = unique_email("filt")
    user = ws.users.create(user_name=name, display_name="Filtered")
    hits = list(ws.users.list(filter=f'userName eq "{name.upper()}"'))
    assert [u.id for u in hits] == [user.id]
    slim = list(ws.users.list(filter=f"userName eq '{name}'", attributes="userName"))
    assert [(u.id, u.user_name, u.display_name) for u in slim] == [(user.id, name, None)]


def test_filters_combine_operators_and_a_bad_filter_is_a_bad_request(ws: WorkspaceClient) -> None:
    prefix = unique("ops")
    ann = ws.users.create(user_name=f"{prefix}-ann@example.com", display_name="Ann Operator")
    ws.users.create(user_name=f"{prefix}-bob@example.com", display_name="Bob Operator")
    hits = ws.users.list(filter=f'userName sw "{prefix}" and displayName co "Ann"')
    assert [u.id for u in hits] == [ann.id]
    both = ws.users.list(filter=f'userName eq "{prefix}-ann@example.com" or userName eq "{prefix}-bob@example.com"')
    assert len(list(both)) == 2
    others = ws.users.list(filter=f'userName sw "{prefix}" and userName ne "{prefix}-ann@example.com"')
    assert [u.display_name for u in others] == ["Bob Operator"]
    # As the SDK's own integration test (test_scim_error_unmarshall) expects of a filter that is not one.
    expect_error(BadRequest, lambda: list(ws.users.list(filter=unique("nofilter"))))


def test_list_pages_through_every_match_with_a_small_count(ws: WorkspaceClient) -> None:
    # The SDK asks for the next page at startIndex + len(Resources) and stops only at an empty page.
    prefix = unique_email("page").split("@")[0]
    made = sorted(ws.users.create(user_name=f"{prefix}-{i}@example.com").user_name or "" for i in range(5))
    listed = [u.user_name for u in ws.users.list(filter=f'userName sw "{prefix}"', count=2, sort_by="userName")]
    assert listed == made
    down = [u.user_name for u in ws.users.list(filter=f'userName sw "{prefix}"', sort_by="userName", sort_order=ListSortOrder.DESCENDING)]
    assert down == list(reversed(made))


def test_put_replaces_the_display_name_and_ignores_a_user_name_change(ws: WorkspaceClient) -> None:
    name = unique_email("put")
    user = ws.users.create(user_name=name, display_name="Before")
    assert user.id is not None
    ws.users.update(user.id, user_name=unique_email("other"), display_name="After")
    got = ws.users.get(user.id)
    assert (got.user_name, got.display_name) == (name, "After")


def test_patch_deactivates_and_reactivates(ws: WorkspaceClient) -> None:
    user = ws.users.create(user_name=unique_email("active"))
    assert user.id is not None
    # The SDK drops a falsy patch value, so `false` goes as the strings Databricks accepts (SDK and TF forms).
    ws.users.patch(user.id, schemas=PATCH, operations=[Patch(op=PatchOp.REPLACE, path="active", value="false")])
    assert ws.users.get(user.id).active is False
    ws.users.patch(user.id, schemas=PATCH, operations=[Patch(op=PatchOp.REPLACE, path="active", value=[{"value": "true"}])])
    assert ws.users.get(user.id).active is True


def test_delete_then_get_is_not_found(ws: WorkspaceClient) -> None:
    user = ws.users.create(user_name=unique_email("gone"))
    assert user.id is not None
    ws.users.delete(user.id)
    expect_error(NotFound, lambda: ws.users.get(user.id or ""), message=scim_message(f"User with id {user.id} not found."), error_code="SCIM_404")
    expect_error(NotFound, lambda: ws.users.delete(user.id or ""))


def test_user_created_with_entitlements_reads_them_back(ws: WorkspaceClient) -> None:
    user = ws.users.create(user_name=unique_email("ent"), entitlements=[ComplexValue(value="allow-cluster-create")])
    assert user.id is not None
    got = ws.users.get(user.id, attributes="entitlements")
    assert [e.value for e in got.entitlements or []] == ["allow-cluster-create"]


def test_me_is_the_token_user_and_names_the_workspace(emu: Emulator, ws1: WorkspaceClient) -> None:
    me = ws1.current_user.me()
    assert me.user_name == "admin@example.com"
    assert "admins" in [g.display for g in me.groups or []]
    # WorkspaceClient.get_workspace_id reads the X-Databricks-Org-Id header of GET /Me.
    assert ws1.get_workspace_id() == int(emu.workspace(0).id)
