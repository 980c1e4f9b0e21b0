// The emulator's OAuth M2M endpoints, token expiry and PAT rotation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpCall, startClient, URN_USER, type Client } from "./helpers";

const CLIENT = { clientId: "11111111-2222-3333-4444-555555555555", clientSecret: "dose-test-secret" };
let c: Client;

beforeAll(async () => {
  c = await startClient({ oauth: { clients: [CLIENT], tokenTtlSeconds: 1, expiresInSeconds: 3600 } });
});
afterAll(() => c.close());

async function token(path: string, secret = CLIENT.clientSecret, body = "grant_type=client_credentials&scope=all-apis") {
  const r = await fetch(`${c.emu.url}${path}`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body,
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describe("OAuth M2M", () => {
  it("serves discovery at both levels", async () => {
    const ws = await httpCall("GET", `${c.emu.url}/oidc/.well-known/oauth-authorization-server`);
    expect(ws.body.token_endpoint).toBe(`${c.emu.url}/oidc/v1/token`);
    const acc = await httpCall("GET", `${c.emu.url}/oidc/accounts/${c.emu.accountId}/.well-known/oauth-authorization-server`);
    expect(acc.body.token_endpoint).toBe(`${c.emu.url}/oidc/accounts/${c.emu.accountId}/v1/token`);
    expect(c.emu.oauth).toEqual(CLIENT);
  });

  it("issues a workspace token that acts as an admin service principal", async () => {
    const t = await token("/oidc/v1/token");
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const users = await c.ws("GET", "/Users?count=1", undefined, { token: t.body.access_token as string });
    expect(users.status).toBe(200);
    const sps = await c.ws("GET", `/ServicePrincipals?filter=applicationId eq "${CLIENT.clientId}"`);
    expect(sps.body.totalResults).toBe(1);
    // Not good at the account level.
    expect((await c.acc("GET", "/Users", undefined, { token: t.body.access_token as string })).status).toBe(403);
  });

  it("answers /Me for the service principal: userName is its applicationId (as Terraform's current_user reads it)", async () => {
    const t = await token("/oidc/v1/token");
    const me = await c.ws("GET", "/Me", undefined, { token: t.body.access_token as string });
    expect(me.status).toBe(200);
    const sps = await c.ws("GET", `/ServicePrincipals?filter=applicationId eq "${CLIENT.clientId}"`);
    const sp = sps.body.Resources[0];
    expect(me.body).toMatchObject({ schemas: [URN_USER], id: sp.id, userName: CLIENT.clientId, displayName: sp.displayName, active: true });
    expect(me.body.groups.map((g: { display: string }) => g.display)).toContain("admins");
    expect(me.body.applicationId).toBeUndefined();
    expect(me.headers.get("x-databricks-org-id")).toBe(c.emu.workspaceId);
  });

  it("issues account tokens from the account endpoint", async () => {
    const t = await token(`/oidc/accounts/${c.emu.accountId}/v1/token`);
    expect(t.status).toBe(200);
    expect((await c.acc("GET", "/Users", undefined, { token: t.body.access_token as string })).status).toBe(200);
  });

  it("rejects a bad secret and a wrong grant", async () => {
    expect(await token("/oidc/v1/token", "wrong")).toEqual({
      status: 401,
      body: { error: "invalid_client", error_description: "Client authentication failed" },
    });
    expect((await token("/oidc/v1/token", CLIENT.clientSecret, "grant_type=password")).status).toBe(400);
  });

  it("expires tokens after the TTL with 403 JWT has expired", async () => {
    const t = await token("/oidc/v1/token");
    await new Promise((r) => setTimeout(r, 1100));
    const r = await c.ws("GET", "/Users?count=1", undefined, { token: t.body.access_token as string });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ error_code: 403, message: "JWT has expired" });
  });

  it("rotates the admin PAT", async () => {
    const old = c.emu.tokens.admin;
    const r = await httpCall("POST", `${c.emu.url}/__emulator/tokens/rotate`);
    expect(r.body.admin).toMatch(/^dapi/);
    expect((await c.ws("GET", "/Users?count=1", undefined, { token: old })).status).toBe(403);
    expect((await c.ws("GET", "/Users?count=1", undefined, { token: r.body.admin })).status).toBe(200);
  });

  it("answers 404 on discovery when OAuth is off", async () => {
    const off = await startClient();
    try {
      expect((await httpCall("GET", `${off.emu.url}/oidc/.well-known/oauth-authorization-server`)).status).toBe(404);
      expect(off.emu.oauth).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});
