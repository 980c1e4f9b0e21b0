// One logical HTTP request: auth headers, concurrency permit, pacing, the undici request, error typing, retries.
// Knows nothing of SCIM resources; resources.ts builds paths and bodies on top of it.

import type { Dispatcher } from "undici";
import type { AuthProvider } from "./auth";
import {
  AbortedError,
  AmbiguousWriteError,
  InvalidResponseError,
  NetworkError,
  ScimClientError,
  TimeoutError,
  errorFromResponse,
  isRequestLimitExceeded,
  parseErrorBody,
  type HttpError,
} from "./errors";
import type { Pacer } from "./pacer";
import {
  NOT_SENT_ERROR_CODES,
  SENT_ERROR_CODES,
  TIMEOUT_ERROR_CODES,
  backoffDelay,
  decide,
  parseRetryAfter,
  type RetryOptions,
} from "./retry";
import type { Semaphore } from "./semaphore";
import { sleep } from "./sleep";
import type { ClientStats } from "./stats";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Pacing buckets: GET by id (and /Me), GET of a collection, and the write verbs. */
export type RateLimitBucket = "GET" | "LIST" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface TransportConfig {
  /** `https://host[:port]`, no userinfo, no path. */
  origin: string;
  dispatcher: Dispatcher;
  auth: AuthProvider;
  semaphore: Semaphore;
  pacers: Partial<Record<RateLimitBucket, Pacer>>;
  retry: RetryOptions;
  /** Per-attempt wait for headers, and for each body chunk. */
  timeoutMs: number;
  userAgent: string;
  /** Added to every request (e.g. X-Databricks-Workspace-Id). */
  extraHeaders: Record<string, string>;
  stats: ClientStats;
  random?: () => number;
}

export interface RequestSpec {
  method: HttpMethod;
  /** Path with query, already encoded. */
  path: string;
  body?: unknown;
  bucket: RateLimitBucket;
  /** Default: the SCIM media type (CONTENT_TYPE). The assignment API takes plain application/json. */
  contentType?: string;
  signal?: AbortSignal;
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or undefined for an empty body (204, or a PATCH answered with nothing). */
  body: unknown;
}

/** Content type for bodies: the RFC media type, as terraform-provider-databricks sends it to Databricks (spec §1). */
export const CONTENT_TYPE = "application/scim+json; charset=utf-8";
export const ACCEPT = "application/json";

export class Transport {
  readonly #c: TransportConfig;

  constructor(config: TransportConfig) {
    this.#c = config;
  }

  get origin(): string {
    return this.#c.origin;
  }

  async send(spec: RequestSpec): Promise<Response> {
    const c = this.#c;
    const { method, path, signal } = spec;
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const started = performance.now();
    const deadline = started + c.retry.maxElapsedMs;
    let attempts = 0;
    let retries = 0; // policy retries, bounded by maxRetries
    let serverErrorRetries = 0; // retries after a plain 500, bounded by maxServerErrorRetries
    let authRetried = false;

    for (;;) {
      if (signal?.aborted) throw this.#fail(new AbortedError({ method, path, origin: c.origin, attempts }, signal.reason));

      // Fresh headers per attempt (a provider may have refreshed its token). Fetched before taking a permit,
      // so a slow token endpoint does not hold a connection slot.
      const authHeaders = await c.auth.headers();
      const secrets = secretsOf(authHeaders);
      const headers: Record<string, string> = {
        ...c.extraHeaders,
        ...authHeaders,
        accept: ACCEPT,
        "user-agent": c.userAgent,
      };
      if (payload !== undefined) headers["content-type"] = spec.contentType ?? CONTENT_TYPE;

      let status: number | undefined;
      let resHeaders: Record<string, string | string[] | undefined> = {};
      let text = "";
      let netErr: unknown;
      let timer: AbortSignal | undefined;

      // Permit first, then the pacing slot: the pacer's spacing is then the spacing on the wire (taking slots
      // before queueing for a permit would let queued requests leave in a burst when permits free up).
      const release = await c.semaphore.acquire();
      try {
        const pacer = c.pacers[spec.bucket];
        if (pacer) {
          const t0 = performance.now();
          await pacer.acquire(signal);
          c.stats.waitedMs += performance.now() - t0;
        }
        attempts++;
        c.stats.requests++;
        c.stats.byMethod[method] = (c.stats.byMethod[method] ?? 0) + 1;
        if (attempts > 1) c.stats.retries++;
        // Per-attempt deadline covering headers and body. undici's own headersTimeout/bodyTimeout use coarse
        // "fast timers" (~0.5 s resolution) and stay as a backstop; this one is exact and also cancels the body.
        timer = AbortSignal.timeout(c.timeoutMs);
        const res = await c.dispatcher.request({
          origin: c.origin,
          path,
          method,
          headers,
          body: payload ?? null,
          headersTimeout: c.timeoutMs,
          bodyTimeout: c.timeoutMs,
          signal: signal ? AbortSignal.any([signal, timer]) : timer,
        });
        status = res.statusCode;
        resHeaders = res.headers;
        text = await res.body.text();
      } catch (e) {
        netErr = e;
      } finally {
        release();
      }

      const info = { method, path, origin: c.origin, attempts };

      if (netErr !== undefined) {
        if (signal?.aborted) throw this.#fail(new AbortedError(info, signal.reason));
        const code = timer?.aborted ? "ETIMEDOUT" : errorCode(netErr);
        const reason = scrub(netErr instanceof Error ? netErr.message : String(netErr), secrets);
        const err = TIMEOUT_ERROR_CODES.has(code ?? "")
          ? new TimeoutError({ ...info, causeCode: code, reason: `no answer within ${c.timeoutMs} ms` }, netErr)
          : new NetworkError({ ...info, causeCode: code, reason }, netErr);
        const verdict = decide(method, { kind: "network", code });
        if (verdict === "ambiguous") throw this.#fail(new AmbiguousWriteError(err));
        if (verdict === "retry" && (await this.#backoff(retries++, deadline, undefined, signal))) continue;
        throw this.#fail(err);
      }

      const st = status!;
      if (st >= 200 && st < 300) {
        let body: unknown;
        if (text.trim() !== "") {
          try {
            body = JSON.parse(text);
          } catch {
            throw this.#fail(new InvalidResponseError({ ...info, status: st, reason: "response body is not JSON" }));
          }
        }
        return { status: st, headers: resHeaders, body };
      }

      const parsed = parseErrorBody(st, text);
      const throttled = st === 429 || st === 503 || isRequestLimitExceeded(parsed);
      if (throttled) c.stats.throttled++;
      const retryAfterMs = parseRetryAfter(resHeaders["retry-after"]);

      // 401/403: let the provider drop its cached token, then try once more, immediately.
      if ((st === 401 || st === 403) && !authRetried && typeof c.auth.invalidate === "function") {
        authRetried = true;
        c.auth.invalidate();
        continue;
      }

      const build = (): HttpError =>
        errorFromResponse({
          ...info,
          status: st,
          scimType: parsed.scimType === undefined ? undefined : scrub(parsed.scimType, secrets),
          detail: parsed.detail === undefined ? undefined : scrub(parsed.detail, secrets),
          errorCode: parsed.errorCode,
          retryAfterMs,
          authSource: scrub(c.auth.source, secrets),
        });

      const verdict = decide(method, { kind: "response", status: st, throttled });
      if (verdict === "ambiguous") throw this.#fail(new AmbiguousWriteError(build()));
      const plain500 = st === 500 && !throttled;
      if (plain500 && serverErrorRetries++ >= c.retry.maxServerErrorRetries) throw this.#fail(build());
      if (verdict === "retry" && (await this.#backoff(retries++, deadline, retryAfterMs, signal))) continue;
      throw this.#fail(build());
    }
  }

  /** Waits before the next retry; false when out of retries or when the wait would cross the elapsed cap. */
  async #backoff(retry: number, deadline: number, retryAfterMs: number | undefined, signal?: AbortSignal): Promise<boolean> {
    const c = this.#c;
    if (retry >= c.retry.maxRetries) return false;
    const delay = backoffDelay(retry, c.retry, retryAfterMs, c.random);
    if (performance.now() + delay > deadline) return false;
    try {
      await sleep(delay, signal);
    } catch {
      return true; // aborted: the loop head turns it into an AbortedError
    }
    c.stats.waitedMs += delay;
    return true;
  }

  #fail<E extends ScimClientError>(e: E): E {
    this.#c.stats.failures++;
    return e;
  }
}

/**
 * The most telling error code in an error's `cause` chain: undici wraps Node socket errors (a SocketError whose
 * cause is ECONNRESET, a connect failure whose cause is ECONNREFUSED), so prefer a code the retry policy knows.
 */
function errorCode(e: unknown): string | undefined {
  const codes: string[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 5 && typeof cur === "object" && cur !== null; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    cur = (cur as { cause?: unknown }).cause;
  }
  return codes.find((c) => NOT_SENT_ERROR_CODES.has(c)) ?? codes.find((c) => SENT_ERROR_CODES.has(c)) ?? codes[0];
}

/** Header values that must never appear in messages: the whole value and, for `Bearer x`/`Basic x`, `x`. */
function secretsOf(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const v of Object.values(headers)) {
    if (typeof v !== "string" || v.length < 4) continue;
    out.push(v);
    const m = /^\s*\S+\s+(\S.*)$/.exec(v);
    if (m && m[1]!.length >= 4) out.push(m[1]!);
  }
  return out.sort((a, b) => b.length - a.length);
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join("[REDACTED]");
  return out;
}
