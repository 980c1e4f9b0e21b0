// Concurrency cap: at most N SCIM requests in flight per level. The next one is refused at once with the
// observed HTTP 500 REQUEST_LIMIT_EXCEEDED SCIM body (Go SDK PR #721), which clients must treat as retryable.
// Sits outside the latency fault, so slow requests hold their slot the way slow real requests do.
import type { Level } from "../model";
import type { Middleware } from "../pipeline";
import { classifyRequest } from "./classify";
import { concurrentLimit } from "./responses";
import type { FaultRuntime } from "./runtime";

export function concurrencyMiddleware(rt: FaultRuntime): Middleware {
  const inFlight: Record<Level, number> = { workspace: 0, account: 0 };
  return async (req, next) => {
    const c = classifyRequest(req);
    if (!c) return next(req);
    const cap = rt.settings.concurrency[c.level];
    if (cap > 0 && inFlight[c.level] >= cap) return { ...concurrentLimit(rt.workspaceId, cap), fault: "500-limit" };
    inFlight[c.level]++;
    try {
      return await next(req);
    } finally {
      inFlight[c.level]--;
    }
  };
}
