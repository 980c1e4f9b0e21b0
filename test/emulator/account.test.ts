import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroup, createSp, httpCall, patch, scimError, startClient, URN_GROUP, URN_SP, URN_USER, type Client, type Json } from "./helpers";

let c: Client;
beforeAll(async () => {
  c = await startClient({ cloud: "aws" }); // AWS rules for service principals (Azure has its own describe below)
});
afterAll(() => c.close());

describe("account level", () => {
  it("starts with `account users` holding every account user", async () => {
    const r = await c.acc("GET", `/Groups?filter=${encodeURIComponent('displayName eq "account users"')}`);
    expect(r.body.totalResults).toBe(1);
    const g = r.body.Resources[0];
    // Account group LIST omits members (since 2025-08-22); GET by id has them.
    expect(g).toEqual({ schemas: [URN_GROUP], id: g.id, displayName: "account users" });
    const full = await c.acc("GET", `/Groups/${g.id}`);
    expect(full.body.members).toHaveLength(3);
    expect(full.body.meta).toBeUndefined();
    expect(full.body.groups).toBeUndefined();
  });

  it("users: 201, account-user 409 text with the case-insensitivity note, roles, no groups/entitlements", async () => {
    const r = await c.acc("POST", "/Users", { schemas: [URN_USER], userName: "Acc.User@Example.com", roles: [{ value: "account_admin" }] });
    expect(r.status).toBe(201);
    expect(r.headers.get("location")).toBe(`${c.emu.accountUrl}/Users/${r.body.id}`);
    expect(r.body).toEqual({
      schemas: [URN_USER],
      id: r.body.id,
      userName: "acc.user@example.com",
      active: true,
      emails: [{ type: "work", value: "acc.user@example.com", primary: true }],
      roles: [{ value: "account_admin" }],
    });
    const dup = await c.acc("POST", "/Users", { userName: "ACC.USER@example.com" });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual(
      scimError(
        409,
        "User with email ACC.USER@example.com already exists in this account. Note: emails are case insensitive (i.e abc@domain.com and ABC@DOMAIN.COM are considered equivalent)",
      ),
    );
    // Not in the workspace.
    const ws = await c.ws("GET", `/Users?filter=${encodeURIComponent('userName eq "acc.user@example.com"')}`);
    expect(ws.body.totalResults).toBe(0);
  });

  it("entitlements are rejected in bodies and PATCH", async () => {
    const r = await c.acc("POST", "/Groups", { displayName: "acc-ent", entitlements: [{ value: "workspace-access" }] });
    expect(r.status).toBe(400);
    expect(r.body).toEqual(scimError(400, "Entitlements are not supported on account-level resources.", "invalidValue"));
    const g = await createGroup(c, "acc-ent-2", {}, "acc");
    const p = await c.acc("PATCH", `/Groups/${g.id}`, patch({ op: "replace", path: "entitlements", value: [{ value: "workspace-access" }] }));
    expect(p.status).toBe(400);
    expect(p.body).toEqual(scimError(400, "Entitlements are not supported on account-level resources.", "invalidPath"));
  });

  it("groups: members by pathless add; list omits members; GET has them", async () => {
    const u = (await c.acc("POST", "/Users", { userName: "member@example.com" })).body;
    const g = await createGroup(c, "acc-group", {}, "acc");
    const r = await c.acc("PATCH", `/Groups/${g.id}`, patch({ op: "add", value: { members: [{ value: u.id }] } }));
    expect(r.status).toBe(200);
    const got = (await c.acc("GET", `/Groups/${g.id}`)).body;
    expect(got).toEqual({
      schemas: [URN_GROUP],
      id: g.id,
      displayName: "acc-group",
      members: [{ value: u.id, $ref: `Users/${u.id}`, display: "member@example.com" }],
    });
    const list = (await c.acc("GET", `/Groups?filter=${encodeURIComponent('displayName eq "acc-group"')}`)).body;
    expect(list.Resources[0].members).toBeUndefined();
    // Workspace members cannot be used at account level and vice versa.
    const wsUser = (await c.ws("POST", "/Users", { userName: "wsonly@example.com" })).body;
    const wsGroup = await createGroup(c, "ws-group");
    const bad = await c.ws("PATCH", `/Groups/${wsGroup.id}`, patch({ op: "add", path: "members", value: [{ value: g.id }] }));
    expect(bad.status).toBe(400);
    expect(wsUser.id).toBeDefined();
  });

  it("roles add via pathless add on account users (SDK TestAccAccountUsers form)", async () => {
    const u = (await c.acc("POST", "/Users", { userName: "roleme@example.com" })).body;
    await c.acc("PATCH", `/Users/${u.id}`, patch({ op: "add", value: { roles: [{ value: "account_admin" }] } }));
    expect((await c.acc("GET", `/Users/${u.id}`)).body.roles).toEqual([{ value: "account_admin" }]);
  });

  it("service principals: generated applicationId, no entitlements/groups", async () => {
    const sp = await createSp(c, "acc-sp", {}, "acc");
    expect(sp).toEqual({ schemas: [URN_SP], id: sp.id, applicationId: sp.applicationId, displayName: "acc-sp", active: true });
  });

  it("the /api/2.1/accounts prefix works too", async () => {
    const url = `${c.emu.url}/api/2.1/accounts/${c.emu.accountId}/scim/v2/Users?count=1`;
    const r = await httpCall("GET", url, undefined, { token: c.emu.tokens.accountAdmin });
    expect(r.status).toBe(200);
    expect(r.body.itemsPerPage).toBe(1);
  });
});

describe("account options", () => {
  let o: Client;
  beforeAll(async () => {
    o = await startClient({
      cloud: "azure",
      accountServicePrincipalConflictText: "user",
      accountUserConflictNote: false,
      accountListGroupsIncludeMembers: true,
    });
  });
  afterAll(() => o.close());

  it("switchable 409 texts and list members", async () => {
    const appId = "11111111-2222-3333-4444-555555555555";
    expect((await o.acc("POST", "/ServicePrincipals", { applicationId: appId })).status).toBe(201);
    const dup = await o.acc("POST", "/ServicePrincipals", { applicationId: appId });
    expect(dup.body).toEqual(scimError(409, `User with email ${appId} already exists in this account`));
    const list = await o.acc("GET", "/Groups");
    expect((list.body.Resources as Json[])[0].members.length).toBeGreaterThan(0);
  });
});
