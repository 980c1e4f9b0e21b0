import { BadRequestError, NotFoundError, type ResourceApi, type WithId } from "../client";
import { anyOf } from "../client/filter";
import type { BatchedReads } from "../lifecycle/context";

/**
 * Refresh reads of users and service principals, answered in batches: the reads the engine runs at the same
 * time become one filtered LIST (`id eq "1" or id eq "2" …`, up to BATCH_SIZE ids) instead of one GET each.
 *
 * Why: Databricks allows a workspace 255 SCIM GETs a minute (docs/databricks-api-notes.md), so a refresh of 1,000 users read one GET
 * at a time spends four minutes waiting on the rate limit; in batches it is a few dozen requests. The engine
 * calls `read` once per resource, in parallel (`--parallel`), and each call still gets exactly its own object.
 *
 * How batches form: a read joins the open batch of its collection; the batch goes out when it is full, or
 * WINDOW_MS after its first read, or, while a batch is already out, as soon as that one returns. So on a fast
 * server nothing waits long, and while the client is held back (pacing, Retry-After) the reads the engine starts
 * meanwhile gather into one batch (as many as its --parallel allows).
 *
 * An id missing from the answer is gone, as a GET's 404 would say. Only reads of objects this process did not
 * just write come here (kind.ts): a list may lag behind a write like a GET does, and those get the GET's
 * bounded retry instead. A server that refuses the filter (400) gets one GET per id from then on.
 */
export const BATCH_SIZE = 50; // 99 filter nodes: under Databricks' documented 200, and one page (count ≤ 100)
export const WINDOW_MS = 5;
// One batch out at a time per collection: the reads the engine starts meanwhile (up to its --parallel) gather into
// the next one. Measured under the workspace GET limit with --parallel 16: 2 in flight made batches of ~5 ids.
export const MAX_IN_FLIGHT = 1;

interface Waiter<T> {
  resolve(value: WithId<T> | undefined): void;
  reject(err: unknown): void;
}

class Batcher<T extends { id?: string; schemas?: string[] }> {
  private pending = new Map<string, Waiter<T>[]>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  /** The server refused `id eq … or …` once: one GET per id from then on. */
  private filterRefused = false;

  constructor(
    private readonly api: ResourceApi<T>,
    private readonly attributes: string,
  ) {}

  read(id: string): Promise<WithId<T> | undefined> {
    if (this.filterRefused) return this.getOne(id);
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(id, [{ resolve, reject }]);
      if (this.pending.size >= BATCH_SIZE) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), WINDOW_MS);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // A batch still out will flush what is pending when it returns.
    if (this.pending.size === 0 || this.inFlight >= MAX_IN_FLIGHT) return;
    const batch = new Map<string, Waiter<T>[]>();
    for (const [id, waiters] of this.pending) {
      batch.set(id, waiters);
      this.pending.delete(id);
      if (batch.size === BATCH_SIZE) break;
    }
    this.inFlight += 1;
    void this.send(batch).finally(() => {
      this.inFlight -= 1;
      // Reads that arrived meanwhile have waited one request already: send them now, full or not.
      if (this.pending.size > 0) this.flush();
    });
  }

  private async send(batch: Map<string, Waiter<T>[]>): Promise<void> {
    const ids = [...batch.keys()];
    let found: Map<string, WithId<T>>;
    try {
      const items = await this.api.list({ filter: anyOf("id", ids), attributes: this.attributes, pageSize: ids.length });
      found = new Map(items.map((item) => [item.id, item]));
    } catch (e) {
      if (e instanceof BadRequestError) {
        this.filterRefused = true;
        for (const [id, waiters] of batch)
          this.getOne(id).then(
            (v) => settle(waiters, v),
            (err: unknown) => fail(waiters, err),
          );
        return;
      }
      for (const waiters of batch.values()) fail(waiters, e);
      return;
    }
    for (const [id, waiters] of batch) settle(waiters, found.get(id));
  }

  private async getOne(id: string): Promise<WithId<T> | undefined> {
    try {
      return await this.api.get(id, { attributes: this.attributes });
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }
}

function settle<T>(waiters: Waiter<T>[], value: WithId<T> | undefined): void {
  for (const w of waiters) w.resolve(value);
}

function fail<T>(waiters: Waiter<T>[], err: unknown): void {
  for (const w of waiters) w.reject(err);
}

/** One per provider session (./session.ts): a batcher per collection of each client and attribute list. */
export class ReadBatchers implements BatchedReads {
  // Keyed by the collection's API object, which belongs to one client (clients are per target and credential source).
  private readonly batchers = new WeakMap<object, Map<string, Batcher<never>>>();

  /** The object with this id as the server holds it, or undefined when it does not exist. */
  read<T extends { id?: string; schemas?: string[] }>(api: ResourceApi<T>, id: string, attributes: string): Promise<WithId<T> | undefined> {
    let byAttributes = this.batchers.get(api);
    if (!byAttributes) {
      byAttributes = new Map();
      this.batchers.set(api, byAttributes);
    }
    let batcher = byAttributes.get(attributes) as Batcher<T> | undefined;
    if (!batcher) {
      batcher = new Batcher(api, attributes);
      byAttributes.set(attributes, batcher as unknown as Batcher<never>);
    }
    return batcher.read(id);
  }
}
