// ScimClient: one per (host, level, account), shareable by any number of concurrent callers.

import { Pool, type Dispatcher } from "undici";
import { AccountGroupsProxy } from "./accountGroupsProxy";
import { AssignmentsApi } from "./assignments";
import type { AuthProvider } from "./auth";
import { InvalidArgumentError, InvalidResponseError, UnsupportedOperationError } from "./errors";
import type { Pacer } from "./pacer";
import { GroupsApi, ServicePrincipalsApi, UsersApi, buildQuery, type ReadOptions, type WithId } from "./resources";
import { CONNECT_TIMEOUT_MS, resolveRetryOptions, retryBudgetFromEnv, type RetryOptions } from "./retry";
import { copyStats, emptyStats, type ClientStats } from "./stats";
import { BUCKETS, gateFor, type BucketPacing } from "./target";
import { Transport, type RateLimitBucket } from "./transport";
import { defaultUserAgent } from "../shared/userAgent";
import type { ScimUser } from "./types";

export { CLIENT_VERSION } from "../shared/userAgent";

export type ScimLevel = "workspace" | "account";

/** Requests per second per bucket; `false` turns a bucket's pacing off. */
export type RateLimits = Partial<Record<RateLimitBucket, number | false>>;

export interface ScimClientOptions {
  /** `https://adb-1.2.azuredatabricks.net`, `https://accounts.cloud.databricks.com`, `http://127.0.0.1:PORT`. A bare host name means https. */
  host: string;
  level: ScimLevel;
  /** Required at account level. */
  accountId?: string;
  auth: AuthProvider;
  /** Requests in flight at once to this host. Default 4 (Databricks' observed per-workspace cap). */
  maxConcurrency?: number;
  /**
   * Pacing per verb in requests/second, merged over the level's defaults. Only limits Databricks publishes are
   * defaults (docs/guides/rate-limits.md):
   *  - account:   GET 20, LIST 4 (240/min), POST 5, PUT 5, DELETE 5, PATCH 2;
   *  - workspace: GET 4.25 (255/min), and LIST shares the GET bucket (the published limit is for all SCIM GETs;
   *    setting LIST explicitly gives lists their own bucket). No write limit is published for workspaces, so
   *    workspace writes run at the concurrency cap.
   * Every bucket adapts to the server: a 429, 503 or REQUEST_LIMIT_EXCEEDED answer slows that verb down for
   * every client of the same target in the process, and the rate recovers gradually (never above a number
   * given here). `false` for a bucket turns its pacing and adaptation off; `false` for the whole option turns
   * off all of it (benchmarks against an unlimited emulator).
   */
  rateLimits?: RateLimits | false;
  retry?: Partial<RetryOptions>;
  /** Per attempt: max wait for response headers, and between body chunks. Default 60 000 (Go SDK HTTP timeout). */
  timeoutMs?: number;
  /** Default page size for list(). Default 100 (documented `count` maximum). */
  pageSize?: number;
  userAgent?: string;
  /** Sent as X-Databricks-Workspace-Id on workspace calls (unified-host routing). Never sent at account level. */
  workspaceId?: string;
  /** Inject a dispatcher (MockAgent, a shared Agent). Default: an undici Pool, `connections: maxConcurrency`, pipelining 1. */
  dispatcher?: Dispatcher;
  /**
   * Where `host` came from, for messages: e.g. "from DATABRICKS_HOST", "from stack config databricks-scim:host".
   * A host that cannot be reached fails within about 10 s with an error naming the host and this.
   */
  hostSource?: string;
  /**
   * Receives a one-line message when a request has waited long (over 10 s in all) on throttling or retries, at
   * most once per 30 s per target. The caller shows it to the user; the client never logs by itself.
   */
  onNotice?: (message: string) => void;
  /** @internal tests: shorter adaptive recovery (seconds) and notice threshold (ms). */
  tuning?: { recoverySeconds?: number; noticeAfterMs?: number };
  /** @internal deterministic jitter in tests. */
  random?: () => number;
}

/** Published limits (requests/second). Buckets absent here have none published: unpaced until throttled. */
const ACCOUNT_DEFAULTS: RateLimits = { GET: 20, LIST: 240 / 60, POST: 5, PUT: 5, DELETE: 5, PATCH: 2 };
const WORKSPACE_DEFAULTS: RateLimits = { GET: 255 / 60 };

export function defaultRateLimits(level: ScimLevel): RateLimits {
  return { ...(level === "account" ? ACCOUNT_DEFAULTS : WORKSPACE_DEFAULTS) };
}

function bucketPacing(level: ScimLevel, limits: RateLimits | false | undefined): BucketPacing | false {
  if (limits === false) return false;
  const merged: RateLimits = { ...defaultRateLimits(level), ...(limits ?? {}) };
  const buckets = {} as BucketPacing["buckets"];
  for (const bucket of BUCKETS) {
    const rate = merged[bucket];
    if (rate !== undefined && rate !== false && (!(rate > 0) || !Number.isFinite(rate))) {
      throw new InvalidArgumentError(`rateLimits.${bucket} must be a positive number of requests per second or false, got ${rate}`);
    }
    buckets[bucket] = rate === undefined ? null : rate;
  }
  // Workspace: LIST unset → lists draw from the GET bucket (one published limit for all SCIM GETs).
  const listSharesGet = level === "workspace" && !(limits && "LIST" in limits) && buckets.GET !== false;
  return { buckets, listSharesGet };
}

function withRecovery(p: BucketPacing | false, recoverySeconds: number | undefined): BucketPacing | false {
  return p === false || recoverySeconds === undefined ? p : { ...p, recoverySeconds };
}

function parseHost(host: string): { origin: string; prefix: string } {
  if (typeof host !== "string" || host.trim() === "") throw new InvalidArgumentError("host is required");
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host.trim()) ? host.trim() : `https://${host.trim()}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InvalidArgumentError(`host is not a URL: ${JSON.stringify(host.replace(/\/\/[^@/]*@/, "//"))}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new InvalidArgumentError(`host must be http(s), got ${url.protocol}`);
  // userinfo is dropped: credentials belong in the AuthProvider, and the origin appears in error messages.
  return { origin: `${url.protocol}//${url.host}`, prefix: url.pathname.replace(/\/+$/, "") };
}

export class ScimClient {
  readonly level: ScimLevel;
  readonly accountId?: string;
  /** `https://host[:port]` (no credentials, no path). */
  readonly origin: string;
  /** `/api/2.0/preview/scim/v2` or `/api/2.0/accounts/{accountId}/scim/v2` (after any path prefix in host). */
  readonly basePath: string;
  readonly maxConcurrency: number;
  readonly users: UsersApi;
  readonly groups: GroupsApi;
  readonly servicePrincipals: ServicePrincipalsApi;
  /** Workspace permission assignments: the account API at account level, the host workspace's at workspace level. */
  readonly assignments: AssignmentsApi;
  /**
   * Workspace level only: the account's groups as the workspace host's proxy of account SCIM shows them,
   * assigned to the workspace or not; identity-federated workspaces only (./accountGroupsProxy.ts).
   */
  readonly accountGroupsViaWorkspace?: AccountGroupsProxy;

  readonly #transport: Transport;
  readonly #stats: ClientStats = emptyStats();
  readonly #ownDispatcher?: Dispatcher;
  readonly #pacers: Partial<Record<RateLimitBucket, Pacer>>;

  constructor(opts: ScimClientOptions) {
    if (!opts || typeof opts !== "object") throw new InvalidArgumentError("ScimClient options are required");
    if (opts.level !== "workspace" && opts.level !== "account") {
      throw new InvalidArgumentError(`level must be "workspace" or "account", got ${JSON.stringify(opts.level)}`);
    }
    if (!opts.auth || typeof opts.auth.headers !== "function") throw new InvalidArgumentError("auth (an AuthProvider) is required");
    const { origin, prefix } = parseHost(opts.host);
    this.level = opts.level;
    this.origin = origin;
    if (opts.level === "account") {
      if (typeof opts.accountId !== "string" || opts.accountId.trim() === "") {
        throw new InvalidArgumentError("accountId is required at account level");
      }
      this.accountId = opts.accountId;
      this.basePath = `${prefix}/api/2.0/accounts/${encodeURIComponent(opts.accountId)}/scim/v2`;
    } else {
      this.basePath = `${prefix}/api/2.0/preview/scim/v2`;
    }
    const maxConcurrency = opts.maxConcurrency ?? 4;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
      throw new InvalidArgumentError(`maxConcurrency must be an integer >= 1, got ${maxConcurrency}`);
    }
    this.maxConcurrency = maxConcurrency;
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const pageSize = opts.pageSize ?? 100;

    let dispatcher = opts.dispatcher;
    if (!dispatcher) {
      dispatcher = this.#ownDispatcher = new Pool(origin, {
        connections: maxConcurrency,
        pipelining: 1,
        // Short: a connect that takes longer is a wrong or blocked host, which should fail fast (see transport).
        connect: { timeout: Math.min(timeoutMs, CONNECT_TIMEOUT_MS) },
      });
    }
    const extraHeaders: Record<string, string> = {};
    if (opts.level === "workspace" && opts.workspaceId) extraHeaders["x-databricks-workspace-id"] = opts.workspaceId;

    // Shared with every other client of this target in the process (./target.ts).
    const gate = gateFor({
      origin,
      level: opts.level,
      accountId: this.accountId,
      maxConcurrency,
      pacing: withRecovery(bucketPacing(opts.level, opts.rateLimits), opts.tuning?.recoverySeconds),
      dispatcher: opts.dispatcher,
    });
    this.#pacers = gate.pacers;
    const retry = { ...opts.retry };
    if (retry.maxElapsedMs === undefined) retry.maxElapsedMs = retryBudgetFromEnv(process.env);

    this.#transport = new Transport({
      origin,
      dispatcher,
      auth: opts.auth,
      semaphore: gate.semaphore,
      pacers: gate.pacers,
      contact: gate.contact,
      noticeState: gate,
      hostSource: opts.hostSource,
      onNotice: opts.onNotice,
      noticeAfterMs: opts.tuning?.noticeAfterMs,
      retry: resolveRetryOptions(retry),
      timeoutMs,
      userAgent: opts.userAgent ?? defaultUserAgent(),
      extraHeaders,
      stats: this.#stats,
      random: opts.random,
    });
    this.users = new UsersApi(this.#transport, this.basePath, "Users", pageSize);
    this.groups = new GroupsApi(this.#transport, this.basePath, "Groups", pageSize);
    this.servicePrincipals = new ServicePrincipalsApi(this.#transport, this.basePath, "ServicePrincipals", pageSize);
    this.assignments = new AssignmentsApi(this.#transport, prefix, this.accountId);
    if (opts.level === "workspace") {
      this.accountGroupsViaWorkspace = new AccountGroupsProxy(new GroupsApi(this.#transport, `${prefix}/api/2.0/account/scim/v2`, "Groups", pageSize));
    }
  }

  /**
   * The rate each paced verb may start requests at now (requests/second), as the published limits and the
   * server's throttling answers have set it; `undefined` for a verb running unpaced at the concurrency cap.
   * Shared by every client of this target in the process.
   */
  pacingRates(): Partial<Record<RateLimitBucket, number | undefined>> {
    const out: Partial<Record<RateLimitBucket, number | undefined>> = {};
    for (const [bucket, pacer] of Object.entries(this.#pacers) as Array<[RateLimitBucket, Pacer]>) out[bucket] = pacer.rate;
    return out;
  }

  /** A snapshot of the counters (safe to keep; later requests do not change it). */
  get stats(): ClientStats {
    return copyStats(this.#stats);
  }

  resetStats(): void {
    Object.assign(this.#stats, emptyStats());
  }

  /** GET /Me: the caller. Workspace level only (accounts have no /Me); throws UnsupportedOperationError otherwise. */
  async me(opts: ReadOptions = {}): Promise<WithId<ScimUser>> {
    return (await this.#me(opts)).user;
  }

  /**
   * The workspace id, from the `X-Databricks-Org-Id` header of `GET /Me?excludedAttributes=entitlements`
   * (what the Go SDK's CurrentWorkspaceID does). Workspace level only.
   */
  async currentWorkspaceId(opts: { signal?: AbortSignal } = {}): Promise<string | undefined> {
    const { headers } = await this.#me({ excludedAttributes: "entitlements", signal: opts.signal });
    const v = headers["x-databricks-org-id"];
    return Array.isArray(v) ? v[0] : v;
  }

  async #me(opts: ReadOptions) {
    const query = buildQuery({
      attributes: typeof opts.attributes === "string" ? opts.attributes : opts.attributes?.join(","),
      excludedAttributes: typeof opts.excludedAttributes === "string" ? opts.excludedAttributes : opts.excludedAttributes?.join(","),
    });
    const path = `${this.basePath}/Me${query}`;
    if (this.level !== "workspace") {
      throw new UnsupportedOperationError("GET", path, "/Me exists only at workspace level (account SCIM has no /Me)");
    }
    const res = await this.#transport.send({ method: "GET", path, bucket: "GET", signal: opts.signal });
    const body = res.body as WithId<ScimUser> | undefined;
    if (!body || typeof body !== "object" || typeof body.id !== "string") {
      throw new InvalidResponseError({ method: "GET", path, status: res.status, reason: "expected a User with an id" });
    }
    return { user: body, headers: res.headers };
  }

  /** Closes the connection pool this client created (an injected dispatcher is left alone). */
  async close(): Promise<void> {
    await this.#ownDispatcher?.close();
  }
}
