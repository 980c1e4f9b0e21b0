import { NotFoundError, type ScimClient, type WithId } from "../client";
import type { ScimGroup } from "../client/types";
import { groupSnapshotAttributes } from "../lifecycle/group";
import type { GroupReads, ReadLag } from "../lifecycle/context";

/**
 * The members of each group, read at most once per provider process (one process per engine operation).
 *
 * Why: a refresh of one group with 500 GroupMembership resources calls `read` 500 times, in parallel. Reading
 * the group each time is the slowness users report of the Terraform provider (pain 1, TF #4581), and at 4
 * GETs/s it would take two minutes. Here the first caller starts `GET /Groups/{id}?attributes=members` and every
 * other caller, concurrent or later, shares its answer. The account-level list omits members (since 2025-08), so this
 * always reads one group by id, which returns them at both levels.
 *
 * Our own PATCHes update the cached set in place (`recordChange`), so a read after our write never
 * sees the pre-write state. Changes made by others during the run are not seen; a run is minutes at most, and
 * that is the price of one request instead of hundreds (Terraform's group cache makes the same trade).
 *
 * The same one read also serves the group's own refresh (`groupSnapshot`, used by ScimGroup's read): a refresh of
 * a group and all its memberships costs one request, not two.
 *
 * A group this process created (its own POST's answer, `created`) needs no read at all: the answer says its
 * members (none, as ScimGroup never sends any), so the first GroupMembers create after it sends only its PATCH. On
 * the compact model that is one GET fewer per group (100 of the 101 GETs of a 100-group `up`, which the client
 * paces to the published 255/min). Someone else adding a member in the seconds between that POST and the
 * GroupMembers PATCH is not seen, as with any change by others after a read: the PATCH adds the declared members
 * and removes only members this process knew of, so the stranger is left in place, and the next refresh reads the
 * group and shows it as drift (which the next `up` removes). A group not created by this process is read first.
 *
 * One per client (./session.ts keeps one client per target and credential source), so the target is part of it.
 */

/** What the one read asks for: ScimGroup's field table decides (lifecycle/group.ts), plus the members. */
function snapshotAttributes(client: ScimClient): string {
  return groupSnapshotAttributes(client.level);
}

/** `undefined`: the group does not exist (404). */
export type GroupMemberSet = ReadonlySet<string> | undefined;

interface Entry {
  /**
   * The group as read (undefined: 404). Its `members` are not kept current: use `members` below. Absent for a
   * group known from our own POST (`created`) and not read yet: `snapshot` reads it then, `members` need not.
   */
  group?: Promise<WithId<ScimGroup> | undefined>;
  /** Replaced by a chained promise whenever we record a change, so late and early callers agree. */
  members: Promise<Set<string> | undefined>;
}

/**
 * `mustExist`: the caller converges a resource that depends on the group (the program says it exists), so a 404
 * is taken for read-after-write lag and retried within the lag bound (./readLag.ts) before the group counts as
 * gone. Otherwise (refresh) only a group this process created or adopted moments ago gets that grace.
 */
export interface ReadOptions {
  mustExist?: boolean;
}

/** The one read of each group a client's run shares; ./memberBatcher.ts keeps it current after our PATCHes. */
export class GroupReadCache implements GroupReads {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly client: ScimClient,
    private readonly lag: Pick<ReadLag, "isRecent" | "retryNotFound">,
  ) {}

  private async entryFor(groupId: string, opts: ReadOptions): Promise<Entry> {
    const cache = this.cache;
    let entry = cache.get(groupId);
    // A 404 remembered from a refresh-style read must not stand for a caller that waits out the lag.
    if (entry?.group && opts.mustExist && (await entry.group.catch(() => null)) === undefined && cache.get(groupId) === entry) {
      cache.delete(groupId);
    }
    entry = cache.get(groupId);
    if (!entry) {
      const group = this.fetchGroup(groupId, opts.mustExist === true || this.lag.isRecent(groupId));
      const fresh: Entry = { group, members: group.then(memberIds) };
      // A failed read (throttled past retries, auth) is not remembered: the next caller tries again.
      fresh.members.catch(() => {
        if (cache.get(groupId) === fresh) cache.delete(groupId);
      });
      cache.set(groupId, fresh);
      entry = fresh;
    }
    return entry;
  }

  /** The ids of the group's direct members, or undefined if the group is gone. One GET per group per process. */
  async members(groupId: string, opts: ReadOptions = {}): Promise<GroupMemberSet> {
    return (await this.entryFor(groupId, opts)).members;
  }

  /** The group as read once this run (undefined: gone); shares the request with the membership reads. */
  async snapshot(groupId: string, opts: ReadOptions = {}): Promise<WithId<ScimGroup> | undefined> {
    const entry = await this.entryFor(groupId, opts);
    // Known from our POST only: its answer is not the read's attribute set, so read it now (the members stay ours,
    // kept current since the POST; the read's are not used for them).
    if (!entry.group) {
      const group = this.fetchGroup(groupId, opts.mustExist === true || this.lag.isRecent(groupId));
      entry.group = group;
      group.catch(() => {
        if (entry.group === group) delete entry.group;
      });
    }
    return entry.group;
  }

  /**
   * This process has just created the group: `group` is its POST's answer (called only for a POST of ours that
   * answered, never for a group found or adopted). Its members are the answer's, with no read; see the class
   * comment for why a member added by someone else right after is acceptable. An entry that already exists (a
   * read of the same id, which cannot be this new group's) is left as it is.
   */
  created(group: WithId<ScimGroup>): void {
    if (this.cache.has(group.id)) return;
    this.cache.set(group.id, { members: Promise.resolve(memberIds(group) ?? new Set()) });
  }

  private async fetchGroup(groupId: string, waitOutLag: boolean): Promise<WithId<ScimGroup> | undefined> {
    const get = () => this.client.groups.get(groupId, { attributes: snapshotAttributes(this.client) });
    try {
      return await (waitOutLag ? this.lag.retryNotFound(get) : get());
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  /**
   * Apply a change that a successful PATCH made. Chained on the entry's promise, so it also applies to a GET that
   * is still in flight: whether that GET saw the PATCH or not, adding/removing ids again gives the same set.
   * Nothing is cached for a group nobody has read (or created) yet: a partial set would be wrong.
   */
  recordChange(groupId: string, change: MembershipChange): void {
    const cache = this.cache;
    const entry = cache.get(groupId);
    if (!entry) return;
    const next = entry.members.then((set) => {
      if (!set) {
        // The group answered 404 earlier but took a write now: our view is wrong, read it again next time.
        if (change.added?.length && cache.get(groupId) === entry) cache.delete(groupId);
        return set;
      }
      for (const id of change.added ?? []) set.add(id);
      for (const id of change.removed ?? []) set.delete(id);
      return set;
    });
    // A failed read keeps failing for whoever awaits it; this branch only keeps Node from calling it unhandled.
    next.catch(() => undefined);
    entry.members = next;
  }

  /** Forget what we know of a group, after a write whose outcome is unknown (network error, 5xx past retries). */
  forget(groupId: string): void {
    this.cache.delete(groupId);
  }
}

function memberIds(group: WithId<ScimGroup> | undefined): Set<string> | undefined {
  if (!group) return undefined;
  return new Set((group.members ?? []).map((m) => m.value).filter((v): v is string => typeof v === "string" && v !== ""));
}

export interface MembershipChange {
  added?: readonly string[];
  removed?: readonly string[];
}
