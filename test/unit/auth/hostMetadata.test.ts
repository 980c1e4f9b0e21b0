// Host metadata in the auth chain (issue 24 item 2), against a stubbed loopback server: an account-level target
// with no account id takes it, and a workspace-level one with no workspace id takes a unified host's, from
// GET /.well-known/databricks-config (with the cloud); whatever the user set wins and makes no request; a 404, another status, bad JSON or a timeout fall back silently; one fetch per host.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearHostMetadataCache, parseHostMetadata, resolveConnection, resolveConnectionAsync } from "../../../provider/auth";
import { envWith, rejected, tempHome } from "./helpers";

const ACCOUNT = "6a1c0b2e-3d4f-4a5b-8c9d-0e1f2a3b4c5d";
const META = { oidc_endpoint: "", account_id: ACCOUNT, workspace_id: "1234567890123456", cloud: "AWS", host_type: "unified" };

const stub = {
  requests: [] as { url: string; authorization?: string }[],
  agents: [] as (string | undefined)[],
  status: 200,
  body: JSON.stringify(META) as string | undefined,
  reset(): void {
    this.requests = [];
    this.status = 200;
    this.body = JSON.stringify(META);
  },
};
let server: http.Server;
let host: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    stub.requests.push({ url: req.url ?? "", ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    stub.agents.push(req.headers["user-agent"]);
    // body undefined: never answer (a host that hangs), until the test's timeout gives up.
    if (stub.body === undefined) return;
    res.writeHead(stub.status, { "content-type": "application/json" }).end(stub.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  stub.reset();
  clearHostMetadataCache();
});

const account = (extra: Record<string, string> = {}) => ({ host, level: "account" as const, token: "dapi-host-metadata-test", ...extra });

describe("resolveConnectionAsync and host metadata", () => {
  it("fills an unset account id from the host's metadata, fetched without a credential", async () => {
    const conn = await resolveConnectionAsync(account(), envWith(tempHome()));
    expect(conn.accountId).toBe(ACCOUNT);
    // Account calls never carry a workspace id.
    expect(conn.workspaceId).toBeUndefined();
    expect(conn.accountIdSource).toBe(`the host metadata of ${host} (/.well-known/databricks-config)`);
    expect(stub.requests).toEqual([{ url: "/.well-known/databricks-config" }]);
    // Named as the package's SCIM calls are, not undici's default.
    expect(stub.agents.at(-1)).toMatch(/^pulumi-databricks-scim\/\S+ undici node\/\d+/);
  });

  it("what the user set always wins, and then no request is made", async () => {
    const other = "0f0e0d0c-0b0a-4909-8807-060504030201";
    const explicit = await resolveConnectionAsync(account({ accountId: other }), envWith(tempHome()));
    expect(explicit.accountId).toBe(other);
    expect(explicit.accountIdSource).toBeUndefined();
    const fromEnv = await resolveConnectionAsync(account(), envWith(tempHome(), { DATABRICKS_ACCOUNT_ID: other }));
    expect(fromEnv.accountId).toBe(other);
    const fromHost = await resolveConnectionAsync(account({ host: `${host}/?a=${other}` }), envWith(tempHome()));
    expect(fromHost.accountId).toBe(other);
    expect(stub.requests).toEqual([]);
  });

  it("a workspace-level target on a unified host learns the workspace id (not the account id) and the cloud", async () => {
    stub.body = JSON.stringify({ ...META, cloud: "AZURE" });
    const conn = await resolveConnectionAsync({ host, token: "dapi-x" }, envWith(tempHome()));
    expect(conn.level).toBe("workspace");
    expect(conn.workspaceId).toBe("1234567890123456");
    expect(conn.workspaceIdSource).toBe(`the host metadata of ${host} (/.well-known/databricks-config)`);
    // The account id is not needed at workspace level: it would only be stored in every resource's target.
    expect(conn.accountId).toBeUndefined();
    expect(conn.cloud).toBe("azure");
    expect(conn.cloudSource).toBe("metadata");
    expect(stub.requests).toEqual([{ url: "/.well-known/databricks-config" }]);
  });

  it("a workspace host's own workspace id is not taken: the host already names its workspace", async () => {
    stub.body = JSON.stringify({ ...META, host_type: "workspace" });
    const conn = await resolveConnectionAsync({ host, token: "dapi-x" }, envWith(tempHome()));
    expect(conn.workspaceId).toBeUndefined();
    expect(conn.cloud).toBe("aws");
    expect(conn.cloudSource).toBe("metadata");
    expect(stub.requests).toHaveLength(1);
  });

  it("a workspace id the user set wins, from any layer or the host's ?o=, and then no request is made", async () => {
    const a = await resolveConnectionAsync({ host, token: "dapi-x", workspaceId: "111" }, envWith(tempHome()));
    expect(a.workspaceId).toBe("111");
    expect(a.workspaceIdSource).toBeUndefined();
    expect(a.cloudSource).toBe("host");
    const b = await resolveConnectionAsync({ host, token: "dapi-x" }, envWith(tempHome(), { DATABRICKS_WORKSPACE_ID: "222" }));
    expect(b.workspaceId).toBe("222");
    const c = await resolveConnectionAsync({ host: `${host}/?o=333`, token: "dapi-x" }, envWith(tempHome()));
    expect(c.workspaceId).toBe("333");
    expect(stub.requests).toEqual([]);
  });

  it("a workspace id that is not numeric is refused, naming where it came from", async () => {
    const e = await rejected(resolveConnectionAsync({ host, token: "dapi-x" }, envWith(tempHome(), { DATABRICKS_WORKSPACE_ID: "my-workspace" })));
    expect(e.message).toContain('workspace_id "my-workspace" (from DATABRICKS_WORKSPACE_ID) is not a workspace id');
  });

  it("without metadata a workspace-level target resolves as before: no workspace id, cloud from the host name", async () => {
    stub.status = 404;
    const conn = await resolveConnectionAsync({ host, token: "dapi-x" }, envWith(tempHome()));
    expect(conn.workspaceId).toBeUndefined();
    expect(conn.cloudSource).toBe("host");
    expect(stub.requests).toHaveLength(1);
  });

  it.each<[string, () => void]>([
    ["a 404", () => (stub.status = 404)],
    ["a 500", () => (stub.status = 500)],
    ["a body that is not JSON", () => (stub.body = "<html>")],
    ["JSON without account_id", () => (stub.body = JSON.stringify({ oidc_endpoint: `${host}/oidc/accounts/{account_id}` }))],
    ["an account_id that is not a string", () => (stub.body = JSON.stringify({ account_id: 42 }))],
  ])("%s falls back silently to the settings' own answer", async (_name, arrange) => {
    arrange();
    const e = await rejected(resolveConnectionAsync(account(), envWith(tempHome())));
    // The same error resolveConnection gives without metadata.
    expect(e.message).toBe((await rejected(Promise.resolve().then(() => resolveConnection(account(), envWith(tempHome()))))).message);
    expect(e.message).toContain("account_id is required for the account-level host");
    expect(stub.requests).toHaveLength(1);
  });

  it("a host that never answers is given up on after the timeout", async () => {
    stub.body = undefined;
    const started = performance.now();
    const e = await rejected(resolveConnectionAsync(account(), envWith(tempHome()), { hostMetadataTimeoutMs: 300 }));
    expect(e.message).toContain("account_id is required");
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("asks each host once per process, failures included", async () => {
    await resolveConnectionAsync(account(), envWith(tempHome()));
    await resolveConnectionAsync(account(), envWith(tempHome()));
    expect(stub.requests).toHaveLength(1);
    clearHostMetadataCache();
    stub.status = 404;
    await rejected(resolveConnectionAsync(account(), envWith(tempHome())));
    await rejected(resolveConnectionAsync(account(), envWith(tempHome())));
    expect(stub.requests).toHaveLength(2);
  });
});

describe("parseHostMetadata", () => {
  it("reads the SDKs' fields, cloud and host_type in any case, a numeric workspace id", () => {
    expect(parseHostMetadata({ account_id: ACCOUNT, workspace_id: 42, cloud: "azure", host_type: "WORKSPACE", oidc_endpoint: "https://h/oidc" })).toEqual({
      accountId: ACCOUNT,
      workspaceId: "42",
      cloud: "azure",
      hostType: "workspace",
      oidcEndpoint: "https://h/oidc",
    });
  });

  it("leaves out what has the wrong type or an unknown value", () => {
    expect(parseHostMetadata({ account_id: "", workspace_id: "ws-1", cloud: "mars", host_type: "custom" })).toEqual({});
    expect(parseHostMetadata([])).toBeUndefined();
    expect(parseHostMetadata("x")).toBeUndefined();
  });
});
