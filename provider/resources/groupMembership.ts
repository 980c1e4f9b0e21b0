import * as pulumi from "@pulumi/pulumi";
import { withDeletedWithGroup } from "./deletedWithGroup";
import { ScimDynamicResource } from "./dynamicResource";
import { idOf, scopeOf, type GroupRef, type MemberRef, type TargetArgs } from "./principalRef";

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
 * member anyway (resources/deletedWithGroup.ts).
 */
export class GroupMembership extends ScimDynamicResource {
  declare readonly groupId: pulumi.Output<string>;
  declare readonly memberId: pulumi.Output<string>;

  constructor(name: string, args: GroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      groupId: idOf(args.group),
      memberId: idOf(args.member),
      scope: scopeOf(name, args.group, args),
    };
    super("groupMembership", "GroupMembership", name, props, withDeletedWithGroup(args.group, args, opts));
  }
}

