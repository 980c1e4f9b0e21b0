// Request accounting for /__emulator/stats and /__emulator/requests: counts and a bounded log. Only
// method, path, query, status and timing are kept: never headers, so never tokens.
import type { EmuRequest, EmuResponse, Middleware } from "./pipeline";

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
  /** True when the response was dropped (fault injection) instead of sent. */
  dropped?: boolean;
}

export interface StatsSnapshot {
  total: number;
  byMethod: Record<string, number>;
  /** Key: "<METHOD> <resourceType> <level>", e.g. "GET Users workspace". */
  byResource: Record<string, number>;
  byStatus: Record<string, number>;
}

/** Which SCIM resource and level a path addresses, for the counters ("other" when not SCIM). */
export function classify(path: string): { level: string; resourceType: string } {
  const ws = /^\/api\/2\.0\/preview\/scim\/v2\/([A-Za-z]+)/.exec(path);
  if (ws) return { level: "workspace", resourceType: ws[1] as string };
  const acc = /^\/api\/2\.[01]\/accounts\/[^/]+\/scim\/v2\/([A-Za-z]+)/.exec(path);
  if (acc) return { level: "account", resourceType: acc[1] as string };
  return { level: "other", resourceType: "other" };
}

export class Stats {
  private total = 0;
  private byMethod: Record<string, number> = {};
  private byResource: Record<string, number> = {};
  private byStatus: Record<string, number> = {};
  private log: RequestLogEntry[] = [];

  constructor(private readonly logLimit: number) {}

  record(req: EmuRequest, res: EmuResponse): void {
    const { level, resourceType } = classify(req.path);
    const key = `${req.method} ${resourceType} ${level}`;
    this.total++;
    this.byMethod[req.method] = (this.byMethod[req.method] ?? 0) + 1;
    this.byResource[key] = (this.byResource[key] ?? 0) + 1;
    this.byStatus[String(res.status)] = (this.byStatus[String(res.status)] ?? 0) + 1;
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
    if (res.drop) entry.dropped = true;
    this.log.push(entry);
    if (this.log.length > this.logLimit) this.log.splice(0, this.log.length - this.logLimit);
  }

  snapshot(): StatsSnapshot {
    return {
      total: this.total,
      byMethod: { ...this.byMethod },
      byResource: { ...this.byResource },
      byStatus: { ...this.byStatus },
    };
  }

  requests(): RequestLogEntry[] {
    return [...this.log];
  }

  reset(): void {
    this.total = 0;
    this.byMethod = {};
    this.byResource = {};
    this.byStatus = {};
    this.log = [];
  }

  /** The outermost middleware: sees the final status of everything, faults included. */
  middleware(): Middleware {
    return async (req, next) => {
      const res = await next(req);
      this.record(req, res);
      return res;
    };
  }
}
