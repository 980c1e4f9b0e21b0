/**
 * When a membership resource gets `deletedWith: group` (provider/resources/deletedWithGroup.ts): only where
 * deleting the group in the same operation really drops its members.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { ScimGroup } from "../../../provider/resources/group";
import { recordGroupOptions, withDeletedWithGroup } from "../../../provider/resources/deletedWithGroup";

// Resource objects are recognised by Pulumi's brand, not by class: a stand-in with the brand is enough here.
// It stands for a ScimGroup, the type these functions take.
function fakeResource(id: string): ScimGroup {
  return { __pulumiCustomResource: true, __pulumiResource: true, id: pulumi.output(id) } as unknown as ScimGroup;
}

function group(opts?: pulumi.CustomResourceOptions): ScimGroup {
  const g = fakeResource("g");
  recordGroupOptions(g, opts);
  return g;
}

describe("deletedWith on memberships of a ScimGroup", () => {
  it("is the group when the group is a plain resource of the program", () => {
    const g = group();
    expect(withDeletedWithGroup(g, {}, undefined)).toEqual({ deletedWith: g });
    const dep = fakeResource("d");
    expect(withDeletedWithGroup(g, {}, { dependsOn: [dep] })).toEqual({ dependsOn: [dep], deletedWith: g });
  });

  it("is not set when the group is protected, retained, read, or transformed", () => {
    for (const opts of [{ protect: true }, { retainOnDelete: true }, { id: "123" }, { transforms: [() => undefined] }] as pulumi.CustomResourceOptions[]) {
      expect(withDeletedWithGroup(group(opts), {}, undefined)).toBeUndefined();
    }
  });

  it("keeps the program's own deletedWith", () => {
    const other = fakeResource("o");
    expect(withDeletedWithGroup(group(), {}, { deletedWith: other })).toEqual({ deletedWith: other });
  });

  it("is not set for a bare group id, a group of another copy of the package, or a membership with a target of its own", () => {
    expect(withDeletedWithGroup("123", {}, undefined)).toBeUndefined();
    expect(withDeletedWithGroup(fakeResource("unrecorded"), {}, undefined)).toBeUndefined();
    expect(withDeletedWithGroup(group(), { host: "https://adb-2.azuredatabricks.net" }, undefined)).toBeUndefined();
    expect(withDeletedWithGroup(group(), { level: "account" }, undefined)).toBeUndefined();
  });

  it("in a component, only with the group's parent and no protect/retainOnDelete of the membership's own", () => {
    const component = fakeResource("c") as unknown as pulumi.Resource;
    const g = group({ parent: component });
    expect(withDeletedWithGroup(g, {}, { parent: component })).toEqual({ parent: component, deletedWith: g });
    expect(withDeletedWithGroup(g, {}, undefined)).toBeUndefined();
    expect(withDeletedWithGroup(g, {}, { parent: component, protect: false })).toEqual({ parent: component, protect: false });
  });
});
