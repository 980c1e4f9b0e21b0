// Counting semaphore: at most `limit` holders at once, waiters served FIFO.
//
// The client holds a permit for exactly one HTTP attempt (not during backoff sleeps), so the number of requests
// in flight to the host never exceeds maxConcurrency (Databricks answers a 5th concurrent SCIM request per
// workspace with 500 REQUEST_LIMIT_EXCEEDED). The undici Pool has the same number of connections with
// pipelining 1; the semaphore makes the cap hold for any dispatcher, including an injected Agent or MockAgent.

export class Semaphore {
  readonly limit: number;
  #active = 0;
  #waiters: Array<() => void> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be an integer >= 1, got ${limit}`);
    this.limit = limit;
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  async acquire(): Promise<() => void> {
    if (this.#active < this.limit) {
      this.#active++;
    } else {
      // The permit is handed over by release(): #active is not decremented then re-incremented.
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#active--;
    };
  }
}
