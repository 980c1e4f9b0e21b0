import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Middleware } from "../../emulator/index";
import { createGroup, createUser, httpCall, startClient, type Client, type Json } from "./helpers";

let c: Client;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.close());

async function emu(method: string, path: string): Promise<Json> {
  const r = await httpCall(method, `${c.emu.url}/__emulator/${path}`);
  expect(r.status).toBe(200);
  return r.body;
}

describe("/__emulator endpoints", () => {
  it("stats count by method and by (method, resource, level), plus total; reset-stats clears", async () => {
    await emu("POST", "reset-stats");
    await c.ws("GET", "/Users");
    await c.ws("GET", "/Users");
    await c.ws("POST", "/Groups", { displayName: "stats-group" });
    await c.acc("GET", "/Groups");
    await c.ws("GET", "/Me", undefined, { token: "bad" });
    const s = await emu("GET", "stats");
    expect(s).toEqual({
      total: 5,
      byMethod: { GET: 4, POST: 1 },
      byResource: { "GET Users workspace": 2, "POST Groups workspace": 1, "GET Groups account": 1, "GET Me workspace": 1 },
      byStatus: { "200": 3, "201": 1, "403": 1 },
      faults: { "429": 0, "500-limit": 0, "5xx": 0, reset: 0, lost: 0, lagged: 0, latencyMs: 0 },
    });
    await emu("POST", "reset-stats");
    expect((await emu("GET", "stats")).total).toBe(0);
  });

  it("request log has method, path, query, status, time — never tokens", async () => {
    await emu("POST", "reset-stats");
    await c.ws("GET", "/Users?filter=userName%20eq%20%22x%22&count=3");
    const { requests } = await emu("GET", "requests");
    expect(requests).toHaveLength(1);
    const e = requests[0];
    expect(e).toMatchObject({
      method: "GET",
      path: "/api/2.0/preview/scim/v2/Users",
      query: "filter=userName%20eq%20%22x%22&count=3",
      status: 200,
      level: "workspace",
      resourceType: "Users",
    });
    expect(new Date(e.time).toString()).not.toBe("Invalid Date");
    expect(JSON.stringify(requests)).not.toContain(c.emu.tokens.admin);
  });

  it("dump shows both levels; reset empties state and recreates reserved groups and token users", async () => {
    const u = await createUser(c, "dumped@example.com");
    await createGroup(c, "dumped-group");
    const d = await emu("GET", "dump");
    expect(d.accountId).toBe(c.emu.accountId);
    expect(d.workspace.Users.map((x: Json) => x.id)).toContain(u.id);
    expect(d.account.Users.map((x: Json) => x.id)).toContain(u.id);
    expect(d.workspace.Groups.map((x: Json) => x.displayName)).toContain("dumped-group");
    await emu("POST", "reset");
    const after = await emu("GET", "dump");
    expect(after.workspace.Groups.map((x: Json) => x.displayName).sort()).toEqual(["admins", "users"]);
    expect(after.workspace.Users.map((x: Json) => x.userName).sort()).toEqual(["admin@example.com", "user@example.com"]);
    expect(after.workspace.ServicePrincipals).toEqual([]);
    expect(after.account.Groups.map((x: Json) => x.displayName)).toEqual(["account users"]);
    expect((await c.ws("GET", "/Me")).status).toBe(200);
  });

  it("middleware hook: a middleware can answer, and can drop the response after the write happened", async () => {
    let mode: "pass" | "429" | "drop" = "pass";
    const fault: Middleware = async (req, next) => {
      if (mode === "429" && req.path.endsWith("/Groups")) {
        return { status: 429, headers: { "content-type": "application/json" }, body: { error_code: "REQUEST_LIMIT_EXCEEDED", message: "slow down" } };
      }
      const res = await next(req);
      return mode === "drop" ? { ...res, drop: true } : res;
    };
    c.emu.use(fault);
    mode = "429";
    const r = await c.ws("GET", "/Groups");
    expect(r.status).toBe(429);
    mode = "drop";
    await expect(c.ws("POST", "/Groups", { displayName: "lost-response" })).rejects.toThrow();
    mode = "pass";
    const found = await c.ws("GET", `/Groups?filter=${encodeURIComponent('displayName eq "lost-response"')}`);
    expect(found.body.totalResults).toBe(1);
    const { requests } = await emu("GET", "requests");
    expect(requests.some((x: Json) => x.dropped === true && x.method === "POST")).toBe(true);
  });

  it("in-flight lists requests received and not answered yet, with a create's name; hold keeps them until released", async () => {
    await emu("POST", "reset-stats");
    expect(await emu("GET", "in-flight")).toEqual({ requests: [] });
    expect((await httpCall("POST", `${c.emu.url}/__emulator/hold`, { methods: ["FETCH"] })).status).toBe(400);
    expect((await httpCall("POST", `${c.emu.url}/__emulator/hold`, {})).status).toBe(400);
    const held = await httpCall("POST", `${c.emu.url}/__emulator/hold`, { methods: ["POST"] });
    expect(held.body).toEqual({ methods: ["POST"], held: 0 });

    const user = c.ws("POST", "/Users", { userName: "held-user@example.com" });
    const group = c.acc("POST", "/Groups", { displayName: "held-group" });
    const flying = async (): Promise<Json[]> => (await emu("GET", "in-flight")).requests;
    for (const start = Date.now(); (await flying()).length < 2;) {
      if (Date.now() - start > 10_000) throw new Error(`the two POSTs never showed in flight: ${JSON.stringify(await flying())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const inFlight = await flying();
    expect(inFlight.map((r: Json) => [r.method, r.resourceType, r.level, r.name]).sort()).toEqual([
      ["POST", "Groups", "account", "held-group"],
      ["POST", "Users", "workspace", "held-user@example.com"],
    ]);
    expect(JSON.stringify(inFlight)).not.toContain(c.emu.tokens.admin);
    // Other methods pass; the held creates are neither applied nor counted (stats count on the answer).
    expect((await c.ws("GET", "/Users")).status).toBe(200);
    expect((await emu("GET", "hold")).held).toBe(2);
    expect((await emu("GET", "dump")).workspace.Users.map((u: Json) => u.userName)).not.toContain("held-user@example.com");
    expect((await emu("GET", "stats")).byMethod).toEqual({ GET: 1 });

    expect(await emu("DELETE", "hold")).toEqual({ released: 2, methods: [], held: 0 });
    expect((await user).status).toBe(201);
    expect((await group).status).toBe(201);
    expect(await emu("GET", "in-flight")).toEqual({ requests: [] });
    expect((await emu("GET", "stats")).byMethod).toEqual({ GET: 1, POST: 2 });
  });

  it("DELETE /__emulator/faults (all off) also releases held requests", async () => {
    await httpCall("POST", `${c.emu.url}/__emulator/hold`, { methods: ["PATCH", "POST"] });
    const g = c.ws("POST", "/Groups", { displayName: "held-until-faults-off" });
    for (const start = Date.now(); (await emu("GET", "hold")).held < 1;) {
      if (Date.now() - start > 10_000) throw new Error("the POST was never held");
      await new Promise((r) => setTimeout(r, 20));
    }
    await emu("DELETE", "faults");
    expect((await g).status).toBe(201);
    expect(await emu("GET", "hold")).toEqual({ methods: [], held: 0 });
  });
});
