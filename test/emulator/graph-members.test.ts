// Graph emulator over real HTTPS: groups by id and by name, direct vs transitive members through 3 levels of
// nesting, $select, guests, disabled accounts, service principals, devices and contacts, casts and $count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAll, startGraph, TREE_SEED, type GraphClient, type Json } from "./graph-helpers";

const ID = {
  root: "00000000-0000-0000-0000-0000000000a0",
  eng: "00000000-0000-0000-0000-0000000000e0",
  sales: "00000000-0000-0000-0000-000000000050",
  ann: "00000000-0000-0000-0000-00000000a001",
  sp: "00000000-0000-0000-0000-00000000b001",
};
const SELECT = "$select=id,displayName,userPrincipalName,appId,accountEnabled,mail,userType";

let c: GraphClient;
beforeAll(async () => {
  // Directory.Read.All reads every kind in full; what narrower permissions see is in graph-auth.test.ts.
  c = await startGraph({
    seed: structuredClone(TREE_SEED),
    apps: [{ clientId: "reader-app", clientSecret: "reader-secret-1", permissions: ["Directory.Read.All"] }],
  });
});
afterAll(async () => c.close());

const names = (values: Json[]): string[] => values.map((v) => v.displayName as string).sort();

describe("groups", () => {
  it("finds a group by displayName (case-insensitive, quotes doubled) and by id", async () => {
    const byName = await c.get(`/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'eng'")}&$select=id,displayName`);
    expect(byName.status).toBe(200);
    expect(byName.body.value).toEqual([{ id: ID.eng, displayName: "Eng" }]);
    expect(byName.body["@odata.context"]).toContain("$metadata#groups(id,displayName)");
    const quoted = await c.get(`/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'O''Brien''s team'")}`);
    expect(quoted.body.value.map((g: Json) => g.displayName)).toEqual(["O'Brien's team"]);
    const none = await c.get(`/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Nobody'")}`);
    expect(none.body.value).toEqual([]);
    const byId = await c.get(`/v1.0/groups/${ID.root}?$select=id,displayName,securityEnabled,mailEnabled,groupTypes`);
    expect(byId.body).toEqual({
      "@odata.context": `${c.emu.url}/v1.0/$metadata#groups/$entity`,
      id: ID.root,
      displayName: "Root",
      securityEnabled: true,
      mailEnabled: false,
      groupTypes: [],
    });
  });

  it("an unknown group is 404 Request_ResourceNotFound in Graph's error shape", async () => {
    const gone = "99999999-9999-9999-9999-999999999999";
    for (const path of [`/v1.0/groups/${gone}`, `/v1.0/groups/${gone}/members`, `/v1.0/groups/${gone}/transitiveMembers`]) {
      const r = await c.get(path, { headers: { "client-request-id": "crid-1" } });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe("Request_ResourceNotFound");
      expect(r.body.error.message).toBe(`Resource '${gone}' does not exist or one of its queried reference-property objects are not present.`);
      expect(Object.keys(r.body.error.innerError).sort()).toEqual(["client-request-id", "date", "request-id"]);
      expect(r.body.error.innerError["client-request-id"]).toBe("crid-1");
    }
  });

  it("a malformed group id is 400 Request_BadRequest, not 404", async () => {
    const r = await c.get(`/v1.0/groups/Eng/members`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: "Request_BadRequest", message: "Invalid object identifier 'Eng'." });
  });

  it("a filter on a property Graph cannot filter is 400 Request_UnsupportedQuery (more in graph-queries.test.ts)", async () => {
    const r = await c.get(`/v1.0/groups?$filter=${encodeURIComponent("createdDateTime ge 2021-11-01")}`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("Request_UnsupportedQuery");
  });
});

describe("members", () => {
  it("direct members: only the first level, nested groups as #microsoft.graph.group, every object typed", async () => {
    const r = await c.get(`/beta/groups/${ID.root}/members?${SELECT}`);
    expect(r.status).toBe(200);
    expect(r.body.value.map((v: Json) => v["@odata.type"])).toEqual([
      "#microsoft.graph.group",
      "#microsoft.graph.group",
      "#microsoft.graph.servicePrincipal",
      "#microsoft.graph.device",
    ]);
    expect(names(r.body.value)).toEqual(["Eng", "LAPTOP-7", "Sales", "etl-bot"]);
  });

  it("v1.0 /members leaves service principals out (Graph's known issue); /beta and transitiveMembers list them", async () => {
    const v1 = await c.get(`/v1.0/groups/${ID.root}/members?${SELECT}`);
    expect(names(v1.body.value)).toEqual(["Eng", "LAPTOP-7", "Sales"]);
    const trans = await c.get(`/v1.0/groups/${ID.root}/transitiveMembers?${SELECT}`);
    expect(trans.body.value.some((v: Json) => v.appId === "11111111-2222-3333-4444-555555555555")).toBe(true);
  });

  it("transitive members through 3 levels: each object once (Ann is in two branches), nested groups included", async () => {
    const r = await readAll(c, `/v1.0/groups/${ID.root}/transitiveMembers?${SELECT}&$top=999`);
    const ids = r.values.map((v) => v.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id === ID.ann)).toHaveLength(1);
    expect(names(r.values)).toEqual(["Ann", "Bob", "Cid", "Data", "Eng", "Gus Guest", "LAPTOP-7", "Platform", "Sales", "Vendor Contact", "etl-bot"]);
    const byType = (t: string): string[] => names(r.values.filter((v) => v["@odata.type"] === `#microsoft.graph.${t}`));
    expect(byType("user")).toEqual(["Ann", "Bob", "Cid", "Gus Guest"]);
    expect(byType("group")).toEqual(["Data", "Eng", "Platform", "Sales"]);
    expect(byType("servicePrincipal")).toEqual(["etl-bot"]);
    expect(byType("device")).toEqual(["LAPTOP-7"]);
    expect(byType("orgContact")).toEqual(["Vendor Contact"]);
    // A middle group's transitive members are its subtree only.
    const eng = await readAll(c, `/v1.0/groups/${ID.eng}/transitiveMembers?$select=displayName`);
    expect(names(eng.values)).toEqual(["Ann", "Bob", "Cid", "Data", "Platform", "Vendor Contact"]);
  });

  it("$select: named properties only (absent on a type → left out); without it users get the default set", async () => {
    const sel = await c.get(`/v1.0/groups/${ID.sales}/members?$select=displayName,accountEnabled`);
    for (const v of sel.body.value) expect(Object.keys(v).sort()).toEqual(["@odata.type", "accountEnabled", "displayName"]);
    const dev = await c.get(`/v1.0/groups/${ID.root}/members?$select=userPrincipalName,operatingSystem`);
    const laptop = dev.body.value.find((v: Json) => v["@odata.type"] === "#microsoft.graph.device");
    expect(laptop).toEqual({ "@odata.type": "#microsoft.graph.device", operatingSystem: "Windows" });
    const plain = await c.get(`/v1.0/groups/${ID.sales}/members`);
    const ann = plain.body.value.find((v: Json) => v.id === ID.ann);
    expect(ann).not.toHaveProperty("accountEnabled");
    expect(ann).not.toHaveProperty("userType");
    expect(ann).toMatchObject({ userPrincipalName: "ann@contoso.com", mail: "ann@contoso.com", jobTitle: null });
    const bad = await c.get(`/v1.0/groups/${ID.sales}/members?$select=nosuchprop`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("Request_BadRequest");
  });

  it("guests carry #EXT# UPNs, userType Guest and their real mail; disabled accounts accountEnabled false", async () => {
    const r = await readAll(c, `/v1.0/groups/${ID.root}/transitiveMembers?${SELECT}`);
    const gus = r.values.find((v) => v.displayName === "Gus Guest");
    expect(gus).toMatchObject({
      userPrincipalName: "gus_fabrikam.com#EXT#@contoso.onmicrosoft.com",
      mail: "gus@fabrikam.com",
      userType: "Guest",
      accountEnabled: true,
    });
    expect(r.values.find((v) => v.displayName === "Bob")).toMatchObject({ accountEnabled: false, userType: "Member" });
    expect(r.values.find((v) => v.displayName === "Cid")).toMatchObject({ mail: null });
  });

  it("casts and $count need ConsistencyLevel: eventual (+ $count=true); then they filter and count", async () => {
    const eventual = { consistencylevel: "eventual" };
    const noHeader = await c.get(`/v1.0/groups/${ID.root}/transitiveMembers/microsoft.graph.user?$count=true`);
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.error.code).toBe("Request_UnsupportedQuery");
    const users = await c.get(`/v1.0/groups/${ID.root}/transitiveMembers/microsoft.graph.user?$count=true&$select=displayName`, { headers: eventual });
    expect(users.status).toBe(200);
    expect(users.body["@odata.count"]).toBe(4);
    expect(names(users.body.value)).toEqual(["Ann", "Bob", "Cid", "Gus Guest"]);
    const sps = await c.get(`/v1.0/groups/${ID.root}/transitiveMembers/microsoft.graph.servicePrincipal?$count=true&$select=appId`, { headers: eventual });
    expect(sps.body.value).toEqual([{ "@odata.type": "#microsoft.graph.servicePrincipal", appId: "11111111-2222-3333-4444-555555555555" }]);
    const count = await c.get(`/v1.0/groups/${ID.root}/transitiveMembers/$count`, { headers: eventual });
    expect(count.status).toBe(200);
    expect(count.headers.get("content-type")).toContain("text/plain");
    expect(count.text).toBe("11");
    const userCount = await c.get(`/v1.0/groups/${ID.root}/transitiveMembers/microsoft.graph.user/$count`, { headers: eventual });
    expect([userCount.status, userCount.text]).toEqual([200, "4"]);
    const countNoHeader = await c.get(`/v1.0/groups/${ID.root}/transitiveMembers/$count`);
    expect(countNoHeader.status).toBe(400);
    expect(countNoHeader.body.error.message).toBe("$count is not currently supported.");
    // Without the header ?$count=true is silently ignored.
    const ignored = await c.get(`/v1.0/groups/${ID.root}/transitiveMembers?$count=true`);
    expect(ignored.status).toBe(200);
    expect(ignored.body).not.toHaveProperty("@odata.count");
  });

  it("users and service principals by id, UPN and appId filter", async () => {
    const u = await c.get(`/v1.0/users/ann@contoso.com?$select=id,accountEnabled`);
    expect(u.body).toMatchObject({ id: ID.ann, accountEnabled: true });
    const sp = await c.get(`/v1.0/servicePrincipals?$filter=${encodeURIComponent("appId eq '11111111-2222-3333-4444-555555555555'")}&$select=id,appId`);
    expect(sp.body.value).toEqual([{ id: ID.sp, appId: "11111111-2222-3333-4444-555555555555" }]);
    const missing = await c.get(`/v1.0/users/nobody@contoso.com`);
    expect(missing.status).toBe(404);
  });
});
