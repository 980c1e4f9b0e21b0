// /__emulator/faults: shape, partial updates, validation, run-time on/off; faults from options; counters reset.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpCall, startClient, type Client } from "./helpers";
import { emuGet, setFaults } from "./faults-helpers";

let c: Client;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.close());

const OFF = {
  seed: null,
  limits: "off",
  rateLimits: {
    "workspace.GET": null,
    "workspace.LIST": null,
    "workspace.POST": null,
    "workspace.PUT": null,
    "workspace.PATCH": null,
    "workspace.DELETE": null,
    "account.GET": null,
    "account.LIST": null,
    "account.POST": null,
    "account.PUT": null,
    "account.PATCH": null,
    "account.DELETE": null,
  },
  retryAfterFraction: 0.5,
  concurrency: { workspace: 0, account: 0 },
  rates: { "5xx": 0, reset: 0, lost: 0, latency: 0, "429": 0 },
  errorStatuses: [500, 502, 503, 504],
  latency: { fixedMs: 100, jitterMs: 100 },
  lag: { windowMs: 0, mode: "fixed", ops: ["create", "rename", "delete"] },
};

describe("/__emulator/faults", () => {
  it("GET shows everything off by default; stats carry zeroed fault counters", async () => {
    expect(await emuGet(c, "faults")).toEqual(OFF);
    expect((await emuGet(c, "stats")).faults).toEqual({ "429": 0, "500-limit": 0, "5xx": 0, reset: 0, lost: 0, lagged: 0, latencyMs: 0 });
  });

  it("POST merges key by key and returns the full settings; DELETE turns all off", async () => {
    const a = await setFaults(c, { limits: "databricks", rateLimits: { "account.PATCH": { requests: 1, perSeconds: 2, burst: 3 } } });
    expect(a.limits).toBe("custom");
    expect(a.rateLimits["account.PATCH"]).toEqual({ requests: 1, perSeconds: 2, burst: 3 });
    expect(a.rateLimits["account.GET"]).toEqual({ requests: 20, perSeconds: 1 });
    const b = await setFaults(c, { lag: { windowMs: 2000 } });
    expect(b.lag).toEqual({ windowMs: 2000, mode: "fixed", ops: ["create", "rename", "delete"] });
    expect(b.rateLimits["account.PATCH"]).toEqual({ requests: 1, perSeconds: 2, burst: 3 });
    const off = await httpCall("DELETE", `${c.emu.url}/__emulator/faults`);
    expect(off.body).toEqual(OFF);
  });

  it("invalid settings → 400 naming the problem, and nothing changes", async () => {
    await setFaults(c, { rates: { "5xx": 0.1 } });
    for (const bad of [
      { rates: { "5xx": 2 } },
      { rates: { "5xx": 0.6, reset: 0.6 } },
      { rateLimits: { "account.FETCH": null } },
      { limits: "aws" },
      { lag: { mode: "sometimes" } },
      { faultKinds: ["boom"] },
      { unknown: 1 },
      [],
    ]) {
      const r = await httpCall("POST", `${c.emu.url}/__emulator/faults`, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(typeof r.body.error).toBe("string");
    }
    const bad = await httpCall("POST", `${c.emu.url}/__emulator/faults`, undefined, { rawBody: "{nope", contentType: "application/json" });
    expect(bad.status).toBe(400);
    expect((await emuGet(c, "faults")).rates["5xx"]).toBe(0.1);
    await httpCall("DELETE", `${c.emu.url}/__emulator/faults`);
  });

  it("switches at run time: on → every request faulted, off → clean again", async () => {
    expect((await c.ws("GET", "/Me")).status).toBe(200);
    await setFaults(c, { rates: { "5xx": 1 }, errorStatuses: [502] });
    expect((await c.ws("GET", "/Me")).status).toBe(502);
    expect((await c.acc("GET", "/Users")).status).toBe(502);
    await httpCall("DELETE", `${c.emu.url}/__emulator/faults`);
    expect((await c.ws("GET", "/Me")).status).toBe(200);
  });

  it("reset-stats zeroes the fault counters", async () => {
    await setFaults(c, { rates: { "429": 1 } });
    await c.ws("GET", "/Me");
    expect((await emuGet(c, "stats")).faults["429"]).toBeGreaterThan(0);
    await httpCall("POST", `${c.emu.url}/__emulator/reset-stats`);
    expect((await emuGet(c, "stats")).faults["429"]).toBe(0);
    await httpCall("DELETE", `${c.emu.url}/__emulator/faults`);
  });
});

describe("faults from options", () => {
  it("options.faults applies from the first request", async () => {
    const d = await startClient({ faults: { rates: { "429": 1 }, retryAfterFraction: 1 } });
    try {
      const r = await d.ws("GET", "/Me");
      expect(r.status).toBe(429);
      expect(r.headers.get("retry-after")).toBe("1");
    } finally {
      await d.close();
    }
  });
});
