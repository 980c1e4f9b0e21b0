import { afterEach, describe, expect, it, vi } from "vitest";
import {
  AmbiguousWriteError,
  AuthError,
  NetworkError,
  RateLimitError,
  ServerError,
  TimeoutError,
  isAmbiguousWrite,
  staticToken,
  type AuthProvider,
  type ScimClient,
} from "../../../provider/client";
import { backoffDelay, decide, parseRetryAfter, DEFAULT_RETRY } from "../../../provider/client/retry";
import { SOURCE, TOKEN, clientFor, rejectionOf, scimError, startServer, type Handler, type TestServer } from "./helpers";

let server: TestServer | undefined;
let client: ScimClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  server = client = undefined;
});

const RLE_500 = {
  status: 500,
  body: scimError(500, "REQUEST_LIMIT_EXCEEDED: Workspace 1234 exceeded the concurrent limit of 4 requests."),
};
const OK_USER = { status: 200, body: { id: "1", userName: "a@b.com" } };
const CREATED = { status: 201, body: { id: "1", userName: "a@b.com" } };

/** Fails the first `n` requests with `fail`, then answers `ok`. */
function failThen(n: number, fail: ReturnType<Handler>, ok: ReturnType<Handler>): Handler {
  return (_req, i) => (i <= n ? fail : ok);
}

async function setup(h: Handler, opts: Parameters<typeof clientFor>[1] = {}) {
  server = await startServer(h);
  client = clientFor(server, opts);
  return { server, client };
}

describe("retry policy (pure)", () => {
  it("decide(): throttled answers retry for every method; 502/504 and sent-then-broken are ambiguous for POST", () => {
    for (const m of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      expect(decide(m, { kind: "response", status: 429, throttled: true })).toBe("retry");
      expect(decide(m, { kind: "response", status: 500, throttled: true })).toBe("retry");
      expect(decide(m, { kind: "response", status: 404, throttled: false })).toBe("final");
      expect(decide(m, { kind: "network", code: "ECONNREFUSED" })).toBe("retry");
      expect(decide(m, { kind: "network", code: "ENOTFOUND" })).toBe("final");
    }
    for (const m of ["GET", "PUT", "PATCH", "DELETE"]) {
      expect(decide(m, { kind: "response", status: 502, throttled: false })).toBe("retry");
      expect(decide(m, { kind: "response", status: 500, throttled: false })).toBe("retry");
      expect(decide(m, { kind: "network", code: "ECONNRESET" })).toBe("retry");
      expect(decide(m, { kind: "network", code: "UND_ERR_HEADERS_TIMEOUT" })).toBe("retry");
    }
    expect(decide("POST", { kind: "response", status: 502, throttled: false })).toBe("ambiguous");
    expect(decide("POST", { kind: "response", status: 504, throttled: false })).toBe("ambiguous");
    expect(decide("POST", { kind: "network", code: "ECONNRESET" })).toBe("ambiguous");
    expect(decide("POST", { kind: "network", code: "UND_ERR_SOCKET" })).toBe("ambiguous");
    expect(decide("POST", { kind: "network", code: "UND_ERR_HEADERS_TIMEOUT" })).toBe("ambiguous");
  });

  it("parseRetryAfter(): seconds, decimals, HTTP date, garbage", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("0.5")).toBe(500);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:07 GMT", now)).toBe(7000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 00:00:00 GMT", now)).toBe(0);
  });

  it("backoffDelay(): exponential ceiling, floor at minDelay, capped at maxDelay, Retry-After wins", () => {
    const o = { ...DEFAULT_RETRY, minDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, o, undefined, () => 0)).toBe(100);
    expect(backoffDelay(0, o, undefined, () => 1)).toBe(200);
    expect(backoffDelay(2, o, undefined, () => 1)).toBe(800);
    expect(backoffDelay(10, o, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(10, o, undefined, () => 0.5)).toBe(550);
    expect(backoffDelay(3, o, 5000, () => 1)).toBe(5000);
  });
});

describe("retries against a server", () => {
  it("429 without Retry-After: backs off and succeeds; stats count it", async () => {
    const { server, client } = await setup(failThen(2, { status: 429, body: { error_code: "REQUEST_LIMIT_EXCEEDED", message: "x" } }, OK_USER));
    const u = await client.users.get("1");
    expect(u.id).toBe("1");
    expect(server.requests).toHaveLength(3);
    expect(client.stats).toMatchObject({ requests: 3, retries: 2, throttled: 2, failures: 0, byMethod: { GET: 3 } });
  });

  it("429 with Retry-After: waits at least that long (even above maxDelayMs)", async () => {
    const { server, client } = await setup(failThen(1, { status: 429, headers: { "retry-after": "1" } }, OK_USER), {
      retry: { minDelayMs: 1, maxDelayMs: 5, maxRetries: 3, maxElapsedMs: 10_000 },
    });
    await client.users.get("1");
    expect(server.requests).toHaveLength(2);
    const gap = server.requests[1]!.at - server.requests[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(950);
  });

  it("Retry-After beyond the elapsed cap: gives up at once with RateLimitError", async () => {
    const { server, client } = await setup(() => ({ status: 429, headers: { "retry-after": "120" } }), {
      retry: { minDelayMs: 1, maxDelayMs: 5, maxRetries: 5, maxElapsedMs: 2000 },
    });
    const t0 = performance.now();
    const e = await rejectionOf(client.users.get("1"));
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e.retryAfterMs).toBe(120_000);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  it("500 REQUEST_LIMIT_EXCEEDED is retried, for POST too", async () => {
    const { server, client } = await setup(failThen(2, RLE_500, CREATED));
    const u = await client.users.create({ userName: "a@b.com" });
    expect(u.id).toBe("1");
    expect(server.requests.map((r) => r.method)).toEqual(["POST", "POST", "POST"]);
    expect(client.stats.throttled).toBe(2);
  });

  it("503 on POST is retried (not applied)", async () => {
    const { server, client } = await setup(failThen(1, { status: 503, body: "unavailable" }, CREATED));
    await client.groups.create({ displayName: "g" });
    expect(server.requests).toHaveLength(2);
  });

  it("plain 500: POST → AmbiguousWriteError at once (it may have been applied); GET retried maxServerErrorRetries times", async () => {
    const { server, client } = await setup(() => ({ status: 500, body: scimError(500, "Internal error.") }), {
      retry: { minDelayMs: 1, maxDelayMs: 2 },
    });
    const p = await rejectionOf(client.users.create({ userName: "a@b.com" }));
    expect(p).toBeInstanceOf(AmbiguousWriteError);
    expect(p.cause).toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1);
    expect(await rejectionOf(client.users.get("1"))).toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1 + 4);
    // A transient one is ridden out.
    server.requests.length = 0;
    server.setHandler(failThen(2, { status: 500, body: scimError(500, "Internal error.") }, OK_USER));
    expect((await client.users.get("1")).id).toBe("1");
  });

  it("502 on POST → AmbiguousWriteError without retry; 502 on GET/PUT/DELETE is retried", async () => {
    const { server, client } = await setup(() => ({ status: 502, body: "<html>Bad Gateway</html>" }));
    const e = await rejectionOf(client.groups.create({ displayName: "big" }));
    expect(e).toBeInstanceOf(AmbiguousWriteError);
    expect(isAmbiguousWrite(e)).toBe(true);
    expect(e.code).toBe("SCIM_AMBIGUOUS_WRITE");
    expect(e.cause).toBeInstanceOf(ServerError);
    expect((e.cause as ServerError).status).toBe(502);
    expect(e.message).toMatch(/may have been applied/);
    expect(server.requests).toHaveLength(1);

    for (const call of [() => client.users.get("1"), () => client.users.replace("1", { userName: "a" }), () => client.users.delete("1")]) {
      server.requests.length = 0; // the handler's n is the index in this list
      server.setHandler(failThen(2, { status: 504 }, OK_USER));
      await call();
      expect(server.requests).toHaveLength(3);
    }
  });

  it("connection reset: GET retried, POST → AmbiguousWriteError (cause NetworkError), not retried", async () => {
    const { server, client } = await setup(failThen(1, { status: 0, destroy: true }, OK_USER));
    expect((await client.users.get("1")).id).toBe("1");
    expect(server.requests).toHaveLength(2);

    server.setHandler(() => ({ status: 0, destroy: true }));
    const e = await rejectionOf(client.users.create({ userName: "a@b.com" }));
    expect(e).toBeInstanceOf(AmbiguousWriteError);
    expect(e.cause).toBeInstanceOf(NetworkError);
    expect(server.requests).toHaveLength(3);
    expect(e.message).not.toContain(TOKEN);
  });

  it("connection refused is retried even for POST (never sent), then NetworkError", async () => {
    const dead = await startServer(() => OK_USER);
    const url = dead.url;
    await dead.close();
    client = clientFor({ url } as TestServer, { retry: { maxRetries: 2, minDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 5000 } });
    const e = await rejectionOf(client.users.create({ userName: "x" }));
    expect(e).toBeInstanceOf(NetworkError);
    expect(e).not.toBeInstanceOf(AmbiguousWriteError);
    expect(e.causeCode).toBe("ECONNREFUSED");
    expect(e.attempts).toBe(3);
    expect(client.stats.retries).toBe(2);
  });

  it("timeout → TimeoutError; POST timeout is ambiguous", async () => {
    const { client } = await setup(() => ({ ...OK_USER, delayMs: 400 }), {
      timeoutMs: 100,
      retry: { maxRetries: 1, minDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 5000 },
    });
    const e = await rejectionOf(client.users.get("1"));
    expect(e).toBeInstanceOf(TimeoutError);
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.code).toBe("SCIM_TIMEOUT");
    expect(e.attempts).toBe(2);
    const p = await rejectionOf(client.users.create({ userName: "x" }));
    expect(p).toBeInstanceOf(AmbiguousWriteError);
    expect(p.cause).toBeInstanceOf(TimeoutError);
  });

  it("maxRetries honoured: RateLimitError after 1 + maxRetries attempts", async () => {
    const { server, client } = await setup(() => RLE_500, { retry: { maxRetries: 3, minDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 10_000 } });
    const e = await rejectionOf(client.users.get("1"));
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e.status).toBe(500);
    expect(e.attempts).toBe(4);
    expect(e.message).toMatch(/REQUEST_LIMIT_EXCEEDED.*gave up after 4 attempts/);
    expect(server.requests).toHaveLength(4);
  });

  it("elapsed cap honoured: stops well before maxRetries", async () => {
    const { server, client } = await setup(() => ({ status: 429 }), {
      retry: { maxRetries: 1000, minDelayMs: 50, maxDelayMs: 100, maxElapsedMs: 600 },
    });
    const t0 = performance.now();
    const e = await rejectionOf(client.users.get("1"));
    const took = performance.now() - t0;
    expect(e).toBeInstanceOf(RateLimitError);
    expect(took).toBeLessThan(900);
    expect(server.requests.length).toBeGreaterThan(3);
    expect(server.requests.length).toBeLessThan(20);
  });
});

describe("auth refresh", () => {
  function refreshing(tokens: string[]): AuthProvider & { invalidations: number } {
    let i = 0;
    const p = {
      source: "OAuth M2M for client abc",
      invalidations: 0,
      async headers() {
        return { Authorization: `Bearer ${tokens[Math.min(i, tokens.length - 1)]}` };
      },
      invalidate() {
        p.invalidations++;
        i++;
      },
    };
    return p;
  }

  it("401 → invalidate() once, fresh headers, one retry that succeeds", async () => {
    const auth = refreshing(["old-token-1111", "new-token-2222"]);
    const { server, client } = await setup(
      (req) => (req.headers.authorization === "Bearer new-token-2222" ? OK_USER : { status: 401, body: { error_code: 401, message: "Token is expired" } }),
      { auth },
    );
    expect((await client.users.get("1")).id).toBe("1");
    expect(auth.invalidations).toBe(1);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Bearer old-token-1111", "Bearer new-token-2222"]);
  });

  it("403 twice → AuthError after exactly one retry; message has source, not tokens", async () => {
    const auth = refreshing(["tok-aaaa-1111", "tok-bbbb-2222"]);
    const { server, client } = await setup(() => ({ status: 403, body: { error_code: 403, message: "Invalid access token." } }), { auth });
    const e = await rejectionOf(client.users.create({ userName: "x" }));
    expect(e).toBeInstanceOf(AuthError);
    expect(auth.invalidations).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(e.message).toBe(`OAuth M2M for client abc was rejected by ${server.url}: 403 Invalid access token. (POST /api/2.0/preview/scim/v2/Users)`);
    expect(e.message).not.toMatch(/tok-/);
  });

  it("no invalidate(): no retry", async () => {
    const { server, client } = await setup(() => ({ status: 401, body: { error_code: 401, message: "nope" } }), {
      auth: staticToken(TOKEN, SOURCE),
    });
    const e = await rejectionOf(client.users.get("1"));
    expect(e).toBeInstanceOf(AuthError);
    expect(e.message).toContain(SOURCE);
    expect(e.message).not.toContain(TOKEN);
    expect(server.requests).toHaveLength(1);
  });
});

describe("abort", () => {
  it("an AbortSignal cancels a pending backoff", async () => {
    const { client } = await setup(() => ({ status: 429, headers: { "retry-after": "5" } }), {
      retry: { maxRetries: 5, minDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 60_000 },
    });
    const ac = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 100);
    const e = await rejectionOf(client.users.get("1", { signal: ac.signal }));
    expect(e.code).toBe("SCIM_ABORTED");
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

void vi;
