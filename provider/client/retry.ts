// Retry policy: what to retry, how long to wait, when to give up.
//
// Why not undici's RetryAgent / RetryHandler (interceptors.retry)? It is a good fit for idempotent downloads,
// and its knobs (statusCodes, methods, errorCodes, retryAfter, minTimeout/maxTimeout/timeoutFactor, maxRetries)
// were the starting point here, but it cannot express four rules this client needs:
//  1. The decision depends on the response *body*: Databricks reports its per-workspace concurrency cap as
//     HTTP 500 with `REQUEST_LIMIT_EXCEEDED` in `detail` (Databricks Go SDK: "temporary workaround for SCIM API
//     returning 500"), which is retried for every verb like a 429, while a plain 500 may be deterministic, so it
//     is retried only a few times (maxServerErrorRetries) and only for idempotent verbs. RetryHandler decides in
//     onResponseStart, from status and headers only.
//  2. The decision depends on (method, cause), not on the method alone: a POST answered 429/503/
//     REQUEST_LIMIT_EXCEEDED was not applied, so retrying it is safe, but a POST whose connection broke after
//     sending, or that was answered 500/502/504, may have been applied; it must surface as AmbiguousWriteError
//     instead of being retried (a retry could duplicate the object or answer 409 for our own object). With
//     RetryHandler, `methods` either includes POST for every retryable cause or excludes it for all.
//  3. Every attempt must go back through the client's pacer and concurrency permit and fetch fresh auth headers
//     (401/403 → invalidate → one retry). RetryHandler re-dispatches below all of that, so a retry storm would
//     bypass the rate limits we set to avoid exactly that.
//  4. An overall elapsed cap (Go SDK: 5 min) and per-client retry counters for benchmarks.
// So the transport runs its own loop around single undici requests; this module holds the pure decisions.

import { InvalidArgumentError } from "./errors";

export interface RetryOptions {
  /** Retries after the first attempt (not counting the one auth-refresh retry). Default 20. */
  maxRetries: number;
  /**
   * Overall cap from the first attempt; no retry starts (or sleeps) past it. Default 300 000 (5 min), or
   * DATABRICKS_SCIM_RETRY_BUDGET_SECONDS × 1000 when that is set (docs/guides/rate-limits.md).
   */
  maxElapsedMs: number;
  /** Floor of a backoff wait, and the base of the exponential ceiling. Default 500. */
  minDelayMs: number;
  /** Ceiling of a computed backoff wait (a server's Retry-After may exceed it, within maxElapsedMs). Default 30 000. */
  maxDelayMs: number;
  /**
   * Of those retries, how many may follow a plain 500 (not REQUEST_LIMIT_EXCEEDED) to an idempotent verb. Default
   * 3. Why a separate cap: Databricks answers some deterministic failures with 500, and those should fail fast;
   * but most 500s are transient (the emulator's fault mode injects them), and failing a whole `up` on one is
   * worse than three quick retries of a deterministic one.
   */
  maxServerErrorRetries: number;
}

export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({
  maxRetries: 20,
  maxElapsedMs: 5 * 60_000,
  minDelayMs: 500,
  maxDelayMs: 30_000,
  maxServerErrorRetries: 3,
});

/** Methods whose repetition cannot create a second object. SCIM PATCH add/remove/replace are set-like. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "PATCH"]);

/** Connection-phase failures: the request never left, any method may be retried. */
export const NOT_SENT_ERROR_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "EAI_AGAIN",
]);

/** Failures after the request may have been sent: retry idempotent methods, POST becomes ambiguous. */
export const SENT_ERROR_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
]);

export const TIMEOUT_ERROR_CODES: ReadonlySet<string> = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

export type Outcome = { kind: "response"; status: number; throttled: boolean } | { kind: "network"; code: string | undefined };

/** retry: try again; final: give up with the error as is; ambiguous: give up, a write may have been applied. */
export type Verdict = "retry" | "final" | "ambiguous";

export function decide(method: string, outcome: Outcome): Verdict {
  const idempotent = IDEMPOTENT_METHODS.has(method);
  if (outcome.kind === "response") {
    // "Slow down" answers were not applied, for any method.
    if (outcome.throttled) return "retry";
    if (outcome.status === 502 || outcome.status === 504) return idempotent ? "retry" : "ambiguous";
    // A plain 500: the caller caps these retries (maxServerErrorRetries). A POST may have been applied before
    // the server failed, so it is ambiguous: the lifecycle looks the object up by its natural key.
    if (outcome.status === 500) return idempotent ? "retry" : "ambiguous";
    return "final";
  }
  const code = outcome.code;
  if (code !== undefined && NOT_SENT_ERROR_CODES.has(code)) return "retry";
  if (code !== undefined && SENT_ERROR_CODES.has(code)) return idempotent ? "retry" : "ambiguous";
  // ENOTFOUND (a mistyped host), invalid arguments, TLS errors…: not transient.
  return "final";
}

/**
 * `Retry-After`: delta-seconds (decimals tolerated) or an HTTP-date. Returns ms (>= 0), or undefined if absent
 * or unparsable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined) return undefined;
  const s = v.trim();
  if (s === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

/**
 * Backoff before retry number `retry` (0-based): uniformly random between minDelayMs and
 * min(maxDelayMs, minDelayMs·2^(retry+1)) ("full jitter" above a floor, so concurrent callers that were throttled
 * together spread out). A server-sent Retry-After wins.
 */
export function backoffDelay(retry: number, opts: RetryOptions, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(opts.maxDelayMs, opts.minDelayMs * 2 ** Math.min(retry + 1, 30));
  const floor = Math.min(opts.minDelayMs, ceiling);
  return floor + random() * (ceiling - floor);
}

export function resolveRetryOptions(partial: Partial<RetryOptions> | undefined): RetryOptions {
  const o = { ...DEFAULT_RETRY, ...stripUndefined(partial ?? {}) };
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== "number" || !(v >= 0) || Number.isNaN(v)) throw new RangeError(`retry.${k} must be a number >= 0, got ${v}`);
  }
  if (o.maxDelayMs < o.minDelayMs) throw new RangeError("retry.maxDelayMs must be >= retry.minDelayMs");
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------------------------------------------------------
// A host this process has never reached

/** TLS failures: a certificate that does not verify, a handshake that fails. Not transient: never retried. */
export function isTlsErrorCode(code: string | undefined): boolean {
  if (code === undefined) return false;
  return (
    code.startsWith("ERR_TLS_") ||
    code.startsWith("ERR_SSL_") ||
    code.startsWith("CERT_") ||
    code === "EPROTO" ||
    code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" ||
    code === "UNABLE_TO_GET_ISSUER_CERT" ||
    code === "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" ||
    code === "DEPTH_ZERO_SELF_SIGNED_CERT" ||
    code === "SELF_SIGNED_CERT_IN_CHAIN" ||
    code === "HOSTNAME_MISMATCH" ||
    code === "ERR_TLS_CERT_ALTNAME_INVALID"
  );
}

/**
 * Before a host has ever answered, a failure to connect is most likely a wrong host, not a blip: a few quick
 * tries (DNS's EAI_AGAIN and a refused connection can be a moment's hiccup), all within FIRST_CONTACT_MS, then
 * fail. Once the host has answered, the same failures get the patient retries (a restart, a failover).
 */
export const FIRST_CONTACT = Object.freeze({ maxAttempts: 3, windowMs: 8_000, maxDelayMs: 1_000 });

/** Connect timeout of the client's own connection pool: a TCP/TLS connect to Databricks takes well under this. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Codes that, before first contact, mean "nothing answers at this address" (retried only a little). */
export function isUnreachableCode(code: string | undefined): boolean {
  return code !== undefined && (NOT_SENT_ERROR_CODES.has(code) || code === "ENOTFOUND" || isTlsErrorCode(code));
}

/** The documented overall retry budget: DATABRICKS_SCIM_RETRY_BUDGET_SECONDS, in ms; undefined when unset. */
export const RETRY_BUDGET_ENV = "DATABRICKS_SCIM_RETRY_BUDGET_SECONDS";

export function retryBudgetFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = env[RETRY_BUDGET_ENV];
  if (raw === undefined || raw.trim() === "") return undefined;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 0) {
    throw new InvalidArgumentError(`${RETRY_BUDGET_ENV} must be a number of seconds >= 0 (e.g. 300), got ${JSON.stringify(raw)}`);
  }
  return Math.round(s * 1000);
}
