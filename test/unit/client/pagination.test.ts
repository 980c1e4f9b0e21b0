import { afterEach, describe, expect, it } from "vitest";
import type { ScimClient } from "../../../provider/client";
import { WS, clientFor, listResponse, startServer, type TestServer } from "./helpers";

let server: TestServer | undefined;
let client: ScimClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  server = client = undefined;
});

const users = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(1000 + i), userName: `u${i}@x.com` }));

/** A well-behaved server: honours startIndex and count. */
function paged(all: object[], opts: { omitEmptyResources?: boolean; maxCount?: number } = {}) {
  return (req: { url: string }) => {
    const q = new URL(req.url, "http://x").searchParams;
    const start = Number(q.get("startIndex") ?? 1);
    const count = Math.min(Number(q.get("count") ?? 100), opts.maxCount ?? Infinity);
    return { status: 200, body: listResponse(all.slice(start - 1, start - 1 + count), start, all.length) };
  };
}

function startIndexes(s: TestServer) {
  return s.requests.map((r) => Number(new URL(r.url, "http://x").searchParams.get("startIndex")));
}

describe("list pagination", () => {
  it("walks all pages and stops at totalResults without an extra request", async () => {
    const all = users(25);
    server = await startServer(paged(all));
    client = clientFor(server);
    const got = await client.users.list({ pageSize: 10 });
    expect(got.map((u) => u.id)).toEqual(all.map((u) => u.id));
    expect(startIndexes(server)).toEqual([1, 11, 21]);
  });

  it("exact multiple: stops when startIndex-1+len >= totalResults", async () => {
    server = await startServer(paged(users(20)));
    client = clientFor(server);
    expect(await client.users.list({ pageSize: 10 })).toHaveLength(20);
    expect(startIndexes(server)).toEqual([1, 11]);
  });

  it("stops on an empty page (Resources omitted) when totalResults is not trustworthy", async () => {
    const all = users(7);
    server = await startServer((req) => {
      const q = new URL(req.url, "http://x").searchParams;
      const start = Number(q.get("startIndex"));
      const page = all.slice(start - 1, start - 1 + 3);
      // totalResults claims more than exist: only the empty page ends the walk.
      return { status: 200, body: { ...listResponse(page, start, 1000) } };
    });
    client = clientFor(server);
    const got = await client.users.list({ pageSize: 3 });
    expect(got).toHaveLength(7);
    expect(startIndexes(server)).toEqual([1, 4, 7, 8]);
    const last = server.requests.at(-1)!;
    expect(last.url).toContain("startIndex=8");
  });

  it("de-duplicates by id when a resource shifts between pages", async () => {
    server = await startServer((req) => {
      const start = Number(new URL(req.url, "http://x").searchParams.get("startIndex"));
      if (start === 1) return { status: 200, body: listResponse([{ id: "1" }, { id: "2" }], 1, 5) };
      if (start === 3) return { status: 200, body: listResponse([{ id: "2" }, { id: "3" }], 3, 5) };
      if (start === 5) return { status: 200, body: listResponse([{ id: "4" }], 5, 5) };
      return { status: 200, body: listResponse([], start, 5) };
    });
    client = clientFor(server);
    const got = await client.groups.list({ pageSize: 2 });
    expect(got.map((g) => g.id)).toEqual(["1", "2", "3", "4"]);
  });

  it("copes with a server that ignores count (bigger pages) and one that clamps it (smaller pages)", async () => {
    const all = users(12);
    server = await startServer((req) => {
      const start = Number(new URL(req.url, "http://x").searchParams.get("startIndex"));
      return { status: 200, body: listResponse(all.slice(start - 1, start - 1 + 5), start, all.length) };
    });
    client = clientFor(server);
    expect((await client.users.list({ pageSize: 2 })).map((u) => u.id)).toEqual(all.map((u) => u.id));
    expect(startIndexes(server)).toEqual([1, 6, 11]);
    server.requests.length = 0;
    expect((await client.users.list({ pageSize: 10000 })).map((u) => u.id)).toEqual(all.map((u) => u.id));
    expect(startIndexes(server)).toEqual([1, 6, 11]);
  });

  it("does not loop forever on a server that ignores startIndex", async () => {
    server = await startServer(() => ({ status: 200, body: listResponse([{ id: "1" }, { id: "2" }], 1, 10) }));
    client = clientFor(server);
    expect((await client.users.list({ pageSize: 2 })).map((u) => u.id)).toEqual(["1", "2"]);
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });

  it("empty result: one request", async () => {
    server = await startServer(() => ({ status: 200, body: { schemas: [], totalResults: 0, startIndex: 1, itemsPerPage: 0 } }));
    client = clientFor(server);
    expect(await client.servicePrincipals.list()).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.url).toBe(`${WS}/ServicePrincipals?count=100&startIndex=1`);
  });
});

describe("finders", () => {
  it("findByUserName filters with eq and matches case-insensitively", async () => {
    server = await startServer(() => ({ status: 200, body: listResponse([{ id: "9", userName: "Alice@Example.com" }], 1, 1) }));
    client = clientFor(server);
    const u = await client.users.findByUserName("alice@example.com");
    expect(u?.id).toBe("9");
    const q = new URL(server.requests[0]!.url, "http://x").searchParams;
    expect(q.get("filter")).toBe('userName eq "alice@example.com"');
  });

  it("findByUserName ignores non-matching hits and returns undefined when none match", async () => {
    server = await startServer(() => ({ status: 200, body: listResponse([{ id: "9", userName: "alice@example.com.au" }], 1, 1) }));
    client = clientFor(server);
    expect(await client.users.findByUserName("alice@example.com")).toBeUndefined();
  });

  it("findByDisplayName prefers an exact match and adds displayName to explicit attributes", async () => {
    server = await startServer(() => ({
      status: 200,
      body: listResponse(
        [
          { id: "1", displayName: "DATA eng" },
          { id: "2", displayName: "data eng" },
        ],
        1,
        2,
      ),
    }));
    client = clientFor(server);
    const g = await client.groups.findByDisplayName("data eng", { attributes: "id" });
    expect(g?.id).toBe("2");
    const q = new URL(server.requests[0]!.url, "http://x").searchParams;
    expect(q.get("attributes")).toBe("id,displayName");
    expect(q.get("filter")).toBe('displayName eq "data eng"');
  });

  it("findByApplicationId escapes the value and returns undefined on no hits", async () => {
    server = await startServer(() => ({ status: 200, body: listResponse([], 1, 0) }));
    client = clientFor(server);
    expect(await client.servicePrincipals.findByApplicationId('x" or userName pr or "')).toBeUndefined();
    const q = new URL(server.requests[0]!.url, "http://x").searchParams;
    expect(q.get("filter")).toBe('applicationId eq "x\\" or userName pr or \\""');
  });
});
