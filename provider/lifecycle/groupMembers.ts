import { type Checker, isUnknown, sameSet, typeName } from "./check";
import type { CallContext } from "./context";
import { defineLifecycle, targetOf } from "./define";
import { ResourceError } from "./errors";
import { idsOfMembers, keyMembers, serverLabel } from "./memberKeys";
import { compareIds, declareInCheck, unscope } from "./membershipCheck";
import { notAScimId, scimId } from "./scimIds";
import { targetReplaces } from "./target";
import type { TargetInputs } from "./types";

/**
 * "This group has exactly these direct members." Inputs after check; the outputs are the same fields. The
 * members are in one of two shapes, never both:
 *  - `members`, readable label → SCIM id (lifecycle/memberKeys.ts), what the GroupMembers class registers, so
 *    that `preview --diff` names who joins or leaves;
 *  - `memberIds`, sorted ids, as states written before the labels hold them (and a registration without
 *    `memberNames`). Such a state is kept as it is while its members do not change (no diff, no update); the
 *    first update writes `members`.
 */
export interface GroupMembersInputs extends TargetInputs {
  groupId: string;
  members?: Record<string, string>;
  /** Sorted (numerically) and free of duplicates. */
  memberIds?: string[];
}
export type GroupMembersOutputs = GroupMembersInputs;

export const groupMembersLifecycle = defineLifecycle<GroupMembersInputs, GroupMembersOutputs>({
  prepare: unscope,

  check(c, news, target, ctx) {
    const groupId = scimId(c, news, "groupId", "group");
    const memberIds = checkMemberIds(c, news.memberIds, groupId);
    declareInCheck(ctx.registry, c, "GroupMembers", news, target, groupId, Array.isArray(memberIds) ? memberIds : []);
    if (news.memberNames === undefined) return { ...target, groupId: groupId ?? "", memberIds: memberIds ?? [] };
    // A list not known yet (a preview) stays unknown as a whole; otherwise each id keeps its program label.
    const members = isUnknown(memberIds) ? (memberIds as unknown as Record<string, string>) : labelled(news.memberIds, news.memberNames);
    return { ...target, groupId: groupId ?? "", members };
  },

  diff(olds, news) {
    const replaces = [...targetReplaces(olds, news)];
    if (olds.groupId !== news.groupId) replaces.push("groupId");
    // Order and labels never matter; a different set of ids is an in-place update. Either shape on either side
    // (a state written before the labels, registered now with them) compares by ids.
    const before = idsOf(olds);
    const after = idsOf(news);
    const changed = !before || !after || after.some(isUnknown) || !sameSet(before, after);
    return { replaces, changed: changed ? ["memberIds"] : [] };
  },

  async create(ctx, inputs) {
    await converge(ctx, inputs);
    return { id: inputs.groupId, outs: outputsOf(inputs) };
  },

  async read(ctx, _id, props) {
    const members = await ctx.groups.members(props.groupId);
    if (!members) return undefined; // the group is gone, and its member list with it
    // The server's members, including any added elsewhere: refresh shows them as drift and `up` removes them.
    const ids = [...members].sort(compareIds);
    // A state written before the labels keeps its shape: labelling it here would take the server's labels
    // (`user:<displayName>`), and the next real change would then show every member relabelled against the
    // program's; its first update writes the program's labels instead.
    if (!props.members) return outputsOf({ ...props, memberIds: ids });
    // Known members keep the state's labels; the others are labelled from the group's answer (the same GET).
    const known = new Map(Object.entries(props.members).map(([label, id]) => [id, label]));
    const fromServer = new Map<string, string>();
    if (ids.some((id) => !known.has(id))) {
      const group = await ctx.groups.snapshot(props.groupId);
      for (const m of group?.members ?? []) {
        const label = serverLabel(m);
        if (typeof m.value === "string" && label) fromServer.set(m.value, label);
      }
    }
    const pairs = ids.map((id) => ({ id, label: known.get(id) ?? fromServer.get(id) }));
    return outputsOf({ ...props, members: keyMembers(pairs) });
  },

  inputsAfterRead: (outs) => outs,

  async update(ctx, _id, _olds, news) {
    // Against the server's current members, not the old outputs: members changed elsewhere are corrected too.
    await converge(ctx, news);
    return outputsOf(news);
  },

  /**
   * Removes the members this resource declared, and only those. Why not empty the group: members added after
   * the last `up` (by an identity provider, by hand) were never this resource's to remove, and an empty group
   * is the more damaging mistake. Members that a resource of the current program still declares (the list
   * moved to a renamed resource, or to GroupMembership resources) stay, for the same reason as in
   * GroupMembership's delete.
   */
  async delete(ctx, _id, props) {
    const target = targetOf(props);
    const removes = (idsOf(props) ?? []).filter((m) => !ctx.registry.isClaimed(target, props.groupId, m));
    await settleAll(
      removes.map((m) => ctx.members.remove(props.groupId, m)),
      `removing members from group '${props.groupId}'`,
    );
  },
});

/** Sorted, de-duplicated ids; the unknown placeholder (a preview) passes through as it is. */
function checkMemberIds(c: Checker, v: unknown, groupId: string | undefined): string[] | undefined {
  if (isUnknown(v)) return v as unknown as string[];
  if (v === undefined || v === null) {
    return c.fail("memberIds", "is required; pass members: [alice, sp, subgroup] (resources or their ids), or [] for an empty group.");
  }
  if (!Array.isArray(v)) {
    return c.fail("memberIds", `expected a list of SCIM ids, got ${typeName(v)}; pass members: [alice, sp, subgroup] (resources or their ids).`);
  }
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const item of v) {
    if (isUnknown(item)) {
      unknown.push(item as string);
      continue;
    }
    if (typeof item !== "string") {
      c.fail("memberIds", `expected SCIM id strings, got ${typeName(item)}; pass resources or their ids.`);
      continue;
    }
    const why = notAScimId(item, "members");
    if (why) {
      c.fail("memberIds", why);
      continue;
    }
    const id = item.trim();
    if (seen.has(id)) {
      c.fail("memberIds", `'${id}' is listed more than once; list each member once (a resource and its id are the same member).`);
      continue;
    }
    if (id === groupId) {
      c.fail("memberIds", `contains the group itself ('${id}'); a group cannot be a member of itself. Remove it from members.`);
      continue;
    }
    seen.add(id);
  }
  return [...[...seen].sort(compareIds), ...unknown];
}

/**
 * Brings the group to exactly the declared members: the difference against the server's current members (one
 * cached GET, none for a group this process created), sent through the batcher, which puts every add and remove of this group into one PATCH
 * (Databricks applies it atomically), split only past MAX_MEMBERS_PER_PATCH.
 */
async function converge(ctx: CallContext, inputs: GroupMembersInputs): Promise<void> {
  const target = targetOf(inputs);
  // Removing members is the one destructive thing here: first let a GroupMembership on the same group that the
  // engine is still checking show up, and refuse instead of removing its member (runtime/membershipRegistry.ts,
  // CHECK_QUIET_MS).
  await ctx.registry.checksQuiet();
  const conflict = ctx.registry.conflictAtApply("GroupMembers", target, inputs.groupId);
  if (conflict) throw new ResourceError("MEMBERSHIP_CONFLICT", "groupId", conflict);
  // The program says the group exists: a 404 is waited out as read-after-write lag before it counts. A group this
  // process created this run is not read: its POST's answer gave its members (runtime/groupMembersCache.ts). A
  // member someone adds between that POST and this PATCH is then not in `current`, so it is neither removed nor
  // re-added: the PATCH only adds the declared members and removes members this process knew of, and the next
  // refresh reads the group and shows the stranger as drift, as with any change made elsewhere after a read.
  const current = await ctx.groups.members(inputs.groupId, { mustExist: true });
  if (!current) {
    throw new ResourceError(
      "DEPENDENCY_MISSING",
      "groupId",
      `group '${inputs.groupId}' does not exist in ${inputs.host}. If it was deleted outside Pulumi, ` +
        "run `pulumi refresh` so the group is recreated, or point this resource at an existing group.",
    );
  }
  const ids = idsOf(inputs) ?? [];
  const want = new Set(ids);
  const adds = ids.filter((m) => !current.has(m));
  const removes = [...current].filter((m) => !want.has(m));
  await settleAll(
    [...adds.map((m) => ctx.members.add(inputs.groupId, m)), ...removes.map((m) => ctx.members.remove(inputs.groupId, m))],
    `setting the members of group '${inputs.groupId}'`,
  );
}

/** Waits for every change; throws one error that lists each failed member (each message names its member). */
async function settleAll(changes: Promise<void>[], what: string): Promise<void> {
  const results = await Promise.allSettled(changes);
  const errors = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as Error);
  if (errors.length === 0) return;
  if (errors.length === 1) throw errors[0];
  const lines = errors.map((e) => `  - ${e.message}`).join("\n");
  throw new ResourceError("MEMBER_CHANGES_FAILED", "memberIds", `${errors.length} of ${changes.length} changes failed while ${what}:\n${lines}`, {
    cause: errors[0],
  });
}

function outputsOf(i: GroupMembersInputs): GroupMembersOutputs {
  if (i.members) return { ...targetOf(i), groupId: i.groupId, members: { ...i.members } };
  return { ...targetOf(i), groupId: i.groupId, memberIds: [...(i.memberIds ?? [])] };
}

/** The member ids of either shape; undefined when the whole list is not known yet (a preview). */
function idsOf(i: GroupMembersInputs): string[] | undefined {
  const list = i.members !== undefined ? (isUnknown(i.members) ? undefined : idsOfMembers(i.members)) : i.memberIds;
  return Array.isArray(list) ? list : undefined;
}

/**
 * The registered ids paired with the labels the program registered next to them (`memberNames`, same order),
 * as a map. Entries check refused are left out (the failure stops the operation anyway); a label that is not a
 * string (not known yet, or a bare id) keys the member by its id.
 */
function labelled(ids: unknown, names: unknown): Record<string, string> {
  if (!Array.isArray(ids)) return {};
  const labels: unknown[] = Array.isArray(names) ? names : [];
  const pairs: { id: string; label?: string }[] = [];
  const seen = new Set<string>();
  ids.forEach((raw, i) => {
    if (typeof raw !== "string") return;
    const id = isUnknown(raw) ? raw : raw.trim();
    if (!isUnknown(id) && seen.has(id)) return;
    seen.add(id);
    const label = labels[i];
    pairs.push({ id, ...(typeof label === "string" && !isUnknown(label) ? { label } : {}) });
  });
  return keyMembers(pairs);
}
