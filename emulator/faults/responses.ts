// The bodies Databricks sends for overload and server faults (docs/databricks-api-notes.md).
import type { EmuResponse } from "../pipeline";

const JSON_TYPE = "application/json; charset=utf-8";
const SCIM_TYPE = "application/scim+json; charset=utf-8";
const URN_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

/**
 * Gateway 429: `{"error_code":"REQUEST_LIMIT_EXCEEDED","message":…}` (O, DBFS), `Retry-After` only sometimes
 * (O PY PR #391). The message text is (U); clients must key on the status / error_code, never on it.
 */
export function tooManyRequests(message: string, retryAfterSeconds: number | undefined): EmuResponse {
  const headers: Record<string, string> = { "content-type": JSON_TYPE, "x-databricks-reason-phrase": message };
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  return { status: 429, headers, body: { error_code: "REQUEST_LIMIT_EXCEEDED", message } };
}

/** The concurrency cap, answered as HTTP 500 with a SCIM body (Databricks Go SDK PR #721), byte for byte. */
export function concurrentLimit(workspaceId: string, limit: number): EmuResponse {
  return {
    status: 500,
    headers: { "content-type": SCIM_TYPE },
    body: {
      detail: `REQUEST_LIMIT_EXCEEDED: Workspace ${workspaceId} exceeded the concurrent limit of ${limit} requests.`,
      schemas: [URN_ERROR],
      status: "500",
    },
  };
}

/**
 * Injected server faults. (U) exact texts: 500 comes from the SCIM service (SCIM envelope); 502/503/504 from the
 * front end (gateway JSON; 503 TEMPORARILY_UNAVAILABLE as other Databricks APIs answer). `Retry-After` on 503
 * follows the same fraction as 429 (PY honours it on 503).
 */
export function serverError(status: number, path: string, retryAfterSeconds: number | undefined): EmuResponse {
  if (status === 500) {
    return { status, headers: { "content-type": SCIM_TYPE }, body: { schemas: [URN_ERROR], detail: "Internal error.", status: "500" } };
  }
  const [code, message] =
    status === 503
      ? ["TEMPORARILY_UNAVAILABLE", `The service at ${path} is temporarily unavailable. Please try again later.`]
      : status === 504
        ? ["DEADLINE_EXCEEDED", "The request timed out at the gateway."]
        : status === 502
          ? ["BAD_GATEWAY", "Bad gateway."]
          : ["INTERNAL_ERROR", `Server error ${status}.`];
  const headers: Record<string, string> = { "content-type": JSON_TYPE, "x-databricks-reason-phrase": message };
  if (status === 503 && retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  return { status, headers, body: { error_code: code, message } };
}
