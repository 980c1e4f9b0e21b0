// Graph throttling as a fault mode: the next N calls 429 with Retry-After, or a ResourceUnit token bucket
// charged Graph's identity costs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraph, TREE_SEED, type GraphClient } from "./graph-helpers";

const ROOT = "00000000-0000-0000-0000-0000000000a0";
let c: GraphClient;
beforeAll(async () => {
  c = await startGraph({ seed: structuredClone(TREE_SEED) });
  await c.token();
});
afterAll(async () => c.close());

describe("throttling", () => {
  it("next: 2 → two 429s with Retry-After and Graph's error shape, then 200; counted in stats", async () => {
    await c.admin("POST", "/__emulator/reset-stats");
    const set = await c.admin("POST", "/__emulator/throttle", { next: 2, retryAfterSeconds: 3 });
    expect(set.body).toMatchObject({ next: 2, retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const r = await c.get(`/v1.0/groups/${ROOT}/transitiveMembers?$select=id`);
      expect(r.status).toBe(429);
      expect(r.headers.get("retry-after")).toBe("3");
      expect(r.headers.get("x-ms-throttle-information")).toBe("ResourceUnitLimitExceeded");
      expect(r.headers.get("x-ms-throttle-scope")).toMatch(/^Tenant_Application\/ReadOnly\//);
      expect(r.body.error.code).toBe("TooManyRequests");
      expect(r.body.error.innerError).toHaveProperty("request-id");
    }
    const ok = await c.get(`/v1.0/groups/${ROOT}/transitiveMembers?$select=id`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-ms-resource-unit")).toBe("4");
    expect((await c.get(`/v1.0/groups/${ROOT}/members`)).headers.get("x-ms-resource-unit")).toBe("3");
    const stats = (await c.admin("GET", "/__emulator/stats")).body;
    expect(stats.byStatus).toEqual({ "200": 2, "429": 2 });
    expect((await c.admin("GET", "/__emulator/throttle")).body.next).toBe(0);
  });

  it("resourceUnits: transitiveMembers costs 5 (4 with $select); the bucket empties, refills, and Retry-After says when", async () => {
    await c.admin("POST", "/__emulator/throttle", { resourceUnits: { limit: 12, perSeconds: 30 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await c.get(`/v1.0/groups/${ROOT}/transitiveMembers?$select=id`)).status);
    // 12 RU at 4 each: three calls fit; refill is 0.4 RU/s, far from a whole call during the loop.
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses[3]).toBe(429);
    const r = await c.get(`/v1.0/groups/${ROOT}/transitiveMembers?$select=id`);
    expect(r.status).toBe(429);
    // 4 RU short at 0.4 RU/s: about 10 s (less by what trickled in meanwhile).
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(8);
    expect(Number(r.headers.get("retry-after"))).toBeLessThanOrEqual(10);
    // A 1-RU call (GET by id with $select) fits once 1 RU has trickled in (2.5 s).
    const deadline = Date.now() + 10_000;
    let ok = 0;
    while (Date.now() < deadline && ok === 0) {
      await new Promise((res) => setTimeout(res, 250));
      if ((await c.get(`/v1.0/groups/${ROOT}?$select=id`)).status === 200) ok++;
    }
    expect(ok).toBe(1);
    await c.admin("DELETE", "/__emulator/throttle");
    expect((await c.get(`/v1.0/groups/${ROOT}/transitiveMembers?$select=id`)).status).toBe(200);
  });

  it("unavailable: 1 → one 503 serviceNotAvailable with Retry-After, then 200", async () => {
    await c.admin("POST", "/__emulator/throttle", { unavailable: 1, retryAfterSeconds: 2 });
    const r = await c.get(`/v1.0/groups/${ROOT}/members`);
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("2");
    expect(r.body.error.code).toBe("serviceNotAvailable");
    expect((await c.get(`/v1.0/groups/${ROOT}/members`)).status).toBe(200);
  });

  it("bad throttle settings are 400 and change nothing", async () => {
    const r = await c.admin("POST", "/__emulator/throttle", { next: -1 });
    expect(r.status).toBe(400);
    expect((await c.admin("GET", "/__emulator/throttle")).body.next).toBe(0);
  });
});
