import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScimClient, UnsupportedOperationError, eq, and, patch, staticToken, InvalidArgumentError, InvalidResponseError } from "../../../provider/client";
import { SOURCE, TOKEN, WS, clientFor, listResponse, rejectionOf, startServer, type TestServer } from "./helpers";

let server: TestServer;
let client: ScimClient;

beforeEach(async () => {
  server = await startServer((req) => {
    if (req.method === "POST") return { status: 201, body: { ...(req.json as object), id: "101" } };
    if (req.method === "DELETE") return { status: 204 };
    if (req.method === "PATCH") return { status: 200, body: {} };
    if (req.method === "PUT") return { status: 200, body: { ...(req.json as object), id: "101" } };
    if (req.url.includes("?") && /\/(Users|Groups|ServicePrincipals)\?/.test(req.url)) return { status: 200, body: listResponse([], 1, 0) };
    return { status: 200, body: { id: "101", userName: "a@b.com" }, headers: { "x-databricks-org-id": "987" } };
  });
  client = clientFor(server);
});
afterEach(async () => {
  await client.close();
  await server.close();
});

describe("wire format", () => {
  it("create sends POST with JSON body, default schemas, scim+json content type, accept and bearer token", async () => {
    const u = await client.users.create({ userName: "a@b.com", displayName: "A" });
    expect(u.id).toBe("101");
    const r = server.requests[0]!;
    expect(r.method).toBe("POST");
    expect(r.url).toBe(`${WS}/Users`);
    expect(r.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
    expect(r.headers["accept"]).toBe("application/json");
    expect(r.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
    expect(r.headers["user-agent"]).toMatch(/^pulumi-databricks-scim\/\d/);
    expect(r.headers["x-databricks-workspace-id"]).toBeUndefined();
    expect(r.json).toEqual({ userName: "a@b.com", displayName: "A", schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"] });
  });

  it("keeps caller-provided schemas and uses the right collection and schema per resource", async () => {
    await client.groups.create({ displayName: "g" });
    await client.servicePrincipals.create({ displayName: "sp", applicationId: "00000000-0000-0000-0000-000000000001" });
    await client.users.create({
      userName: "x@y.z",
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:workspace:2.0:User"],
    });
    expect(server.requests.map((r) => r.url)).toEqual([`${WS}/Groups`, `${WS}/ServicePrincipals`, `${WS}/Users`]);
    expect((server.requests[0]!.json as { schemas: string[] }).schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:Group"]);
    expect((server.requests[1]!.json as { schemas: string[] }).schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"]);
    expect((server.requests[2]!.json as { schemas: string[] }).schemas).toHaveLength(2);
  });

  it("get encodes the id and attributes lists; no body, no content-type", async () => {
    await client.groups.get("12/34", { attributes: ["members", "displayName"], excludedAttributes: "entitlements" });
    const r = server.requests[0]!;
    expect(r.method).toBe("GET");
    expect(r.url).toBe(`${WS}/Groups/12%2F34?attributes=members%2CdisplayName&excludedAttributes=entitlements`);
    expect(r.headers["content-type"]).toBeUndefined();
    expect(r.body).toBe("");
  });

  it("list sends sorted, percent-encoded query: filter quotes %22, spaces %20, @ %40", async () => {
    await client.users.list({
      filter: and(eq("userName", 'a"b\\c@d.com'), eq("active", true)),
      attributes: "id,userName",
      sortBy: "userName",
      sortOrder: "descending",
      pageSize: 50,
    });
    const r = server.requests[0]!;
    expect(r.url).toBe(
      `${WS}/Users?attributes=id%2CuserName&count=50&filter=userName%20eq%20%22a%5C%22b%5C%5Cc%40d.com%22%20and%20active%20eq%20true` +
        `&sortBy=userName&sortOrder=descending&startIndex=1`,
    );
    expect(decodeURIComponent(new URL(r.url, "http://x").searchParams.get("filter")!)).toBe('userName eq "a\\"b\\\\c@d.com" and active eq true');
  });

  it("patch wraps ops in the PatchOp envelope", async () => {
    const res = await client.groups.patch("7", [patch.addMembers(["1", "2"]), patch.removeMember("3")]);
    expect(res).toBeUndefined(); // server answered {}
    const r = server.requests[0]!;
    expect(r.method).toBe("PATCH");
    expect(r.url).toBe(`${WS}/Groups/7`);
    expect(r.headers["content-type"]).toBe("application/scim+json; charset=utf-8");
    expect(r.json).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "add", path: "members", value: [{ value: "1" }, { value: "2" }] },
        { op: "remove", path: 'members[value eq "3"]' },
      ],
    });
  });

  it("replace sends PUT with the full body; delete sends DELETE with no body", async () => {
    const out = await client.servicePrincipals.replace("55", { displayName: "n", active: false });
    expect(out?.id).toBe("101");
    await client.users.delete("55");
    expect(server.requests[0]!.method).toBe("PUT");
    expect(server.requests[0]!.url).toBe(`${WS}/ServicePrincipals/55`);
    expect(server.requests[0]!.json).toEqual({ displayName: "n", active: false, schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal"] });
    expect(server.requests[1]!.method).toBe("DELETE");
    expect(server.requests[1]!.url).toBe(`${WS}/Users/55`);
    expect(server.requests[1]!.body).toBe("");
    expect(server.requests[1]!.headers["content-type"]).toBeUndefined();
  });

  it("me() and currentWorkspaceId() at workspace level", async () => {
    const me = await client.me({ attributes: "userName" });
    expect(me.userName).toBe("a@b.com");
    expect(await client.currentWorkspaceId()).toBe("987");
    expect(server.requests.map((r) => r.url)).toEqual([`${WS}/Me?attributes=userName`, `${WS}/Me?excludedAttributes=entitlements`]);
  });

  it("rejects empty ids and raw string filters before sending", async () => {
    expect(await rejectionOf(client.users.get(""))).toBeInstanceOf(InvalidArgumentError);
    // @ts-expect-error -- a raw string where a Filter is required: what an untyped caller could still pass.
    expect(await rejectionOf(client.users.list({ filter: 'userName eq "x"' }))).toBeInstanceOf(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
  });

  it("a 2xx create without an id is an InvalidResponseError", async () => {
    server.setHandler(() => ({ status: 201, body: { userName: "x" } }));
    expect(await rejectionOf(client.users.create({ userName: "x" }))).toBeInstanceOf(InvalidResponseError);
    server.setHandler(() => ({ status: 200, body: "<html>" }));
    expect(await rejectionOf(client.users.get("1"))).toBeInstanceOf(InvalidResponseError);
  });

  it("sends X-Databricks-Workspace-Id when configured", async () => {
    const c = clientFor(server, { workspaceId: "1234" });
    await c.users.get("1");
    expect(server.requests[0]!.headers["x-databricks-workspace-id"]).toBe("1234");
    await c.close();
  });
});

describe("account level", () => {
  it("uses /api/2.0/accounts/{id}/scim/v2, never sends the workspace header, and has no /Me", async () => {
    const c = clientFor(server, { level: "account", accountId: "acc-1", workspaceId: "999" });
    expect(c.basePath).toBe("/api/2.0/accounts/acc-1/scim/v2");
    await c.groups.get("5");
    expect(server.requests[0]!.url).toBe("/api/2.0/accounts/acc-1/scim/v2/Groups/5");
    expect(server.requests[0]!.headers["x-databricks-workspace-id"]).toBeUndefined();
    const e = await rejectionOf(c.me());
    expect(e).toBeInstanceOf(UnsupportedOperationError);
    expect(e.code).toBe("SCIM_UNSUPPORTED");
    expect(e.message).toMatch(/workspace level/);
    expect(server.requests).toHaveLength(1);
    await c.close();
  });

  it("requires accountId at account level and validates options", () => {
    const auth = staticToken(TOKEN, SOURCE);
    expect(() => new ScimClient({ host: server.url, level: "account", auth })).toThrow(/accountId/);
    // @ts-expect-error -- not a ScimLevel: what an untyped caller could still pass.
    expect(() => new ScimClient({ host: server.url, level: "nope", auth })).toThrow(/level/);
    expect(() => new ScimClient({ host: server.url, level: "workspace", auth, maxConcurrency: 0 })).toThrow(/maxConcurrency/);
  });

  it("derives origin from a bare host and strips userinfo", () => {
    const auth = staticToken(TOKEN, SOURCE);
    const a = new ScimClient({ host: "adb-1.2.azuredatabricks.net", level: "workspace", auth });
    expect(a.origin).toBe("https://adb-1.2.azuredatabricks.net");
    const b = new ScimClient({ host: "https://u:p@accounts.cloud.databricks.com/", level: "account", accountId: "x", auth });
    expect(b.origin).toBe("https://accounts.cloud.databricks.com");
    expect(b.basePath).toBe("/api/2.0/accounts/x/scim/v2");
    void a.close();
    void b.close();
  });
});
