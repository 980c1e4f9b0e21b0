import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearHostMetadataCache, OAuthM2MAuth, resolveConnection } from "../../../provider/auth";
import { envWith, rejected, tempHome } from "./helpers";

const CLIENT_ID = "sp-client-id";
const CLIENT_SECRET = "dose-SECRET-5up3r";

interface Seen {
  method: string;
  url: string;
  auth?: string;
  contentType?: string;
  body: string;
}

/**
 * A loopback Databricks OIDC: discovery, workspace and account token endpoints; and host metadata, 404 (none)
 * unless `metadata` is set, kept out of `seen` (the OAuth requests).
 */
const fake = {
  seen: [] as Seen[],
  metadata: undefined as Record<string, unknown> | undefined,
  metadataRequests: 0,
  issued: 0,
  expiresIn: 3600 as number | undefined,
  tokenDelayMs: 0,
  discovery404: false,
  tokenStatus: 200,
  reset(): void {
    this.seen = [];
    this.metadata = undefined;
    this.metadataRequests = 0;
    this.issued = 0;
    this.expiresIn = 3600;
    this.tokenDelayMs = 0;
    this.discovery404 = false;
    this.tokenStatus = 200;
  },
};
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.url === "/.well-known/databricks-config") {
        fake.metadataRequests++;
        res.writeHead(fake.metadata ? 200 : 404, { "content-type": "application/json" });
        return void res.end(JSON.stringify(fake.metadata ?? { error_code: "NOT_FOUND" }));
      }
      fake.seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        auth: req.headers.authorization,
        contentType: req.headers["content-type"],
        body,
      });
      const json = (status: number, obj: unknown): void => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(obj));
      };
      // The workspace's discovery document, and the ones a metadata oidc_endpoint may point to.
      if (req.method === "GET" && /^(\/oidc|\/custom-oidc|\/oidc\/accounts\/[^/]+)\/\.well-known\/oauth-authorization-server$/.test(req.url ?? "")) {
        if (fake.discovery404) return json(404, { error_code: "NOT_FOUND" });
        return json(200, {
          authorization_endpoint: `${base}/oidc/v1/authorize`,
          token_endpoint: `${base}/oidc/v1/token`,
        });
      }
      const isToken = req.method === "POST" && (req.url === "/oidc/v1/token" || /^\/oidc\/accounts\/[^/]+\/v1\/token$/.test(req.url ?? ""));
      if (isToken) {
        const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`;
        const params = new URLSearchParams(body);
        if (fake.tokenStatus !== 200) return json(fake.tokenStatus, { error: "server_error" });
        if (req.headers.authorization !== expected) {
          return json(401, { error: "invalid_client", error_description: "Client authentication failed" });
        }
        if (params.get("grant_type") !== "client_credentials" || params.get("scope") !== "all-apis") {
          return json(400, { error: "invalid_request" });
        }
        const n = ++fake.issued;
        const reply = { access_token: `at-${n}`, token_type: "Bearer", expires_in: fake.expiresIn };
        setTimeout(() => json(200, reply), fake.tokenDelayMs);
        return;
      }
      json(404, { error: "no route" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  fake.reset();
  clearHostMetadataCache();
});

function workspaceAuth(secret = CLIENT_SECRET): OAuthM2MAuth {
  return new OAuthM2MAuth({ host: base, level: "workspace", clientId: CLIENT_ID, clientSecret: secret, source: "test" });
}

describe("OAuth M2M and the host metadata's oidc_endpoint", () => {
  it("discovers the token endpoint under the metadata's oidc_endpoint when it names one", async () => {
    fake.metadata = { oidc_endpoint: `${base}/custom-oidc/`, host_type: "workspace" };
    expect(await workspaceAuth().headers()).toEqual({ Authorization: "Bearer at-1" });
    expect(fake.metadataRequests).toBe(1);
    expect(fake.seen.map((s) => `${s.method} ${s.url}`)).toEqual(["GET /custom-oidc/.well-known/oauth-authorization-server", "POST /oidc/v1/token"]);
  });

  it("account level: fills the {account_id} placeholder and discovers, instead of the fixed token URL", async () => {
    fake.metadata = { oidc_endpoint: `${base}/oidc/accounts/{account_id}`, host_type: "unified" };
    const auth = new OAuthM2MAuth({ host: base, level: "account", accountId: "acc-1", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, source: "test" });
    expect(await auth.headers()).toEqual({ Authorization: "Bearer at-1" });
    expect(fake.seen.map((s) => `${s.method} ${s.url}`)).toEqual(["GET /oidc/accounts/acc-1/.well-known/oauth-authorization-server", "POST /oidc/v1/token"]);
  });

  it("no metadata (404): the per-level endpoints, as before; the metadata is asked once per host", async () => {
    const auth = new OAuthM2MAuth({ host: base, level: "account", accountId: "acc-1", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, source: "test" });
    await auth.headers();
    await workspaceAuth().headers();
    expect(fake.metadataRequests).toBe(1);
    expect(fake.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "POST /oidc/accounts/acc-1/v1/token",
      "GET /oidc/.well-known/oauth-authorization-server",
      "POST /oidc/v1/token",
    ]);
  });
});

describe("OAuth M2M against a loopback server", () => {
  it("discovers the token endpoint, then posts client_credentials with Basic auth", async () => {
    const auth = workspaceAuth();
    expect(await auth.headers()).toEqual({ Authorization: "Bearer at-1" });
    expect(fake.seen.map((s) => `${s.method} ${s.url}`)).toEqual(["GET /oidc/.well-known/oauth-authorization-server", "POST /oidc/v1/token"]);
    const post = fake.seen[1]!;
    expect(post.contentType).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(post.body))).toEqual({ grant_type: "client_credentials", scope: "all-apis" });
  });

  it("caches the token while it is fresh", async () => {
    const auth = workspaceAuth();
    await auth.headers();
    await auth.headers();
    await auth.headers();
    expect(fake.issued).toBe(1);
  });

  it("refreshes a token that expires in 1 s", async () => {
    fake.expiresIn = 1;
    const auth = workspaceAuth();
    expect(await auth.headers()).toEqual({ Authorization: "Bearer at-1" });
    expect(await auth.headers()).toEqual({ Authorization: "Bearer at-1" });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await auth.headers()).toEqual({ Authorization: "Bearer at-2" });
    // discovery is not repeated
    expect(fake.seen.filter((s) => s.method === "GET")).toHaveLength(1);
  });

  it("refreshes 60 s before expiry (fake clock)", async () => {
    let now = 1_000_000;
    const auth = new OAuthM2MAuth({
      host: base,
      level: "workspace",
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      source: "test",
      now: () => now,
    });
    await auth.headers();
    now += 3_600_000 - 61_000;
    expect(await auth.headers()).toEqual({ Authorization: "Bearer at-1" });
    now += 2_000; // now 59 s before expiry
    expect(await auth.headers()).toEqual({ Authorization: "Bearer at-2" });
  });

  it("invalidate() drops the cached token", async () => {
    const auth = workspaceAuth();
    await auth.headers();
    auth.invalidate();
    expect(await auth.headers()).toEqual({ Authorization: "Bearer at-2" });
  });

  it("concurrent callers share one in-flight fetch", async () => {
    fake.tokenDelayMs = 150;
    const auth = workspaceAuth();
    const all = await Promise.all(Array.from({ length: 20 }, () => auth.headers()));
    expect(new Set(all.map((h) => h.Authorization))).toEqual(new Set(["Bearer at-1"]));
    expect(fake.issued).toBe(1);
    expect(fake.seen.filter((s) => s.method === "POST")).toHaveLength(1);
  });

  it("a fetch started before invalidate() does not repopulate the cache", async () => {
    fake.tokenDelayMs = 100;
    const auth = workspaceAuth();
    const first = auth.headers();
    auth.invalidate();
    expect(await first).toEqual({ Authorization: "Bearer at-1" });
    expect(await auth.headers()).toEqual({ Authorization: "Bearer at-2" });
  });

  it("a bad secret → AUTH_TOKEN_ENDPOINT naming the endpoint and status, never the secret", async () => {
    const wrong = "dose-WRONG-secret-xyz";
    const auth = new OAuthM2MAuth({
      host: base,
      level: "workspace",
      clientId: CLIENT_ID,
      clientSecret: wrong,
      source: "DATABRICKS_CLIENT_ID, DATABRICKS_CLIENT_SECRET from the environment (oauth-m2m)",
    });
    const e = await rejected(auth.headers());
    expect(e.code).toBe("AUTH_TOKEN_ENDPOINT");
    expect(e.message).toContain(`token endpoint ${base}/oidc/v1/token answered HTTP 401: invalid_client: Client authentication failed`);
    expect(e.message).toContain("DATABRICKS_CLIENT_SECRET from the environment");
    for (const text of [e.message, e.stack ?? "", JSON.stringify(e)]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(Buffer.from(`${CLIENT_ID}:${wrong}`).toString("base64"));
    }
    // the failure is not cached: a later call tries again
    await rejected(auth.headers());
    expect(fake.seen.filter((s) => s.method === "POST")).toHaveLength(2);
  });

  it("a 5xx from the token endpoint is an error with the status", async () => {
    fake.tokenStatus = 503;
    const e = await rejected(workspaceAuth().headers());
    expect(e.code).toBe("AUTH_TOKEN_ENDPOINT");
    expect(e.message).toContain("answered HTTP 503: server_error");
  });

  it("discovery 404 → databricks OAuth is not supported for this host", async () => {
    fake.discovery404 = true;
    const e = await rejected(workspaceAuth().headers());
    expect(e.code).toBe("AUTH_OAUTH_UNSUPPORTED");
    expect(e.message).toMatch(/^default auth: oauth-m2m: oidc: databricks OAuth is not supported for this host/);
  });

  it("an unreachable host is an error naming the URL", async () => {
    const auth = new OAuthM2MAuth({
      host: "http://127.0.0.1:1",
      level: "workspace",
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      source: "test",
    });
    const e = await rejected(auth.headers());
    expect(e.code).toBe("AUTH_TOKEN_ENDPOINT");
    expect(e.message).toContain("cannot reach http://127.0.0.1:1/oidc/.well-known/oauth-authorization-server");
  });

  it("account level posts to /oidc/accounts/{id}/v1/token without discovery, via resolveConnection", async () => {
    const c = resolveConnection(
      { host: base, level: "account", accountId: "acc-123" },
      envWith(tempHome(), { DATABRICKS_CLIENT_ID: CLIENT_ID, DATABRICKS_CLIENT_SECRET: CLIENT_SECRET }),
    );
    expect(c.level).toBe("account");
    expect(fake.seen).toHaveLength(0); // resolution made no request
    expect(await c.auth.headers()).toEqual({ Authorization: "Bearer at-1" });
    expect(fake.seen.map((s) => `${s.method} ${s.url}`)).toEqual(["POST /oidc/accounts/acc-123/v1/token"]);
  });
});
