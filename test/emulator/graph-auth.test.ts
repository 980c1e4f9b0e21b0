// The Entra side of the Graph emulator: @azure/identity's ClientSecretCredential against it end to end
// (OpenID metadata + token POST over https), tokens checked on every Graph call (401), and permissions (403
// Authorization_RequestDenied, "limited" members).
import { ClientSecretCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraph, TREE_SEED, type GraphClient, type Json } from "./graph-helpers";

const TENANT = "0e7d0c2a-6f3b-4a57-9d55-1b7c2a9e0f11";
const ROOT = "00000000-0000-0000-0000-0000000000a0";
const APPS = [
  { clientId: "mirror-app", clientSecret: "mirror-secret-ABC", permissions: ["GroupMember.Read.All", "User.Read.All", "Application.Read.All"] },
  { clientId: "users-only", clientSecret: "users-only-secret", permissions: ["User.Read.All"] },
  { clientId: "members-only", clientSecret: "members-only-secret", permissions: ["GroupMember.Read.All"] },
];

let c: GraphClient;
beforeAll(async () => {
  c = await startGraph({ tenantId: TENANT, apps: structuredClone(APPS), seed: structuredClone(TREE_SEED) });
});
afterAll(async () => c.close());

function credential(clientId: string, secret: string): ClientSecretCredential {
  return new ClientSecretCredential(TENANT, clientId, secret, {
    authorityHost: c.emu.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: c.emu.ca },
  });
}

async function tokenFor(clientId: string, secret: string): Promise<string> {
  return (await credential(clientId, secret).getToken("https://graph.microsoft.com/.default")).token;
}

describe("token flow", () => {
  it("ClientSecretCredential gets a Graph token from the emulator's authority; the token reads Graph", async () => {
    await c.admin("POST", "/__emulator/reset-stats");
    const cred = credential("mirror-app", "mirror-secret-ABC");
    const t = await cred.getToken("https://graph.microsoft.com/.default");
    expect(t.token.split(".")).toHaveLength(3); // a JWT (claims: graph-tokens.test.ts)
    expect(t.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3_000_000);
    const again = await cred.getToken("https://graph.microsoft.com/.default");
    expect(again.token).toBe(t.token); // cached by MSAL: one token request
    expect((await c.admin("GET", "/__emulator/stats")).body.tokenRequests).toBe(1);
    const r = await c.get(`/v1.0/groups/${ROOT}?$select=displayName`, { token: t.token });
    expect(r.status).toBe(200);
    expect(r.body.displayName).toBe("Root");
  });

  it("a wrong secret fails with AADSTS7000215 and the secret nowhere in the error", async () => {
    const wrong = "definitely-WRONG-secret-42";
    const e = await credential("mirror-app", wrong)
      .getToken("https://graph.microsoft.com/.default")
      .then(
        () => undefined,
        (err: unknown) => err as Error,
      );
    expect(e).toBeInstanceOf(Error);
    expect(e!.message).toContain("AADSTS7000215");
    expect(`${e!.message}${e!.stack}`).not.toContain(wrong);
  });

  it("the token endpoint: AAD error shapes for unknown tenant, client, grant and scope", async () => {
    const good = {
      grant_type: "client_credentials",
      client_id: "mirror-app",
      client_secret: "mirror-secret-ABC",
      scope: "https://graph.microsoft.com/.default",
    };
    const unknownTenant = await c.tokenRequest(good, "11111111-1111-1111-1111-111111111111");
    expect([unknownTenant.status, unknownTenant.body.error, unknownTenant.body.error_codes]).toEqual([400, "invalid_request", [90002]]);
    const unknownClient = await c.tokenRequest({ ...good, client_id: "nobody" });
    expect([unknownClient.status, unknownClient.body.error, unknownClient.body.error_codes]).toEqual([400, "unauthorized_client", [700016]]);
    const grant = await c.tokenRequest({ ...good, grant_type: "password" });
    expect([grant.status, grant.body.error]).toEqual([400, "unsupported_grant_type"]);
    const scope = await c.tokenRequest({ ...good, scope: "User.Read" });
    expect([scope.status, scope.body.error]).toEqual([400, "invalid_scope"]);
    const ok = await c.tokenRequest(good);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: "Bearer", expires_in: 3599 });
  });

  it("OpenID metadata names the tenant's endpoints on the emulator", async () => {
    const r = await c.get(`/${TENANT}/v2.0/.well-known/openid-configuration`, { token: null });
    expect(r.status).toBe(200);
    expect(r.body.token_endpoint).toBe(`${c.emu.url}/${TENANT}/oauth2/v2.0/token`);
    expect(r.body.issuer).toBe(`${c.emu.url}/${TENANT}/v2.0`);
  });
});

describe("tokens on Graph calls", () => {
  it("no token, a garbage token, a revoked token → 401 InvalidAuthenticationToken with WWW-Authenticate", async () => {
    const none = await c.get(`/v1.0/groups/${ROOT}`, { token: null });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("InvalidAuthenticationToken");
    expect(none.body.error.message).toBe("Access token is empty.");
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const garbage = await c.get(`/v1.0/groups/${ROOT}`, { token: "not-a-token" });
    expect([garbage.status, garbage.body.error.code]).toEqual([401, "InvalidAuthenticationToken"]);
    const t = await tokenFor("mirror-app", "mirror-secret-ABC");
    expect((await c.get(`/v1.0/groups/${ROOT}`, { token: t })).status).toBe(200);
    await c.admin("POST", "/__emulator/tokens/revoke");
    expect((await c.get(`/v1.0/groups/${ROOT}`, { token: t })).status).toBe(401);
  });

  it("an expired token → 401", async () => {
    const short = await startGraph({ tokenTtlSeconds: 0, seed: structuredClone(TREE_SEED) });
    try {
      const r = await short.get(`/v1.0/groups/${ROOT}`);
      expect(r.status).toBe(401);
      expect(r.body.error.message).toBe("Lifetime validation failed, the token is expired.");
    } finally {
      await short.close();
    }
  });
});

describe("permissions", () => {
  it("an app without a group permission → 403 Authorization_RequestDenied in Graph's shape", async () => {
    const t = await tokenFor("users-only", "users-only-secret");
    for (const path of [
      `/v1.0/groups/${ROOT}`,
      `/v1.0/groups/${ROOT}/transitiveMembers`,
      `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Root'")}`,
    ]) {
      const r = await c.get(path, { token: t });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe("Authorization_RequestDenied");
      expect(r.body.error.message).toBe("Insufficient privileges to complete the operation.");
      expect(r.body.error.innerError["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await c.get(`/v1.0/users/ann@contoso.com`, { token: t })).status).toBe(200);
    expect((await c.get(`/v1.0/servicePrincipals`, { token: t })).status).toBe(403);
  });

  it("GroupMember.Read.All alone: users and SPs come back limited (only @odata.type and id)", async () => {
    const t = await tokenFor("members-only", "members-only-secret");
    const r = await c.get(`/beta/groups/${ROOT}/transitiveMembers?$select=id,displayName,userPrincipalName,appId`, { token: t });
    expect(r.status).toBe(200);
    const sp = r.body.value.find((v: Json) => v["@odata.type"] === "#microsoft.graph.servicePrincipal");
    expect(sp).toEqual({ "@odata.type": "#microsoft.graph.servicePrincipal", id: "00000000-0000-0000-0000-00000000b001", displayName: null, appId: null });
    const user = r.body.value.find((v: Json) => v.id === "00000000-0000-0000-0000-00000000a001");
    expect(user.userPrincipalName).toBeNull();
    const group = r.body.value.find((v: Json) => v["@odata.type"] === "#microsoft.graph.group");
    expect(group.displayName).not.toBeNull();
  });

  it("the mirror's app sees users and SPs in full, devices and contacts limited", async () => {
    const t = await tokenFor("mirror-app", "mirror-secret-ABC");
    const r = await c.get(`/beta/groups/${ROOT}/transitiveMembers?$select=id,displayName,appId`, { token: t });
    const byType = (type: string): Json => r.body.value.find((v: Json) => v["@odata.type"] === `#microsoft.graph.${type}`);
    expect(byType("servicePrincipal").appId).toBe("11111111-2222-3333-4444-555555555555");
    expect(byType("device")).toEqual({ "@odata.type": "#microsoft.graph.device", id: "00000000-0000-0000-0000-00000000c001", displayName: null });
  });

  it("a permission granted later applies to tokens issued afterwards", async () => {
    const before = await tokenFor("users-only", "users-only-secret");
    const patched = await c.admin("PATCH", "/__emulator/apps/users-only", { permissions: ["User.Read.All", "GroupMember.Read.All"] });
    expect(patched.status).toBe(200);
    expect((await c.get(`/v1.0/groups/${ROOT}`, { token: before })).status).toBe(403);
    const after = (
      await c.tokenRequest({
        grant_type: "client_credentials",
        client_id: "users-only",
        client_secret: "users-only-secret",
        scope: "https://graph.microsoft.com/.default",
      })
    ).body.access_token as string;
    expect((await c.get(`/v1.0/groups/${ROOT}`, { token: after })).status).toBe(200);
  });
});
