// The Entra side: app registrations, the v2.0 token endpoint (client credentials only) and the OpenID metadata
// MSAL (and so @azure/identity's ClientSecretCredential) reads from the authority host before asking for a token.
// Tokens are opaque; each remembers the app and the permissions consented when it was issued, as a real
// token's `roles` claim does (a permission granted later needs a new token).
import { randomBytes, randomUUID } from "node:crypto";
import type { AppSeed } from "./seed";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

export interface IssuedToken {
  clientId: string;
  roles: string[];
  expiresAt: number;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export class EntraIdentity {
  readonly apps = new Map<string, AppSeed>();
  private tokens = new Map<string, IssuedToken>();
  issued = 0;
  rejected = 0;

  constructor(
    readonly tenantId: string,
    apps: AppSeed[],
    private readonly tokenTtlSeconds: number,
  ) {
    for (const a of apps) this.apps.set(a.clientId, { ...a, permissions: [...a.permissions] });
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
  token(tenant: string, form: URLSearchParams, basic: { id: string; secret: string } | undefined): TokenAnswer {
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
    const token = `graph-emu-${randomBytes(24).toString("base64url")}`;
    this.tokens.set(token, { clientId, roles: [...app.permissions], expiresAt: Date.now() + this.tokenTtlSeconds * 1000 });
    this.issued++;
    return { status: 200, body: { token_type: "Bearer", expires_in: this.tokenTtlSeconds, ext_expires_in: this.tokenTtlSeconds, access_token: token } };
  }

  /** The token's grant, "missing", "invalid" or "expired". */
  check(authorization: string | undefined): IssuedToken | "missing" | "invalid" | "expired" {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!m) return authorization ? "invalid" : "missing";
    const t = this.tokens.get(m[1]!);
    if (!t) return "invalid";
    if (t.expiresAt <= Date.now()) return "expired";
    return t;
  }

  revokeAll(): void {
    this.tokens.clear();
  }
}
