// Per-verb request pacing: each bucket lets one request start every 1/rate seconds, first come first served.
//
// A strict spacing (a token bucket of capacity 1) rather than a burst allowance: the published limits are per
// second (account PATCH 2/s, POST/PUT/DELETE 5/s, GET 20/s) or per minute (workspace GET 255/min), and a
// burst of `rate` requests followed by steady `rate`/s can put up to 2×rate requests in one second. Retries go
// through the pacer again, so backoff never turns into a burst. No dependency: this is all the pacing needed.

import { sleep } from "./sleep";

export class Pacer {
  readonly intervalMs: number;
  #next = 0;

  /** @param ratePerSecond requests per second (> 0). */
  constructor(ratePerSecond: number) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new RangeError(`rate must be a positive number of requests per second, got ${ratePerSecond}`);
    }
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Resolves when the caller may start its request. Reserves the slot synchronously, so callers are FIFO. */
  acquire(signal?: AbortSignal): Promise<void> {
    const now = performance.now();
    const slot = Math.max(now, this.#next);
    this.#next = slot + this.intervalMs;
    const wait = slot - now;
    return wait <= 0 ? Promise.resolve() : sleep(wait, signal);
  }
}
