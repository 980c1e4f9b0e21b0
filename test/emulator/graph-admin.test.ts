// Editing the emulated directory during a test through /__emulator/*: members in and out of nested groups,
// renames, disabled accounts, deletes, whole-state replace, generated groups; bad references are 400.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAll, startGraph, TREE_SEED, type GraphClient, type Json } from "./graph-helpers";

const ROOT = "00000000-0000-0000-0000-0000000000a0";
const DATA = "00000000-0000-0000-0000-0000000000d0";
const SELECT = "$select=id,displayName,userPrincipalName,accountEnabled";

let c: GraphClient;
beforeAll(async () => {
  c = await startGraph({ seed: structuredClone(TREE_SEED) });
});
afterAll(async () => c.close());

const upns = async (group: string): Promise<string[]> =>
  (await readAll(c, `/v1.0/groups/${group}/transitiveMembers?${SELECT}`)).values
    .filter((v: Json) => v["@odata.type"] === "#microsoft.graph.user")
    .map((v: Json) => v.userPrincipalName as string)
    .sort();

describe("admin endpoints", () => {
  it("add a new user to a nested group: it shows in the root's transitive members; remove: gone", async () => {
    const add = await c.admin("POST", "/__emulator/objects", { users: [{ displayName: "Dee", userPrincipalName: "dee@contoso.com" }] });
    expect(add.status).toBe(200);
    expect((await c.admin("POST", `/__emulator/groups/Data/members`, { members: ["dee@contoso.com"] })).status).toBe(200);
    expect(await upns(ROOT)).toContain("dee@contoso.com");
    const direct = await c.get(`/v1.0/groups/${DATA}/members?${SELECT}`);
    expect(direct.body.value.map((v: Json) => v.userPrincipalName)).toContain("dee@contoso.com");
    expect((await c.admin("DELETE", `/__emulator/groups/${DATA}/members/dee@contoso.com`)).status).toBe(200);
    expect(await upns(ROOT)).not.toContain("dee@contoso.com");
  });

  it("rename a group, disable an account: Graph answers with the new values", async () => {
    expect((await c.admin("PATCH", "/__emulator/objects/Platform", { displayName: "Platform Team" })).status).toBe(200);
    const found = await c.get(`/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Platform Team'")}&$select=id`);
    expect(found.body.value).toEqual([{ id: "00000000-0000-0000-0000-0000000000f0" }]);
    expect((await c.admin("PATCH", "/__emulator/objects/cid@contoso.com", { accountEnabled: false })).status).toBe(200);
    const cid = (await readAll(c, `/v1.0/groups/${ROOT}/transitiveMembers?${SELECT}`)).values.find((v: Json) => v.displayName === "Cid");
    expect(cid.accountEnabled).toBe(false);
  });

  it("delete a user: gone from every group and 404 by id", async () => {
    await c.admin("POST", "/__emulator/objects", {
      users: [{ id: "00000000-0000-0000-0000-00000000a0ff", displayName: "Eve", userPrincipalName: "eve@contoso.com" }],
    });
    await c.admin("POST", "/__emulator/groups/Sales/members", { members: ["eve@contoso.com"] });
    await c.admin("POST", "/__emulator/groups/Eng/members", { members: ["eve@contoso.com"] });
    expect(await upns(ROOT)).toContain("eve@contoso.com");
    expect((await c.admin("DELETE", "/__emulator/objects/eve@contoso.com")).status).toBe(200);
    expect(await upns(ROOT)).not.toContain("eve@contoso.com");
    expect((await c.get(`/v1.0/users/00000000-0000-0000-0000-00000000a0ff`)).status).toBe(404);
  });

  it("bad edits are 400 with the reason: unknown reference, ambiguous name, unknown property, non-group", async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ["POST", "/__emulator/groups/Data/members", { members: ["nobody@contoso.com"] }, /no directory object is "nobody@contoso.com"/],
      ["POST", "/__emulator/groups/ann@contoso.com/members", { members: ["Data"] }, /is a user, not a group/],
      ["PATCH", "/__emulator/objects/Data", { colour: "red" }, /property "colour"/],
      ["POST", "/__emulator/objects", { users: [{ displayName: "No UPN" }] }, /needs a userPrincipalName/],
      ["POST", "/__emulator/objects", { widgets: [] }, /unknown key "widgets"/],
      ["POST", "/__emulator/objects", { groups: [{ id: "eng", displayName: "X" }] }, /not a GUID/],
    ];
    for (const [method, path, body, message] of cases) {
      const r = await c.admin(method, path, body);
      expect(r.status, path).toBe(400);
      expect(r.body.error).toMatch(message);
    }
    await c.admin("POST", "/__emulator/objects", { groups: [{ displayName: "Twin" }, { displayName: "Twin" }] });
    const ambiguous = await c.admin("POST", "/__emulator/groups/Root/members", { members: ["Twin"] });
    expect(ambiguous.body.error).toMatch(/names 2 objects/);
  });

  it("GET /__emulator/state round-trips through PUT (ids and memberships kept)", async () => {
    const before = (await c.admin("GET", "/__emulator/state")).body;
    const rootBefore = await upns(ROOT);
    expect((await c.admin("PUT", "/__emulator/state", { users: [{ displayName: "Solo", userPrincipalName: "solo@contoso.com" }] })).status).toBe(200);
    expect((await c.get(`/v1.0/groups/${ROOT}`)).status).toBe(404);
    expect((await c.admin("PUT", "/__emulator/state", before)).status).toBe(200);
    expect(await upns(ROOT)).toEqual(rootBefore);
    expect((await c.admin("GET", "/__emulator/state")).body).toEqual(before);
  });
});

describe("admin edits are all or nothing", () => {
  it("an added seed whose last group names an unknown member leaves nothing behind", async () => {
    const before = (await c.admin("GET", "/__emulator/state")).body;
    const r = await c.admin("POST", "/__emulator/objects", {
      users: [{ displayName: "Half", userPrincipalName: "half@contoso.com" }],
      groups: [{ displayName: "Halfway", members: ["half@contoso.com", "ghost@contoso.com"] }],
    });
    expect(r.status).toBe(400);
    expect((await c.admin("GET", "/__emulator/state")).body).toEqual(before);
  });
});
