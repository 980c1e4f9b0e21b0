import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { idOf, idsOf, targetFrom } from "../../../provider/resources/principalRef";

// Resource objects are recognised by Pulumi's brand, not by class: a stand-in with the brand is enough here.
function fakeResource(id: string, extra: Record<string, string> = {}): pulumi.CustomResource {
  const r: Record<string, unknown> = { __pulumiCustomResource: true, __pulumiResource: true, id: pulumi.output(id) };
  for (const [k, v] of Object.entries(extra)) r[k] = pulumi.output(v);
  return r as unknown as pulumi.CustomResource;
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

  it("takes the target from the group resource unless one is given", async () => {
    const group = fakeResource("9", { host: "https://accounts.cloud.databricks.com", level: "account", accountId: "acc" });
    const inherited = targetFrom(group, {});
    expect(await valueOf(inherited.level as pulumi.Input<string>)).toBe("account");
    expect(await valueOf(inherited.accountId as pulumi.Input<string>)).toBe("acc");
    expect(targetFrom(group, { host: "https://adb-1.2.azuredatabricks.net" })).toEqual({
      host: "https://adb-1.2.azuredatabricks.net",
      level: undefined,
      accountId: undefined,
    });
    expect(targetFrom("9", {})).toEqual({});
  });

  it("passes no accountId on from a workspace-level group, whose absent accountId output is unknown in a preview", async () => {
    const { unknown } = await import("@pulumi/pulumi/output");
    const group = fakeResource("9", { host: "http://127.0.0.1:8080", level: "workspace" });
    (group as unknown as Record<string, unknown>).accountId = pulumi.output(unknown);
    const inherited = targetFrom(group, {});
    const known = await (inherited.accountId as pulumi.Output<string>).isKnown;
    expect(known).toBe(true);
    expect(await valueOf(inherited.accountId as pulumi.Input<string>)).toBeUndefined();
  });
});
