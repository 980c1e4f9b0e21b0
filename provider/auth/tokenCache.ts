// In-memory cache of one access token: refreshed early, shared by concurrent callers, dropped on invalidate().

export interface AccessTokenValue {
  /** The token itself. */
  token: string;
  /** Scheme for the Authorization header, e.g. "Bearer". */
  type: string;
  /** Epoch milliseconds when it expires. */
  expiresAt: number;
  /** Epoch milliseconds after which the issuer advises a refresh (Entra's refresh_in), if any. */
  refreshAfter?: number;
}

export interface TokenCacheOptions {
  /** Refresh this long before expiry (capped to half the token's lifetime, so short-lived tokens still get used). */
  earlyRefreshMs: number;
  /** Clock, for tests. */
  now?: () => number;
}

export class TokenCache {
  private current?: { value: AccessTokenValue; refreshAt: number };
  private inflight?: Promise<AccessTokenValue>;
  /** Bumped by invalidate(): a fetch started before it must not repopulate the cache. */
  private generation = 0;
  private readonly now: () => number;

  constructor(
    private readonly fetchToken: () => Promise<AccessTokenValue>,
    private readonly options: TokenCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get(): Promise<AccessTokenValue> {
    const cur = this.current;
    if (cur && this.now() < cur.refreshAt) return Promise.resolve(cur.value);
    if (this.inflight) return this.inflight;
    const gen = this.generation;
    const started = this.now();
    const p = this.fetchToken().then(
      (value) => {
        if (gen === this.generation) {
          const lifetime = Math.max(0, value.expiresAt - started);
          const early = Math.min(this.options.earlyRefreshMs, lifetime / 2);
          let refreshAt = value.expiresAt - early;
          if (value.refreshAfter !== undefined) refreshAt = Math.min(refreshAt, value.refreshAfter);
          this.current = { value, refreshAt };
        }
        if (this.inflight === p) this.inflight = undefined;
        return value;
      },
      (err: unknown) => {
        if (this.inflight === p) this.inflight = undefined;
        throw err;
      },
    );
    this.inflight = p;
    return p;
  }

  invalidate(): void {
    this.generation++;
    this.current = undefined;
    this.inflight = undefined;
  }
}
