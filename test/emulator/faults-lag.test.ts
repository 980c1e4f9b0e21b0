// Read-after-write lag: GET by id and lists see the state from before recent writes for the window.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGroup, createUser, ids, patch, startClient, type Client } from "./helpers";
import { emuGet, resetAll, setFaults, userNames } from "./faults-helpers";

let c: Client;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.close());
beforeEach(() => resetAll(c));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const byName = (name: string) => `/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}`;

describe("read-after-write lag", () => {
  it("a create 404s on GET by id and is missing from lists until the window ends", async () => {
    await setFaults(c, { lag: { windowMs: 600, mode: "fixed" } });
    const u = await createUser(c, "lagging@example.com"); // the POST answer itself is complete
    expect(u.userName).toBe("lagging@example.com");
    const get = await c.ws("GET", `/Users/${u.id}`);
    expect(get.status).toBe(404);
    expect(get.body.detail).toBe(`User with id ${u.id} not found.`);
    expect(ids((await c.ws("GET", "/Users?count=100")).body)).not.toContain(u.id);
    // Committed state (writes, dump) is not lagged.
    expect(userNames(await emuGet(c, "dump"))).toContain("lagging@example.com");
    expect((await c.ws("POST", "/Users", { userName: "lagging@example.com" })).status).toBe(409);
    await sleep(700);
    expect((await c.ws("GET", `/Users/${u.id}`)).status).toBe(200);
    expect(ids((await c.ws("GET", "/Users?count=100")).body)).toContain(u.id);
    const stats = await emuGet(c, "stats");
    expect(stats.faults.lagged).toBe(2);
    const { requests } = await emuGet(c, "requests");
    expect(requests.filter((r: { fault?: string }) => r.fault === "lagged").map((r: { method: string }) => r.method)).toEqual(["GET", "GET"]);
  });

  it("a delete still shows, and a rename shows the old name, during the window", async () => {
    const g = await createGroup(c, "before-rename");
    const victim = await createGroup(c, "to-delete");
    await setFaults(c, { lag: { windowMs: 600 } });
    expect((await c.ws("PATCH", `/Groups/${g.id}`, patch({ op: "replace", path: "displayName", value: "after-rename" }))).status).toBe(200);
    expect((await c.ws("DELETE", `/Groups/${victim.id}`)).status).toBe(204);
    expect((await c.ws("GET", `/Groups/${g.id}`)).body.displayName).toBe("before-rename");
    expect((await c.ws("GET", byName("after-rename"))).body.totalResults).toBe(0);
    expect((await c.ws("GET", byName("before-rename"))).body.totalResults).toBe(1);
    expect((await c.ws("GET", `/Groups/${victim.id}`)).status).toBe(200);
    expect(ids((await c.ws("GET", "/Groups")).body)).toContain(victim.id);
    await sleep(700);
    expect((await c.ws("GET", `/Groups/${g.id}`)).body.displayName).toBe("after-rename");
    expect((await c.ws("GET", `/Groups/${victim.id}`)).status).toBe(404);
    expect(ids((await c.ws("GET", "/Groups")).body)).not.toContain(victim.id);
  });

  it("only the configured ops lag: with ops=[create], a rename is visible at once", async () => {
    const g = await createGroup(c, "rename-now");
    await setFaults(c, { lag: { windowMs: 5000, ops: ["create"] } });
    await c.ws("PATCH", `/Groups/${g.id}`, patch({ op: "replace", path: "displayName", value: "renamed-now" }));
    expect((await c.ws("GET", `/Groups/${g.id}`)).body.displayName).toBe("renamed-now");
  });

  it("random mode is non-monotonic within the window and consistent after it", async () => {
    await setFaults(c, { lag: { windowMs: 800, mode: "random" }, seed: 3 });
    const u = await createUser(c, "random-lag@example.com");
    const seen: number[] = [];
    const started = Date.now();
    while (Date.now() - started < 700) {
      seen.push((await c.ws("GET", `/Users/${u.id}`)).status);
      await sleep(20);
    }
    expect(seen[0]).toBe(404); // fresh with probability elapsed/window ≈ 0
    // Somewhere in the window a 200 is followed by a 404 again: not monotonic.
    expect(seen.some((s, i) => s === 200 && seen.slice(i + 1).includes(404))).toBe(true);
    await sleep(150);
    for (let i = 0; i < 5; i++) expect((await c.ws("GET", `/Users/${u.id}`)).status).toBe(200);
  });

  it("turning lag off makes everything visible immediately", async () => {
    await setFaults(c, { lag: { windowMs: 10_000 } });
    const u = await createUser(c, "lag-off@example.com");
    expect((await c.ws("GET", `/Users/${u.id}`)).status).toBe(404);
    await setFaults(c, { lag: { windowMs: 0 } });
    expect((await c.ws("GET", `/Users/${u.id}`)).status).toBe(200);
  });
});
