// Graph throttling as a fault mode. Two switches, both off by default:
// - `next`: the next N Graph calls answer 429 (deterministic, for tests);
// - `unavailable`: the next N calls (after any `next`) answer 503 serviceNotAvailable with Retry-After, which
//   Graph's error guidance also says to retry;
// - `resourceUnits`: a token bucket of ResourceUnits per app, charged what Graph's identity limits charge
//   (GET users 2, GET groups/{id}/members 3, transitiveMembers 5, other GETs 1; $select −1; $expand +1; $top < 20 −1;
//   floor 1), 429 when the bucket is short.
// A 429 carries Retry-After (whole seconds), x-ms-throttle-scope and x-ms-throttle-information, and consumes
// nothing; every other answer carries x-ms-resource-unit (the cost charged).
import { GraphError } from "./errors";

export interface ThrottleSettings {
  next: number;
  unavailable: number;
  retryAfterSeconds: number;
  resourceUnits: { limit: number; perSeconds: number } | null;
}

export const DEFAULT_THROTTLE: ThrottleSettings = { next: 0, unavailable: 0, retryAfterSeconds: 1, resourceUnits: null };

export function resourceUnitCost(path: string, params: URLSearchParams): number {
  let cost = 1;
  if (/\/transitiveMembers(\/|$)/.test(path)) cost = 5;
  else if (/\/members(\/|$)/.test(path)) cost = 3;
  else if (/\/users$/.test(path)) cost = 2;
  if (params.has("$select")) cost -= 1;
  if (params.has("$expand")) cost += 1;
  const top = Number(params.get("$top") ?? "100");
  if (top < 20) cost -= 1;
  return Math.max(1, cost);
}

export class Throttle {
  settings: ThrottleSettings = { ...DEFAULT_THROTTLE };
  private buckets = new Map<string, { tokens: number; at: number }>();
  throttled = 0;

  update(input: Partial<ThrottleSettings>): ThrottleSettings {
    const next: ThrottleSettings = { ...this.settings, ...input };
    for (const k of ["next", "unavailable"] as const) {
      if (!Number.isInteger(next[k]) || next[k] < 0) throw new Error(`throttle.${k} must be a non-negative integer`);
    }
    if (!Number.isInteger(next.retryAfterSeconds) || next.retryAfterSeconds < 0) throw new Error("throttle.retryAfterSeconds must be a non-negative integer");
    const ru = next.resourceUnits;
    if (ru !== null && !(ru.limit > 0 && ru.perSeconds > 0)) throw new Error("throttle.resourceUnits needs a positive limit and perSeconds, or null");
    this.settings = next;
    this.buckets.clear();
    return this.settings;
  }

  /** Throws the 429 when this call is throttled; else charges the bucket. */
  admit(appId: string, tenantId: string, cost: number, now = Date.now()): void {
    const throttled = (retryAfter: number): GraphError => {
      this.throttled++;
      return new GraphError(429, "TooManyRequests", "Too many requests.", {
        "retry-after": String(retryAfter),
        "x-ms-throttle-scope": `Tenant_Application/ReadOnly/${appId}/${tenantId}`,
        "x-ms-throttle-information": "ResourceUnitLimitExceeded",
      });
    };
    if (this.settings.next > 0) {
      this.settings.next--;
      throw throttled(this.settings.retryAfterSeconds);
    }
    if (this.settings.unavailable > 0) {
      this.settings.unavailable--;
      this.throttled++;
      throw new GraphError(503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.", {
        "retry-after": String(this.settings.retryAfterSeconds),
      });
    }
    const ru = this.settings.resourceUnits;
    if (!ru) return;
    const perMs = ru.limit / (ru.perSeconds * 1000);
    const b = this.buckets.get(appId) ?? { tokens: ru.limit, at: now };
    b.tokens = Math.min(ru.limit, b.tokens + (now - b.at) * perMs);
    b.at = now;
    this.buckets.set(appId, b);
    if (b.tokens < cost) throw throttled(Math.max(1, Math.ceil((cost - b.tokens) / perMs / 1000)));
    b.tokens -= cost;
  }
}
