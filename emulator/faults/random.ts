// Random faults at configured rates: latency (drawn on its own, then the request continues), and at most one
// of 5xx / reset / 429 (before the request is applied) or lost (applied, then the connection is dropped).
import type { EmuResponse, Middleware } from "../pipeline";
import { classifyRequest } from "./classify";
import { serverError, tooManyRequests } from "./responses";
import { maybeRetryAfter, sleep, type FaultRuntime } from "./runtime";
import type { RandomFaultKind } from "./settings";

type Exclusive = Exclude<RandomFaultKind, "latency">;
const EXCLUSIVE: readonly Exclusive[] = ["5xx", "reset", "429", "lost"];

function pick<T>(rt: FaultRuntime, list: readonly T[]): T {
  return list[Math.min(list.length - 1, Math.floor(rt.rng() * list.length))] as T;
}

export function randomFaultMiddleware(rt: FaultRuntime): Middleware {
  return async (req, next) => {
    const c = classifyRequest(req);
    if (!c) return next(req);
    const { rates, latency } = rt.settings;
    let addedLatencyMs = 0;
    if (rates.latency > 0 && rt.rng() < rates.latency) {
      // floor, not round: the jitter is uniform in [0, jitterMs) as documented (round gave fixedMs + jitterMs at times).
      addedLatencyMs = Math.floor(latency.fixedMs + rt.rng() * latency.jitterMs);
      await sleep(addedLatencyMs);
    }
    const withLatency = (res: EmuResponse): EmuResponse => (addedLatencyMs > 0 ? { ...res, addedLatencyMs } : res);
    // One draw decides among the exclusive kinds by their cumulative rates; `lost` needs a write.
    let u = rt.rng();
    let kind: Exclusive | undefined;
    for (const k of EXCLUSIVE) {
      if (k === "lost" && !c.write) continue;
      if (u < rates[k]) {
        kind = k;
        break;
      }
      u -= rates[k];
    }
    switch (kind) {
      case "5xx": {
        const status = pick(rt, rt.settings.errorStatuses);
        return withLatency({ ...serverError(status, req.path, maybeRetryAfter(rt, 1)), fault: "5xx" });
      }
      case "429":
        return withLatency({ ...tooManyRequests("Too many requests. Please try again later.", maybeRetryAfter(rt, 1)), fault: "429" });
      case "reset":
        // Nothing applied, no status line: the client sees a reset connection.
        return withLatency({ status: 0, headers: {}, drop: true, fault: "reset" });
      case "lost": {
        const res = await next(req);
        return withLatency({ ...res, drop: true, fault: "lost" });
      }
      default:
        return withLatency(await next(req));
    }
  };
}
