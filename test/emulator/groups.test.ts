import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroup, createSp, createUser, patch, scimError, startClient, URN_GROUP, type Client, type Json } from "./helpers";

let c: Client;
beforeAll(async () => {
  c = await startClient({ cloud: "aws" }); // AWS rules for service principals (Azure has its own describe below)
});
afterAll(() => c.close());

async function groupByName(name: string): Promise<Json> {
  const r = await c.ws("GET", `/Groups?filter=displayName eq "${name}"`);
  return r.body.Resources[0];
}

describe("workspace groups", () => {
  it("reserved groups exist from the start; the admin token's user is in admins", async () => {
    const admins = await groupByName("admins");
    const users = await groupByName("users");
    const me = (await c.ws("GET", "/Me")).body;
    expect(admins.members).toEqual([{ value: me.id, $ref: `Users/${me.id}`, display: "Workspace Admin" }]);
    expect(admins.meta).toEqual({ resourceType: "WorkspaceGroup" });
    expect(users.entitlements).toEqual([{ value: "workspace-access" }, { value: "databricks-sql-access" }]);
    expect(users.members).toHaveLength(2);
  });

  it("reserved groups cannot be created again, renamed or deleted", async () => {
    const dup = await c.ws("POST", "/Groups", { displayName: "admins" });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual(scimError(409, "Group with name admins already exists."));
    const admins = await groupByName("admins");
    const del = await c.ws("DELETE", `/Groups/${admins.id}`);
    expect(del.status).toBe(400);
    const ren = await c.ws("PATCH", `/Groups/${admins.id}`, patch({ op: "replace", path: "displayName", value: "x" }));
    expect(ren.status).toBe(400);
    expect((await groupByName("admins")).id).toBe(admins.id);
  });

  it("POST with members: members carry $ref by type and display", async () => {
    const u = await createUser(c, "m1@example.com", { displayName: "Member One" });
    const sp = await createSp(c, "robot");
    const child = await createGroup(c, "child-a");
    const g = await createGroup(c, "parent-a", { members: [{ value: u.id }, { value: sp.id }, { value: child.id }] });
    expect(g.schemas).toEqual([URN_GROUP]);
    expect(g.members).toEqual([
      { value: u.id, $ref: `Users/${u.id}`, display: "Member One" },
      { value: sp.id, $ref: `ServicePrincipals/${sp.id}`, display: "robot" },
      { value: child.id, $ref: `Groups/${child.id}`, display: "child-a" },
    ]);
    const childNow = (await c.ws("GET", `/Groups/${child.id}`)).body;
    expect(childNow.groups).toEqual([{ display: "parent-a", type: "direct", value: g.id, $ref: `Groups/${g.id}` }]);
    const spNow = (await c.ws("GET", `/ServicePrincipals/${sp.id}`)).body;
    expect(spNow.groups.map((x: Json) => x.display).sort()).toEqual(["parent-a", "users"]);
  });

  it("POST with an unknown member id → 400", async () => {
    const r = await c.ws("POST", "/Groups", { displayName: "bad-members", members: [{ value: "111111111111111" }] });
    expect(r.status).toBe(400);
    expect(r.body).toEqual(scimError(400, "Member with id 111111111111111 not found.", "invalidValue"));
    expect((await c.ws("GET", `/Groups?filter=displayName eq "bad-members"`)).body.totalResults).toBe(0);
  });

  it("duplicate displayName → 409, case-insensitively", async () => {
    await createGroup(c, "Data Team");
    const r = await c.ws("POST", "/Groups", { displayName: "data team" });
    expect(r.status).toBe(409);
    expect(r.body).toEqual(scimError(409, "Group with name data team already exists."));
  });

  it("direct and indirect groups, three levels deep, for users and groups", async () => {
    const u = await createUser(c, "deep@example.com");
    const g1 = await createGroup(c, "deep-1", { members: [{ value: u.id }] });
    const g2 = await createGroup(c, "deep-2", { members: [{ value: g1.id }] });
    const g3 = await createGroup(c, "deep-3", { members: [{ value: g2.id }] });
    const usersGroup = await groupByName("users");
    const got = (await c.ws("GET", `/Users/${u.id}?attributes=groups`)).body;
    const byId = Object.fromEntries(got.groups.map((x: Json) => [x.value, x]));
    expect(byId[g1.id]).toEqual({ display: "deep-1", type: "direct", value: g1.id, $ref: `Groups/${g1.id}` });
    expect(byId[g2.id]).toEqual({ display: "deep-2", type: "indirect", value: g2.id, $ref: `Groups/${g2.id}` });
    expect(byId[g3.id]).toEqual({ display: "deep-3", type: "indirect", value: g3.id, $ref: `Groups/${g3.id}` });
    expect(byId[usersGroup.id].type).toBe("direct");
    expect(got.groups).toHaveLength(4);
    const g1Now = (await c.ws("GET", `/Groups/${g1.id}`)).body;
    expect(g1Now.groups).toEqual([
      { display: "deep-2", type: "direct", value: g2.id, $ref: `Groups/${g2.id}` },
      { display: "deep-3", type: "indirect", value: g3.id, $ref: `Groups/${g3.id}` },
    ]);
  });

  it("deleting a group removes it from other groups' members and from users' groups", async () => {
    const u = await createUser(c, "casc@example.com");
    const inner = await createGroup(c, "casc-inner", { members: [{ value: u.id }] });
    const outer = await createGroup(c, "casc-outer", { members: [{ value: inner.id }] });
    expect((await c.ws("DELETE", `/Groups/${inner.id}`)).status).toBe(204);
    expect((await c.ws("GET", `/Groups/${outer.id}`)).body.members).toBeUndefined();
    const groups = (await c.ws("GET", `/Users/${u.id}`)).body.groups.map((x: Json) => x.display);
    expect(groups).toEqual(["users"]);
    const again = await c.ws("GET", `/Groups/${inner.id}`);
    expect(again.body).toEqual(scimError(404, `Group with id ${inner.id} not found.`));
  });

  it("PUT renames and replaces members; omitted members are cleared; 409 on a taken name", async () => {
    const u = await createUser(c, "gput@example.com");
    const g = await createGroup(c, "gput", { members: [{ value: u.id }], entitlements: [{ value: "allow-cluster-create" }] });
    await createGroup(c, "taken-name");
    const taken = await c.ws("PUT", `/Groups/${g.id}`, { displayName: "Taken-Name", members: [{ value: u.id }] });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual(scimError(409, "Group with name Taken-Name already exists."));
    const keep = await c.ws("PUT", `/Groups/${g.id}`, {
      displayName: "gput-renamed",
      members: [{ value: u.id }],
      entitlements: [{ value: "allow-cluster-create" }],
    });
    expect(keep.status).toBe(200);
    let now = (await c.ws("GET", `/Groups/${g.id}`)).body;
    expect(now.displayName).toBe("gput-renamed");
    expect(now.members.map((m: Json) => m.value)).toEqual([u.id]);
    expect(now.entitlements).toEqual([{ value: "allow-cluster-create" }]);
    await c.ws("PUT", `/Groups/${g.id}`, { displayName: "gput-renamed" });
    now = (await c.ws("GET", `/Groups/${g.id}`)).body;
    expect(now.members).toBeUndefined();
    expect(now.entitlements).toBeUndefined();
  });
});

describe("service principals (aws)", () => {
  it("applicationId is generated; client may not set it; displayName required", async () => {
    const sp = await createSp(c, "gen-sp");
    expect(sp.applicationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(sp.active).toBe(true);
    const set = await c.ws("POST", "/ServicePrincipals", { displayName: "x", applicationId: "00000000-0000-0000-0000-000000000001" });
    expect(set.status).toBe(400);
    const noName = await c.ws("POST", "/ServicePrincipals", {});
    expect(noName.status).toBe(400);
    const found = await c.ws("GET", `/ServicePrincipals?filter=applicationId eq "${sp.applicationId.toUpperCase()}"`);
    expect(found.body.Resources.map((x: Json) => x.id)).toEqual([sp.id]);
    const put = await c.ws("PUT", `/ServicePrincipals/${sp.id}`, { displayName: "gen-sp", applicationId: "00000000-0000-0000-0000-000000000009" });
    expect(put.status).toBe(400);
    expect(put.body.scimType).toBe("mutability");
    const del = await c.ws("DELETE", `/ServicePrincipals/${sp.id}`);
    expect(del.status).toBe(204);
    expect((await c.ws("GET", `/ServicePrincipals/${sp.id}`)).body).toEqual(scimError(404, `Service principal with id ${sp.id} not found.`));
  });
});

describe("service principals (azure)", () => {
  let az: Client;
  beforeAll(async () => {
    az = await startClient({ cloud: "azure" });
  });
  afterAll(() => az.close());

  // Issue 24: Azure Databricks has both kinds of service principal. Without applicationId it is Databricks-managed
  // (the server generates the id; displayName required); this test used to assert the old refusal.
  it("without applicationId: Databricks-managed, generated id, displayName required (also on PUT/PATCH)", async () => {
    const managed = await az.ws("POST", "/ServicePrincipals", { displayName: "no-app" });
    expect(managed.status).toBe(201);
    expect(managed.body.applicationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(managed.body.displayName).toBe("no-app");
    const other = await az.ws("POST", "/ServicePrincipals", { displayName: "no-app" });
    expect(other.body.applicationId).not.toBe(managed.body.applicationId);
    const noName = await az.ws("POST", "/ServicePrincipals", {});
    expect(noName.body).toEqual(scimError(400, "displayName is required for a Databricks-managed service principal.", "invalidValue"));
    const empty = await az.ws("POST", "/ServicePrincipals", { applicationId: "", displayName: "x" });
    expect(empty.status).toBe(400);
    expect(empty.body.detail).toContain("omit it for a Databricks-managed service principal");
    const drop = await az.ws("PATCH", `/ServicePrincipals/${managed.body.id}`, patch({ op: "remove", path: "displayName" }));
    expect(drop.body).toEqual(scimError(400, "displayName is required.", "invalidValue"));
    const put = await az.ws("PUT", `/ServicePrincipals/${managed.body.id}`, { applicationId: managed.body.applicationId });
    expect(put.body).toEqual(scimError(400, "displayName is required.", "invalidValue"));
  });

  it("with applicationId: Entra ID-managed, displayName optional; duplicates → 409; it is immutable", async () => {
    const nameless = await az.ws("POST", "/ServicePrincipals", { applicationId: "0a1b2c3d-0000-4e5f-9a7b-1c2d3e4f5a6b" });
    expect(nameless.status).toBe(201);
    expect((await az.ws("PATCH", `/ServicePrincipals/${nameless.body.id}`, patch({ op: "remove", path: "displayName" }))).status).toBe(200);
    const appId = "6f1b0c3e-8d2a-4e5f-9a7b-1c2d3e4f5a6b";
    const ok = await az.ws("POST", "/ServicePrincipals", { applicationId: appId, displayName: "az" });
    expect(ok.status).toBe(201);
    expect(ok.body.applicationId).toBe(appId);
    const dup = await az.ws("POST", "/ServicePrincipals", { applicationId: appId, displayName: "az2" });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual(scimError(409, `Service principal with application ID ${appId} already exists.`));
    const change = await az.ws(
      "PATCH",
      `/ServicePrincipals/${ok.body.id}`,
      patch({ op: "replace", path: "applicationId", value: "6f1b0c3e-0000-4e5f-9a7b-1c2d3e4f5a6b" }),
    );
    expect(change.status).toBe(400);
    expect(change.body.scimType).toBe("mutability");
    const same = await az.ws("PATCH", `/ServicePrincipals/${ok.body.id}`, patch({ op: "replace", path: "applicationId", value: appId }));
    expect(same.status).toBe(200);
  });
});
