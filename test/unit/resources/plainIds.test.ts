/**
 * The ids a membership registers as plain values with their resources as dependsOn (resources/plainIds.ts),
 * under pulumi.runtime.setMocks in an `up` (not a preview).
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { plainIdList, withPlainIds } from "../../../provider/resources/plainIds";

class Thing extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Thing", name, {});
  }
}

beforeAll(async () => {
  await pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}-id`, state: {} }), call: (args) => args.inputs }, "plain-ids", "test", false);
});

describe("withPlainIds", () => {
  it("turns a resource's id into its value and adds the resource to dependsOn, after the given ones", async () => {
    const group = new Thing("g");
    const other = new Thing("o");
    const { props, opts } = withPlainIds({ groupId: group.id as pulumi.Input<string>, scope: { x: 1 } }, { groupId: group }, { dependsOn: [other] });
    expect(pulumi.Output.isInstance(props.groupId)).toBe(false);
    expect(await props.groupId).toBe("g-id");
    expect(props.scope).toEqual({ x: 1 });
    expect(opts?.dependsOn).toEqual([other, group]);
  });

  it("leaves a bare id, and a key without a resource, as given", () => {
    const given = { groupId: "123" as pulumi.Input<string> };
    expect(withPlainIds(given, { groupId: undefined }, undefined)).toEqual({ props: given, opts: undefined });
  });
});

describe("plainIdList", () => {
  it("resolves a list of member resources' ids (and bare ids) to one plain list, with the resources to depend on", async () => {
    const a = new Thing("a");
    const b = new Thing("b");
    const list = plainIdList([a, "42", b], [a.id, "42", b.id]);
    expect(await list?.ids).toEqual(["a-id", "42", "b-id"]);
    expect(list?.resources).toEqual([a, b]);
  });

  it("keeps the list as it is when an id Output is not a listed resource's (e.g. a collection's idOf): only it knows its resource", () => {
    const a = new Thing("a2");
    const fromElsewhere = a.id.apply((id) => `${id}-member`);
    expect(plainIdList([a, fromElsewhere], [a.id, fromElsewhere])).toBeUndefined();
  });
});
