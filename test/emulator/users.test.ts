import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroup, createUser, scimError, startClient, URN_USER, URN_USER_WS, type Client } from "./helpers";

let c: Client;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.close());

describe("workspace users", () => {
  it("POST returns 201, Location, lower-cased userName, numeric id, both schemas, default active and email", async () => {
    const r = await c.ws("POST", "/Users", { schemas: [URN_USER], userName: "Alice@Example.COM", displayName: "Alice" });
    expect(r.status).toBe(201);
    expect(r.headers.get("content-type")).toBe("application/scim+json; charset=utf-8");
    const id = r.body.id as string;
    expect(id).toMatch(/^[1-9]\d{14,15}$/);
    expect(r.headers.get("location")).toBe(`${c.emu.workspaceUrl}/Users/${id}`);
    const users = await c.ws("GET", `/Groups?filter=displayName eq "users"`);
    const usersGroupId = users.body.Resources[0].id;
    expect(r.body).toEqual({
      schemas: [URN_USER, URN_USER_WS],
      id,
      userName: "alice@example.com",
      displayName: "Alice",
      active: true,
      emails: [{ type: "work", value: "alice@example.com", primary: true }],
      groups: [{ display: "users", type: "direct", value: usersGroupId, $ref: `Groups/${usersGroupId}` }],
    });
    const got = await c.ws("GET", `/Users/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);
  });

  it("409 on duplicate userName, case-insensitively, with the exact text and no scimType", async () => {
    await createUser(c, "dup@example.com");
    const r = await c.ws("POST", "/Users", { userName: "DUP@example.com" });
    expect(r.status).toBe(409);
    expect(r.body).toEqual(scimError(409, "User with username DUP@example.com already exists."));
  });

  it("400 without userName", async () => {
    const r = await c.ws("POST", "/Users", { displayName: "x" });
    expect(r.status).toBe(400);
    expect(r.body.status).toBe("400");
  });

  it("404 text for a missing user", async () => {
    const r = await c.ws("GET", "/Users/123456789012345");
    expect(r.status).toBe(404);
    expect(r.body).toEqual(scimError(404, "User with id 123456789012345 not found."));
  });

  it("non-numeric id segment → 400 Endpoint not supported.", async () => {
    const r = await c.ws("GET", "/Groups/admins");
    expect(r.status).toBe(400);
    expect(r.body).toEqual(scimError(400, "Endpoint not supported."));
  });

  it("workspace user create also creates the account user with the same id", async () => {
    const u = await createUser(c, "propagated@example.com");
    const r = await c.acc("GET", `/Users?filter=userName eq "propagated@example.com"`);
    expect(r.body.totalResults).toBe(1);
    expect(r.body.Resources[0]).toEqual({
      schemas: [URN_USER],
      id: u.id,
      userName: "propagated@example.com",
      active: true,
      emails: [{ type: "work", value: "propagated@example.com", primary: true }],
    });
    // Deletes do not propagate.
    expect((await c.ws("DELETE", `/Users/${u.id}`)).status).toBe(204);
    expect((await c.acc("GET", `/Users/${u.id}`)).status).toBe(200);
    expect((await c.ws("GET", `/Users/${u.id}`)).status).toBe(404);
  });

  it("PUT replaces, ignores userName and emails, clears omitted lists and groups", async () => {
    const u = await createUser(c, "put@example.com", {
      displayName: "Before",
      entitlements: [{ value: "allow-cluster-create" }],
      roles: [{ value: "arn:aws:iam::1:instance-profile/x" }],
      externalId: "ext-1",
    });
    const g = await createGroup(c, "put-group", { members: [{ value: u.id }] });
    const r = await c.ws("PUT", `/Users/${u.id}`, {
      schemas: [URN_USER],
      userName: "other@example.com",
      displayName: "After",
      emails: [{ value: "changed@example.com", primary: true }],
      active: false,
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({});
    const got = await c.ws("GET", `/Users/${u.id}`);
    const usersGroup = (await c.ws("GET", `/Groups?filter=displayName eq "users"`)).body.Resources[0];
    expect(got.body).toEqual({
      schemas: [URN_USER, URN_USER_WS],
      id: u.id,
      userName: "put@example.com",
      displayName: "After",
      active: false,
      emails: [{ type: "work", value: "put@example.com", primary: true }],
      // `users` is kept (nobody leaves it); put-group is gone because groups was omitted.
      groups: [{ display: "users", type: "direct", value: usersGroup.id, $ref: `Groups/${usersGroup.id}` }],
    });
    const group = await c.ws("GET", `/Groups/${g.id}`);
    expect(group.body.members).toBeUndefined();
  });

  it("PUT with groups/roles/entitlements (read-modify-write) keeps them", async () => {
    const u = await createUser(c, "rmw@example.com", { entitlements: [{ value: "workspace-access" }] });
    const g = await createGroup(c, "rmw-group", { members: [{ value: u.id }] });
    const read = await c.ws("GET", `/Users/${u.id}?attributes=groups,roles`);
    expect(read.body.groups.map((x: { value: string }) => x.value)).toContain(g.id);
    const r = await c.ws("PUT", `/Users/${u.id}`, {
      userName: "rmw@example.com",
      displayName: "RMW",
      groups: read.body.groups,
      entitlements: [{ value: "workspace-access" }],
      roles: [{ value: "arn:aws:iam::1:instance-profile/y" }],
    });
    expect(r.status).toBe(200);
    const got = await c.ws("GET", `/Users/${u.id}`);
    expect(got.body.groups.map((x: { value: string }) => x.value)).toContain(g.id);
    expect(got.body.entitlements).toEqual([{ value: "workspace-access" }]);
    expect(got.body.roles).toEqual([{ value: "arn:aws:iam::1:instance-profile/y" }]);
  });

  it("PUT on a missing user → 404", async () => {
    const r = await c.ws("PUT", "/Users/999999999999999", { userName: "x@example.com" });
    expect(r.status).toBe(404);
    expect(r.body).toEqual(scimError(404, "User with id 999999999999999 not found."));
  });

  it("DELETE → 204, removes from all groups, then 404", async () => {
    const u = await createUser(c, "gone@example.com");
    const g = await createGroup(c, "gone-group", { members: [{ value: u.id }] });
    const d = await c.ws("DELETE", `/Users/${u.id}`);
    expect(d.status).toBe(204);
    expect(d.text).toBe("");
    expect((await c.ws("GET", `/Groups/${g.id}`)).body.members).toBeUndefined();
    expect((await c.ws("DELETE", `/Users/${u.id}`)).status).toBe(404);
  });

  it("Me returns the caller with X-Databricks-Org-Id and honours excludedAttributes", async () => {
    const r = await c.ws("GET", "/Me?excludedAttributes=entitlements,groups");
    expect(r.status).toBe(200);
    expect(r.headers.get("x-databricks-org-id")).toBe(c.emu.workspaceId);
    expect(r.body.userName).toBe("admin@example.com");
    expect(r.body.groups).toBeUndefined();
    const full = await c.ws("GET", "/Me");
    expect(full.body.groups.map((g: { display: string }) => g.display).sort()).toEqual(["admins", "users"]);
    const onlyName = await c.ws("GET", "/Me?attributes=userName");
    expect(onlyName.body).toEqual({ schemas: [URN_USER, URN_USER_WS], id: full.body.id, userName: "admin@example.com" });
  });

  it("Me is not available at account level", async () => {
    const r = await c.acc("GET", "/Me");
    expect(r.status).toBe(404);
  });

  it("accepts application/scim+json with charset and application/json; rejects bad JSON with invalidSyntax", async () => {
    const a = await c.ws("POST", "/Users", { userName: "ct1@example.com" }, { contentType: "application/scim+json; charset=utf-8" });
    expect(a.status).toBe(201);
    const b = await c.ws("POST", "/Users", { userName: "ct2@example.com" }, { contentType: "application/json; charset=UTF-8" });
    expect(b.status).toBe(201);
    const bad = await c.ws("POST", "/Users", undefined, { rawBody: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(scimError(400, "Request is unparsable, syntactically incorrect, or violates schema.", "invalidSyntax"));
  });
});
