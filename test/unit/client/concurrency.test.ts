import { afterEach, describe, expect, it } from "vitest";
import { Agent } from "undici";
import type { ScimClient } from "../../../provider/client";
import { clientFor, scimError, startServer, type TestServer } from "./helpers";

let server: TestServer | undefined;
let client: ScimClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  server = client = undefined;
});

const OK = { status: 200, body: { id: "1", userName: "a@b.com" } };

describe("concurrency cap", () => {
  it("never more than maxConcurrency requests in flight at the server (default Pool), and the cap is reached", async () => {
    server = await startServer(() => ({ ...OK, delayMs: 30 }));
    client = clientFor(server, { maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 24 }, (_, i) => client!.users.get(String(i))));
    expect(server.requests).toHaveLength(24);
    expect(server.maxInFlight).toBe(3);
  });

  it("default cap is 4", async () => {
    server = await startServer(() => ({ ...OK, delayMs: 30 }));
    client = clientFor(server);
    expect(client.maxConcurrency).toBe(4);
    await Promise.all(Array.from({ length: 16 }, (_, i) => client!.users.get(String(i))));
    expect(server.maxInFlight).toBe(4);
  });

  it("holds with an injected dispatcher that has many connections (semaphore), across verbs and retries", async () => {
    let n = 0;
    server = await startServer((req) => {
      n++;
      // every 3rd request is throttled once, as Databricks does past its concurrent limit
      if (n % 3 === 0)
        return { status: 500, body: scimError(500, "REQUEST_LIMIT_EXCEEDED: Workspace 1 exceeded the concurrent limit of 4 requests."), delayMs: 5 };
      if (req.method === "POST") return { status: 201, body: { id: String(n) }, delayMs: 20 };
      if (req.method === "DELETE") return { status: 204, delayMs: 20 };
      return { ...OK, delayMs: 20 };
    });
    const agent = new Agent({ connections: 50 });
    client = clientFor(server, { maxConcurrency: 2, dispatcher: agent });
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      calls.push(client.users.get(String(i)));
      calls.push(client.groups.create({ displayName: `g${i}` }));
      calls.push(client.users.delete(String(i)));
    }
    await Promise.all(calls);
    expect(server.maxInFlight).toBe(2);
    expect(client.stats.retries).toBeGreaterThan(0);
    expect(client.stats.requests).toBe(server.requests.length);
    await agent.close();
  });
});

describe("pacing", () => {
  it("spaces requests of one verb at 1/rate, while other verbs are not held back", async () => {
    server = await startServer(() => OK);
    client = clientFor(server, { rateLimits: { GET: 20, PATCH: false }, maxConcurrency: 8 });
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => client!.users.get(String(i))));
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(5 * 50 - 10);
    // Request i leaves the pacer no earlier than t0 + i/rate, so it cannot arrive earlier either. Gaps between
    // arrivals are not checked one by one: on a loaded machine two paced requests can be delivered back to back.
    const at = server.requests.map((r) => r.at).sort((a, b) => a - b);
    for (let i = 1; i < at.length; i++) expect(at[i]! - t0).toBeGreaterThanOrEqual(i * 50 - 5);
    expect(client.stats.waitedMs).toBeGreaterThan(150);
  });

  it("workspace lists share the GET bucket by default; rateLimits:false disables pacing", async () => {
    server = await startServer((req) =>
      req.url.includes("startIndex") ? { status: 200, body: { totalResults: 0, startIndex: 1, itemsPerPage: 0, schemas: [] } } : OK,
    );
    client = clientFor(server, { rateLimits: { GET: 10 } });
    const t0 = performance.now();
    await Promise.all([client.users.get("1"), client.users.list(), client.groups.list(), client.users.get("2")]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(3 * 100 - 15);
    await client.close();

    client = clientFor(server, { rateLimits: false });
    const t1 = performance.now();
    await Promise.all(Array.from({ length: 20 }, (_, i) => client!.users.get(String(i))));
    expect(performance.now() - t1).toBeLessThan(500);
  });
});
