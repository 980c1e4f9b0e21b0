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
import { HostUnreachableError, NotDatabricksApiError, describeHost } from "./hostErrors";
import type { Pacer } from "./pacer";
import { redact } from "../shared/redact";
import {
  FIRST_CONTACT,
  NOT_SENT_ERROR_CODES,
  SENT_ERROR_CODES,
  TIMEOUT_ERROR_CODES,
  backoffDelay,
  decide,
  isTlsErrorCode,
  isUnreachableCode,
  parseRetryAfter,
  type RetryOptions,
} from "./retry";
import type { Semaphore } from "./semaphore";
import { sleep } from "./sleep";
import type { ClientStats } from "./stats";
import type { HostContact } from "./target";

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
  /** Whether the host has ever answered, shared by every client of the host in the process. */
  contact?: HostContact;
  /** Where the host came from ("from DATABRICKS_HOST"), for messages. */
  hostSource?: string;
  /** Receives a line when a request has waited long on throttling or retries (a person should know). */
  onNotice?: (message: string) => void;
  /** Shared by the target's clients: when the last notice went out, so that a busy target says it once a while. */
  noticeState?: { lastNoticeAt: number };
  /** @internal tests: NOTICE_AFTER_MS. */
  noticeAfterMs?: number;
}

/** A request that has waited this long in retries (cumulative) makes a notice. */
export const NOTICE_AFTER_MS = 10_000;
/** At most one notice per target in this interval. */
export const NOTICE_INTERVAL_MS = 30_000;

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

/** Content type for bodies: the RFC media type, as terraform-provider-databricks sends it to Databricks. */
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
    let waitedMs = 0; // this request's backoff and pacing waits, for the notice
    let noticed = false;
    const contact = c.contact ?? { reached: false };
    const noteWait = (ms: number, cause: string) => {
      waitedMs += ms;
      if (!noticed && waitedMs >= (c.noticeAfterMs ?? NOTICE_AFTER_MS)) {
        noticed = true;
        this.#notice(method, path, attempts, waitedMs, cause, deadline);
      }
    };
    const wait = async (retry: number, retryAfterMs: number | undefined, cause: string, capMs?: number): Promise<boolean> => {
      const d = await this.#backoff(retry, deadline, retryAfterMs, signal, capMs);
      if (d === false) return false;
      noteWait(d, cause);
      return true;
    };
    const pacingCause = (pacer: Pacer) => (pacer.cuts > 0 ? "throttled" : `paced to the published ${spec.bucket} limit of ${+(pacer.rate ?? 0).toFixed(2)}/s`);

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

      // Wait until the verb's bucket could let a request go, then take a permit, then reserve the pacing slot:
      // the pacer's spacing is then the spacing on the wire (reserving slots before queueing for a permit would
      // let queued requests leave in a burst when permits free up), and requests held back by one slow verb do
      // not sit on permits the other verbs need.
      const pacer = c.pacers[spec.bucket];
      let sentAt = performance.now();
      if (pacer) {
        const t0 = performance.now();
        try {
          await pacer.ready(signal);
        } catch {
          throw this.#fail(new AbortedError({ method, path, origin: c.origin, attempts }, signal?.reason));
        }
        const waited = performance.now() - t0;
        c.stats.waitedMs += waited;
        if (waited > 0) noteWait(waited, pacingCause(pacer));
      }
      const release = await c.semaphore.acquire();
      try {
        if (pacer) {
          const t0 = performance.now();
          sentAt = await pacer.acquire(signal);
          const waited = performance.now() - t0;
          c.stats.waitedMs += waited;
          if (waited > 0) noteWait(waited, pacingCause(pacer));
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
        const reason = redact(netErr instanceof Error ? netErr.message : String(netErr), secrets);
        const err = TIMEOUT_ERROR_CODES.has(code ?? "")
          ? new TimeoutError({ ...info, causeCode: code, reason: `no answer within ${c.timeoutMs} ms` }, netErr)
          : new NetworkError({ ...info, causeCode: code, reason }, netErr);
        // A host that never answered: a refused connection, a DNS or TLS failure, a connect timeout is almost
        // surely a wrong host. A few quick tries (EAI_AGAIN and a refusal can be a moment's hiccup), then fail
        // naming the host and where it came from.
        if (!contact.reached && isUnreachableCode(code)) {
          const final = code === "ENOTFOUND" || isTlsErrorCode(code);
          const elapsed = performance.now() - started;
          if (!final && attempts < FIRST_CONTACT.maxAttempts && elapsed < FIRST_CONTACT.windowMs) {
            const capMs = Math.min(FIRST_CONTACT.maxDelayMs, FIRST_CONTACT.windowMs - elapsed);
            if (await wait(retries++, undefined, reason, capMs)) continue;
          }
          throw this.#fail(
            new HostUnreachableError(
              {
                ...info,
                causeCode: code,
                reason: unreachableReason(code, reason),
                hint: unreachableHint(code, c.origin),
                hostSource: c.hostSource,
                elapsedMs: performance.now() - started,
              },
              netErr,
            ),
          );
        }
        const verdict = decide(method, { kind: "network", code });
        if (verdict === "ambiguous") throw this.#fail(new AmbiguousWriteError(err));
        if (verdict === "retry" && (await wait(retries++, undefined, reason))) continue;
        throw this.#fail(err);
      }

      const st = status!;
      const contentType = headerValue(resHeaders["content-type"]);
      if (looksLikeHtml(contentType, text)) {
        // A web page is never a SCIM answer. Before the host has answered like Databricks, any page but a
        // gateway's 429/5xx means the URL points elsewhere; a 2xx page means that always.
        if ((st >= 200 && st < 300) || (!contact.reached && st < 500 && st !== 429)) {
          throw this.#fail(new NotDatabricksApiError({ ...info, status: st, contentType, excerpt: htmlExcerpt(text), hostSource: c.hostSource }));
        }
      } else {
        contact.reached = true;
      }

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
      const retryAfterMs = parseRetryAfter(resHeaders["retry-after"]);
      if (throttled) {
        c.stats.throttled++;
        pacer?.throttled(sentAt, retryAfterMs);
      }

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
          scimType: parsed.scimType === undefined ? undefined : redact(parsed.scimType, secrets),
          detail: parsed.detail === undefined ? undefined : redact(parsed.detail, secrets),
          errorCode: parsed.errorCode,
          retryAfterMs,
          authSource: redact(c.auth.source, secrets),
          authSourceKinds: c.auth.sourceKinds,
        });

      const verdict = decide(method, { kind: "response", status: st, throttled });
      if (verdict === "ambiguous") throw this.#fail(new AmbiguousWriteError(build()));
      const plain500 = st === 500 && !throttled;
      if (plain500 && serverErrorRetries++ >= c.retry.maxServerErrorRetries) throw this.#fail(build());
      const cause = throttled
        ? `throttled (${st}${parsed.errorCode?.includes("REQUEST_LIMIT") || parsed.detail?.includes("REQUEST_LIMIT") ? " REQUEST_LIMIT_EXCEEDED" : ""})`
        : `${st}`;
      if (verdict === "retry" && (await wait(retries++, retryAfterMs, cause))) continue;
      throw this.#fail(build());
    }
  }

  /** One line for the user: this request has waited long, why, and how long it may still go on. */
  #notice(method: string, path: string, attempts: number, waitedMs: number, cause: string, deadline: number): void {
    const c = this.#c;
    if (!c.onNotice) return;
    const now = performance.now();
    const state = c.noticeState ?? { lastNoticeAt: Number.NEGATIVE_INFINITY };
    if (now - state.lastNoticeAt < NOTICE_INTERVAL_MS) return;
    state.lastNoticeAt = now;
    const left = Math.max(0, Math.round((deadline - now) / 1000));
    const host = describeHost(c.origin, c.hostSource);
    const what = cause.startsWith("throttled")
      ? `Databricks is throttling requests to ${host}`
      : cause.startsWith("paced")
        ? `requests to ${host} wait their turn (${cause})`
        : `${host} is failing requests (${cause})`;
    const head = `${what}: ${method} ${path.split("?")[0]} has waited ${Math.round(waitedMs / 1000)} s`;
    try {
      c.onNotice(
        cause.startsWith("paced")
          ? `${head} so far`
          : `${head} over ${attempts} attempts; still retrying for up to ${left} s more (DATABRICKS_SCIM_RETRY_BUDGET_SECONDS sets the budget)`,
      );
    } catch {
      // A notice is best effort; a failing sink must not fail the request.
    }
  }

  /**
   * Waits before the next retry and returns how long; false when out of retries or when the wait would cross the
   * elapsed cap. `capMs` shortens the wait (quick tries before first contact).
   */
  async #backoff(retry: number, deadline: number, retryAfterMs: number | undefined, signal?: AbortSignal, capMs?: number): Promise<number | false> {
    const c = this.#c;
    if (retry >= c.retry.maxRetries) return false;
    let delay = backoffDelay(retry, c.retry, retryAfterMs, c.random);
    if (capMs !== undefined) delay = Math.min(delay, capMs);
    if (performance.now() + delay > deadline) return false;
    try {
      await sleep(delay, signal);
    } catch {
      return 0; // aborted: the loop head turns it into an AbortedError
    }
    c.stats.waitedMs += delay;
    return delay;
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

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** An HTML page: by content type, or by its first character when the type is missing or generic. */
function looksLikeHtml(contentType: string | undefined, text: string): boolean {
  if (contentType && /\bhtml\b/i.test(contentType)) return true;
  if (contentType && /json/i.test(contentType)) return false;
  return /^\s*<(!doctype|html|head|body|\?xml|!--)/i.test(text);
}

function htmlExcerpt(text: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  const one = (title || text).replace(/\s+/g, " ").trim();
  return one.length > 80 ? `${one.slice(0, 80)}…` : one;
}

function unreachableReason(code: string | undefined, reason: string): string {
  if (code === "ECONNREFUSED") return "connection refused, nothing listens on that port";
  if (code === "ENOTFOUND") return "DNS has no address for this host name";
  if (code === "EAI_AGAIN") return "DNS lookup failed repeatedly";
  if (code !== undefined && TIMEOUT_ERROR_CODES.has(code)) return "no answer to the connection attempt";
  if (isPlainHttpAnswer(code)) return "TLS failed: what answers on that port speaks plain HTTP, not TLS";
  if (isTlsErrorCode(code)) return `TLS failed: ${reason}`;
  return reason;
}

/**
 * OpenSSL's "wrong version number": the first bytes back were not a TLS record, as when https:// meets a server
 * that serves plain http. A host without a scheme is taken as https:// (auth/host.ts, as the Databricks CLI and
 * SDKs take it), so a plain-http server written without its scheme (a local emulator: 127.0.0.1:8080) ends here.
 */
function isPlainHttpAnswer(code: string | undefined): boolean {
  return code === "ERR_SSL_WRONG_VERSION_NUMBER" || code === "ERR_SSL_HTTP_REQUEST";
}

/** What to do about it, when the code says: here, the scheme to write. */
function unreachableHint(code: string | undefined, origin: string): string | undefined {
  if (!isPlainHttpAnswer(code) || !origin.startsWith("https://")) return undefined;
  return (
    "A host without a scheme is taken as https://, as the Databricks CLI and SDKs take it. If this server serves plain " +
    `http (a local emulator or proxy), write the scheme: ${origin.replace(/^https:/, "http:")}. Databricks workspaces and ` +
    "account consoles answer https only: if this is one, check the port"
  );
}
