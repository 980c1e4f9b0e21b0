// The workspace-host proxy of account SCIM (/api/2.0/account/scim/v2/{Users|Groups}), over real HTTP: account
// objects seen from a federated workspace's own host, whether or not they are assigned to it; read-only; the
// workspace's callers only; no proxy on a workspace without identity federation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroup, httpCall, URN_GROUP, type Json } from "./helpers";
import { accountUser, filterEq, names, startFederated, type FedClient } from "./federation-helpers";

describe("workspace-host proxy of account SCIM", () => {
  let c: FedClient;
  let proxy: (i: number, method: string, path: string, token?: string | null, body?: unknown) => Promise<{ status: number; body: Json }>;
  beforeAll(async () => {
    c = await startFederated({ workspaces: [{ federated: true }, { federated: false }] });
    const hosts = c.emu.workspaces ?? [];
    proxy = (i, method, path, token, body) =>
      httpCall(method, `${hosts[i]!.url}/api/2.0/account/scim/v2${path}`, body, { token: token === undefined ? c.emu.tokens.admin : token });
  });
  afterAll(() => c.close());

  it("lists an account group that is not assigned to the workspace, filtered by displayName, as the account lists it", async () => {
    const g = await createGroup(c, "proxy-unassigned", {}, "acc");
    // Not in the workspace's own SCIM: never assigned.
    expect(names((await c.wsAt(0, "GET", `/Groups${filterEq("displayName", "proxy-unassigned")}`)).body)).toEqual([]);
    const r = await proxy(0, "GET", `/Groups${filterEq("displayName", "proxy-unassigned")}&attributes=id,displayName`);
    expect(r.status).toBe(200);
    expect(r.body.totalResults).toBe(1);
    expect(r.body.Resources).toEqual([{ schemas: [URN_GROUP], id: g.id, displayName: "proxy-unassigned" }]);
    // Same answer as the account API (members left out of lists there too), by id as well.
    const viaAccount = await c.acc("GET", `/Groups${filterEq("displayName", "proxy-unassigned")}`);
    expect((await proxy(0, "GET", `/Groups${filterEq("displayName", "proxy-unassigned")}`)).body).toEqual(viaAccount.body);
    expect((await proxy(0, "GET", `/Groups/${g.id}`)).body).toEqual((await c.acc("GET", `/Groups/${g.id}`)).body);
    // A workspace-local group is not an account group: the proxy does not show it.
    await createGroup(c, "proxy-local-only", {}, "ws");
    expect((await proxy(0, "GET", `/Groups${filterEq("displayName", "proxy-local-only")}`)).body.totalResults).toBe(0);
  });

  it("lists account users too; service principals are not proxied", async () => {
    const u = await accountUser(c, "proxy-user@example.com");
    const r = await proxy(0, "GET", `/Users${filterEq("userName", "proxy-user@example.com")}`);
    expect(r.status).toBe(200);
    expect(r.body.Resources.map((x: Json) => x.id)).toEqual([u.id]);
    expect((await proxy(0, "GET", "/ServicePrincipals")).status).toBe(404);
  });

  it("is read-only", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const path = method === "POST" ? "/Groups" : "/Groups/1";
      const r = await proxy(0, method, path, undefined, { schemas: [URN_GROUP], displayName: "proxy-write" });
      expect(r.status, method).toBe(405);
    }
    expect((await c.acc("GET", `/Groups${filterEq("displayName", "proxy-write")}`)).body.totalResults).toBe(0);
  });

  it("takes the workspace's tokens: a non-admin sees ids and names only, an account token is refused", async () => {
    await createGroup(c, "proxy-for-users", {}, "acc");
    const asUser = await proxy(0, "GET", `/Groups${filterEq("displayName", "proxy-for-users")}`, c.emu.tokens.user);
    expect(asUser.status).toBe(200);
    expect(Object.keys(asUser.body.Resources[0]).sort()).toEqual(["displayName", "id", "schemas"]);
    expect((await proxy(0, "GET", `/Groups${filterEq("displayName", "proxy-for-users")}&attributes=externalId`, c.emu.tokens.user)).status).toBe(403);
    expect((await proxy(0, "GET", "/Groups", c.emu.tokens.accountAdmin)).status).toBe(403);
    expect((await proxy(0, "GET", "/Groups", null)).status).toBe(403);
  });

  it("answers 404 on a workspace without identity federation", async () => {
    await createGroup(c, "proxy-elsewhere", {}, "acc");
    const r = await proxy(1, "GET", `/Groups${filterEq("displayName", "proxy-elsewhere")}`);
    expect(r.status).toBe(404);
    expect(r.body.detail).toBe("Endpoint not supported.");
  });
});
