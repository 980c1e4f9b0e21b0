// A small Microsoft Graph reader over undici: GETs with a bearer token from an @azure/identity credential,
// `@odata.nextLink` paging, 429/503/504 retried after Retry-After, and errors that name the missing permission.
// Why not a Graph SDK: README "Dependencies" (one is unmaintained, the other pre-release and 24 MB; the mirror
// needs four GET shapes).
import type { AccessToken, TokenCredential } from "@azure/identity";
import { request, type Dispatcher } from "undici";
import { GraphError, parseGraphError, permissionHint, type GraphReadKind } from "./graphErrors";

export const GRAPH_URL = "https://graph.microsoft.com";
export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

export interface GraphClientOptions {
  /** Graph's origin, e.g. https://graph.microsoft.com (or a local emulator's). API versions are added per call. */
  baseUrl: string;
  credential: TokenCredential;
  /** Where the credential came from, for messages (never its value). */
  credentialSource: string;
  /** Default https://graph.microsoft.com/.default. */
  scope?: string;
  /** An undici dispatcher, e.g. an Agent trusting a local emulator's certificate. */
  dispatcher?: Dispatcher;
  /** Retries of one call after 429/503/504 or a broken connection (default 8). */
  maxRetries?: number;
  /** Longest single wait, whatever Retry-After says (default 120 s). */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** What one client did: printed by tests and useful in a program's logs. */
export interface GraphStats {
  requests: number;
  pages: number;
  retries: number;
  throttled: number;
  waitedMs: number;
  tokens: number;
}

interface Page<T> {
  value?: T[];
  "@odata.nextLink"?: string;
}

const RETRIED = new Set([429, 503, 504]);
const EARLY_REFRESH_MS = 120_000;

export class GraphClient {
  readonly stats: GraphStats = { requests: 0, pages: 0, retries: 0, throttled: 0, waitedMs: 0, tokens: 0 };
  readonly #opts: GraphClientOptions;
  readonly #base: string;
  #token?: Promise<AccessToken>;

  constructor(opts: GraphClientOptions) {
    this.#opts = opts;
    this.#base = opts.baseUrl.replace(/\/+$/, "");
  }

  /** One object: `path` is relative to the origin, e.g. `/v1.0/groups/{id}?$select=…`. */
  async get<T>(path: string, kind: GraphReadKind, what: string): Promise<T> {
    return (await this.#call(this.#base + path, kind, what)) as T;
  }

  /** Every item of a collection, following `@odata.nextLink` (opaque: used as given) until it is absent. */
  async getAll<T>(path: string, kind: GraphReadKind, what: string): Promise<T[]> {
    const out: T[] = [];
    let url: string | undefined = this.#base + path;
    while (url) {
      const page = (await this.#call(url, kind, what)) as Page<T>;
      this.stats.pages++;
      out.push(...(page.value ?? []));
      url = page["@odata.nextLink"];
    }
    return out;
  }

  async #call(url: string, kind: GraphReadKind, what: string): Promise<unknown> {
    const max = this.#opts.maxRetries ?? 8;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const token = await this.#accessToken();
      let status: number;
      let text: string;
      let retryAfter: string | string[] | undefined;
      try {
        this.stats.requests++;
        const res = await request(url, {
          method: "GET",
          headers: { authorization: `Bearer ${token.token}`, accept: "application/json" },
          dispatcher: this.#opts.dispatcher,
        });
        status = res.statusCode;
        retryAfter = res.headers["retry-after"];
        text = await res.body.text();
      } catch (e) {
        // A GET that never got an answer is safe to repeat.
        if (attempt >= max) {
          throw new GraphError(
            `Microsoft Graph: ${what}: ${(e as Error).message} (after ${attempt + 1} attempts). ` +
              `Check that Graph answers at ${this.#base} from this machine (graph.url or DATABRICKS_SCIM_GRAPH_URL; default ${GRAPH_URL}), then run again.`,
            0,
            "network",
          );
        }
        await this.#wait(backoffMs(attempt));
        continue;
      }
      if (status >= 200 && status < 300) return text === "" ? undefined : JSON.parse(text);
      if (RETRIED.has(status) && attempt < max) {
        if (status === 429) this.stats.throttled++;
        await this.#wait(retryAfterMs(retryAfter) ?? backoffMs(attempt));
        continue;
      }
      const err = parseGraphError(text);
      if (status === 401 && !refreshed) {
        // A token revoked or expired under us: one new token, one more try.
        refreshed = true;
        this.#token = undefined;
        continue;
      }
      throw describe(status, err, kind, what, this.#opts.credentialSource, attempt + 1);
    }
  }

  async #wait(ms: number): Promise<void> {
    this.stats.retries++;
    const capped = Math.min(ms, this.#opts.maxWaitMs ?? 120_000);
    this.stats.waitedMs += capped;
    await (this.#opts.sleep ?? ((t: number) => new Promise<void>((r) => setTimeout(r, t))))(capped);
  }

  #accessToken(): Promise<AccessToken> {
    const current = this.#token;
    if (current) {
      return current.then((t) => (t.expiresOnTimestamp - Date.now() > EARLY_REFRESH_MS ? t : this.#newToken()));
    }
    return this.#newToken();
  }

  #newToken(): Promise<AccessToken> {
    const scope = this.#opts.scope ?? GRAPH_SCOPE;
    const p = (async () => {
      this.stats.tokens++;
      let t: AccessToken | null;
      try {
        t = await this.#opts.credential.getToken(scope);
      } catch (e) {
        throw new GraphError(
          `Microsoft Graph: cannot get a token for ${scope} (credentials: ${this.#opts.credentialSource}): ${(e as Error).message}. ${tokenHint((e as Error).message)}`,
          0,
          "token",
        );
      }
      if (!t?.token) throw new GraphError(`Microsoft Graph: the credential (${this.#opts.credentialSource}) returned no token for ${scope}`, 0, "token");
      return t;
    })();
    this.#token = p;
    p.catch(() => {
      if (this.#token === p) this.#token = undefined;
    });
    return p;
  }
}

function describe(
  status: number,
  err: { code: string; message: string; requestId?: string },
  kind: GraphReadKind,
  what: string,
  source: string,
  attempts: number,
): GraphError {
  const said = `${status}${err.code ? ` ${err.code}` : ""}${err.message ? `: ${err.message}` : ""}`;
  const rid = err.requestId ? ` (request-id ${err.requestId})` : "";
  if (status === 403) {
    return new GraphError(`Microsoft Graph refused to read ${what}: ${said}${rid}. ${permissionHint(kind)}`, status, err.code);
  }
  if (status === 401) {
    return new GraphError(
      `Microsoft Graph rejected the token of ${source} while reading ${what}: ${said}${rid}. Check that the credential belongs to the tenant of the groups.`,
      status,
      err.code,
    );
  }
  if (status >= 500) {
    return new GraphError(
      `Microsoft Graph: ${what}: ${said}${rid} (after ${attempts} attempt${attempts === 1 ? "" : "s"}). Graph is failing on its side: run again later.`,
      status,
      err.code,
    );
  }
  return new GraphError(`Microsoft Graph: ${what}: ${said}${rid}`, status, err.code);
}

/** What to check when Entra gives no token; MSAL's endpoints_resolution_error names neither the tenant nor the authority. */
function tokenHint(message: string): string {
  const fix =
    "Check the credentials: the tenant (ARM_TENANT_ID, AZURE_TENANT_ID or graph.tenantId) must be the directory (tenant) id of the application, " +
    "and the client id and secret the application's own.";
  return /endpoints_resolution_error/.test(message)
    ? `${fix} endpoints_resolution_error: the authority (AZURE_AUTHORITY_HOST or graph.authorityHost; default login.microsoftonline.com) does not know that tenant, or cannot be reached from here.`
    : fix;
}

/** Retry-After in seconds (Graph's form) or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined || v.trim() === "") return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** 0.5 s, 1 s, 2 s, … up to 30 s, with jitter: Graph counts immediate retries against the limit too. */
function backoffMs(attempt: number): number {
  const base = Math.min(30_000, 500 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}
