import * as pulumi from "@pulumi/pulumi";
import { ScimDynamicResource } from "./dynamicResource";
import { idOf, idsOf, scopeOf, type GroupRef, type MemberRef, type TargetArgs } from "./principalRef";

export interface GroupMembersArgs extends TargetArgs {
  /** The group: a ScimGroup, or its SCIM id. */
  group: GroupRef;
  /**
   * Every direct member the group must have: ScimUser, ScimServicePrincipal and ScimGroup resources, or their
   * SCIM ids, in any order. Members not listed are removed, including ones added elsewhere. `[]` empties the group.
   */
  members: pulumi.Input<MemberRef[]>;
}

/**
 * The complete, authoritative member list of one group: refresh reports members added elsewhere as drift and
 * `up` removes them. Deleting the resource removes the members it lists and leaves the group. The id is the
 * group's id. Cannot be combined with GroupMembership, or another GroupMembers, on the same group.
 */
export class GroupMembers extends ScimDynamicResource {
  declare readonly groupId: pulumi.Output<string>;
  /** Sorted SCIM ids of the members. */
  declare readonly memberIds: pulumi.Output<string[]>;

  constructor(name: string, args: GroupMembersArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      groupId: idOf(args.group),
      memberIds: idsOf(args.members),
      scope: scopeOf(name, args.group, args),
    };
    super("groupMembers", "GroupMembers", name, props, opts);
  }
}
