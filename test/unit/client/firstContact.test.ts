// A host this process has never reached fails fast (about 10 s at most) with an error naming the host and
// where it came from; a host that has answered keeps the patient retries; the retry budget bounds them.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  HostUnreachableError,
  InvalidArgumentError,
  NetworkError,
  NotDatabricksApiError,
  RateLimitError,
  ScimClient,
  staticToken,
} from "../../../provider/client";
import { TOKEN, clientFor, rejectionOf, startServer, type TestServer } from "./helpers";

const OK_USER = { status: 200, body: { id: "1", userName: "a@b.com" } };
const FROM = "from DATABRICKS_HOST";
let server: TestServer | undefined;
let client: ScimClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  await server?.close();
  server = undefined;
  delete process.env.DATABRICKS_SCIM_RETRY_BUDGET_SECONDS;
});

/** A loopback port with nothing listening. */
async function closedPort(): Promise<string> {
  const s = await startServer(() => OK_USER);
  await s.close();
  return s.url;
}

/** Default retry settings (not the tests' fast ones): the bound must hold for what users run. */
function withDefaults(host: string, extra: Partial<ConstructorParameters<typeof ScimClient>[0]> = {}): ScimClient {
  return new ScimClient({ host, level: "workspace", auth: staticToken(TOKEN, "DATABRICKS_TOKEN"), hostSource: FROM, ...extra });
}

describe("a host never reached fails fast", () => {
  it("connection refused: a couple of quick tries, then an error naming the host and its source, well within 10 s", async () => {
    const url = await closedPort();
    client = withDefaults(url);
    const t0 = performance.now();
    const e = await rejectionOf(client.users.get("1"));
    const took = performance.now() - t0;
    expect(took).toBeLessThan(10_000);
    expect(e).toBeInstanceOf(HostUnreachableError);
    expect(e).toBeInstanceOf(NetworkError);
    expect(e.causeCode).toBe("ECONNREFUSED");
    expect(e.attempts).toBe(3);
    expect(e.message).toContain(`cannot reach ${url} (${FROM})`);
    expect(e.message).toContain("connection refused");
    expect(e.message).not.toContain(TOKEN);
  });

  it("a POST to a closed port fails the same way (never sent, so not ambiguous)", async () => {
    client = withDefaults(await closedPort());
    const e = await rejectionOf(client.users.create({ userName: "x@y.com" }));
    expect(e).toBeInstanceOf(HostUnreachableError);
  });

  it("a DNS name that does not resolve fails within 10 s naming the host", async () => {
    client = withDefaults("https://no-such-workspace.invalid");
    const t0 = performance.now();
    const e = await rejectionOf(client.users.get("1"));
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(e).toBeInstanceOf(HostUnreachableError);
    // ENOTFOUND where a resolver answers; EAI_AGAIN (after quick tries) where none is reachable.
    expect(["ENOTFOUND", "EAI_AGAIN"]).toContain(e.causeCode);
    expect(e.message).toContain(`https://no-such-workspace.invalid (${FROM})`);
  });

  it("TLS failure (https to a plain-HTTP port) fails at once, not retried", async () => {
    server = await startServer(() => OK_USER);
    const port = new URL(server.url).port;
    client = withDefaults(`https://127.0.0.1:${port}`);
    const t0 = performance.now();
    const e = await rejectionOf(client.users.get("1"));
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(e).toBeInstanceOf(HostUnreachableError);
    expect(e.message).toContain("TLS failed");
    expect(e.message).toContain(FROM);
    expect(e.attempts).toBe(1);
  });

  it("an HTML page answered 200 is 'not a Databricks API', after one request", async () => {
    server = await startServer(() => ({
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8" },
      body: "<!doctype html><html><head><title>Welcome to nginx!</title></head><body>hi</body></html>",
    }));
    client = withDefaults(server.url);
    const e = await rejectionOf(client.users.get("1"));
    expect(e).toBeInstanceOf(NotDatabricksApiError);
    expect(e.message).toContain(`${server.url} (${FROM}) is not a Databricks API`);
    expect(e.message).toContain("Welcome to nginx!");
    expect(server.requests).toHaveLength(1);
  });

  it("an HTML 404 before any Databricks answer is 'not a Databricks API'; an HTML 502 after one is retried", async () => {
    let html404 = true;
    let n = 0;
    server = await startServer(() => {
      n++;
      if (html404) return { status: 404, headers: { "content-type": "text/html" }, body: "<html><body>Not Found</body></html>" };
      if (n === 3) return { status: 502, headers: { "content-type": "text/html" }, body: "<html><body>Bad Gateway</body></html>" };
      return OK_USER;
    });
    client = clientFor(server, { hostSource: FROM });
    const e = await rejectionOf(client.users.get("1"));
    expect(e).toBeInstanceOf(NotDatabricksApiError);
    expect(e.message).toContain("is not a Databricks API");
    html404 = false;
    await client.users.get("1"); // n = 2: the host has answered like Databricks
    await expect(client.users.get("1")).resolves.toMatchObject({ id: "1" }); // n = 3 is the 502 page, retried
    expect(n).toBe(4);
  });
});

describe("a host that has answered keeps the patient retries", () => {
  it("connection resets after a first answer are retried until the host is back", async () => {
    let n = 0;
    server = await startServer(() => (++n >= 2 && n <= 6 ? { status: 0, destroy: true } : OK_USER));
    client = clientFor(server, { retry: { minDelayMs: 5, maxDelayMs: 20, maxRetries: 10, maxElapsedMs: 10_000 } });
    await client.users.get("1");
    await expect(client.users.get("1")).resolves.toMatchObject({ id: "1" });
    expect(n).toBe(7);
  });

  it("connection refused after a first answer (a restart) is retried past the first-contact limit", async () => {
    // A server we can stop and start on the same port.
    let sockets = new Set<import("node:net").Socket>();
    const handler: http.RequestListener = (_req, res) => {
      res.writeHead(200, { "content-type": "application/scim+json" });
      res.end(JSON.stringify(OK_USER.body));
    };
    let srv = http.createServer(handler);
    srv.on("connection", (s) => sockets.add(s));
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    const port = (srv.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;
    client = new ScimClient({
      host: url,
      level: "workspace",
      auth: staticToken(TOKEN, "x"),
      hostSource: FROM,
      retry: { minDelayMs: 200, maxDelayMs: 400, maxRetries: 30, maxElapsedMs: 20_000 },
    });
    await client.users.get("1");
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => srv.close(() => r()));
    sockets = new Set();
    const pending = client.users.get("1");
    // Down for 2.5 s: more attempts than a never-reached host gets.
    await new Promise((r) => setTimeout(r, 2_500));
    srv = http.createServer(handler);
    srv.on("connection", (s) => sockets.add(s));
    await new Promise<void>((r) => srv.listen(port, "127.0.0.1", () => r()));
    try {
      await expect(pending).resolves.toMatchObject({ id: "1" });
      expect(client.stats.retries).toBeGreaterThan(3);
    } finally {
      await client.close();
      client = undefined;
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});

describe("the retry budget", () => {
  it("DATABRICKS_SCIM_RETRY_BUDGET_SECONDS bounds the total retry time", async () => {
    server = await startServer((_req, n) => (n === 1 ? OK_USER : { status: 429, body: { error_code: "REQUEST_LIMIT_EXCEEDED", message: "slow" } }));
    process.env.DATABRICKS_SCIM_RETRY_BUDGET_SECONDS = "1.5";
    client = withDefaults(server.url);
    await client.users.get("1");
    const t0 = performance.now();
    const e = await rejectionOf(client.users.get("2"));
    const took = performance.now() - t0;
    expect(e).toBeInstanceOf(RateLimitError);
    expect(took).toBeLessThan(1_500 + 500);
    expect(e.attempts).toBeGreaterThan(1);
  });

  it("the client option wins over the environment, and a bad value names the variable", async () => {
    server = await startServer(() => ({ status: 503, body: { error_code: "TEMPORARILY_UNAVAILABLE", message: "busy" } }));
    process.env.DATABRICKS_SCIM_RETRY_BUDGET_SECONDS = "600";
    client = withDefaults(server.url, { retry: { maxElapsedMs: 800 } });
    const t0 = performance.now();
    await rejectionOf(client.users.get("1"));
    expect(performance.now() - t0).toBeLessThan(800 + 500);

    process.env.DATABRICKS_SCIM_RETRY_BUDGET_SECONDS = "five minutes";
    expect(() => withDefaults(server!.url)).toThrow(InvalidArgumentError);
    expect(() => withDefaults(server!.url)).toThrow(/DATABRICKS_SCIM_RETRY_BUDGET_SECONDS/);
  });
});

describe("notices", () => {
  it("a request that waits long on throttling says so once, naming the host and its source", async () => {
    let n = 0;
    server = await startServer(() =>
      ++n <= 6 ? { status: 429, headers: { "retry-after": "0.1" }, body: { error_code: "REQUEST_LIMIT_EXCEEDED", message: "x" } } : OK_USER,
    );
    const notices: string[] = [];
    client = withDefaults(server.url, { onNotice: (m) => notices.push(m), tuning: { noticeAfterMs: 300 } });
    await client.users.get("1");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`Databricks is throttling requests to ${server.url} (${FROM})`);
    expect(notices[0]).toContain("DATABRICKS_SCIM_RETRY_BUDGET_SECONDS");
    expect(notices[0]).not.toContain(TOKEN);
  });

  it("no notice for short waits", async () => {
    let n = 0;
    server = await startServer(() => (++n <= 1 ? { status: 429, headers: { "retry-after": "0.05" }, body: {} } : OK_USER));
    const notices: string[] = [];
    client = withDefaults(server.url, { onNotice: (m) => notices.push(m) });
    await client.users.get("1");
    expect(notices).toHaveLength(0);
  });
});

describe("notices while paced", () => {
  it("a request that waits long for its turn under a published limit says so, naming the limit", async () => {
    server = await startServer(() => ({ status: 204 }));
    const notices: string[] = [];
    client = new ScimClient({
      host: server.url,
      level: "account",
      accountId: "acc-1",
      auth: staticToken(TOKEN, "x"),
      hostSource: FROM,
      onNotice: (m) => notices.push(m),
      tuning: { noticeAfterMs: 600 },
    });
    // PATCH is published at 2/s: the 3rd and later requests each wait >= 0.5 s more than the one before.
    await Promise.all(Array.from({ length: 4 }, () => client!.groups.patch("1", [{ op: "add", path: "members", value: [{ value: "2" }] }])));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`requests to ${server.url} (${FROM}) wait their turn (paced to the published PATCH limit of 2/s)`);
  });
});
