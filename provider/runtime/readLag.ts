import { NotFoundError } from "../client";
import { sleep } from "../client/sleep";
import type { ReadLag } from "../lifecycle/context";

/**
 * Read-after-write lag. Databricks' SCIM reads and listings are eventually consistent for up to about a minute
 * after a create, rename or delete (databrickslabs/ucx waits for it): a GET of a group created a second ago may 404,
 * and a filtered list may not show it yet. Terraform treats any such 404 as "gone"; we must not, or an `up`
 * that created a group would fail on its own memberships, and a lost POST answer followed by a lookup that
 * sees nothing would create a duplicate.
 *
 * So a 404 is retried, with backoff, for at most the lag bound, where the object must exist:
 *  - during convergence (create/update of a resource that depends on the object: the program says it exists);
 *  - on refresh, only for an id this process created or adopted within the bound (an old resource that 404s on
 *    refresh is gone at once, as before).
 * The bound is DATABRICKS_SCIM_LAG_BOUND_MS (default 60 000, the ~60 s observed upper bound; ./settings.ts reads it).
 */

/** What this provider process wrote lately: one per session (./session.ts). SCIM ids are unique across kinds within a target. */
export class ReadLagTracker implements ReadLag {
  /** id → when this process created or adopted it. */
  private readonly written = new Map<string, number>();

  constructor(private readonly bound: number) {}

  boundMs(): number {
    return this.bound;
  }

  noteWritten(id: string, now = Date.now()): void {
    this.written.set(id, now);
  }

  /** Did this process create or adopt `id` within the lag bound? */
  isRecent(id: string, now = Date.now()): boolean {
    const at = this.written.get(id);
    return at !== undefined && now - at < this.bound;
  }

  retryNotFound<T>(fn: () => Promise<T>, boundMs = this.bound): Promise<T> {
    return retryNotFound(fn, boundMs);
  }

  pollUntilFound<T>(find: () => Promise<T | undefined>, boundMs = this.bound): Promise<T | undefined> {
    return pollUntilFound(find, boundMs);
  }
}

/** Backoff between polls: 250 ms doubling to 4 s. */
function pollDelay(attempt: number): number {
  return Math.min(4000, 250 * 2 ** attempt);
}

/** Calls `fn` until it stops throwing NotFoundError or the bound has passed; then the last 404 is thrown. */
export async function retryNotFound<T>(fn: () => Promise<T>, boundMs: number): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      const delay = pollDelay(attempt);
      if (Date.now() + delay > deadline) throw e;
      await sleep(delay);
    }
  }
}

/** Calls `find` until it returns something or the bound has passed (then undefined). */
export async function pollUntilFound<T>(find: () => Promise<T | undefined>, boundMs: number): Promise<T | undefined> {
  const deadline = Date.now() + boundMs;
  for (let attempt = 0; ; attempt++) {
    const found = await find();
    if (found !== undefined) return found;
    const delay = pollDelay(attempt);
    if (Date.now() + delay > deadline) return undefined;
    await sleep(delay);
  }
}
