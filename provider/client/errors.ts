// Typed errors of the SCIM client and of credential resolution (CredentialError, raised by provider/auth), one
// module for all of them (as undici's lib/core/errors.js).
//
// Every error carries a stable `code` string. Callers branch on `instanceof` or on the type guards at the end of
// this file, never on message text. `instanceof` is brand-based (the root, shared/packageError.ts), so it also works when two copies
// of this module are loaded (the Pulumi shims `require` the installed package by name, tests import it relatively).
//
// Nothing here may hold a secret: errors carry the method, the request path with its query (which never
// contains credentials), the origin without userinfo, the status, and the server's error fields. Request
// headers are never stored. The transport additionally scrubs the live credential values from every message.

import { DatabricksScimError } from "../shared/packageError";
import type { CredentialSourceKind } from "../shared/credentialSource";
import type { GatewayErrorBody, ScimErrorBody } from "./types";

/** The root of every error the package raises on purpose. */
export { DatabricksScimError } from "../shared/packageError";

/** Credential resolution's error (raised by provider/auth) is part of this hierarchy; it lives in the leaf module. */
export { CredentialError, type CredentialErrorCode, type TargetSetting } from "../shared/credentialError";

export const ErrorCodes = {
  /** Base / unclassified HTTP error (e.g. 412, 501). */
  HTTP: "SCIM_HTTP_ERROR",
  BAD_REQUEST: "SCIM_BAD_REQUEST",
  AUTH: "SCIM_AUTH",
  NOT_FOUND: "SCIM_NOT_FOUND",
  CONFLICT: "SCIM_CONFLICT",
  RATE_LIMITED: "SCIM_RATE_LIMITED",
  SERVER: "SCIM_SERVER_ERROR",
  NETWORK: "SCIM_NETWORK",
  TIMEOUT: "SCIM_TIMEOUT",
  AMBIGUOUS_WRITE: "SCIM_AMBIGUOUS_WRITE",
  INVALID_RESPONSE: "SCIM_INVALID_RESPONSE",
  UNSUPPORTED: "SCIM_UNSUPPORTED",
  INVALID_ARGUMENT: "SCIM_INVALID_ARGUMENT",
  ABORTED: "SCIM_ABORTED",
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** What every request-bound error knows about the request that failed. */
export interface RequestInfo {
  method: string;
  /** Path with query string, e.g. `/api/2.0/preview/scim/v2/Users?filter=...`. Never credentials. */
  path: string;
  /** Scheme, host and port only (userinfo stripped). */
  origin?: string;
  /** How many HTTP attempts were made for this logical request (1 = no retry). */
  attempts?: number;
}

export interface HttpErrorInit extends RequestInfo {
  status: number;
  scimType?: string;
  detail?: string;
  /** `error_code` of the gateway shape, or `SCIM_<status>` for the SCIM envelope (as the Go SDK names it). */
  errorCode?: string;
  /** Value of `Retry-After` in ms, if the server sent one. */
  retryAfterMs?: number;
}

export class ScimClientError extends DatabricksScimError {
  readonly code: ErrorCode;
  readonly method: string;
  readonly path: string;
  readonly origin?: string;
  readonly status?: number;
  readonly scimType?: string;
  readonly detail?: string;
  readonly errorCode?: string;
  /** HTTP attempts made (1 = no retry). A 404 from a retried DELETE (attempts > 1) likely means success. */
  readonly attempts: number;

  constructor(
    code: ErrorCode,
    message: string,
    info: RequestInfo & { status?: number; scimType?: string; detail?: string; errorCode?: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ScimClientError";
    this.code = code;
    this.method = info.method;
    this.path = info.path;
    this.origin = info.origin;
    this.status = info.status;
    this.scimType = info.scimType;
    this.detail = info.detail;
    this.errorCode = info.errorCode;
    this.attempts = info.attempts ?? 1;
  }
}

/** `<METHOD> <path>: <status> <scimType> <detail>`, without empty parts. */
export function formatHttpMessage(init: HttpErrorInit): string {
  const tail = [String(init.status), init.scimType, init.detail].filter((s) => s !== undefined && s !== "").join(" ");
  return `${init.method} ${init.path}: ${tail}`;
}

/** Any non-2xx answer. Subclasses below cover the statuses callers handle; others (412, 501, …) are this class. */
export class HttpError extends ScimClientError {
  declare readonly status: number;
  readonly retryAfterMs?: number;
  constructor(init: HttpErrorInit, code: ErrorCode = ErrorCodes.HTTP, message = formatHttpMessage(init)) {
    super(code, message, init);
    this.name = "HttpError";
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 400. `scimType` tells why: invalidFilter, invalidPath, invalidSyntax, invalidValue, noTarget, tooMany, … */
export class BadRequestError extends HttpError {
  constructor(init: HttpErrorInit) {
    super(init, ErrorCodes.BAD_REQUEST);
    this.name = "BadRequestError";
  }
}

export class NotFoundError extends HttpError {
  constructor(init: HttpErrorInit) {
    super(init, ErrorCodes.NOT_FOUND);
    this.name = "NotFoundError";
  }
}

/** 409: the userName / displayName / applicationId already exists (Databricks sends no scimType here). */
export class ConflictError extends HttpError {
  constructor(init: HttpErrorInit) {
    super(init, ErrorCodes.CONFLICT);
    this.name = "ConflictError";
  }
}

/** What an AuthError knows beyond the answer: the credential's source, as text and as kinds. */
export type AuthErrorInit = HttpErrorInit & { authSource: string; authSourceKinds?: readonly CredentialSourceKind[] };

/**
 * 401/403. The message names the credential *source* (never the credential):
 * `DATABRICKS_TOKEN from the environment was rejected by https://host: 403 Invalid access token. (GET /api/…)`.
 */
export class AuthError extends HttpError {
  readonly authSource: string;
  /** The typed counterpart of authSource (AuthProvider.sourceKinds): branch on this, never on the text. Empty when unknown. */
  readonly authSourceKinds: readonly CredentialSourceKind[];
  constructor(init: AuthErrorInit) {
    const tail = [String(init.status), init.scimType, init.detail].filter((s) => s !== undefined && s !== "").join(" ");
    super(init, ErrorCodes.AUTH, `${init.authSource} was rejected by ${init.origin ?? "the server"}: ${tail} (${init.method} ${init.path})`);
    this.name = "AuthError";
    this.authSource = init.authSource;
    this.authSourceKinds = init.authSourceKinds ?? [];
  }
}

/** 429, or any answer carrying REQUEST_LIMIT_EXCEEDED (Databricks sends its concurrency cap as 500), after retries. */
export class RateLimitError extends HttpError {
  constructor(init: HttpErrorInit) {
    super(init, ErrorCodes.RATE_LIMITED, `${formatHttpMessage(init)} (gave up after ${init.attempts ?? 1} attempts)`);
    this.name = "RateLimitError";
  }
}

/** 5xx (other than REQUEST_LIMIT_EXCEEDED). Databricks answers some deterministic failures with 500 too. */
export class ServerError extends HttpError {
  constructor(init: HttpErrorInit) {
    super(init, ErrorCodes.SERVER);
    this.name = "ServerError";
  }
}

/** No HTTP answer: connection refused/reset, DNS failure, socket closed. `cause` holds the undici/Node error. */
export class NetworkError extends ScimClientError {
  /** The underlying error code (ECONNRESET, UND_ERR_SOCKET, …). */
  readonly causeCode?: string;
  constructor(info: RequestInfo & { causeCode?: string; reason: string }, cause?: unknown, code: ErrorCode = ErrorCodes.NETWORK) {
    super(code, `${info.method} ${info.path}: ${info.reason}${info.causeCode ? ` (${info.causeCode})` : ""}`, info, {
      cause,
    });
    this.name = "NetworkError";
    this.causeCode = info.causeCode;
  }
}

/** The server did not answer (headers or body) in time. A NetworkError, so `instanceof NetworkError` covers both. */
export class TimeoutError extends NetworkError {
  constructor(info: RequestInfo & { causeCode?: string; reason: string }, cause?: unknown) {
    super(info, cause, ErrorCodes.TIMEOUT);
    this.name = "TimeoutError";
  }
}

/**
 * A non-idempotent write (POST) was sent but its outcome is unknown: the connection broke or timed out after the
 * request went out, or a gateway answered 502/504. The object may or may not exist now. The client does not
 * retry (a blind retry could create a duplicate or answer 409 for our own object); the caller should look the
 * object up by its natural key (userName / displayName / applicationId) and adopt it, or retry the create.
 * `cause` is the NetworkError / TimeoutError / ServerError that made it ambiguous.
 */
export class AmbiguousWriteError extends ScimClientError {
  declare readonly cause: ScimClientError;
  constructor(cause: ScimClientError) {
    super(
      ErrorCodes.AMBIGUOUS_WRITE,
      `${cause.method} ${cause.path}: outcome unknown, the request may have been applied: ${cause.message}`,
      { ...cause, method: cause.method, path: cause.path },
      { cause },
    );
    this.name = "AmbiguousWriteError";
  }
}

/** A 2xx answer we cannot use (not JSON, or a created resource without `id`). */
export class InvalidResponseError extends ScimClientError {
  constructor(info: RequestInfo & { status?: number; reason: string }) {
    const status = info.status !== undefined ? `${info.status} ` : "";
    super(ErrorCodes.INVALID_RESPONSE, `${info.method} ${info.path}: ${status}${info.reason}`, info);
    this.name = "InvalidResponseError";
  }
}

/** The operation does not exist at this level (e.g. `/Me` at account level). No request is sent. */
export class UnsupportedOperationError extends ScimClientError {
  constructor(method: string, path: string, reason: string) {
    super(ErrorCodes.UNSUPPORTED, `${method} ${path}: ${reason}`, { method, path, attempts: 0 });
    this.name = "UnsupportedOperationError";
  }
}

/** A caller mistake detected before sending (empty id, bad attribute name in a filter, bad options). */
export class InvalidArgumentError extends DatabricksScimError {
  readonly code = ErrorCodes.INVALID_ARGUMENT;
  constructor(message: string) {
    super(message);
    this.name = "InvalidArgumentError";
  }
}

/** The caller's AbortSignal fired. */
export class AbortedError extends ScimClientError {
  constructor(info: RequestInfo, cause?: unknown) {
    super(ErrorCodes.ABORTED, `${info.method} ${info.path}: aborted`, info, { cause });
    this.name = "AbortedError";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing error bodies

export interface ParsedErrorBody {
  scimType?: string;
  detail?: string;
  errorCode?: string;
}

/**
 * Reads either error shape Databricks answers with:
 *  - SCIM envelope `{"schemas":[…Error],"status":"404","scimType":"…","detail":"…"}` (status string or number;
 *    `detail: "null"` means "SCIM API Internal Error", as the Go and Python SDKs render it);
 *  - gateway `{"error_code": 403 | "REQUEST_LIMIT_EXCEEDED", "message": "…"}`.
 * Anything else (HTML from a proxy, empty body) gives a short, single-line excerpt as `detail`.
 */
export function parseErrorBody(status: number, text: string): ParsedErrorBody {
  const trimmed = text.trim();
  if (trimmed === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { detail: excerpt(trimmed) };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { detail: excerpt(trimmed) };
  const scim = json as ScimErrorBody;
  const gw = json as GatewayErrorBody;
  if (scim.detail !== undefined || scim.scimType !== undefined || scim.status !== undefined) {
    let detail = typeof scim.detail === "string" ? scim.detail : scim.detail == null ? undefined : String(scim.detail);
    if (detail === "null") detail = "SCIM API Internal Error";
    const scimType = typeof scim.scimType === "string" && scim.scimType !== "" ? scim.scimType : undefined;
    const st = scim.status !== undefined && scim.status !== null ? String(scim.status) : String(status);
    return { scimType, detail, errorCode: `SCIM_${st}` };
  }
  if (gw.error_code !== undefined || gw.message !== undefined) {
    return {
      detail: typeof gw.message === "string" ? gw.message : undefined,
      errorCode: gw.error_code !== undefined && gw.error_code !== null ? String(gw.error_code) : undefined,
    };
  }
  return { detail: excerpt(trimmed) };
}

function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}

/** True if the server says it throttled us, whatever the status (Go SDK: any code/message containing it). */
export function isRequestLimitExceeded(parsed: ParsedErrorBody): boolean {
  return (parsed.errorCode ?? "").includes("REQUEST_LIMIT_EXCEEDED") || (parsed.detail ?? "").includes("REQUEST_LIMIT_EXCEEDED");
}

/** Builds the typed error for a final (non-retried or retries-exhausted) non-2xx answer. */
export function errorFromResponse(init: AuthErrorInit): HttpError {
  const parsed: ParsedErrorBody = init;
  if (init.status === 429 || isRequestLimitExceeded(parsed)) return new RateLimitError(init);
  switch (init.status) {
    case 400:
      return new BadRequestError(init);
    case 401:
    case 403:
      return new AuthError(init);
    case 404:
      return new NotFoundError(init);
    case 409:
      return new ConflictError(init);
  }
  if (init.status >= 500) return new ServerError(init);
  return new HttpError(init);
}

// ---------------------------------------------------------------------------------------------------------------
// Type guards (for callers that prefer functions to `instanceof`)

export const isNotFound = (e: unknown): e is NotFoundError => e instanceof NotFoundError;
export const isConflict = (e: unknown): e is ConflictError => e instanceof ConflictError;
export const isAuthError = (e: unknown): e is AuthError => e instanceof AuthError;
export const isAmbiguousWrite = (e: unknown): e is AmbiguousWriteError => e instanceof AmbiguousWriteError;
