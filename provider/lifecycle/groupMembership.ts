import { isUnknown } from "./check";
import { defineLifecycle, targetOf } from "./define";
import { ResourceError } from "./errors";
import { declareInCheck, unscope } from "./membershipCheck";
import { scimId } from "./scimIds";
import { targetReplaces } from "./target";
import type { TargetInputs } from "./types";

/** One (group, member) pair. Inputs after check; the outputs are the same fields. */
export interface GroupMembershipInputs extends TargetInputs {
  groupId: string;
  memberId: string;
}
export type GroupMembershipOutputs = GroupMembershipInputs;

/** The resource id: the pair itself, so that state shows what the resource is without looking anything up. */
export function membershipId(groupId: string, memberId: string): string {
  return `${groupId}|${memberId}`;
}

export const groupMembershipLifecycle = defineLifecycle<GroupMembershipInputs, GroupMembershipOutputs>({
  prepare: unscope,

  check(c, news, target, ctx) {
    const groupId = scimId(c, news, "groupId", "group");
    const memberId = scimId(c, news, "memberId", "member");
    if (groupId && memberId && !isUnknown(groupId) && groupId === memberId) {
      c.fail("memberId", `is the group itself ('${groupId}'); a group cannot be a member of itself. Pass another principal as member.`);
    }
    declareInCheck(ctx.registry, c, "GroupMembership", news, target, groupId, memberId ? [memberId] : []);
    return { ...target, groupId: groupId ?? "", memberId: memberId ?? "" };
  },

  /** Nothing of a pair can change in place: another group, member or target is another membership. */
  diff(olds, news) {
    const replaces = [...targetReplaces(olds, news)];
    if (olds.groupId !== news.groupId) replaces.push("groupId");
    if (olds.memberId !== news.memberId) replaces.push("memberId");
    // Create-before-delete is safe even for the same pair: delete leaves a pair alone that the program still claims.
    return { replaces, changed: [] };
  },

  async create(ctx, inputs) {
    const target = targetOf(inputs);
    // A GroupMembers on this group checked after this resource's check: refuse rather than fight it.
    const conflict = ctx.registry.conflictAtApply("GroupMembership", target, inputs.groupId);
    if (conflict) throw new ResourceError("MEMBERSHIP_CONFLICT", "groupId", conflict);
    ctx.registry.claimPair(target, inputs.groupId, inputs.memberId);
    // Batched with every other change to this group in flight; adding an existing member is a no-op success.
    await ctx.members.add(inputs.groupId, inputs.memberId);
    return { id: membershipId(inputs.groupId, inputs.memberId), outs: outputsOf(inputs) };
  },

  async read(ctx, _id, props) {
    const members = await ctx.groups.members(props.groupId);
    // Group gone, or member removed elsewhere: the membership is gone and the engine drops it from state.
    return members?.has(props.memberId) ? outputsOf(props) : undefined;
  },

  inputsAfterRead: (outs) => outs,

  async update(_ctx, _id, olds, news) {
    // diff replaces on every real change, so this only runs for changes the engine found alone; nothing to send.
    return outputsOf({ ...olds, ...news });
  },

  async delete(ctx, _id, props) {
    const target = targetOf(props);
    // The create-before-delete trap (pulumi-databricks #57): when this pair was replaced by the same pair, or
    // moved to another resource name without an alias, the new resource has already added it; removing it now
    // would silently undo that. A pair that a resource of the current program declares is left in place.
    if (ctx.registry.isClaimed(target, props.groupId, props.memberId)) return;
    await ctx.members.remove(props.groupId, props.memberId);
  },
});

function outputsOf(i: GroupMembershipInputs): GroupMembershipOutputs {
  return { ...targetOf(i), groupId: i.groupId, memberId: i.memberId };
}
