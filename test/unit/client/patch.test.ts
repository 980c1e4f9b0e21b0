import { describe, expect, it } from "vitest";
import { InvalidArgumentError, patch } from "../../../provider/client";

describe("PATCH op builders (spec §4 forms)", () => {
  it("members: add (path and pathless), remove by filter", () => {
    expect(patch.addMembers(["1", "2"])).toEqual({ op: "add", path: "members", value: [{ value: "1" }, { value: "2" }] });
    expect(patch.addMembers(["1"], "pathless")).toEqual({ op: "add", value: { members: [{ value: "1" }] } });
    expect(patch.removeMember("5")).toEqual({ op: "remove", path: 'members[value eq "5"]' });
    expect(patch.removeMember('we"ird')).toEqual({ op: "remove", path: 'members[value eq "we\\"ird"]' });
    expect(patch.removeMembers(["1", "2"])).toHaveLength(2);
    expect("value" in patch.removeMember("5")).toBe(false);
  });

  it("entitlements: replace, clear with [{}], add, remove with value list", () => {
    expect(patch.replaceEntitlements(["allow-cluster-create", "workspace-access"])).toEqual({
      op: "replace",
      path: "entitlements",
      value: [{ value: "allow-cluster-create" }, { value: "workspace-access" }],
    });
    expect(patch.replaceEntitlements([])).toEqual({ op: "replace", path: "entitlements", value: [{}] });
    expect(patch.addEntitlements(["databricks-sql-access"])).toEqual({ op: "add", path: "entitlements", value: [{ value: "databricks-sql-access" }] });
    expect(patch.removeEntitlements(["x"])).toEqual({ op: "remove", path: "entitlements", value: [{ value: "x" }] });
    expect(() => patch.removeEntitlements([])).toThrow(InvalidArgumentError);
  });

  it("active, rename, roles", () => {
    expect(patch.setActive(false)).toEqual({ op: "replace", path: "active", value: [{ value: "false" }] });
    expect(patch.setActive(true)).toEqual({ op: "replace", path: "active", value: [{ value: "true" }] });
    expect(patch.rename("new name")).toEqual({ op: "replace", path: "displayName", value: "new name" });
    const arn = "arn:aws:iam::123:instance-profile/x";
    expect(patch.addRoles([arn])).toEqual({ op: "add", path: "roles", value: [{ value: arn }] });
    expect(patch.addRoles(["account_admin"], "pathless")).toEqual({ op: "add", value: { roles: [{ value: "account_admin" }] } });
    expect(patch.removeRole(arn)).toEqual({ op: "remove", path: `roles[value eq "${arn}"]` });
  });

  it("envelope and argument checks", () => {
    expect(patch.patchRequest([patch.rename("x")])).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "displayName", value: "x" }],
    });
    expect(() => patch.patchRequest([])).toThrow(InvalidArgumentError);
    expect(() => patch.addMembers([""])).toThrow(InvalidArgumentError);
    expect(() => patch.rename("")).toThrow(InvalidArgumentError);
  });
});
