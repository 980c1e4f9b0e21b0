// Counters for benchmarks and soak tests. One object per client, updated synchronously (single-threaded JS).

export interface ClientStats {
  /** HTTP attempts sent (first tries and retries). */
  requests: number;
  /** Attempts that were retries (any cause). */
  retries: number;
  /** Attempts by HTTP method, e.g. `{ GET: 12, PATCH: 3 }`. */
  byMethod: Record<string, number>;
  /** Answers that said "slow down": 429, 503, or a body carrying REQUEST_LIMIT_EXCEEDED. */
  throttled: number;
  /** Logical requests that ended in an error (after retries). */
  failures: number;
  /** Cumulative ms spent waiting for pacing slots and in retry backoff. */
  waitedMs: number;
}

export function emptyStats(): ClientStats {
  return { requests: 0, retries: 0, byMethod: {}, throttled: 0, failures: 0, waitedMs: 0 };
}

export function copyStats(s: ClientStats): ClientStats {
  return { ...s, byMethod: { ...s.byMethod } };
}
