/**
 * What the resource classes register with the engine, under pulumi.runtime.setMocks. Every registered property
 * key costs the program four promises with captured stack traces per resource, and every output passed on one
 * more (bench/: at thousands of resources that was the program's largest cost), so the sets are pinned here.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];
let mod: typeof import("../../../provider");

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type.endsWith(":ServicePrincipal")) state.applicationId = "app-1";
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "registration",
    "test",
    false,
  );
  mod = await import("../../../provider");
});

function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => void o.apply((v) => resolve(v)));
}

async function registration(name: string): Promise<Registered> {
  for (let i = 0; i < 100; i++) {
    const r = registered.find((x) => x.name === name);
    if (r) return r;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`${name} was never registered`);
}

describe("registration", () => {
  it("a user registers its inputs and the outputs it reports; aclPrincipalId and home are derived", async () => {
    const alice = new mod.ScimUser("alice", { userName: "alice@example.com" });
    expect(await valueOf(alice.aclPrincipalId)).toBe("users/alice@example.com");
    expect(await valueOf(alice.home)).toBe("/Users/alice@example.com");
    const r = await registration("alice");
    expect(r.type).toBe("pulumi-nodejs:dynamic/scim:User");
    expect(r.inputs.__provider).toBe("module.exports=require('pulumi-databricks-scim/s').u");
    // Mocks see only keys with a value; the seeded outputs are there as keys on the resource object.
    expect(
      Object.keys(alice)
        .filter((k) => pulumi.Output.isInstance((alice as unknown as Record<string, unknown>)[k]))
        .sort(),
    ).toEqual(["__provider", "active", "displayName", "entitlements", "externalId", "familyName", "givenName", "id", "roles", "urn", "userName"].sort());
  });

  it("groups and service principals derive aclPrincipalId (and home) from their outputs", async () => {
    const eng = new mod.ScimGroup("eng", { displayName: "engineering" });
    const ci = new mod.ScimServicePrincipal("ci", { displayName: "ci" });
    expect(await valueOf(eng.aclPrincipalId)).toBe("groups/engineering");
    expect(await valueOf(ci.aclPrincipalId)).toBe("servicePrincipals/app-1");
    expect(await valueOf(ci.home)).toBe("/Users/app-1");
  });

  it("a membership registers one scope of plain values: its ids and the target its group was declared with", async () => {
    const conn = new mod.DatabricksConnection({ host: "https://adb-1.2.azuredatabricks.net", tokenEnvVar: "WS_TOKEN" });
    const g = new mod.ScimGroup("team", { displayName: "team", connection: conn });
    const u = new mod.ScimUser("bob", { userName: "bob@example.com", connection: conn });
    new mod.GroupMembership("bob-in-team", { group: g, member: u });
    const r = await registration("bob-in-team");
    // Two keys with a value, so two property-dependency entries in the state; groupId and memberId stay outputs.
    expect(Object.keys(r.inputs).sort()).toEqual(["__provider", "scope"]);
    expect(r.inputs.scope).toEqual({
      groupId: "team-id",
      memberId: "bob-id",
      connection: { host: "https://adb-1.2.azuredatabricks.net", tokenEnvVar: "WS_TOKEN" },
      resourceName: "bob-in-team",
    });
  });

  it("GroupMembers registers its ids and one scope that carries each member's label, in the list's order", async () => {
    const g = new mod.ScimGroup("data", { displayName: "data-eng" });
    const u = new mod.ScimUser("cy", { userName: "Cy@Example.com" });
    const sp = new mod.ScimServicePrincipal("etl", { displayName: "etl" });
    const azure = new mod.ScimServicePrincipal("app", { applicationId: "6f1c3a52-9d1e-4a8b-b1f4-2a7c9e0d5b13" });
    const sub = new mod.ScimGroup("sub", { displayName: "sub-team" });
    const list = new mod.GroupMembers("data-members", { group: g, members: [u, sp, azure, sub, "7001"] });
    const r = await registration("data-members");
    expect(Object.keys(r.inputs).sort()).toEqual(["__provider", "groupId", "memberIds", "scope"]);
    expect(r.inputs.memberIds).toEqual(["cy-id", "etl-id", "app-id", "sub-id", "7001"]);
    expect((r.inputs.scope as { memberNames?: unknown }).memberNames).toEqual([
      "cy@example.com",
      "sp:etl",
      "sp:6f1c3a52-9d1e-4a8b-b1f4-2a7c9e0d5b13",
      "group:sub-team",
      null,
    ]);
    // The mock echoes the registered inputs as the state (no `members` map): the older shape's ids are the output.
    expect(await valueOf(list.memberIds)).toEqual(["cy-id", "etl-id", "app-id", "sub-id", "7001"]);
  });

  it("a workspace assignment registers its ids, permissions, principalName and one scope: the principal's declared target and kind", async () => {
    const acc = new mod.DatabricksConnection({ host: "https://accounts.azuredatabricks.net", level: "account", accountId: "acc-1", tokenEnvVar: "ACC_TOKEN" });
    const ann = new mod.ScimUser("ann", { userName: "ann@example.com", connection: acc });
    const a = new mod.WorkspaceAssignment("ann-in-ws", { principal: ann, workspaceId: 1234, permissions: ["USER"] });
    const r = await registration("ann-in-ws");
    expect(r.type).toBe("pulumi-nodejs:dynamic/scim:WorkspaceAssignment");
    expect(Object.keys(r.inputs).sort()).toEqual(["__provider", "permissions", "principalId", "scope", "workspaceId"]);
    expect(r.inputs.principalId).toBe("ann-id");
    expect(r.inputs.scope).toEqual({
      connection: { host: "https://accounts.azuredatabricks.net", level: "account", accountId: "acc-1", tokenEnvVar: "ACC_TOKEN" },
      resourceName: "ann-in-ws",
      principalType: "user",
    });
    expect(a.principalKind).toBe("user");
    new mod.WorkspaceEntitlements("ann-ents", { assignment: a, host: "https://adb-1.2.azuredatabricks.net", entitlements: ["workspace-access"] });
    const e = await registration("ann-ents");
    expect(e.inputs.principalType).toBe("user");
    expect(e.inputs.scope).toEqual({ host: "https://adb-1.2.azuredatabricks.net", resourceName: "ann-ents" });
  });

  it("a group registers workspaceLocal only when the program sets it", async () => {
    new mod.ScimGroup("plain", { displayName: "plain" });
    new mod.ScimGroup("local", { displayName: "local", workspaceLocal: true });
    expect(Object.keys((await registration("plain")).inputs)).not.toContain("workspaceLocal");
    expect((await registration("local")).inputs.workspaceLocal).toBe(true);
  });

  it("a group registers one declaration: its resource name and the same-named groups at the other level, first and last alike", async () => {
    const account = { host: "https://accounts.azuredatabricks.net", accountId: "acc-1" };
    new mod.ScimGroup("shadow-ws", { displayName: "Shadowed", host: "https://adb-1.2.azuredatabricks.net" });
    new mod.ScimGroup("shadow-acct", { displayName: "shadowed", ...account });
    new mod.ScimGroup("shadow-ws2", { displayName: "shadowed", connection: new mod.DatabricksConnection({ host: "https://adb-3.4.azuredatabricks.net" }) });
    new mod.ScimGroup("shadow-local", { displayName: "shadowed", host: "https://adb-5.6.azuredatabricks.net", workspaceLocal: true });
    new mod.ScimGroup("shadow-other-account", { displayName: "shadowed", level: "account", host: account.host, accountId: "acc-2" });
    new mod.ScimGroup("shadow-config-level", { displayName: "shadowed" });
    expect((await registration("shadow-ws")).inputs.declaration).toEqual({ resourceName: "shadow-ws", otherLevel: ["shadow-acct", "shadow-other-account"] });
    expect((await registration("shadow-acct")).inputs.declaration).toEqual({ resourceName: "shadow-acct", otherLevel: ["shadow-ws", "shadow-ws2"] });
    expect((await registration("shadow-ws2")).inputs.declaration).toEqual({ resourceName: "shadow-ws2", otherLevel: ["shadow-acct", "shadow-other-account"] });
    // Local on purpose: no counterpart, and nobody's counterpart. Level from stack config: left to check's registry.
    expect((await registration("shadow-local")).inputs.declaration).toEqual({ resourceName: "shadow-local" });
    expect((await registration("shadow-config-level")).inputs.declaration).toEqual({ resourceName: "shadow-config-level" });
  });
});
