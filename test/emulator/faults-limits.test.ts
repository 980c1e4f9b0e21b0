// Rate limits (token buckets, the numbers in docs/databricks-api-notes.md) and the concurrency cap, over real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGroup, createUser, patch, startClient, URN_ERROR, type Client, type Json } from "./helpers";
import { emuGet, resetAll, setFaults } from "./faults-helpers";

let c: Client;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.close());
beforeEach(() => resetAll(c));

describe("rate limits", () => {
  it("the databricks preset carries the spec's numbers and the 4-request workspace cap", async () => {
    const s = await setFaults(c, { limits: "databricks" });
    expect(s.limits).toBe("databricks");
    expect(s.rateLimits).toEqual({
      "workspace.GET": { requests: 255, perSeconds: 60 },
      "workspace.LIST": null,
      "workspace.POST": null,
      "workspace.PUT": null,
      "workspace.PATCH": null,
      "workspace.DELETE": null,
      "account.GET": { requests: 20, perSeconds: 1 },
      "account.LIST": { requests: 240, perSeconds: 60 },
      "account.POST": { requests: 5, perSeconds: 1 },
      "account.PUT": { requests: 5, perSeconds: 1 },
      "account.PATCH": { requests: 2, perSeconds: 1 },
      "account.DELETE": { requests: 5, perSeconds: 1 },
    });
    expect(s.concurrency).toEqual({ workspace: 4, account: 0 });
  });

  it("N requests in one burst: exactly the ones over the bucket get 429 with the gateway body", async () => {
    const g = await createGroup(c, "limited", {}, "acc");
    await setFaults(c, { rateLimits: { "account.PATCH": { requests: 10, perSeconds: 60 } }, retryAfterFraction: 1 });
    const statuses: number[] = [];
    let last: Json;
    for (let i = 0; i < 15; i++) {
      last = await c.acc("PATCH", `/Groups/${g.id}`, patch({ op: "replace", path: "externalId", value: `x${i}` }));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array(10).fill(200), ...Array(5).fill(429)]);
    expect(last.body).toEqual({ error_code: "REQUEST_LIMIT_EXCEEDED", message: expect.any(String) });
    expect(last.headers.get("content-type")).toMatch(/^application\/json/);
    // Integer seconds until a token is back: 60 s / 10 requests → 6.
    expect(last.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThanOrEqual(5);
    expect(Number(last.headers.get("retry-after"))).toBeLessThanOrEqual(6);
    // Rejected requests were not applied.
    expect((await c.acc("GET", `/Groups/${g.id}`)).body.externalId).toBe("x9");
    const stats = await emuGet(c, "stats");
    expect(stats.faults["429"]).toBe(5);
    expect(stats.byStatus["429"]).toBe(5);
    const { requests } = await emuGet(c, "requests");
    expect(requests.filter((r: Json) => r.fault === "429")).toHaveLength(5);
  });

  it("the preset's account PATCH 2/s: 5 concurrent PATCHes → 2 pass, 3 get 429", async () => {
    const g = await createGroup(c, "preset-patch", {}, "acc");
    await setFaults(c, { limits: "databricks" });
    const res = await Promise.all(
      Array.from({ length: 5 }, (_, i) => c.acc("PATCH", `/Groups/${g.id}`, patch({ op: "replace", path: "externalId", value: `p${i}` }))),
    );
    expect(res.map((r) => r.status).sort()).toEqual([200, 200, 429, 429, 429]);
  });

  it("Retry-After is present on the configured fraction only (0 → never)", async () => {
    await setFaults(c, { rateLimits: { "workspace.GET": { requests: 1, perSeconds: 60 } }, retryAfterFraction: 0 });
    expect((await c.ws("GET", "/Me")).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      const r = await c.ws("GET", "/Me");
      expect(r.status).toBe(429);
      expect(r.headers.get("retry-after")).toBeNull();
    }
  });

  it("workspace lists share the workspace GET bucket (255/min incl. list); writes are not limited", async () => {
    const u = await createUser(c, "shared-bucket@example.com");
    await setFaults(c, { rateLimits: { "workspace.GET": { requests: 4, perSeconds: 60 } } });
    const statuses = [];
    for (const path of [`/Users/${u.id}`, "/Users", `/Users/${u.id}`, "/Groups", "/Users"]) statuses.push((await c.ws("GET", path)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect((await c.ws("POST", "/Groups", { displayName: "not-limited" })).status).toBe(201);
  });

  it("burst smaller than the rate: tokens refill continuously", async () => {
    await setFaults(c, { rateLimits: { "account.GET": { requests: 20, perSeconds: 1, burst: 2 } } });
    const first = await Promise.all(Array.from({ length: 3 }, () => c.acc("GET", "/Users?count=1")));
    // account.LIST is not set here, so lists fall back to the account GET bucket.
    expect(first.map((r) => r.status).sort()).toEqual([200, 200, 429]);
    await new Promise((r) => setTimeout(r, 120)); // 20/s → 2 tokens back
    expect((await c.acc("GET", "/Users?count=1")).status).toBe(200);
  });

  it("/__emulator endpoints are never limited or faulted", async () => {
    await setFaults(c, { rateLimits: { "workspace.GET": { requests: 1, perSeconds: 60 } }, rates: { "5xx": 1 } });
    for (let i = 0; i < 5; i++) expect((await emuGet(c, "stats")).total).toBeGreaterThanOrEqual(0);
  });
});

describe("concurrency cap", () => {
  it("6 concurrent slow workspace requests → 4 answered, 2 get the exact REQUEST_LIMIT_EXCEEDED 500", async () => {
    await setFaults(c, { concurrency: { workspace: 4 }, rates: { latency: 1 }, latency: { fixedMs: 400, jitterMs: 0 } });
    const res = await Promise.all(Array.from({ length: 6 }, () => c.ws("GET", "/Me")));
    expect(res.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 500, 500]);
    for (const r of res.filter((x) => x.status === 500)) {
      expect(r.text).toBe(
        JSON.stringify({
          detail: `REQUEST_LIMIT_EXCEEDED: Workspace ${c.emu.workspaceId} exceeded the concurrent limit of 4 requests.`,
          schemas: [URN_ERROR],
          status: "500",
        }),
      );
    }
    const stats = await emuGet(c, "stats");
    expect(stats.faults["500-limit"]).toBe(2);
    expect(stats.faults.latencyMs).toBe(4 * 400);
    // Slots are released: the next request goes through.
    expect((await c.ws("GET", "/Me")).status).toBe(200);
  });

  it("the account level has no cap by default", async () => {
    await setFaults(c, { limits: "databricks", rates: { latency: 1 }, latency: { fixedMs: 200, jitterMs: 0 } });
    const res = await Promise.all(Array.from({ length: 6 }, () => c.acc("GET", "/Users?count=1")));
    expect(res.map((r) => r.status)).toEqual(Array(6).fill(200));
  });
});
