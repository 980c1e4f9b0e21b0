// Paging a 5,000-member group through @odata.nextLink, with request counts from the emulator's own stats.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAll, startGraph, type GraphClient } from "./graph-helpers";

let c: GraphClient;
let groupId: string;
beforeAll(async () => {
  c = await startGraph({ seed: { generate: [{ group: "Big", count: 5000, prefix: "big" }] } });
  const r = await c.get(`/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Big'")}&$select=id`);
  groupId = r.body.value[0].id as string;
});
afterAll(async () => c.close());

const requestsFor = async (route: string): Promise<number> => ((await c.admin("GET", "/__emulator/stats")).body.byRoute[route] as number | undefined) ?? 0;

describe("paging", () => {
  it("$top=999: 6 pages (5 × 999 + 5), every member once, nextLink keeps $select and $top", async () => {
    await c.admin("POST", "/__emulator/reset-stats");
    const r = await readAll(c, `/v1.0/groups/${groupId}/members?$select=id,userPrincipalName&$top=999`);
    expect(r.requests).toBe(6);
    expect(await requestsFor("groups.members")).toBe(6);
    expect(r.values).toHaveLength(5000);
    expect(new Set(r.values.map((v) => v.id)).size).toBe(5000);
    expect(new Set(r.values.map((v) => v.userPrincipalName))).toEqual(new Set(Array.from({ length: 5000 }, (_, i) => `big-${i + 1}@example.com`)));
    for (const next of r.urls.slice(1)) {
      const u = new URL(next);
      expect(u.origin).toBe(c.emu.url);
      expect(u.searchParams.get("$select")).toBe("id,userPrincipalName");
      expect(u.searchParams.get("$top")).toBe("999");
      expect(u.searchParams.get("$skiptoken")).toMatch(/.+/);
    }
  });

  it("default page size is 100: 50 pages through transitiveMembers", async () => {
    await c.admin("POST", "/__emulator/reset-stats");
    const r = await readAll(c, `/v1.0/groups/${groupId}/transitiveMembers?$select=id`);
    expect(r.requests).toBe(50);
    expect(r.values).toHaveLength(5000);
    const stats = (await c.admin("GET", "/__emulator/stats")).body;
    expect(stats.byRoute["groups.transitiveMembers"]).toBe(50);
    expect(stats.byStatus["200"]).toBe(50);
  });

  it("$top out of 1..999 is 400; a forged skiptoken is 400", async () => {
    for (const top of ["1000", "0", "x"]) {
      const r = await c.get(`/v1.0/groups/${groupId}/members?$top=${top}`);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("Request_BadRequest");
    }
    const forged = await c.get(`/v1.0/groups/${groupId}/members?$skiptoken=1000`);
    expect(forged.status).toBe(400);
  });

  it("the last page has no nextLink; an exact multiple ends without an empty page", async () => {
    const gen = await c.admin("POST", "/__emulator/generate", { group: "Exact", count: 200, prefix: "exact" });
    expect(gen.body.members).toBe(200);
    const r = await readAll(c, `/v1.0/groups/${gen.body.id}/members?$top=100&$select=id`);
    expect(r.requests).toBe(2);
    expect(r.values).toHaveLength(200);
  });
});
