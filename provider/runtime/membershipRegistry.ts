import type { MembershipRegistry } from "../lifecycle/context";
import type { Conflict, Declaration, MembershipKind, TargetInputs } from "../lifecycle/types";

export type { Conflict, Declaration, MembershipKind };

/**
 * What the program declares about group membership in this run, collected by `check` (which the engine calls for
 * every resource of the program, serially, in this same provider process, before any delete of the run).
 *
 * Three uses:
 *  1. Mixing: GroupMembers says "exactly these members"; a GroupMembership on the same group adds one more,
 *     which the next GroupMembers update would remove and the next GroupMembership update re-add, forever and
 *     silently. Two GroupMembers on one group fight the same way. Refused at check, naming both resources, and
 *     again at create/update (`conflictAtApply`) for the case where the other resource is checked later.
 *  2. Loops: group A in B and B in A (through any mix of resources) is refused at check.
 *  3. The create-before-delete trap (pulumi-databricks #57, pain 8): when a (group, member) pair moves to another
 *     resource (renamed without alias) or is replaced by the same pair, the engine creates the new resource first
 *     and deletes the old one last, and that delete would remove the membership the new one just declared.
 *     `isClaimed` tells delete that some resource of the current program still wants the pair, so the delete
 *     leaves the membership alone. `pulumi destroy` runs no program, hence no check: nothing is claimed and
 *     every delete removes. Refresh (`read`) does not claim: it also reads resources that are about to be
 *     deleted, and claiming would keep their memberships.
 */

/**
 * The declarations, indexed so that each check, create and delete costs the same whatever the program's size
 * (a scan of every declaration per check made a 3,000-membership preview quadratic: 1.3 ms a check at 2,000).
 */
interface GroupEntry {
  /** Every declaration on the group, in check order (messages name the first conflicting one). */
  all: Map<string, Declaration>;
  /** When check last declared something on the group (Date.now()), and the gap before that: see `groupPace`. */
  lastDeclaredAt: number;
  lastGapMs: number;
  /** How many of them are GroupMembers. */
  sets: number;
}

/**
 * How long check must have been quiet before GroupMembers applies a change. Why: the engine runs a resource's
 * create/update as soon as its own check and diff are done, while it is still checking resources the program
 * registers later; without a preview (`--skip-preview`, the Automation API), a GroupMembers could remove members
 * that a GroupMembership checked a few milliseconds later declares. Resources whose inputs are known register
 * in a quick burst, so waiting for the burst to end lets `conflictAtApply` see them. A preview catches a
 * conflict deterministically; this narrows the window when there is none.
 */
export const CHECK_QUIET_MS = 200;

/** Same key as the per-process client: a pair in another workspace or account is another pair. */
export function targetKey(t: TargetInputs): string {
  return `${t.level}|${t.host}|${t.accountId ?? ""}`;
}

function groupKey(tk: string, groupId: string): string {
  return `${tk}|${groupId}`;
}

function pairKey(t: TargetInputs, groupId: string, memberId: string): string {
  return `${targetKey(t)}|${groupId}|${memberId}`;
}

function label(d: Declaration): string {
  return `${d.kind} '${d.resourceName}'`;
}

function mixing(d: Declaration, other: Declaration): string {
  const [members, membership] = d.kind === "GroupMembers" ? [d, other] : [other, d];
  if (membership.kind === "GroupMembers") {
    return (
      `group '${d.groupId}' is managed by both ${label(other)} and ${label(d)}; each sets the complete member list, ` +
      "so each update would undo the other. Keep one GroupMembers per group and merge the two member lists into it."
    );
  }
  return (
    `group '${d.groupId}' is managed by both ${label(members)} (its complete member list) and ${label(membership)} ` +
    `(one member); every update of one would undo the other. Keep one: add the member to the \`members\` of ` +
    `${label(members)} and remove ${label(membership)}, or drop ${label(members)} and declare one GroupMembership per member.`
  );
}

/** One per provider session (./session.ts): what this run's checks and creates declared. */
export class MembershipDeclarations implements MembershipRegistry {
  /** By target and group: `groupKey`. */
  private readonly groups = new Map<string, GroupEntry>();
  /** Which declarations want each (target, group, member) pair: `pairKey` → declaration keys. */
  private readonly pairs = new Map<string, Set<string>>();
  /** When check last declared something: see `checksQuiet`. */
  private lastDeclaredAt = 0;
  /** Pairs added by `create` in this run (covers a create whose check ran in another session, e.g. in tests). */
  private readonly created = new Set<string>();

  /** Replaces (or adds) the declaration under `key` in the indexes. */
  private index(key: string, d: Declaration): void {
    const gk = groupKey(targetKey(d.target), d.groupId);
    let entry = this.groups.get(gk);
    if (!entry) {
      entry = { all: new Map(), sets: 0, lastDeclaredAt: 0, lastGapMs: 0 };
      this.groups.set(gk, entry);
    }
    const previous = entry.all.get(key);
    if (previous) {
      if (previous.kind === "GroupMembers") entry.sets -= 1;
      for (const m of previous.memberIds) this.pairs.get(pairKey(d.target, d.groupId, m))?.delete(key);
    }
    entry.all.set(key, d);
    const now = Date.now();
    entry.lastGapMs = entry.lastDeclaredAt > 0 ? now - entry.lastDeclaredAt : 0;
    entry.lastDeclaredAt = now;
    if (d.kind === "GroupMembers") entry.sets += 1;
    for (const m of d.memberIds) {
      const pk = pairKey(d.target, d.groupId, m);
      let wanted = this.pairs.get(pk);
      if (!wanted) {
        wanted = new Set();
        this.pairs.set(pk, wanted);
      }
      wanted.add(key);
    }
  }

  /**
   * Records a resource's declaration and returns the first conflict with what other resources declared, if any.
   * A second check of the same resource in one process replaces its own entry instead of conflicting with it.
   */
  declare(d: Declaration): Conflict | undefined {
    const key = `${d.kind}|${d.resourceName}|${targetKey(d.target)}|${d.groupId}`;
    this.index(key, d);
    this.lastDeclaredAt = Date.now();
    const entry = this.groups.get(groupKey(targetKey(d.target), d.groupId)) as GroupEntry;
    // Only a GroupMembers conflicts: look further only when the group has one (or this is one).
    if (d.kind === "GroupMembers" || entry.sets > 0) {
      for (const [k, other] of entry.all) {
        if (k === key) continue;
        if (d.kind === "GroupMembers" || other.kind === "GroupMembers") return { property: "groupId", reason: mixing(d, other) };
      }
    }
    return this.findLoop(d);
  }

  /** Whether d's edges (group → member) close a loop with the other declarations of the same target. */
  private findLoop(d: Declaration): Conflict | undefined {
    const tk = targetKey(d.target);
    const groups = this.groups;
    // The edges out of a group: its declarations' members. A user has none, so most searches stop at once.
    const edgesFrom = function* (groupId: string): Generator<{ member: string; by: Declaration }> {
      for (const by of groups.get(groupKey(tk, groupId))?.all.values() ?? []) for (const member of by.memberIds) yield { member, by };
    };
    for (const start of d.memberIds) {
      // Breadth-first from the member: can it reach d's group? (Members that are users never have edges.)
      const via = new Map<string, { from: string; by: Declaration }>();
      const queue = [start];
      while (queue.length > 0) {
        const at = queue.shift() as string;
        if (at === d.groupId) {
          const steps = [`'${d.groupId}' contains '${start}' (${label(d)})`];
          const back: string[] = [];
          for (let node = at; node !== start;) {
            const step = via.get(node) as { from: string; by: Declaration };
            back.unshift(`'${step.from}' contains '${node}' (${label(step.by)})`);
            node = step.from;
          }
          return {
            property: d.kind === "GroupMembers" ? "memberIds" : "memberId",
            reason:
              `group '${d.groupId}' would end up inside itself: ${[...steps, ...back].join(", ")}. ` +
              "Nested groups must not form a loop; remove one of these memberships.",
          };
        }
        for (const e of edgesFrom(at)) {
          if (via.has(e.member) || e.member === start) continue;
          via.set(e.member, { from: at, by: e.by });
          queue.push(e.member);
        }
      }
    }
    return undefined;
  }

  /** Resolves once no resource has been checked for `quietMs`. */
  async checksQuiet(quietMs = CHECK_QUIET_MS): Promise<void> {
    for (let wait = this.lastDeclaredAt + quietMs - Date.now(); wait > 0; wait = this.lastDeclaredAt + quietMs - Date.now()) {
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /**
   * The mixing rule again, at create/update time, for resources checked after this one (create does not get the
   * resource's name, so this looks at the group alone). For `kind`, undefined or a reason without field prefix.
   */
  conflictAtApply(kind: MembershipKind, target: TargetInputs, groupId: string): string | undefined {
    const tk = targetKey(target);
    const entry = this.groups.get(groupKey(tk, groupId));
    // The common case, a group with GroupMembership resources only, needs no list.
    if (!entry || (kind === "GroupMembership" && entry.sets === 0)) return undefined;
    const onGroup = [...entry.all.values()];
    const sets = onGroup.filter((d) => d.kind === "GroupMembers");
    const singles = onGroup.filter((d) => d.kind === "GroupMembership");
    const names = (ds: Declaration[]) => ds.slice(0, 3).map(label).join(", ") + (ds.length > 3 ? ` and ${ds.length - 3} more` : "");
    if (kind === "GroupMembers" && singles.length > 0) {
      return (
        `group '${groupId}' also has ${names(singles)} in this program; GroupMembers sets the complete member list and ` +
        "would remove their members. Keep one: list those members in GroupMembers, or use only GroupMembership resources."
      );
    }
    if (kind === "GroupMembers" && sets.length > 1) {
      return `group '${groupId}' is managed by ${names(sets)}; keep one GroupMembers per group and merge their member lists.`;
    }
    if (kind === "GroupMembership" && sets.length > 0) {
      return (
        `group '${groupId}' is managed by ${names(sets)} in this program, which sets its complete member list. ` +
        "Keep one: list this member in GroupMembers, or use only GroupMembership resources."
      );
    }
    return undefined;
  }

  /**
   * The members that GroupMembership resources of the current program declare on the group, in check order; none
   * when a GroupMembers manages the group (it sets its list itself). For memberBatcher's carrying (declaredAdds.ts).
   */
  declaredMembers(target: TargetInputs, groupId: string): string[] {
    const entry = this.groups.get(groupKey(targetKey(target), groupId));
    if (!entry || entry.sets > 0) return [];
    const out: string[] = [];
    for (const d of entry.all.values()) if (d.kind === "GroupMembership") out.push(...d.memberIds);
    return out;
  }

  /** How long ago (ms) check last declared something on the group (Infinity when never), and the gap before it. */
  groupPace(target: TargetInputs, groupId: string): { quietMs: number; lastGapMs: number } {
    const entry = this.groups.get(groupKey(targetKey(target), groupId));
    return entry ? { quietMs: Date.now() - entry.lastDeclaredAt, lastGapMs: entry.lastGapMs } : { quietMs: Number.POSITIVE_INFINITY, lastGapMs: 0 };
  }

  /** Called by create: this run wants the pair to exist. */
  claimPair(target: TargetInputs, groupId: string, memberId: string): void {
    this.created.add(pairKey(target, groupId, memberId));
  }

  /** Whether a resource of the current program (or a create of this run) wants the pair to exist. */
  isClaimed(target: TargetInputs, groupId: string, memberId: string): boolean {
    if (this.created.has(pairKey(target, groupId, memberId))) return true;
    return (this.pairs.get(pairKey(target, groupId, memberId))?.size ?? 0) > 0;
  }
}
