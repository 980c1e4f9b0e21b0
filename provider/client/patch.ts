// Builders for the PATCH operation forms mature clients send to Databricks (spec §4). Each returns plain
// PatchOperation objects; pass them (one or many) to `client.<resource>.patch(id, ops)`, which wraps them in the
// PatchOp envelope. Ops go out lower-case, paths and filters are built with the escaping filter builder.

import { InvalidArgumentError } from "./errors";
import { eq, valuePath } from "./filter";
import { SCHEMA_PATCH_OP, type PatchOperation, type PatchRequest } from "./types";

export type PatchForm = "path" | "pathless";

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

/**
 * Add members (SCIM ids of users, service principals or groups).
 * `path` form (TF): `{"op":"add","path":"members","value":[{"value":"<id>"}]}`;
 * `pathless` form (account groups KB): `{"op":"add","value":{"members":[{"value":"<id>"}]}}`.
 */
export function addMembers(memberIds: readonly string[], form: PatchForm = "path"): PatchOperation {
  const value = values(memberIds, "addMembers");
  return form === "path" ? { op: "add", path: "members", value } : { op: "add", value: { members: value } };
}

/** `{"op":"remove","path":"members[value eq \"<id>\"]"}` — one op per member, no value (TF). */
export function removeMember(memberId: string): PatchOperation {
  values([memberId], "removeMember");
  return { op: "remove", path: valuePath("members", eq("value", memberId)).expression };
}

export function removeMembers(memberIds: readonly string[]): PatchOperation[] {
  return memberIds.map(removeMember);
}

/**
 * Replace all entitlements. An empty list clears them with `[{}]`, the form TF sends (Go omitempty of
 * `{"value":""}`) and Databricks accepts.
 */
export function replaceEntitlements(entitlements: readonly string[]): PatchOperation {
  const value = entitlements.length === 0 ? [{}] : values(entitlements, "replaceEntitlements");
  return { op: "replace", path: "entitlements", value };
}

export function addEntitlements(entitlements: readonly string[]): PatchOperation {
  return { op: "add", path: "entitlements", value: values(entitlements, "addEntitlements") };
}

/**
 * `{"op":"remove","path":"entitlements","value":[{"value":"x"}]}` removes the listed values. Databricks answers
 * 400 invalidPath when the resource has no entitlements at all; callers deleting should treat that
 * BadRequestError (scimType "invalidPath") as success, as TF does. Do not send with an empty list.
 */
export function removeEntitlements(entitlements: readonly string[]): PatchOperation {
  if (entitlements.length === 0) throw new InvalidArgumentError("removeEntitlements: nothing to remove");
  return { op: "remove", path: "entitlements", value: values(entitlements, "removeEntitlements") };
}

/**
 * Activate / deactivate a user or service principal: `{"op":"replace","path":"active","value":[{"value":"false"}]}`,
 * the form TF sends in production. (Databricks also takes `"value":"false"`; see spec §4.)
 */
export function setActive(active: boolean): PatchOperation {
  if (typeof active !== "boolean") throw new InvalidArgumentError("setActive takes a boolean");
  return { op: "replace", path: "active", value: [{ value: String(active) }] };
}

/** Rename a group (or set a user/SP displayName): `{"op":"replace","path":"displayName","value":"new"}`. */
export function rename(displayName: string): PatchOperation {
  if (typeof displayName !== "string" || displayName === "") throw new InvalidArgumentError("rename: empty displayName");
  return { op: "replace", path: "displayName", value: displayName };
}

/**
 * Add roles (workspace: instance-profile ARNs; account: `account_admin`).
 * `path` form: `{"op":"add","path":"roles","value":[{"value":"…"}]}`; `pathless` (SDK account test):
 * `{"op":"add","value":{"roles":[{"value":"account_admin"}]}}`.
 */
export function addRoles(roles: readonly string[], form: PatchForm = "path"): PatchOperation {
  const value = values(roles, "addRoles");
  return form === "path" ? { op: "add", path: "roles", value } : { op: "add", value: { roles: value } };
}

/** `{"op":"remove","path":"roles[value eq \"<role>\"]"}`. */
export function removeRole(role: string): PatchOperation {
  values([role], "removeRole");
  return { op: "remove", path: valuePath("roles", eq("value", role)).expression };
}

export function removeRoles(roles: readonly string[]): PatchOperation[] {
  return roles.map(removeRole);
}
