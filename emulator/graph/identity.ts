// The Entra side: app registrations, the v2.0 token endpoint (client credentials only), the OpenID metadata
// MSAL (and so @azure/identity's ClientSecretCredential) reads from the authority host before asking for a
// token, and the signing keys (JWKS).
// Tokens are JWTs as Entra issues them for Graph (app-only, access token v1.0, since Graph's resource accepts
// v1.0 tokens): RS256, header `kid`/`x5t` naming the emulator's key in its JWKS, claims `aud`
// https://graph.microsoft.com, `iss` https://sts.windows.net/{tid}/, `tid`, `appid`, `appidacr`, `idtyp` app,
// `oid`/`sub` (the app's service principal), `roles` (the permissions consented at issue time, so a permission
// granted later needs a new token; absent when none), `iat`/`nbf`/`exp`, `uti`, `ver` 1.0. Unlike Graph's
// own tokens, they carry no header `nonce`, so a client can verify them against the JWKS. Every Graph call
// checks signature, audience, issuer and expiry, and that the token was not revoked.
import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { errors as joseErrors, exportJWK, jwtVerify, SignJWT, type JWK } from "jose";
import type { AppSeed } from "./seed";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
/** The `aud` of a Graph token: the resource URI (older tokens carry Graph's app id instead; both are accepted). */
export const GRAPH_AUDIENCE = "https://graph.microsoft.com";
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

export interface IssuedToken {
  clientId: string;
  roles: string[];
  expiresAt: number;
}

/** A GUID derived from text, so an app's service principal keeps its object id across restarts. */
function stableGuid(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export class EntraIdentity {
  readonly apps = new Map<string, AppSeed>();
  /** `uti` of every token issued and not revoked. */
  private live = new Set<string>();
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly kid: string;
  issued = 0;
  rejected = 0;

  constructor(
    readonly tenantId: string,
    apps: AppSeed[],
    private readonly tokenTtlSeconds: number,
  ) {
    for (const a of apps) this.apps.set(a.clientId, { ...a, permissions: [...a.permissions] });
    // A fresh key per run: tokens of an earlier run fail signature validation, as after a key rollover.
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.kid = createHash("sha1")
      .update(pair.publicKey.export({ type: "spki", format: "der" }))
      .digest("base64url");
  }

  /** `iss` of the tokens: Entra's v1.0 issuer for the tenant. */
  get issuer(): string {
    return `https://sts.windows.net/${this.tenantId}/`;
  }

  /** The app's service principal object id in this tenant (`oid` and `sub` of its tokens). */
  servicePrincipalId(clientId: string): string {
    return stableGuid(`${this.tenantId}/${clientId}`);
  }

  /** GET /{tenant}/discovery/v2.0/keys: the public key the tokens are signed with, as Entra publishes keys. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.publicKey);
    return { keys: [{ kty: jwk.kty, use: "sig", kid: this.kid, x5t: this.kid, n: jwk.n, e: jwk.e, issuer: this.issuer } as JWK] };
  }

  openidConfiguration(authority: string, tenant: string): Record<string, unknown> | undefined {
    if (!this.knowsTenant(tenant)) return undefined;
    const base = `${authority}/${this.tenantId}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${authority}/${this.tenantId}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${authority}/${this.tenantId}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      tenant_region_scope: "EU",
      cloud_instance_name: "microsoftonline.com",
    };
  }

  knowsTenant(tenant: string): boolean {
    return tenant.toLowerCase() === this.tenantId.toLowerCase();
  }

  /** POST /{tenant}/oauth2/v2.0/token with a form body; AAD's error shape on failure. */
  async token(tenant: string, form: URLSearchParams, basic: { id: string; secret: string } | undefined): Promise<TokenAnswer> {
    const fail = (status: number, error: string, code: number, text: string): TokenAnswer => {
      this.rejected++;
      return {
        status,
        body: {
          error,
          error_description: `AADSTS${code}: ${text} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
          error_codes: [code],
          timestamp: new Date().toISOString(),
          trace_id: randomUUID(),
          correlation_id: randomUUID(),
        },
      };
    };
    if (!this.knowsTenant(tenant)) return fail(400, "invalid_request", 90002, `Tenant '${tenant}' not found.`);
    if (form.get("grant_type") !== "client_credentials") {
      return fail(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${form.get("grant_type") ?? ""}'.`);
    }
    const clientId = basic?.id ?? form.get("client_id") ?? "";
    const secret = basic?.secret ?? form.get("client_secret");
    const app = this.apps.get(clientId);
    if (!app) return fail(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${this.tenantId}'.`);
    if (secret !== app.clientSecret)
      return fail(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
      );
    const scopes = (form.get("scope") ?? "").split(" ").filter((s) => s !== "");
    if (scopes.length !== 1 || scopes[0]!.toLowerCase() !== GRAPH_SCOPE) {
      const named = scopes.find((s) => s.toLowerCase() !== GRAPH_SCOPE) ?? "";
      return fail(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${named} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI); this emulator issues tokens for ${GRAPH_SCOPE} only.`,
      );
    }
    const now = Math.floor(Date.now() / 1000);
    const uti = randomUUID().replace(/-/g, "").slice(0, 22);
    const oid = this.servicePrincipalId(clientId);
    const claims: Record<string, unknown> = {
      appid: clientId,
      // 1: the client authenticated with a secret (2 would be a certificate).
      appidacr: "1",
      idp: this.issuer,
      idtyp: "app",
      oid,
      ...(app.permissions.length > 0 ? { roles: [...app.permissions] } : {}),
      tid: this.tenantId,
      uti,
      ver: "1.0",
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ typ: "JWT", alg: "RS256", x5t: this.kid, kid: this.kid })
      .setAudience(GRAPH_AUDIENCE)
      .setIssuer(this.issuer)
      .setSubject(oid)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + this.tokenTtlSeconds)
      .sign(this.privateKey);
    this.live.add(uti);
    this.issued++;
    return { status: 200, body: { token_type: "Bearer", expires_in: this.tokenTtlSeconds, ext_expires_in: this.tokenTtlSeconds, access_token: token } };
  }

  /** The token's grant (from its claims), "missing", "invalid" (signature, audience, issuer, revoked) or "expired". */
  async check(authorization: string | undefined): Promise<IssuedToken | "missing" | "invalid" | "expired"> {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!m) return authorization ? "invalid" : "missing";
    try {
      const { payload } = await jwtVerify(m[1]!, this.publicKey, {
        algorithms: ["RS256"],
        audience: [GRAPH_AUDIENCE, GRAPH_APP_ID],
        issuer: this.issuer,
        requiredClaims: ["exp", "appid", "uti", "tid"],
      });
      if (payload.tid !== this.tenantId || typeof payload.uti !== "string" || !this.live.has(payload.uti)) return "invalid";
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [];
      return { clientId: String(payload.appid), roles, expiresAt: (payload.exp ?? 0) * 1000 };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return "expired";
      return "invalid";
    }
  }

  revokeAll(): void {
    this.live.clear();
  }
}
