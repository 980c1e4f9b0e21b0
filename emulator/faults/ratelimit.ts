// Per-level, per-verb rate limits (the numbers in settings.ts) as token buckets. A request over the limit is
// answered 429 by the "gateway" before anything else happens, and consumes no token.
import type { Middleware } from "../pipeline";
import { classifyRequest } from "./classify";
import { tooManyRequests } from "./responses";
import { maybeRetryAfter, type FaultRuntime } from "./runtime";
import type { LimitKey, RateLimit } from "./settings";

interface Bucket {
  limit: RateLimit;
  tokens: number;
  at: number;
}

export class RateLimiter {
  private buckets = new Map<LimitKey, Bucket>();

  constructor(private readonly rt: FaultRuntime) {}

  /** Forget all buckets (settings changed): every bucket starts full again. */
  reset(): void {
    this.buckets.clear();
  }

  /** Which configured rule applies: LIST uses its own rule if set, else its level's GET bucket. */
  private ruleFor(key: LimitKey): [LimitKey, RateLimit] | undefined {
    const own = this.rt.settings.rateLimits[key];
    if (own) return [key, own];
    if (key.endsWith(".LIST")) {
      const getKey = key.replace(/\.LIST$/, ".GET") as LimitKey;
      const get = this.rt.settings.rateLimits[getKey];
      if (get) return [getKey, get];
    }
    return undefined;
  }

  /** Take a token; returns undefined when allowed, else the seconds until one is available. */
  take(key: LimitKey, now = Date.now()): { bucket: LimitKey; limit: RateLimit; waitSeconds: number } | undefined {
    const rule = this.ruleFor(key);
    if (!rule) return undefined;
    const [bucketKey, limit] = rule;
    const capacity = limit.burst ?? limit.requests;
    const perMs = limit.requests / (limit.perSeconds * 1000);
    let b = this.buckets.get(bucketKey);
    if (!b || b.limit !== limit) {
      b = { limit, tokens: capacity, at: now };
      this.buckets.set(bucketKey, b);
    }
    b.tokens = Math.min(capacity, b.tokens + (now - b.at) * perMs);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return undefined;
    }
    return { bucket: bucketKey, limit, waitSeconds: (1 - b.tokens) / perMs / 1000 };
  }
}

export function rateLimitMiddleware(rt: FaultRuntime, limiter: RateLimiter): Middleware {
  return async (req, next) => {
    const c = classifyRequest(req);
    if (!c) return next(req);
    const over = limiter.take(`${c.level}.${c.verb}`);
    if (!over) return next(req);
    const { requests, perSeconds } = over.limit;
    const message = `Rate limit exceeded for ${over.bucket}: ${requests} requests per ${perSeconds} s.`;
    return { ...tooManyRequests(message, maybeRetryAfter(rt, over.waitSeconds)), fault: "429" };
  };
}
