// Host metadata (GET /.well-known/databricks-config, issue 24 item 1) over real HTTP, on the main (unified) port
// and on a workspace's own port, and the OIDC documents its oidc_endpoint leads to, followed as the SDKs follow
// them: oidc_endpoint + "/.well-known/oauth-authorization-server" → token_endpoint → a token that works.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFederated, type FedClient } from "./federation-helpers";
import { httpCall, startClient, type Json } from "./helpers";

const CLIENT = { clientId: "0d5c7a1e-2b3f-4c6d-8e9f-a0b1c2d3e4f5", clientSecret: "dose-wellknown-secret" };
let c: FedClient;

beforeAll(async () => {
  c = await startFederated({ cloud: "azure", oauth: { clients: [CLIENT] }, workspaces: 2 });
});
afterAll(() => c.close());

async function metadata(host: string, token?: string) {
  return httpCall("GET", `${host}/.well-known/databricks-config`, undefined, token === undefined ? {} : { token });
}

/** What the SDKs do with oidc_endpoint: discovery, then the client-credentials grant at its token_endpoint. */
async function tokenVia(oidcEndpoint: string): Promise<string> {
  const discovery = await httpCall("GET", `${oidcEndpoint.replace(/\/$/, "")}/.well-known/oauth-authorization-server`);
  expect(discovery.status).toBe(200);
  const r = await fetch(discovery.body.token_endpoint as string, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials&scope=all-apis",
  });
  expect(r.status).toBe(200);
  return ((await r.json()) as Json).access_token as string;
}

describe("GET /.well-known/databricks-config", () => {
  it("on the main port: a unified host with the account, the primary workspace and the cloud, no token needed", async () => {
    const r = await metadata(c.emu.url);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(r.body).toEqual({
      oidc_endpoint: `${c.emu.url}/oidc/accounts/${c.emu.accountId}`,
      account_id: c.emu.accountId,
      workspace_id: c.wsId(0),
      cloud: "AZURE",
      host_type: "unified",
    });
    // A stale or foreign token does not matter: the SDKs send none, but a proxy might.
    expect((await metadata(c.emu.url, "not-a-token")).status).toBe(200);
  });

  it("on a workspace's own port: that workspace, with the workspace OIDC root on the same port", async () => {
    const ws = c.emu.workspaces?.[1];
    const r = await metadata(ws?.url ?? "");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      oidc_endpoint: `${ws?.url}/oidc`,
      account_id: c.emu.accountId,
      workspace_id: c.wsId(1),
      cloud: "AZURE",
      host_type: "workspace",
    });
  });

  it("the main port's oidc_endpoint issues a token for the account API and, on this unified host, for workspaces", async () => {
    const { body } = await metadata(c.emu.url);
    const token = await tokenVia(body.oidc_endpoint as string);
    expect((await c.acc("GET", "/Users?count=1", undefined, { token })).status).toBe(200);
    // Workspace calls on the unified host: the primary by default, another by X-Databricks-Workspace-Id.
    expect((await c.ws("GET", "/Users?count=1", undefined, { token })).status).toBe(200);
    // /Me as the service principal (userName = applicationId), as the SDKs' current_user.me() reads it.
    const me = await c.ws("GET", "/Me", undefined, { token });
    expect(me.status).toBe(200);
    expect(me.body.userName).toBe(CLIENT.clientId);
    expect(me.headers.get("x-databricks-org-id")).toBe(c.wsId(0));
    const other = await fetch(`${c.emu.workspaceUrl}/Users?count=1`, {
      headers: { authorization: `Bearer ${token}`, "x-databricks-workspace-id": c.wsId(1) },
    });
    expect(other.status).toBe(200);
    // Not on a workspace's own host, which has its own token endpoint.
    const own = await c.wsAt(1, "GET", "/Users?count=1", undefined, token);
    expect(own.status).toBe(403);
    expect(own.body).toEqual({ error_code: 403, message: "Invalid access token." });
  });

  it("a workspace port's oidc_endpoint issues a token for that workspace, not for the account", async () => {
    const ws = c.emu.workspaces?.[1];
    const { body } = await metadata(ws?.url ?? "");
    const token = await tokenVia(body.oidc_endpoint as string);
    expect((await c.wsAt(1, "GET", "/Users?count=1", undefined, token)).status).toBe(200);
    expect((await c.acc("GET", "/Users?count=1", undefined, { token })).status).toBe(403);
  });

  it("reports the emulator's --cloud, also with OAuth off (whose discovery then answers 404)", async () => {
    const gcp = await startClient({ cloud: "gcp" });
    try {
      const r = await metadata(gcp.emu.url);
      expect(r.body).toMatchObject({ cloud: "GCP", account_id: gcp.emu.accountId, workspace_id: gcp.emu.workspaceId });
      expect((await httpCall("GET", `${r.body.oidc_endpoint}/.well-known/oauth-authorization-server`)).status).toBe(404);
    } finally {
      await gcp.close();
    }
    const aws = await startClient({ cloud: "aws" });
    try {
      expect((await metadata(aws.emu.url)).body.cloud).toBe("AWS");
    } finally {
      await aws.close();
    }
  });
});
