// Random faults: 5xx, reset, lost response, latency, random 429; seeded reproducibility; counters and log.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUser, startClient, URN_ERROR, URN_USER, type Client, type Json } from "./helpers";
import { callOrError, emuGet, resetAll, setFaults, userNames } from "./faults-helpers";

let c: Client;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.close());
beforeEach(() => resetAll(c));

const newUser = (name: string) => c.ws("POST", "/Users", { schemas: [URN_USER], userName: name });

describe("random faults", () => {
  it("5xx: each configured status, before the write is applied; 503 may carry Retry-After", async () => {
    const seen: Record<number, Json> = {};
    for (const status of [500, 502, 503, 504]) {
      await setFaults(c, { rates: { "5xx": 1 }, errorStatuses: [status], retryAfterFraction: 1 });
      const r = await newUser(`five-${status}@example.com`);
      expect(r.status).toBe(status);
      seen[status] = r;
    }
    expect(seen[500].body).toEqual({ schemas: [URN_ERROR], detail: "Internal error.", status: "500" });
    expect(seen[503].body).toEqual({ error_code: "TEMPORARILY_UNAVAILABLE", message: expect.stringContaining("/api/2.0/preview/scim/v2/Users") });
    expect(seen[503].headers.get("retry-after")).toMatch(/^\d+$/);
    expect(seen[502].body.error_code).toBe("BAD_GATEWAY");
    expect(seen[504].body.error_code).toBe("DEADLINE_EXCEEDED");
    await setFaults(c, { rates: { "5xx": 0 } });
    const names = userNames(await emuGet(c, "dump"));
    for (const status of [500, 502, 503, 504]) expect(names).not.toContain(`five-${status}@example.com`);
    expect((await emuGet(c, "stats")).faults["5xx"]).toBe(4);
  });

  it("reset: the connection dies without a response and nothing is applied", async () => {
    await setFaults(c, { rates: { reset: 1 } });
    const r = await callOrError(newUser("reset@example.com"));
    expect(r).toHaveProperty("error");
    await setFaults(c, { rates: { reset: 0 } });
    expect(userNames(await emuGet(c, "dump"))).not.toContain("reset@example.com");
    const stats = await emuGet(c, "stats");
    expect(stats.faults.reset).toBe(1);
    expect(stats.byStatus).toEqual({}); // nothing was sent
    const { requests } = await emuGet(c, "requests");
    expect(requests[0]).toMatchObject({ method: "POST", fault: "reset", dropped: true });
  });

  it("lost response: the write is applied (visible in dump), the client sees a socket error", async () => {
    await setFaults(c, { rates: { lost: 1 } });
    const r = await callOrError(newUser("lost@example.com"));
    expect(r).toHaveProperty("error");
    // Reads are never "lost" (for a read it would just be a reset): a GET still answers.
    expect((await c.ws("GET", "/Me")).status).toBe(200);
    await setFaults(c, { rates: { lost: 0 } });
    const dump = await emuGet(c, "dump");
    expect(userNames(dump)).toContain("lost@example.com");
    const retry = await newUser("lost@example.com");
    expect(retry.status).toBe(409); // what a retrying client meets
    const stats = await emuGet(c, "stats");
    expect(stats.faults.lost).toBe(1);
    const { requests } = await emuGet(c, "requests");
    expect(requests.find((x: Json) => x.fault === "lost")).toMatchObject({ method: "POST", status: 201, dropped: true });
  });

  it("random 429 without Retry-After when the fraction is 0", async () => {
    await setFaults(c, { rates: { "429": 1 }, retryAfterFraction: 0 });
    const r = await c.ws("GET", "/Users");
    expect(r.status).toBe(429);
    expect(r.body.error_code).toBe("REQUEST_LIMIT_EXCEEDED");
    expect(r.headers.get("retry-after")).toBeNull();
  });

  it("latency: fixed + jitter added, summed in the counters and shown per request", async () => {
    await setFaults(c, { rates: { latency: 1 }, latency: { fixedMs: 250, jitterMs: 0 } });
    const t = Date.now();
    expect((await c.ws("GET", "/Me")).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(240);
    await setFaults(c, { latency: { fixedMs: 50, jitterMs: 100 } });
    await c.ws("GET", "/Me");
    const stats = await emuGet(c, "stats");
    const { requests } = await emuGet(c, "requests");
    expect(requests[0].addedLatencyMs).toBe(250);
    expect(requests[1].addedLatencyMs).toBeGreaterThanOrEqual(50);
    expect(requests[1].addedLatencyMs).toBeLessThan(150);
    expect(stats.faults.latencyMs).toBe(250 + requests[1].addedLatencyMs);
  });

  it("the --fault-rate/--fault-kinds shorthand splits the rate evenly; a seed makes the sequence reproducible", async () => {
    const s = await setFaults(c, { faultRate: 0.6, faultKinds: ["5xx", "429"], seed: 42 });
    expect(s.rates).toEqual({ "5xx": 0.3, "429": 0.3, reset: 0, lost: 0, latency: 0 });
    const run = async () => {
      await setFaults(c, { seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await c.ws("GET", "/Me")).status);
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    const faulted = a.filter((x) => x !== 200).length;
    expect(faulted).toBeGreaterThan(5);
    expect(faulted).toBeLessThan(28);
    expect(a.some((x) => x === 429)).toBe(true);
    expect(a.some((x) => x >= 500)).toBe(true);
  });

  it("counters match the request log over a mixed run", async () => {
    await setFaults(c, { rates: { "5xx": 0.25, "429": 0.25, reset: 0.1, lost: 0.1 }, seed: 7 });
    for (let i = 0; i < 40; i++) await callOrError(newUser(`mixed-${i}@example.com`));
    const stats = await emuGet(c, "stats");
    const { requests } = await emuGet(c, "requests");
    const count = (k: string) => requests.filter((r: Json) => r.fault === k).length;
    for (const k of ["5xx", "429", "reset", "lost"]) expect(stats.faults[k]).toBe(count(k));
    expect(stats.faults["5xx"] + stats.faults["429"] + stats.faults.reset + stats.faults.lost).toBeGreaterThan(10);
    // Applied = 201 answers + lost responses; nothing else reached the store.
    await setFaults(c, { rates: { "5xx": 0, "429": 0, reset: 0, lost: 0 } });
    const created = userNames(await emuGet(c, "dump")).filter((n) => n.startsWith("mixed-"));
    expect(created.length).toBe((stats.byStatus["201"] ?? 0) + stats.faults.lost);
  });

  it("existing users unaffected when faults are off", async () => {
    expect((await createUser(c, "plain@example.com")).userName).toBe("plain@example.com");
  });
});
