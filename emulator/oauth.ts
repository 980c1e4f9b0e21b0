// OAuth machine-to-machine (client credentials) for service principals, as Databricks serves it, and the
// credential switches tests need: an issued token expiring mid-run, a rotated PAT.
//
// Off unless `oauth` is set in the options (`--oauth`), so a default emulator keeps its bootstrap objects and
// answers discovery with 404, which clients read as "databricks OAuth is not supported for this host".
// Each OAuth client is a service principal at both levels (applicationId = client id), a workspace admin (member
// of `admins`) and an account admin (`account_admin` role): a token from the workspace endpoint acts as it in the
// workspace, one from the account endpoint in the account, as with a Databricks-managed OAuth secret.
import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { newToken, newUuid } from "./ids";
import type { Level, StoredServicePrincipal } from "./model";
import type { Behaviour } from "./options";
import { WORKSPACE_ADMINS_GROUP } from "./schemas";
import { State, Tx } from "./store";
import { createServicePrincipal } from "./writes";

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface OAuthOptions {
  /** Service principals with an OAuth secret; default one random client (printed in the CLI's JSON line). */
  clients?: OAuthClient[];
  /** How long the server accepts an issued token, seconds (default 3600). */
  tokenTtlSeconds?: number;
  /**
   * `expires_in` told to the client, seconds (default: tokenTtlSeconds). Larger than the TTL makes a token the
   * client believes valid expire under it (clock skew, server-side revocation), to exercise refresh-on-403.
   */
  expiresInSeconds?: number;
}

interface Issued {
  level: Level;
  clientId: string;
  expiresAt: number;
}

/** What authenticate() learns from a bearer token that is not a PAT. */
export type OAuthLookup = { level: Level; applicationId: string } | "expired" | undefined;

export class OAuthIssuer {
  readonly clients: OAuthClient[];
  readonly ttlMs: number;
  readonly expiresIn: number;
  private readonly issued = new Map<string, Issued>();
  readonly counters = { issued: { workspace: 0, account: 0 }, rejectedExpired: 0, rejectedClient: 0 };

  constructor(options: OAuthOptions) {
    this.clients = options.clients?.length
      ? options.clients.map((c) => ({ ...c }))
      : [{ clientId: newUuid(), clientSecret: "dose" + randomBytes(16).toString("hex") }];
    const ttl = options.tokenTtlSeconds ?? 3600;
    if (!(ttl > 0)) throw new Error("oauth.tokenTtlSeconds must be positive");
    this.ttlMs = ttl * 1000;
    this.expiresIn = Math.max(1, Math.round(options.expiresInSeconds ?? ttl));
  }

  /** Every access token issued so far (for tests that check no secret reached logs or state). */
  issuedTokens(): string[] {
    return [...this.issued.keys()];
  }

  lookup(token: string): OAuthLookup {
    const t = this.issued.get(token);
    if (!t) return undefined;
    if (Date.now() >= t.expiresAt) {
      this.counters.rejectedExpired++;
      return "expired";
    }
    return { level: t.level, applicationId: t.clientId };
  }

  /** Client authentication: HTTP Basic (what the SDKs send) or client_secret_post. */
  private authenticateClient(authorization: string | undefined, form: URLSearchParams): OAuthClient | undefined {
    let id = form.get("client_id") ?? undefined;
    let secret = form.get("client_secret") ?? undefined;
    const m = /^Basic\s+(.+)$/i.exec(authorization?.trim() ?? "");
    if (m) {
      const decoded = Buffer.from(m[1] as string, "base64").toString("utf8");
      const i = decoded.indexOf(":");
      if (i > 0) [id, secret] = [decodeURIComponent(decoded.slice(0, i)), decodeURIComponent(decoded.slice(i + 1))];
    }
    return this.clients.find((c) => c.clientId === id && c.clientSecret === secret);
  }

  /** The token endpoint's answer: [status, JSON body]. */
  token(level: Level, authorization: string | undefined, rawBody: string): [number, Record<string, unknown>] {
    const form = new URLSearchParams(rawBody);
    const client = this.authenticateClient(authorization, form);
    if (!client) {
      this.counters.rejectedClient++;
      return [401, { error: "invalid_client", error_description: "Client authentication failed" }];
    }
    if (form.get("grant_type") !== "client_credentials") {
      return [400, { error: "unsupported_grant_type", error_description: "Only client_credentials is supported" }];
    }
    const scope = form.get("scope") ?? "all-apis";
    if (!scope.split(" ").includes("all-apis")) return [400, { error: "invalid_scope", error_description: `Unsupported scope: ${scope}` }];
    const expiresAt = Date.now() + this.ttlMs;
    const payload = Buffer.from(JSON.stringify({ sub: client.clientId, lvl: level, exp: Math.floor(expiresAt / 1000) })).toString("base64url");
    const accessToken = `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.${payload}.${randomBytes(24).toString("base64url")}`;
    this.issued.set(accessToken, { level, clientId: client.clientId, expiresAt });
    this.counters.issued[level]++;
    return [200, { access_token: accessToken, token_type: "Bearer", expires_in: this.expiresIn, scope: "all-apis" }];
  }
}

/** One admin service principal per OAuth client, in the account and every workspace (after bootstrap and on reset). */
export function bootstrapOAuth(state: State, issuer: OAuthIssuer, behaviour: Behaviour): void {
  const now = new Date().toISOString();
  for (const client of issuer.clients) {
    // Account first, so that a federated workspace links to it (one principal per applicationId).
    const tx = new Tx(state);
    const acc = tx.at("account");
    if (!acc.list("ServicePrincipals").some((sp) => sp.applicationId === client.clientId)) {
      const body = { displayName: `oauth-${client.clientId.slice(0, 8)}`, roles: [{ value: "account_admin" }] };
      // Created as the cloud would (AWS generates applicationId), then given the client id: that is the link
      // between an OAuth secret and its service principal.
      const id = createServicePrincipal({ state, tx, level: "account", behaviour, cloud: "aws", now }, body);
      (acc.mutable("ServicePrincipals", id) as StoredServicePrincipal).applicationId = client.clientId;
    }
    tx.commit();
    for (const ws of state.workspaces.values()) {
      const wtx = new Tx(state, ws.workspaceId);
      const level = wtx.at("workspace");
      if (!level.list("ServicePrincipals").some((sp) => sp.applicationId === client.clientId)) {
        const admins = level.list("Groups").find((g) => g.displayName === WORKSPACE_ADMINS_GROUP);
        const body: Record<string, unknown> = { displayName: `oauth-${client.clientId.slice(0, 8)}`, applicationId: client.clientId };
        if (admins) body.groups = [{ value: admins.id }];
        // "azure": the client supplies the applicationId, so a federated workspace links the account's.
        const id = createServicePrincipal({ state, tx: wtx, level: "workspace", behaviour, cloud: "azure", now }, body);
        if (state.isFederated(ws.workspaceId as string)) level.setAssignment(id, "ADMIN");
      }
      wtx.commit();
    }
  }
}

function bodyText(req: FastifyRequest): string {
  return Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
}

function notSupported(reply: FastifyReply): FastifyReply {
  return reply.code(404).send({ error_code: "NOT_FOUND", message: "OAuth is not enabled for this workspace." });
}

export interface CredentialHost {
  oauth: OAuthIssuer | undefined;
  identity: { accountId: string; tokens: { admin: string } };
  persist(): void;
}

/** OIDC discovery and token endpoints, plus `/__emulator/oauth` (counters) and `/__emulator/tokens/rotate`. */
export function registerCredentialRoutes(app: FastifyInstance, core: CredentialHost): void {
  const origin = (req: FastifyRequest) => `http://${req.headers.host ?? "localhost"}`;
  const accountMatches = (req: FastifyRequest) => (req.params as { accountId: string }).accountId === core.identity.accountId;

  app.get("/oidc/.well-known/oauth-authorization-server", async (req, reply) => {
    if (!core.oauth) return notSupported(reply);
    const base = `${origin(req)}/oidc`;
    return { issuer: base, authorization_endpoint: `${base}/v1/authorize`, token_endpoint: `${base}/v1/token`, jwks_uri: `${base}/jwks.json` };
  });
  app.post("/oidc/v1/token", async (req, reply) => {
    if (!core.oauth) return notSupported(reply);
    const [status, body] = core.oauth.token("workspace", req.headers.authorization, bodyText(req));
    return reply.code(status).send(body);
  });
  app.get("/oidc/accounts/:accountId/.well-known/oauth-authorization-server", async (req, reply) => {
    if (!core.oauth || !accountMatches(req)) return notSupported(reply);
    const base = `${origin(req)}/oidc/accounts/${core.identity.accountId}`;
    return { issuer: base, authorization_endpoint: `${base}/v1/authorize`, token_endpoint: `${base}/v1/token`, jwks_uri: `${base}/jwks.json` };
  });
  app.post("/oidc/accounts/:accountId/v1/token", async (req, reply) => {
    if (!core.oauth || !accountMatches(req)) return notSupported(reply);
    const [status, body] = core.oauth.token("account", req.headers.authorization, bodyText(req));
    return reply.code(status).send(body);
  });

  app.get("/__emulator/oauth", async () => (core.oauth ? { enabled: true, ...core.oauth.counters, tokens: core.oauth.issuedTokens() } : { enabled: false }));
  // Revokes the workspace admin's PAT and issues a new one (a token rotation, as a user would do in the UI).
  app.post("/__emulator/tokens/rotate", async () => {
    core.identity.tokens.admin = newToken();
    core.persist();
    return { admin: core.identity.tokens.admin };
  });
}
