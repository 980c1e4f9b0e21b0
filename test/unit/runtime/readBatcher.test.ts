import { afterEach, describe, expect, it } from "vitest";
import type { ScimUser } from "../../../provider/client/types";
import { BATCH_SIZE } from "../../../provider/runtime/readBatcher";
import { batchedRead } from "../lifecycle/testSession";
import { clientFor, listResponse, scimError, startServer, WS, type Recorded, type Reply, type TestServer } from "../client/helpers";

// The exact requests refresh reads turn into, against a scripted loopback server standing in for a workspace.
const ATTRS = "userName,displayName";
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function workspace(handler: (req: Recorded) => Reply): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

/** The ids a request's `id eq "…" or …` filter asks for. */
function idsIn(req: Recorded): string[] {
  const filter = new URL(req.url, "http://x").searchParams.get("filter") ?? "";
  return [...filter.matchAll(/id eq "(\d+)"/g)].map((m) => m[1] as string);
}

const user = (id: string): ScimUser & { id: string } => ({ id, userName: `u${id}@example.com`, displayName: `User ${id}` });

/** Holds every id except those in `gone`; answers filtered lists the way Databricks does. */
function usersExcept(gone: Set<string>) {
  return (req: Recorded): Reply => {
    if (req.method === "GET" && req.url.startsWith(`${WS}/Users?`)) {
      const found = idsIn(req)
        .filter((id) => !gone.has(id))
        .map(user);
      return { status: 200, body: listResponse(found, 1, found.length) };
    }
    const one = /\/Users\/(\d+)\?/.exec(req.url);
    if (req.method === "GET" && one) {
      return gone.has(one[1] as string) ? { status: 404, body: scimError(404, `User ${one[1]} not found`) } : { status: 200, body: user(one[1] as string) };
    }
    return { status: 500, body: scimError(500, `unexpected ${req.method} ${req.url}`) };
  };
}

describe("batched refresh reads", () => {
  it("answers 120 concurrent reads with three filtered LISTs, each read getting its own object or undefined", async () => {
    const s = await workspace(usersExcept(new Set(["1007"])));
    const api = clientFor(s).users;
    const ids = Array.from({ length: 120 }, (_, i) => String(1000 + i));
    const results = await Promise.all(ids.map((id) => batchedRead(api, id, ATTRS)));
    expect(results.map((r) => r?.id)).toEqual(ids.map((id) => (id === "1007" ? undefined : id)));
    expect(results[3]?.userName).toBe("u1003@example.com");
    expect(s.requests.map((r) => r.method)).toEqual(["GET", "GET", "GET"]);
    expect(s.requests.map((r) => idsIn(r).length)).toEqual([BATCH_SIZE, BATCH_SIZE, 20]);
    // Exactly the asked attributes, and a page as large as the batch, so one request answers it.
    const q = new URL(s.requests[0]!.url, "http://x").searchParams;
    expect(q.get("attributes")).toBe(ATTRS);
    expect(q.get("count")).toBe(String(BATCH_SIZE));
    expect(q.get("filter")).toBe(
      ids
        .slice(0, BATCH_SIZE)
        .map((id) => `id eq "${id}"`)
        .join(" or "),
    );
  });

  it("asks for an id read twice at once only once", async () => {
    const s = await workspace(usersExcept(new Set()));
    const api = clientFor(s).users;
    const [a, b] = await Promise.all([batchedRead(api, "5", ATTRS), batchedRead(api, "5", ATTRS)]);
    expect(a?.id).toBe("5");
    expect(b?.id).toBe("5");
    expect(s.requests.length).toBe(1);
    expect(idsIn(s.requests[0]!)).toEqual(["5"]);
  });

  it("falls back to one GET per id when the server refuses the filter, and keeps doing so", async () => {
    const gone = new Set(["2"]);
    const plain = usersExcept(gone);
    const s = await workspace((req) => (req.url.includes("filter=") ? { status: 400, body: scimError(400, "Invalid filter", "invalidFilter") } : plain(req)));
    const api = clientFor(s).users;
    const results = await Promise.all(["1", "2", "3"].map((id) => batchedRead(api, id, ATTRS)));
    expect(results.map((r) => r?.id)).toEqual(["1", undefined, "3"]);
    expect(s.requests.filter((r) => r.url.includes("filter=")).length).toBe(1);
    expect((await batchedRead(api, "4", ATTRS))?.id).toBe("4");
    expect(s.requests.filter((r) => r.url.includes("filter=")).length).toBe(1);
    expect(s.requests.filter((r) => /\/Users\/\d+\?/.test(r.url)).length).toBe(4);
  });

  it("fails every read of a batch whose LIST fails, with the server's error", async () => {
    const s = await workspace(() => ({ status: 403, body: { error_code: 403, message: "Invalid access token." } }));
    const api = clientFor(s).users;
    const settled = await Promise.allSettled(["1", "2"].map((id) => batchedRead(api, id, ATTRS)));
    expect(settled.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(String((settled[0] as PromiseRejectedResult).reason)).toContain("Invalid access token");
  });

  it("gathers reads that arrive while batches are out into the next one", async () => {
    // A slow server: while the first batch is out, later reads wait and then go together.
    const plain = usersExcept(new Set());
    const s = await workspace((req) => ({ ...plain(req), delayMs: 60 }));
    const api = clientFor(s).users;
    const first = batchedRead(api, "1", ATTRS);
    await new Promise((r) => setTimeout(r, 15)); // batch 1 out
    const later = Array.from({ length: 30 }, (_, i) => batchedRead(api, String(100 + i), ATTRS));
    await Promise.all([first, ...later]);
    expect(s.requests.map((r) => idsIn(r).length)).toEqual([1, 30]);
  });
});
