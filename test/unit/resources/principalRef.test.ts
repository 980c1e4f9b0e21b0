import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { unscope } from "../../../provider/lifecycle/membershipCheck";
import type { ScimGroup } from "../../../provider/resources/group";
import { idOf, idsOf, recordGroupTarget, scopeOf, targetFrom } from "../../../provider/resources/principalRef";

// How an unknown value reaches a dynamic provider during a preview (@pulumi/pulumi runtime/rpc.ts unknownValue).
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// Resource objects are recognised by Pulumi's brand, not by class: a stand-in with the brand is enough here. It
// stands for a group resource (a group is a valid member too), the type these functions take.
function fakeResource(id: string, extra: Record<string, string> = {}): ScimGroup {
  const r: Record<string, unknown> = { __pulumiCustomResource: true, __pulumiResource: true, id: pulumi.output(id) };
  for (const [k, v] of Object.entries(extra)) r[k] = pulumi.output(v);
  return r as unknown as ScimGroup;
}

function valueOf<T>(input: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => void pulumi.output(input).apply((v) => resolve(v as T)));
}

describe("membership resource arguments", () => {
  it("turns a resource into its id and keeps an id as it is", async () => {
    expect(await valueOf(idOf(fakeResource("123")))).toBe("123");
    expect(idOf("456")).toBe("456");
  });

  it("maps lists of resources and ids, also when the list is a Promise or an Output", async () => {
    const list = [fakeResource("1"), "2"];
    expect(await valueOf(idsOf(list))).toEqual(["1", "2"]);
    expect(await valueOf(idsOf(Promise.resolve(list)))).toEqual(["1", "2"]);
    expect(await valueOf(idsOf(pulumi.output(Promise.resolve(["3"]))))).toEqual(["3"]);
  });

  it("takes the target the group resource was declared with, unless one is given", async () => {
    const group = fakeResource("9");
    recordGroupTarget(group, { host: "https://accounts.cloud.databricks.com", level: "account", accountId: pulumi.output("acc") });
    const inherited = targetFrom(group, {});
    expect(inherited.level).toBe("account");
    expect(await valueOf(inherited.accountId as pulumi.Input<string>)).toBe("acc");
    expect(targetFrom(group, { host: "https://adb-1.2.azuredatabricks.net" })).toEqual({
      host: "https://adb-1.2.azuredatabricks.net",
      level: undefined,
      accountId: undefined,
      connection: undefined,
    });
    // A bare id, or a group this copy of the package did not declare: stack config and environment decide.
    expect(targetFrom("9", {})).toEqual({});
    expect(targetFrom(fakeResource("10"), {})).toEqual({});
  });

  it("registers the target and the resource name as one scope input of plain values", () => {
    const group = fakeResource("9");
    recordGroupTarget(group, { host: "http://127.0.0.1:8080" });
    const scope = scopeOf("alice-in-eng", group, {});
    expect(scope).toEqual({ host: "http://127.0.0.1:8080", level: undefined, accountId: undefined, connection: undefined, resourceName: "alice-in-eng" });
  });

  it("check flattens the scope, and drops a workspace-level group's accountId that a preview sees as unknown", () => {
    const news = { groupId: "9", memberId: "1", scope: { host: "h", level: "workspace", accountId: UNKNOWN, resourceName: "m" } };
    expect(unscope(news)).toEqual({ groupId: "9", memberId: "1", host: "h", level: "workspace", resourceName: "m" });
    // At account level an unknown accountId stays unknown (the group's is real, just not known yet).
    expect(unscope({ scope: { level: "account", accountId: UNKNOWN } })).toEqual({ level: "account", accountId: UNKNOWN });
    // A field set at top level wins over the scope's.
    expect(unscope({ host: "a", scope: { host: "b" } })).toEqual({ host: "a" });
  });
});
