// The Graph emulator's access tokens are JWTs with the claims Entra puts in an app-only Graph token (v1.0
// format): signed RS256 with a key the tenant's JWKS publishes, so clients can read and verify them; and every
// Graph call checks signature, audience, issuer, expiry and revocation.
import { ClientSecretCredential } from "@azure/identity";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraph, TREE_SEED, type GraphClient } from "./graph-helpers";

const TENANT = "5b0c2a7e-1f3d-4e6a-8b9c-0d1e2f3a4b5c";
const ROOT = "00000000-0000-0000-0000-0000000000a0";
const APPS = [
  { clientId: "3f2d1c0b-aaaa-4bbb-8ccc-123456789abc", clientSecret: "jwt-app-secret", permissions: ["GroupMember.Read.All", "User.Read.All"] },
  { clientId: "no-roles-app", clientSecret: "no-roles-secret", permissions: [] },
];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let c: GraphClient;
beforeAll(async () => {
  c = await startGraph({ tenantId: TENANT, apps: structuredClone(APPS), seed: structuredClone(TREE_SEED) });
});
afterAll(async () => c.close());

async function tokenFor(app: { clientId: string; clientSecret: string }): Promise<{ token: string; expiresOnTimestamp: number }> {
  const cred = new ClientSecretCredential(TENANT, app.clientId, app.clientSecret, {
    authorityHost: c.emu.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: c.emu.ca },
  });
  return cred.getToken("https://graph.microsoft.com/.default");
}

async function jwks(): Promise<JSONWebKeySet> {
  const meta = await c.get(`/${TENANT}/v2.0/.well-known/openid-configuration`, { token: null });
  const keys = await c.get(meta.body.jwks_uri as string, { token: null });
  expect(keys.status).toBe(200);
  return keys.body as JSONWebKeySet;
}

describe("JWT access tokens", () => {
  it("carry Entra's claims and verify against the tenant's JWKS (RS256)", async () => {
    const before = Math.floor(Date.now() / 1000);
    const t = await tokenFor(APPS[0]!);
    const header = decodeProtectedHeader(t.token);
    expect(header).toMatchObject({ typ: "JWT", alg: "RS256" });
    const set = await jwks();
    expect(set.keys.map((k) => k.kid)).toEqual([header.kid]);
    const { payload } = await jwtVerify(t.token, createLocalJWKSet(set), {
      audience: "https://graph.microsoft.com",
      issuer: `https://sts.windows.net/${TENANT}/`,
    });
    expect(payload).toMatchObject({
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${TENANT}/`,
      tid: TENANT,
      appid: APPS[0]!.clientId,
      appidacr: "1",
      idtyp: "app",
      roles: ["GroupMember.Read.All", "User.Read.All"],
      ver: "1.0",
    });
    expect(payload.oid).toMatch(GUID);
    expect(payload.sub).toBe(payload.oid);
    expect(payload.exp! - payload.iat!).toBe(3599);
    expect(payload.iat!).toBeGreaterThanOrEqual(before);
    // What @azure/identity reports is the token's own expiry.
    expect(Math.abs(t.expiresOnTimestamp - payload.exp! * 1000)).toBeLessThan(2000);
    // The same app's service principal keeps its object id from token to token.
    const again = decodeJwt(
      (
        await c.tokenRequest({
          grant_type: "client_credentials",
          client_id: APPS[0]!.clientId,
          client_secret: APPS[0]!.clientSecret,
          scope: "https://graph.microsoft.com/.default",
        })
      ).body.access_token as string,
    );
    expect(again.oid).toBe(payload.oid);
    expect(again.uti).not.toBe(payload.uti);
  });

  it("an app without consented permissions gets a token without `roles`, and Graph answers it 403", async () => {
    const t = await tokenFor(APPS[1]!);
    expect(decodeJwt(t.token)).not.toHaveProperty("roles");
    const r = await c.get(`/v1.0/groups/${ROOT}`, { token: t.token });
    expect([r.status, r.body.error.code]).toEqual([403, "Authorization_RequestDenied"]);
  });

  it("a token whose claims were edited (roles added) fails signature validation: 401", async () => {
    const t = await tokenFor(APPS[1]!);
    const [h, p, s] = t.token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, roles: ["Directory.Read.All"] })).toString("base64url")}.${s}`;
    const r = await c.get(`/v1.0/groups/${ROOT}`, { token: forged });
    expect([r.status, r.body.error.code]).toEqual([401, "InvalidAuthenticationToken"]);
  });

  it("a token of another emulator (another key and tenant) is 401", async () => {
    const other = await startGraph({ seed: structuredClone(TREE_SEED) });
    try {
      const foreign = await other.token();
      expect((await other.get(`/v1.0/groups/${ROOT}`)).status).toBe(200);
      const r = await c.get(`/v1.0/groups/${ROOT}`, { token: foreign });
      expect([r.status, r.body.error.code]).toEqual([401, "InvalidAuthenticationToken"]);
    } finally {
      await other.close();
    }
  });

  it("expiry is checked on every call: a 2 s token reads, then is refused once its exp has passed", async () => {
    const short = await startGraph({ tokenTtlSeconds: 2, seed: structuredClone(TREE_SEED) });
    try {
      const token = await short.token();
      const exp = decodeJwt(token).exp!;
      expect((await short.get(`/v1.0/groups/${ROOT}`, { token })).status).toBe(200);
      // Bounded by the token's own exp (plus slack for a loaded machine), not a fixed sleep.
      const deadline = exp * 1000 + 10_000;
      let last = 200;
      while (Date.now() < deadline) {
        const r = await short.get(`/v1.0/groups/${ROOT}`, { token });
        last = r.status;
        if (last === 401) {
          expect(r.body.error.message).toBe("Lifetime validation failed, the token is expired.");
          expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(last).toBe(401);
    } finally {
      await short.close();
    }
  });
});
