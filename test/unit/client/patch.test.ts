import { describe, expect, it } from "vitest";
import { InvalidArgumentError, patch } from "../../../provider/client";

describe("PATCH op builders", () => {
  it("members: add, remove by filter", () => {
    expect(patch.addMembers(["1", "2"])).toEqual({ op: "add", path: "members", value: [{ value: "1" }, { value: "2" }] });
    expect(patch.removeMember("5")).toEqual({ op: "remove", path: 'members[value eq "5"]' });
    expect(patch.removeMember('we"ird')).toEqual({ op: "remove", path: 'members[value eq "we\\"ird"]' });
    expect(patch.removeMembers(["1", "2"])).toHaveLength(2);
    expect("value" in patch.removeMember("5")).toBe(false);
  });

  it("roles", () => {
    const arn = "arn:aws:iam::123:instance-profile/x";
    expect(patch.addRoles([arn])).toEqual({ op: "add", path: "roles", value: [{ value: arn }] });
    expect(patch.removeRole(arn)).toEqual({ op: "remove", path: `roles[value eq "${arn}"]` });
  });

  it("envelope and argument checks", () => {
    expect(patch.patchRequest([{ op: "replace", path: "displayName", value: "x" }])).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "displayName", value: "x" }],
    });
    expect(() => patch.patchRequest([])).toThrow(InvalidArgumentError);
    expect(() => patch.addMembers([""])).toThrow(InvalidArgumentError);
  });
});
