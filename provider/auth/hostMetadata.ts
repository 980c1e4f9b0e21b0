// Host metadata, as current Databricks SDKs read it (Go config/host_metadata.go, Python oauth.get_host_metadata):
// GET {host}/.well-known/databricks-config with no credential, JSON `account_id`, `workspace_id`, `cloud`,
// `host_type` (workspace|account|unified, any case), `oidc_endpoint`. Best effort: any failure (a 404, another
// status, a body that is not the expected JSON, a network error, a timeout) means "no metadata" and the caller
// falls back to what the user configured, silently, as the SDKs do (they only log a warning). Values only fill
// what the user did not set (target.ts). One fetch per host per process: the answer, or its absence, is cached.
import { defaultUserAgent } from "../shared/userAgent";
import { request, type Dispatcher } from "undici";
import type { Cloud } from "./types";

export type HostType = "workspace" | "account" | "unified";

export interface HostMetadata {
  accountId?: string;
  workspaceId?: string;
  cloud?: Cloud;
  hostType?: HostType;
  /** OIDC root; for account hosts it may hold an `{account_id}` placeholder. Not used by this package yet. */
  oidcEndpoint?: string;
}

export interface HostMetadataOptions {
  /** Whole request (connect, headers, body), ms. Default 5000: a probe must never hold up a preview for long. */
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

export const HOST_METADATA_PATH = "/.well-known/databricks-config";
const DEFAULT_TIMEOUT_MS = 5000;

const cache = new Map<string, Promise<HostMetadata | undefined>>();

/** Test seam: forget every cached answer. */
export function clearHostMetadataCache(): void {
  cache.clear();
}

/** `host`: normalised (scheme + host + port, no trailing slash), as resolveTarget makes it. */
export function fetchHostMetadata(host: string, opts: HostMetadataOptions = {}): Promise<HostMetadata | undefined> {
  let pending = cache.get(host);
  if (!pending) {
    pending = fetchOnce(host, opts);
    cache.set(host, pending);
  }
  return pending;
}

async function fetchOnce(host: string, opts: HostMetadataOptions): Promise<HostMetadata | undefined> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    const res = await request(`${host}${HOST_METADATA_PATH}`, {
      method: "GET",
      headers: { accept: "application/json", "user-agent": defaultUserAgent() },
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) return undefined;
    return parseHostMetadata(JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

const CLOUDS: Record<string, Cloud> = { AWS: "aws", AZURE: "azure", GCP: "gcp" };
const HOST_TYPES: Record<string, HostType> = { WORKSPACE: "workspace", ACCOUNT: "account", UNIFIED: "unified" };

/** The fields this package uses, each only when it has the expected type; anything else reads as absent. */
export function parseHostMetadata(body: unknown): HostMetadata | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
  const out: HostMetadata = {};
  const accountId = text(b.account_id);
  if (accountId) out.accountId = accountId;
  // A workspace id is an int64; tolerate it as a JSON number (safe integers only) as well as a string.
  const ws = typeof b.workspace_id === "number" && Number.isSafeInteger(b.workspace_id) ? String(b.workspace_id) : text(b.workspace_id);
  if (ws && /^\d+$/.test(ws)) out.workspaceId = ws;
  const cloud = CLOUDS[text(b.cloud)?.toUpperCase() ?? ""];
  if (cloud) out.cloud = cloud;
  const hostType = HOST_TYPES[text(b.host_type)?.toUpperCase() ?? ""];
  if (hostType) out.hostType = hostType;
  const oidc = text(b.oidc_endpoint);
  if (oidc) out.oidcEndpoint = oidc;
  return out;
}
