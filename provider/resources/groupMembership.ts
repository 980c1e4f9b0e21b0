import * as pulumi from "@pulumi/pulumi";
import { withDeletedWithGroup } from "./deletedWithGroup";
import { ScimDynamicResource } from "./dynamicResource";
import { memberIdInWave, type InWave } from "./membershipWave";
import { withPlainIds } from "./plainIds";
import { idOf, kindOf, scopeOf, type GroupRef, type MemberRef, type TargetArgs } from "./principalRef";

export interface GroupMembershipArgs extends TargetArgs {
  /** The group: a ScimGroup, or its SCIM id. */
  group: GroupRef;
  /** The member: a ScimUser, ScimServicePrincipal or ScimGroup (nesting), or its SCIM id. */
  member: MemberRef;
}

/**
 * One member of one group. Other members of the group are left alone; to own the whole member list, use
 * GroupMembers instead (the two refuse to manage the same group). The id is `<groupId>|<memberId>`.
 * Deleting it removes the member, except when its ScimGroup is deleted in the same operation, which drops the
 * member anyway (resources/deletedWithGroup.ts). The memberships of one ScimGroup register together once their
 * members exist (resources/membershipWave.ts), so that they go out in one PATCH.
 */
export class GroupMembership extends ScimDynamicResource {
  /**
   * The group's SCIM id, the first part of this resource's id. Not a stored output (lifecycle/storedShape.ts
   * derives it from the id for refresh, diff and delete): the value this resource registers, as an output of
   * this resource (it waits for it, and depends on it), so it reads as a stored output did, in preview too.
   */
  readonly groupId: pulumi.Output<string>;
  /** The member's SCIM id, the second part of this resource's id (as groupId). */
  readonly memberId: pulumi.Output<string>;

  constructor(name: string, args: GroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    const wave = waveOf(args.group, args.member);
    const ids = { groupId: idOf(args.group), memberId: wave?.memberId ?? idOf(args.member) };
    // The ids as plain values, their resources as dependsOn: no duplicate URNs in the state (./plainIds.ts).
    const resourceOf = (ref: GroupRef | MemberRef) => (pulumi.CustomResource.isInstance(ref) ? ref : undefined);
    const plain = withPlainIds(ids, { groupId: resourceOf(args.group), memberId: resourceOf(args.member) }, withDeletedWithGroup(args.group, args, opts));
    // The ids travel in `scope` (check flattens it: lifecycle/membershipCheck.ts unscope): the engine stores a
    // property-dependency entry for each registered key with a value, an empty list here (2 keys: about 60 bytes
    // of every membership's state). A value the engine sets at top level (ignoreChanges) wins over scope's.
    const props = { scope: { ...plain.props, ...scopeOf(name, args.group, args) } };
    super("groupMembership", "GroupMembership", name, props, plain.opts);
    this.groupId = ownOutput(this, plain.props.groupId);
    this.memberId = ownOutput(this, plain.props.memberId);
    wave?.created(this.id);
  }
}

/** `value` as an output of `resource`: known when both are (the URN always is, in preview too). */
function ownOutput(resource: pulumi.CustomResource, value: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.all([resource.urn, value]).apply(([, v]) => v);
}

/** The group's wave, when both group and member are resources of this program (a bare id registers as given). */
function waveOf(group: GroupRef, member: MemberRef): InWave | undefined {
  if (kindOf(group) !== "group" || kindOf(member) === undefined || !pulumi.CustomResource.isInstance(member)) return undefined;
  return memberIdInWave(group as object, member);
}
