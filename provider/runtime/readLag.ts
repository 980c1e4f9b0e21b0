import { NotFoundError } from "../client";
import { sleep } from "../client/sleep";

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
 * The bound is DATABRICKS_SCIM_LAG_BOUND_MS (default 60 000, the ~60 s observed upper bound).
 */
export const DEFAULT_LAG_BOUND_MS = 60_000;

export function lagBoundMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.DATABRICKS_SCIM_LAG_BOUND_MS);
  return Number.isFinite(v) && v >= 0 && env.DATABRICKS_SCIM_LAG_BOUND_MS !== "" ? v : DEFAULT_LAG_BOUND_MS;
}

/** id → when this process created or adopted it. SCIM ids are unique across kinds within a target. */
const written = new Map<string, number>();

export function noteWritten(id: string, now = Date.now()): void {
  written.set(id, now);
}

/** Did this process create or adopt `id` within the lag bound? */
export function isRecent(id: string, now = Date.now()): boolean {
  const at = written.get(id);
  return at !== undefined && now - at < lagBoundMs();
}

/** Backoff between polls: 250 ms doubling to 4 s. */
function pollDelay(attempt: number): number {
  return Math.min(4000, 250 * 2 ** attempt);
}

/** Calls `fn` until it stops throwing NotFoundError or the bound has passed; then the last 404 is thrown. */
export async function retryNotFound<T>(fn: () => Promise<T>, boundMs = lagBoundMs()): Promise<T> {
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
export async function pollUntilFound<T>(find: () => Promise<T | undefined>, boundMs = lagBoundMs()): Promise<T | undefined> {
  const deadline = Date.now() + boundMs;
  for (let attempt = 0; ; attempt++) {
    const found = await find();
    if (found !== undefined) return found;
    const delay = pollDelay(attempt);
    if (Date.now() + delay > deadline) return undefined;
    await sleep(delay);
  }
}
