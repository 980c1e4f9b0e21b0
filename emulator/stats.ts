// Request accounting for /__emulator/stats, /__emulator/requests and /__emulator/in-flight: counts and a bounded
// log of answered requests, and the requests received but not answered yet. Only method, path, query, status and
// timing are kept (plus, for an in-flight create, the name in its body, and the one routing header, a workspace
// id): never other headers, so never tokens.
import type { EmuRequest, EmuResponse, FaultKind, Middleware } from "./pipeline";

export interface RequestLogEntry {
  seq: number;
  method: string;
  path: string;
  query: string;
  status: number;
  /** ISO time the request arrived. */
  time: string;
  durationMs: number;
  level: string;
  resourceType: string;
  /** The workspace a workspace-level request reached by its own host (port), when it did. */
  workspaceId?: string;
  /** The X-Databricks-Workspace-Id the request carried (a unified host's routing), when it did. */
  workspaceIdHeader?: string;
  /** True when the response was dropped (fault injection) instead of sent. */
  dropped?: boolean;
  /** The injected fault that decided the response (faults/). */
  fault?: FaultKind;
  /** Latency added by fault injection. */
  addedLatencyMs?: number;
}

/**
 * A request the emulator has received and not answered yet (sleeping in injected latency, held, or being
 * applied). Counters and the log above see a request only once it is answered; this is how a test sees it before.
 */
export interface InFlightEntry {
  seq: number;
  method: string;
  path: string;
  query: string;
  /** ISO time the request arrived. */
  time: string;
  level: string;
  resourceType: string;
  workspaceId?: string;
  /**
   * For a POST that creates a user, group or service principal: the name in its body (userName for Users,
   * displayName otherwise), so a test can tell whose create is in flight. Absent when the body has none.
   */
  name?: string;
}

/** Injected faults, by kind, plus the total latency added (ms). */
export type FaultCounters = Record<FaultKind, number> & { latencyMs: number };

function emptyFaultCounters(): FaultCounters {
  return { "429": 0, "500-limit": 0, "5xx": 0, reset: 0, lost: 0, lagged: 0, latencyMs: 0 };
}

export interface StatsSnapshot {
  total: number;
  byMethod: Record<string, number>;
  /** Key: "<METHOD> <resourceType> <level>", e.g. "GET Users workspace". */
  byResource: Record<string, number>;
  /** Sent responses only: a dropped one (reset/lost) has no status on the wire and is counted under `faults`. */
  byStatus: Record<string, number>;
  faults: FaultCounters;
}

/** Which SCIM resource and level a path addresses, for the counters ("other" when not SCIM). */
export function classify(path: string): { level: string; resourceType: string } {
  // Permission assignments (federation/routes.ts): resourceType "PermissionAssignments" at either level.
  if (/^\/api\/2\.0\/accounts\/[^/]+\/workspaces\/[^/]+\/permissionassignments(?:\/|$)/.test(path)) {
    return { level: "account", resourceType: "PermissionAssignments" };
  }
  if (/^\/api\/2\.0\/preview\/permissionassignments(?:\/|$)/.test(path)) return { level: "workspace", resourceType: "PermissionAssignments" };
  const ws = /^\/api\/2\.0\/preview\/scim\/v2\/([A-Za-z]+)/.exec(path);
  if (ws) return { level: "workspace", resourceType: ws[1] as string };
  const acc = /^\/api\/2\.[01]\/accounts\/[^/]+\/scim\/v2\/([A-Za-z]+)/.exec(path);
  if (acc) return { level: "account", resourceType: acc[1] as string };
  // The workspace-host proxy of account SCIM: account objects, asked of a workspace host.
  const proxy = /^\/api\/2\.0\/account\/scim\/v2\/([A-Za-z]+)/.exec(path);
  if (proxy) return { level: "account-proxy", resourceType: proxy[1] as string };
  return { level: "other", resourceType: "other" };
}

export class Stats {
  private total = 0;
  private byMethod: Record<string, number> = {};
  private byResource: Record<string, number> = {};
  private byStatus: Record<string, number> = {};
  private faults: FaultCounters = emptyFaultCounters();
  private log: RequestLogEntry[] = [];
  /** Received, not answered; not cleared by reset(): those requests are still on their way. */
  private readonly pending = new Map<number, InFlightEntry>();

  constructor(private readonly logLimit: number) {}

  record(req: EmuRequest, res: EmuResponse): void {
    const { level, resourceType } = classify(req.path);
    const key = `${req.method} ${resourceType} ${level}`;
    this.total++;
    this.byMethod[req.method] = (this.byMethod[req.method] ?? 0) + 1;
    this.byResource[key] = (this.byResource[key] ?? 0) + 1;
    if (!res.drop) this.byStatus[String(res.status)] = (this.byStatus[String(res.status)] ?? 0) + 1;
    if (res.fault) this.faults[res.fault]++;
    if (res.addedLatencyMs) this.faults.latencyMs += res.addedLatencyMs;
    const entry: RequestLogEntry = {
      seq: req.seq,
      method: req.method,
      path: req.path,
      query: req.rawQuery,
      status: res.status,
      time: new Date(req.receivedAt).toISOString(),
      durationMs: Date.now() - req.receivedAt,
      level,
      resourceType,
    };
    if (req.workspaceId !== undefined) entry.workspaceId = req.workspaceId;
    const named = req.headers["x-databricks-workspace-id"];
    if (typeof named === "string" && named !== "") entry.workspaceIdHeader = named;
    if (res.drop) entry.dropped = true;
    if (res.fault) entry.fault = res.fault;
    if (res.addedLatencyMs) entry.addedLatencyMs = res.addedLatencyMs;
    this.log.push(entry);
    if (this.log.length > this.logLimit) this.log.splice(0, this.log.length - this.logLimit);
  }

  snapshot(): StatsSnapshot {
    return {
      total: this.total,
      byMethod: { ...this.byMethod },
      byResource: { ...this.byResource },
      byStatus: { ...this.byStatus },
      faults: { ...this.faults },
    };
  }

  requests(): RequestLogEntry[] {
    return [...this.log];
  }

  /** Requests received and not answered yet, oldest first. */
  inFlight(): InFlightEntry[] {
    return [...this.pending.values()];
  }

  reset(): void {
    this.total = 0;
    this.byMethod = {};
    this.byResource = {};
    this.byStatus = {};
    this.faults = emptyFaultCounters();
    this.log = [];
  }

  /** The outermost middleware: sees every request on arrival and the final status of everything, faults included. */
  middleware(): Middleware {
    return async (req, next) => {
      this.pending.set(req.seq, arrival(req));
      try {
        const res = await next(req);
        this.record(req, res);
        return res;
      } finally {
        this.pending.delete(req.seq);
      }
    };
  }
}

function arrival(req: EmuRequest): InFlightEntry {
  const { level, resourceType } = classify(req.path);
  const entry: InFlightEntry = {
    seq: req.seq,
    method: req.method,
    path: req.path,
    query: req.rawQuery,
    time: new Date(req.receivedAt).toISOString(),
    level,
    resourceType,
  };
  if (req.workspaceId !== undefined) entry.workspaceId = req.workspaceId;
  const name = req.method === "POST" ? createdName(resourceType, req.body) : undefined;
  if (name !== undefined) entry.name = name;
  return entry;
}

/** The name a create's body gives (userName of a user, displayName of a group or service principal), if any. */
function createdName(resourceType: string, body: Buffer | undefined): string | undefined {
  const field = resourceType === "Users" ? "userName" : resourceType === "Groups" || resourceType === "ServicePrincipals" ? "displayName" : undefined;
  if (field === undefined || body === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    const value = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>)[field] : undefined;
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}
