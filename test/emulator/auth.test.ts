import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroup, patch, scimError, startClient, URN_GROUP, URN_USER, URN_USER_WS, type Client } from "./helpers";

let c: Client;
beforeAll(async () => {
  c = await startClient({ tokens: { admin: "dapi-admin-fixed", user: "dapi-user-fixed", accountAdmin: "dapi-acc-fixed" } });
});
afterAll(() => c.close());

const INVALID_TOKEN = { error_code: 403, message: "Invalid access token." };

describe("tokens", () => {
  it("configured tokens are used", () => {
    expect(c.emu.tokens).toEqual({ admin: "dapi-admin-fixed", user: "dapi-user-fixed", accountAdmin: "dapi-acc-fixed" });
  });

  it("missing and unknown tokens → 403 gateway shape with X-Databricks-Reason-Phrase", async () => {
    for (const token of [null, "dapi-wrong"]) {
      const r = await c.ws("GET", "/Users", undefined, { token });
      expect(r.status).toBe(403);
      expect(r.body).toEqual(INVALID_TOKEN);
      expect(r.headers.get("x-databricks-reason-phrase")).toBe("Invalid access token.");
      expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    }
    const acc = await c.acc("GET", "/Users", undefined, { token: "dapi-wrong" });
    expect(acc.body).toEqual(INVALID_TOKEN);
  });

  it("workspace tokens are rejected on account endpoints and the account token on workspace endpoints", async () => {
    expect((await c.acc("GET", "/Users", undefined, { token: c.emu.tokens.admin })).body).toEqual(INVALID_TOKEN);
    expect((await c.acc("GET", "/Users", undefined, { token: c.emu.tokens.user })).body).toEqual(INVALID_TOKEN);
    const r = await c.ws("GET", "/Me", undefined, { token: c.emu.tokens.accountAdmin });
    expect(r.status).toBe(403);
    expect(r.body).toEqual(INVALID_TOKEN);
  });

  it("wrong account id in the path → 403 (never 404)", async () => {
    const url = c.emu.url + "/api/2.0/accounts/00000000-0000-0000-0000-000000000000/scim/v2/Users";
    const r = await c.raw("GET", url, undefined, { token: c.emu.tokens.accountAdmin });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({
      error_code: "PERMISSION_DENIED",
      message: "Caller is not authorized to access account 00000000-0000-0000-0000-000000000000.",
    });
  });
});

describe("non-admin workspace user", () => {
  const as = { token: "dapi-user-fixed" };

  it("may call /Me", async () => {
    const r = await c.ws("GET", "/Me", undefined, as);
    expect(r.status).toBe(200);
    expect(r.body.userName).toBe("user@example.com");
  });

  it("lists Users with only userName, displayName, id", async () => {
    const r = await c.ws("GET", "/Users?count=100", undefined, as);
    expect(r.status).toBe(200);
    for (const u of r.body.Resources) expect(Object.keys(u).sort()).toEqual(["displayName", "id", "schemas", "userName"]);
    const admin = r.body.Resources.find((u: { userName: string }) => u.userName === "admin@example.com");
    expect(admin).toEqual({ schemas: [URN_USER, URN_USER_WS], id: admin.id, userName: "admin@example.com", displayName: "Workspace Admin" });
  });

  it("lists Groups with only displayName, id", async () => {
    const r = await c.ws("GET", `/Groups?filter=${encodeURIComponent('displayName eq "admins"')}`, undefined, as);
    expect(r.status).toBe(200);
    expect(r.body.Resources).toEqual([{ schemas: [URN_GROUP], id: r.body.Resources[0].id, displayName: "admins" }]);
  });

  it("asking for more attributes than allowed → 403", async () => {
    const r = await c.ws("GET", "/Groups?attributes=displayName,externalId", undefined, as);
    expect(r.status).toBe(403);
    expect(r.body).toEqual(scimError(403, "/2.0/preview/scim/v2/Groups is only accessible by admins"));
  });

  it("everything else → 403 with the spec text", async () => {
    const g = await createGroup(c, "na-group");
    const r = await c.ws("GET", `/Groups/${g.id}`, undefined, as);
    expect(r.status).toBe(403);
    expect(r.body).toEqual(scimError(403, `/2.0/preview/scim/v2/Groups/${g.id} is only accessible by admins`));
    const cases: [string, string, unknown][] = [
      ["POST", "/Users", { userName: "x@example.com" }],
      ["POST", "/Groups", { displayName: "x" }],
      ["GET", "/ServicePrincipals", undefined],
      ["PATCH", `/Groups/${g.id}`, patch({ op: "replace", path: "displayName", value: "y" })],
      ["DELETE", `/Groups/${g.id}`, undefined],
    ];
    for (const [method, path, body] of cases) {
      const res = await c.ws(method, path, body, as);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body).toEqual(scimError(403, `/2.0/preview/scim/v2${path} is only accessible by admins`));
    }
    expect((await c.ws("GET", `/Groups/${g.id}`)).body.displayName).toBe("na-group");
  });

  it("becomes admin when added to admins (even indirectly), and loses workspace access without entitlements", async () => {
    const me = (await c.ws("GET", "/Me", undefined, as)).body;
    const admins = (await c.ws("GET", `/Groups?filter=${encodeURIComponent('displayName eq "admins"')}`)).body.Resources[0];
    const nested = await createGroup(c, "nested-admins", { members: [{ value: me.id }] });
    await c.ws("PATCH", `/Groups/${admins.id}`, patch({ op: "add", path: "members", value: [{ value: nested.id }] }));
    expect((await c.ws("GET", "/ServicePrincipals", undefined, as)).status).toBe(200);
    await c.ws("PATCH", `/Groups/${admins.id}`, patch({ op: "remove", path: `members[value eq "${nested.id}"]` }));
    expect((await c.ws("GET", "/ServicePrincipals", undefined, as)).status).toBe(403);
    // Without workspace-access/databricks-sql-access on `users`, the non-admin is shut out by the gateway.
    const users = (await c.ws("GET", `/Groups?filter=${encodeURIComponent('displayName eq "users"')}`)).body.Resources[0];
    await c.ws("PATCH", `/Groups/${users.id}`, patch({ op: "replace", path: "entitlements", value: [{}] }));
    const shut = await c.ws("GET", "/Me", undefined, as);
    expect(shut.status).toBe(403);
    expect(shut.body).toEqual({
      error_code: 403,
      message:
        "This API is disabled for users without the databricks-sql-access or workspace-access entitlements. Contact your administrator for more information.",
    });
    await c.ws("PATCH", `/Groups/${users.id}`, patch({ op: "add", path: "entitlements", value: [{ value: "workspace-access" }] }));
    expect((await c.ws("GET", "/Me", undefined, as)).status).toBe(200);
  });

  it("a deactivated user's token stops working", async () => {
    const me = (await c.ws("GET", "/Me", undefined, as)).body;
    await c.ws("PATCH", `/Users/${me.id}`, patch({ op: "replace", path: "active", value: false }));
    expect((await c.ws("GET", "/Me", undefined, as)).body).toEqual(INVALID_TOKEN);
    await c.ws("PATCH", `/Users/${me.id}`, patch({ op: "replace", path: "active", value: true }));
    expect((await c.ws("GET", "/Me", undefined, as)).status).toBe(200);
  });
});
