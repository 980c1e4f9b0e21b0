import { BadRequestError, ConflictError, HttpError, NotFoundError, patch, type PatchOperation, type ScimClient } from "../client";
import type { ReadLag } from "../lifecycle/context";
import type { GroupReadCache } from "./groupMembersCache";
import { DatabricksScimError } from "../shared/packageError";

/**
 * Coalesces membership changes of one group into as few PATCH requests as possible.
 *
 * Why: the engine creates (and deletes) membership resources in parallel, each wanting "add member X to group G".
 * One PATCH per member is 500 requests for 500 members, and Databricks allows about 2 PATCHes a second
 * (docs/databricks-api-notes.md). A PATCH carries any number of operations and Databricks applies it atomically, so changes for the
 * same group that arrive within BATCH_WINDOW_MS, or while that group's previous PATCH is still in flight, go out
 * together: one `add` op with every added member, and one `remove` op per removed member (the filtered form
 * `members[value eq "id"]`, as Terraform sends it).
 *
 * At most one PATCH per group is in flight, so two batches for one group never race; different groups proceed
 * in parallel (the client caps and paces the total). Within a batch each member appears once: a member that is
 * added and removed in the same window is split across two batches, kept in the order the changes arrived.
 */

export type MemberChange = "add" | "remove";

/**
 * Members per PATCH. Why a cap: a very large request is where Databricks answers 504 (a ~2,000-member group POST
 * did, ucx #556) and the whole batch is then uncertain; and when a batch fails, every member in it is retried
 * alone, so a smaller batch bounds that cost. 100 matches the documented page-size limit of the same API.
 */
export const MAX_MEMBERS_PER_PATCH = 100;

/** How long the first change for an idle group waits for others to join its request. */
export const BATCH_WINDOW_MS = 5;

/** A membership change that failed; the message names the member, the group and what to do. */
export class MembershipError extends DatabricksScimError {
  readonly code = "MEMBERSHIP_CHANGE_FAILED";
  constructor(
    readonly groupId: string,
    readonly memberId: string,
    readonly change: MemberChange,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "MembershipError";
  }
}

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}
interface Pending {
  change: MemberChange;
  /** Everyone who asked for this same change: they share its outcome. */
  waiters: Waiter[];
}
/** memberId → its pending change. Only the last batch of a queue is open for new changes. */
type Batch = Map<string, Pending>;
interface GroupQueue {
  batches: Batch[];
}

/**
 * One per client (./session.ts), over that client's group reads (kept current after each PATCH) and the session's
 * read lag.
 */
export class MemberBatcher {
  private readonly queues = new Map<string, GroupQueue>();

  constructor(
    private readonly client: ScimClient,
    private readonly groups: GroupReadCache,
    private readonly lag: Pick<ReadLag, "retryNotFound">,
  ) {}

  add(groupId: string, memberId: string): Promise<void> {
    return this.change(groupId, memberId, "add");
  }

  /** Resolves when the member is not in the group any more, including when it never was or the group is gone. */
  remove(groupId: string, memberId: string): Promise<void> {
    return this.change(groupId, memberId, "remove");
  }

  change(groupId: string, memberId: string, change: MemberChange): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let queue = this.queues.get(groupId);
      const idle = queue === undefined;
      if (!queue) {
        queue = { batches: [] };
        this.queues.set(groupId, queue);
      }
      const waiter: Waiter = { resolve, reject };
      let batch = queue.batches.at(-1);
      const same = batch?.get(memberId);
      if (same && same.change === change) {
        same.waiters.push(waiter);
      } else {
        if (!batch || same || batch.size >= MAX_MEMBERS_PER_PATCH) {
          batch = new Map();
          queue.batches.push(batch);
        }
        batch.set(memberId, { change, waiters: [waiter] });
      }
      if (idle) {
        const q = queue;
        setTimeout(() => void this.drain(groupId, q), BATCH_WINDOW_MS);
      }
    });
  }

  private async drain(groupId: string, queue: GroupQueue): Promise<void> {
    for (let batch = queue.batches.shift(); batch; batch = queue.batches.shift()) {
      await this.send(groupId, batch);
    }
    // No await between the empty check above and this: nothing can have been queued in between.
    this.queues.delete(groupId);
  }

  /** Never throws: every waiter is settled. */
  private async send(groupId: string, batch: Batch): Promise<void> {
    const { adds, removes } = split(batch);
    const once = () => this.client.groups.patch(groupId, opsFor(adds, removes));
    try {
      // Adding is convergence (the program says the group exists): a 404 may be a group created moments ago that
      // this write path does not see yet (reads lag writes), so it is retried within the lag bound. A removal that 404s
      // needs no wait: a group that is not there has no such member, which is what the removal wanted.
      await (adds.length > 0 ? this.lag.retryNotFound(once) : once());
      this.groups.recordChange(groupId, { added: adds, removed: removes });
      for (const p of batch.values()) succeed(p);
    } catch (e) {
      await this.recover(groupId, batch, e);
    }
  }

  private async recover(groupId: string, batch: Batch, e: unknown): Promise<void> {
    // A 4xx means the atomic PATCH changed nothing; anything else (5xx past retries, network) may have applied it.
    if (!isClientError(e)) this.groups.forget(groupId);
    if (batch.size === 1) {
      const [memberId, p] = [...batch][0] as [string, Pending];
      return this.settleAlone(groupId, memberId, p, e);
    }
    if (e instanceof NotFoundError) {
      // 404 on /Groups/{id} usually means the group is gone: one GET tells, instead of one PATCH per member.
      this.groups.forget(groupId);
      const members = await this.groups.members(groupId).catch(() => null);
      if (members === undefined) {
        for (const [memberId, p] of batch) {
          if (p.change === "remove") succeed(p);
          else fail(p, groupGone(this.client, groupId, memberId, e));
        }
        return;
      }
    }
    if (e instanceof BadRequestError || e instanceof NotFoundError || e instanceof ConflictError) {
      // Databricks' error for a bad member rarely says which one ("Error in performing the patch operation on
      // group resource."): send each member alone, so only the bad ones fail, each with its own message.
      await Promise.all([...batch].map(([memberId, p]) => this.sendAlone(groupId, memberId, p)));
      return;
    }
    // Not about any one member (authentication, throttling past retries, server errors): all share the outcome.
    for (const [memberId, p] of batch) fail(p, describe(this.client, groupId, memberId, p.change, e));
  }

  private async sendAlone(groupId: string, memberId: string, p: Pending): Promise<void> {
    try {
      await this.client.groups.patch(groupId, opsFor(p.change === "add" ? [memberId] : [], p.change === "remove" ? [memberId] : []));
      this.groups.recordChange(groupId, p.change === "add" ? { added: [memberId] } : { removed: [memberId] });
      succeed(p);
    } catch (e) {
      if (!isClientError(e)) this.groups.forget(groupId);
      this.settleAlone(groupId, memberId, p, e);
    }
  }

  private settleAlone(groupId: string, memberId: string, p: Pending, e: unknown): void {
    // Removing a member that is not there (noTarget) or from a group that is gone (404) reaches the goal.
    const absent = e instanceof NotFoundError || (e instanceof BadRequestError && e.scimType === "noTarget");
    if (p.change === "remove" && absent) {
      this.groups.recordChange(groupId, { removed: [memberId] });
      return succeed(p);
    }
    fail(p, describe(this.client, groupId, memberId, p.change, e));
  }
}

function opsFor(adds: readonly string[], removes: readonly string[]): PatchOperation[] {
  return [...(adds.length ? [patch.addMembers(adds)] : []), ...patch.removeMembers(removes)];
}

function split(batch: Batch): { adds: string[]; removes: string[] } {
  const adds: string[] = [];
  const removes: string[] = [];
  for (const [id, p] of batch) (p.change === "add" ? adds : removes).push(id);
  return { adds, removes };
}

function isClientError(e: unknown): boolean {
  return e instanceof HttpError && e.status >= 400 && e.status < 500;
}

function succeed(p: Pending): void {
  for (const w of p.waiters) w.resolve();
}

function fail(p: Pending, e: Error): void {
  for (const w of p.waiters) w.reject(e);
}

function describe(client: ScimClient, groupId: string, memberId: string, change: MemberChange, e: unknown): MembershipError {
  const what = change === "add" ? `add member '${memberId}' to group '${groupId}'` : `remove member '${memberId}' from group '${groupId}'`;
  const cause = e instanceof Error ? e.message : String(e);
  let hint = "";
  if (change === "add" && (e instanceof BadRequestError || e instanceof NotFoundError)) {
    hint =
      ` Check that principal '${memberId}' still exists in ${client.origin} (a deleted user, service principal or group` +
      " cannot be added) and that the group's members are not managed elsewhere (Databricks refuses changes to groups synced" +
      " from an identity provider, and to account groups through a workspace).";
  }
  return new MembershipError(groupId, memberId, change, `memberId: could not ${what}: ${cause.replace(/\.?$/, ".")}${hint}`, { cause: e });
}

function groupGone(client: ScimClient, groupId: string, memberId: string, e: unknown): MembershipError {
  return new MembershipError(
    groupId,
    memberId,
    "add",
    `groupId: could not add member '${memberId}': group '${groupId}' does not exist in ${client.origin}. ` +
      "If it was deleted outside Pulumi, run `pulumi refresh` so the group is recreated, or point this resource at an existing group.",
    { cause: e },
  );
}
