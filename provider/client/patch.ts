// Builders for the PATCH operations the provider sends for memberships and roles, in the forms Terraform sends
// to Databricks (documented in the README). Each returns plain PatchOperation objects; pass them (one or many) to
// `client.<resource>.patch(id, ops)`, which wraps them in the PatchOp envelope. Ops go out lower-case, paths and
// filters are built with the escaping filter builder.

import { InvalidArgumentError } from "./errors";
import { eq, valuePath } from "./filter";
import { SCHEMA_PATCH_OP, type PatchOperation, type PatchRequest } from "./types";

function values(list: readonly string[], what: string): { value: string }[] {
  if (!Array.isArray(list)) throw new InvalidArgumentError(`${what} must be an array`);
  return list.map((v) => {
    if (typeof v !== "string" || v === "") throw new InvalidArgumentError(`${what}: empty or non-string value`);
    return { value: v };
  });
}

/** Wraps operations in the PatchOp envelope (`schemas` + capital-O `Operations`). */
export function patchRequest(operations: readonly PatchOperation[]): PatchRequest {
  if (operations.length === 0) throw new InvalidArgumentError("a PATCH needs at least one operation");
  return { schemas: [SCHEMA_PATCH_OP], Operations: operations.map((o) => ({ ...o })) };
}

/** Add members (SCIM ids of users, service principals or groups): `{"op":"add","path":"members","value":[{"value":"<id>"}]}`. */
export function addMembers(memberIds: readonly string[]): PatchOperation {
  return { op: "add", path: "members", value: values(memberIds, "addMembers") };
}

/** `{"op":"remove","path":"members[value eq \"<id>\"]"}` — one op per member, no value (TF). */
export function removeMember(memberId: string): PatchOperation {
  values([memberId], "removeMember");
  return { op: "remove", path: valuePath("members", eq("value", memberId)).expression };
}

export function removeMembers(memberIds: readonly string[]): PatchOperation[] {
  return memberIds.map(removeMember);
}

/** Add roles (workspace: instance-profile ARNs; account: `account_admin`): `{"op":"add","path":"roles","value":[{"value":"…"}]}`. */
export function addRoles(roles: readonly string[]): PatchOperation {
  return { op: "add", path: "roles", value: values(roles, "addRoles") };
}

/** `{"op":"remove","path":"roles[value eq \"<role>\"]"}`. */
export function removeRole(role: string): PatchOperation {
  values([role], "removeRole");
  return { op: "remove", path: valuePath("roles", eq("value", role)).expression };
}

export function removeRoles(roles: readonly string[]): PatchOperation[] {
  return roles.map(removeRole);
}
