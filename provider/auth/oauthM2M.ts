// OAuth machine-to-machine: a Databricks service principal's client id + OAuth secret → short-lived access token
// (provider/auth/README.md, the oauth-m2m row). Nothing is fetched until headers() is first called.
import { defaultUserAgent } from "../shared/userAgent";
import { request, type Dispatcher } from "undici";
import { CredentialError, describeForeignError, redact } from "./errors";
import { fetchHostMetadata, type HostMetadata } from "./hostMetadata";
import { TokenCache, type AccessTokenValue } from "./tokenCache";
import type { AuthProvider, CredentialSourceKind, Level } from "./types";

export interface OAuthM2MOptions {
  /** Normalised host (scheme + host). */
  host: string;
  level: Level;
  /** Required when level is "account". */
  accountId?: string;
  clientId: string;
  clientSecret: string;
  /** Where the credentials came from, for `source` and error messages. */
  source: string;
  /** Where the credentials came from, as types (AuthProvider.sourceKinds). */
  sourceKinds?: readonly CredentialSourceKind[];
  /** Refresh this long before expiry; default 60 s. */
  earlyRefreshMs?: number;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** undici dispatcher (tests, proxies); default the global one. */
  dispatcher?: Dispatcher;
  now?: () => number;
  /**
   * The host's metadata (its `oidc_endpoint` names where to discover the token endpoint). Default: fetched once
   * per host per process (hostMetadata.ts), best effort, when the first token is needed.
   */
  hostMetadata?: () => Promise<HostMetadata | undefined>;
}

/** Assumed lifetime when the token endpoint leaves out `expires_in` (Databricks tokens last 1 h; stay safe). */
const DEFAULT_LIFETIME_S = 600;

export class OAuthM2MAuth implements AuthProvider {
  readonly source: string;
  readonly sourceKinds?: readonly CredentialSourceKind[];
  // #private: keeps the secret and the cached token out of JSON.stringify / util.inspect of the provider.
  readonly #opts: OAuthM2MOptions;
  readonly #cache: TokenCache;
  #tokenEndpoint?: Promise<string>;

  constructor(opts: OAuthM2MOptions) {
    this.#opts = opts;
    if (opts.level === "account" && !opts.accountId) {
      throw new CredentialError(
        "AUTH_INVALID_CONFIG",
        `oauth-m2m (${opts.source}): account_id is required for the account host ${opts.host}. Set accountId or DATABRICKS_ACCOUNT_ID`,
      );
    }
    this.source = opts.source;
    this.sourceKinds = opts.sourceKinds;
    this.#cache = new TokenCache(() => this.#fetchToken(), {
      earlyRefreshMs: opts.earlyRefreshMs ?? 60_000,
      now: opts.now,
    });
  }

  async headers(): Promise<Record<string, string>> {
    const t = await this.#cache.get();
    return { Authorization: `${t.type} ${t.token}` };
  }

  invalidate(): void {
    this.#cache.invalidate();
  }

  get #secrets(): string[] {
    const basic = Buffer.from(`${this.#opts.clientId}:${this.#opts.clientSecret}`).toString("base64");
    return [this.#opts.clientSecret, basic];
  }

  #fail(code: "AUTH_TOKEN_ENDPOINT" | "AUTH_OAUTH_UNSUPPORTED", what: string): CredentialError {
    return new CredentialError(code, redact(`default auth: oauth-m2m: ${what} (credentials: ${this.source})`, this.#secrets));
  }

  /**
   * As the Go SDK (`getOidcEndpoints`): the discovery document under the host metadata's `oidc_endpoint` when it
   * names one (an `{account_id}` placeholder filled with the account id; skipped when there is none to fill it
   * with); else, per level, the workspace discovery document or the account's fixed endpoint. Successful answers
   * are kept.
   */
  #endpoint(): Promise<string> {
    if (!this.#tokenEndpoint) {
      const p = this.#resolveEndpoint();
      this.#tokenEndpoint = p;
      p.catch(() => {
        if (this.#tokenEndpoint === p) this.#tokenEndpoint = undefined;
      });
    }
    return this.#tokenEndpoint;
  }

  async #resolveEndpoint(): Promise<string> {
    const meta = await (this.#opts.hostMetadata ?? (() => fetchHostMetadata(this.#opts.host, { dispatcher: this.#opts.dispatcher })))();
    const root = oidcRoot(meta?.oidcEndpoint, this.#opts.accountId);
    if (root !== undefined) return this.#discover(`${root}/.well-known/oauth-authorization-server`);
    if (this.#opts.level === "account") return `${this.#opts.host}/oidc/accounts/${encodeURIComponent(this.#opts.accountId!)}/v1/token`;
    return this.#discover(`${this.#opts.host}/oidc/.well-known/oauth-authorization-server`);
  }

  async #discover(url: string): Promise<string> {
    let status: number;
    let text: string;
    try {
      const res = await request(url, {
        method: "GET",
        headers: { accept: "application/json", "user-agent": defaultUserAgent() },
        headersTimeout: this.#opts.timeoutMs ?? 30_000,
        bodyTimeout: this.#opts.timeoutMs ?? 30_000,
        dispatcher: this.#opts.dispatcher,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (e) {
      throw this.#fail("AUTH_TOKEN_ENDPOINT", `oidc: cannot reach ${url}: ${describeForeignError(e, this.#secrets)}`);
    }
    if (status === 404) {
      throw this.#fail(
        "AUTH_OAUTH_UNSUPPORTED",
        `oidc: databricks OAuth is not supported for this host (${url} answered 404). Use a personal access token, or check the host`,
      );
    }
    if (status < 200 || status >= 300) {
      throw this.#fail("AUTH_TOKEN_ENDPOINT", `oidc: ${url} answered HTTP ${status}${summariseBody(text)}`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw this.#fail("AUTH_TOKEN_ENDPOINT", `oidc: ${url} answered HTTP ${status} with a body that is not JSON`);
    }
    const endpoint = isRecord(doc) ? doc.token_endpoint : undefined;
    if (typeof endpoint !== "string" || !/^https?:\/\//.test(endpoint)) {
      throw this.#fail("AUTH_TOKEN_ENDPOINT", `oidc: ${url} has no usable token_endpoint`);
    }
    return endpoint;
  }

  async #fetchToken(): Promise<AccessTokenValue> {
    const endpoint = await this.#endpoint();
    const basic = Buffer.from(`${this.#opts.clientId}:${this.#opts.clientSecret}`).toString("base64");
    const started = (this.#opts.now ?? Date.now)();
    let status: number;
    let text: string;
    try {
      const res = await request(endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          "user-agent": defaultUserAgent(),
          authorization: `Basic ${basic}`,
        },
        body: new URLSearchParams({ grant_type: "client_credentials", scope: "all-apis" }).toString(),
        headersTimeout: this.#opts.timeoutMs ?? 30_000,
        bodyTimeout: this.#opts.timeoutMs ?? 30_000,
        dispatcher: this.#opts.dispatcher,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (e) {
      throw this.#fail("AUTH_TOKEN_ENDPOINT", `cannot reach token endpoint ${endpoint}: ${describeForeignError(e, this.#secrets)}`);
    }
    if (status < 200 || status >= 300) {
      const hint =
        status === 400 || status === 401 || status === 403
          ? ". Check the client id and OAuth secret of the service principal (an expired or revoked secret looks the same)"
          : "";
      throw this.#fail("AUTH_TOKEN_ENDPOINT", `token endpoint ${endpoint} answered HTTP ${status}${summariseBody(text)}${hint}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw this.#fail("AUTH_TOKEN_ENDPOINT", `token endpoint ${endpoint} answered HTTP ${status} with a body that is not JSON`);
    }
    if (!isRecord(body) || typeof body.access_token !== "string" || body.access_token === "") {
      throw this.#fail("AUTH_TOKEN_ENDPOINT", `token endpoint ${endpoint} answered without an access_token`);
    }
    const type = typeof body.token_type === "string" && body.token_type !== "" ? body.token_type : "Bearer";
    const expiresIn =
      typeof body.expires_in === "number"
        ? body.expires_in
        : typeof body.expires_in === "string" && /^\d+$/.test(body.expires_in)
          ? Number(body.expires_in)
          : DEFAULT_LIFETIME_S;
    // "bearer" (lower case) is common in OAuth answers; Databricks accepts either, normalise for tidiness.
    return { token: body.access_token, type: type.toLowerCase() === "bearer" ? "Bearer" : type, expiresAt: started + expiresIn * 1000 };
  }
}

/** The metadata's OIDC root, `{account_id}` filled in, no trailing `/`; undefined when absent or unfillable. */
function oidcRoot(endpoint: string | undefined, accountId: string | undefined): string | undefined {
  if (endpoint === undefined || !/^https?:\/\//.test(endpoint)) return undefined;
  let root = endpoint;
  if (root.includes("{account_id}")) {
    if (!accountId) return undefined;
    root = root.split("{account_id}").join(encodeURIComponent(accountId));
  }
  return root.replace(/\/+$/, "");
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `: invalid_client: Client authentication failed` from an OAuth error body, else a short excerpt. */
function summariseBody(text: string): string {
  try {
    const j: unknown = JSON.parse(text);
    if (isRecord(j)) {
      const parts = [j.error, j.error_description, j.error_code, j.message].filter((x): x is string => typeof x === "string" && x !== "");
      if (parts.length) return `: ${parts.join(": ").slice(0, 300)}`;
    }
  } catch {
    // not JSON
  }
  const flat = text.replace(/\s+/g, " ").trim();
  return flat ? `: ${flat.slice(0, 200)}` : "";
}
