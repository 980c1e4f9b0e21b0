// Errors for a host that cannot be what the caller meant: nothing answers there, or what answers is not a
// Databricks API. Raised fast (about 10 s at most) and only for a host this process has never reached, so a
// mistyped DATABRICKS_HOST does not look like a five-minute hang. Each names the host and where it came from.

import { InvalidResponseError, NetworkError, type RequestInfo } from "./errors";

/** `https://host (from DATABRICKS_HOST)`, or the origin alone when the caller gave no source. */
export function describeHost(origin: string | undefined, hostSource: string | undefined): string {
  const o = origin ?? "the host";
  return hostSource ? `${o} (${hostSource})` : o;
}

/**
 * Connection refused, DNS failure, TLS failure or connect timeout to a host that never answered in this process.
 * A NetworkError (same `code`, `causeCode`), so callers that handle network failures need no change.
 */
export class HostUnreachableError extends NetworkError {
  readonly hostSource?: string;
  /** `hint`: what to do, when the cause says more than "check the host name, port and scheme". */
  constructor(info: RequestInfo & { causeCode?: string; reason: string; hint?: string; hostSource?: string; elapsedMs: number }, cause?: unknown) {
    super(info, cause);
    this.name = "HostUnreachableError";
    this.hostSource = info.hostSource;
    const tries = info.attempts === 1 ? "1 attempt" : `${info.attempts ?? 1} attempts`;
    this.message =
      `cannot reach ${describeHost(info.origin, info.hostSource)}: ${info.reason}${info.causeCode ? ` (${info.causeCode})` : ""}, ` +
      `${tries} in ${(info.elapsedMs / 1000).toFixed(1)} s. Nothing has answered at this address in this run, so it is ` +
      `not retried further: ${info.hint ?? "check the host name, port and scheme"} (${info.method} ${info.path})`;
  }
}

/** The host answered with HTML (a web page, a login portal, a proxy): it is not a Databricks REST API. */
export class NotDatabricksApiError extends InvalidResponseError {
  readonly hostSource?: string;
  constructor(info: RequestInfo & { status: number; contentType?: string; excerpt: string; hostSource?: string }) {
    super({ ...info, reason: "not a Databricks API" });
    this.name = "NotDatabricksApiError";
    this.hostSource = info.hostSource;
    this.message =
      `${describeHost(info.origin, info.hostSource)} is not a Databricks API: ${info.method} ${info.path} was answered ` +
      `${info.status} ${info.contentType ?? "without a content type"} ${JSON.stringify(info.excerpt)}. The host should be ` +
      `a workspace URL (https://adb-….azuredatabricks.net, https://….cloud.databricks.com) or the accounts console ` +
      `(https://accounts.cloud.databricks.com), with no path`;
  }
}

export const isHostUnreachable = (e: unknown): e is HostUnreachableError => e instanceof HostUnreachableError;
export const isNotDatabricksApi = (e: unknown): e is NotDatabricksApiError => e instanceof NotDatabricksApiError;
