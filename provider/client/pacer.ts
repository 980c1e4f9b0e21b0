// Per-verb request pacing that never exceeds a published limit and adapts to the server's throttling answers.
//
// Spacing: a request may start every 1/rate seconds, first come first served (a token bucket of capacity 1, not
// a burst allowance: a burst of `rate` followed by a steady `rate`/s can put 2×rate requests into one second).
//
// Where Databricks publishes a limit for a verb (docs/guides/rate-limits.md), that limit is the ceiling
// and the starting rate. Where it publishes none (workspace-level writes), the bucket starts unpaced: only the
// concurrency cap holds requests back. Either way, a throttling answer (429, 503, REQUEST_LIMIT_EXCEEDED) cuts
// the rate multiplicatively, and the rate then grows back along a cubic curve (as TCP CUBIC grows its window):
// quickly at first, flat near the rate that was throttled (so a steady limit is probed rarely and draws few
// 429s), then faster again, so a limit that was lifted is left behind within about a minute. An unpublished
// bucket that grows to twice the throttled rate without being throttled is unpaced again.
//
// One cut per round: a throttled answer to a request that was sent before the last cut says nothing about the
// current rate (every request in flight at the moment of a cut gets the same answer), so it does not cut again.
// A `Retry-After` holds the whole bucket, not only the retried request.

import { sleep } from "./sleep";

/** The fraction of the rate kept on a cut. */
const BETA = 0.7;
/** Seconds from a cut until the rate is back at the rate that was throttled. */
const RECOVERY_S = 20;
/** Lowest adaptive rate (requests/second): one request every 20 s. */
const MIN_RATE = 0.05;
/** An unpublished bucket is unpaced again once its rate reaches this multiple of the throttled rate. */
const UNPACE_FACTOR = 2;
/**
 * Gaps longer than this between one request's start and the next request's arrival do not count as recovery
 * time (an idle bucket learns nothing). From the start, not from the previous arrival: time a request spent
 * waiting for its own slot is the pacer's doing, not idleness, and counting it as idle kept a slow bucket slow
 * (requests sent one after another, each waiting out a 7 s interval, recovered 1 s per request: seen in the soak).
 */
const IDLE_MS = 1000;

export interface PacerOptions {
  /** Published limit in requests per second: never exceeded, and the starting rate. Absent: none published. */
  ceiling?: number;
  /** false: a fixed pacer at `ceiling` that ignores throttling answers. Default true. */
  adaptive?: boolean;
  /** Seconds from a cut back to the throttled rate. Default 20. @internal tests shorten it. */
  recoverySeconds?: number;
  /** @internal clock in ms (tests). */
  now?: () => number;
}

export class Pacer {
  readonly ceiling: number | undefined;
  readonly adaptive: boolean;
  /** Throttling answers seen, and how many of them cut the rate. */
  throttles = 0;
  cuts = 0;

  #now: () => number;
  #recoveryS: number;
  /** Current rate; undefined = unpaced. */
  #rate: number | undefined;
  #next = 0;
  #holdUntil = 0;
  #cutAt = Number.NEGATIVE_INFINITY;
  /** The rate that was throttled at the last cut (CUBIC's W_max). */
  #wMax = 0;
  /** When the last reserved request starts (its slot). */
  #lastStart = Number.NEGATIVE_INFINITY;
  /** Start times of the last second's requests, to estimate the rate of an unpaced bucket when it is throttled. */
  #recent: number[] = [];

  /** @param ceilingOrOptions a fixed rate in requests per second (> 0), or options. */
  constructor(ceilingOrOptions: number | PacerOptions = {}) {
    const o: PacerOptions = typeof ceilingOrOptions === "number" ? { ceiling: ceilingOrOptions, adaptive: false } : ceilingOrOptions;
    if (o.ceiling !== undefined && (!(o.ceiling > 0) || !Number.isFinite(o.ceiling))) {
      throw new RangeError(`rate must be a positive number of requests per second, got ${o.ceiling}`);
    }
    this.ceiling = o.ceiling;
    this.adaptive = o.adaptive ?? true;
    this.#now = o.now ?? (() => performance.now());
    this.#recoveryS = o.recoverySeconds ?? RECOVERY_S;
    this.#rate = o.ceiling;
  }

  /** The rate requests may start at now (requests/second), or undefined when the bucket is unpaced. */
  get rate(): number | undefined {
    this.#recover(this.#now());
    return this.#rate;
  }

  /** ms between request starts at the current rate (0 when unpaced). */
  get intervalMs(): number {
    const r = this.rate;
    return r === undefined ? 0 : 1000 / r;
  }

  /**
   * Resolves when a request could start now, without reserving a slot. The transport waits here before taking
   * a concurrency permit, so requests held back by a slow bucket do not hold permits other verbs need.
   */
  async ready(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.#now();
      const at = Math.max(this.#holdUntil, this.#rate === undefined ? 0 : this.#next);
      if (at <= now) return;
      await sleep(at - now, signal);
    }
  }

  /**
   * Reserves the next slot (synchronously, so callers are FIFO) and resolves at it, with the time the request
   * starts: pass it to `throttled` if the answer says "slow down".
   */
  async acquire(signal?: AbortSignal): Promise<number> {
    const now = this.#now();
    // Idle time is not recovery time (the bucket learned nothing); a cut counts as activity, so the recovery
    // clock never moves past now.
    const lastActive = Math.max(this.#lastStart, this.#cutAt);
    if (this.cuts > 0 && Number.isFinite(lastActive) && now - lastActive > IDLE_MS) this.#cutAt += now - lastActive - IDLE_MS;
    this.#recover(now);
    let slot = Math.max(now, this.#holdUntil);
    if (this.#rate !== undefined) {
      slot = Math.max(slot, this.#next);
      this.#next = slot + 1000 / this.#rate;
    }
    this.#lastStart = Math.max(this.#lastStart, slot);
    this.#recent.push(slot);
    while (this.#recent.length > 0 && this.#recent[0]! < slot - 1000) this.#recent.shift();
    if (slot > now) await sleep(slot - now, signal);
    return slot;
  }

  /** The answer to a request started at `sentAt` said "slow down". */
  throttled(sentAt: number, retryAfterMs?: number): void {
    this.throttles++;
    if (!this.adaptive) return;
    const now = this.#now();
    if (retryAfterMs !== undefined && retryAfterMs > 0) this.#holdUntil = Math.max(this.#holdUntil, now + retryAfterMs);
    if (sentAt <= this.#cutAt) return; // sent before the last cut: already accounted for
    this.#recover(now);
    const current = this.#rate ?? this.#recentRate(now);
    // CUBIC's fast convergence: throttled below the last throttled rate means the limit dropped (or another
    // client shares it); remember a lower rate so the plateau sits below it.
    this.#wMax = current < this.#wMax ? (current * (1 + BETA)) / 2 : current;
    this.#rate = Math.max(MIN_RATE, current * BETA);
    this.#cutAt = now;
    this.cuts++;
  }

  /** Requests per second over the last second's starts (an unpaced bucket's rate when it is first throttled). */
  #recentRate(now: number): number {
    const r = this.#recent.filter((t) => t >= now - 1000 && t <= now);
    if (r.length < 2) return 1;
    // Over the span they were sent in, not a full second: a burst that was throttled after 50 ms ran at n/50 ms.
    const spanMs = Math.max(now - r[0]!, 100);
    return Math.max(1, (r.length * 1000) / spanMs);
  }

  #recover(now: number): void {
    if (!this.adaptive || this.cuts === 0 || this.#rate === undefined) return;
    const t = (now - this.#cutAt) / 1000;
    // r(t) = W_max · (1 + (1 − β) · ((t − K) / K)³): β·W_max at t = 0, W_max at t = K, then growing again.
    const grown = this.#wMax * (1 + (1 - BETA) * ((t - this.#recoveryS) / this.#recoveryS) ** 3);
    if (this.ceiling === undefined && grown >= UNPACE_FACTOR * this.#wMax) {
      this.#rate = undefined;
      this.cuts = 0;
      return;
    }
    this.#rate = Math.max(MIN_RATE, Math.min(this.ceiling ?? Number.POSITIVE_INFINITY, grown));
  }
}
