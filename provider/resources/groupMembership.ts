import * as pulumi from "@pulumi/pulumi";
import { ScimDynamicResource } from "./dynamicResource";
import { idOf, targetFrom, type GroupRef, type MemberRef, type TargetArgs } from "./principalRef";

export interface GroupMembershipArgs extends TargetArgs {
  /** The group: a ScimGroup, or its SCIM id. */
  group: GroupRef;
  /** The member: a ScimUser, ScimServicePrincipal or ScimGroup (nesting), or its SCIM id. */
  member: MemberRef;
}

// Pulumi only exposes outputs whose keys are present in the props: seed every one.
const OUTPUT_KEYS = {
  groupId: undefined,
  memberId: undefined,
  host: undefined,
  level: undefined,
  accountId: undefined,
};

/**
 * One member of one group. Other members of the group are left alone; to own the whole member list, use
 * GroupMembers instead (the two refuse to manage the same group). The id is `<groupId>|<memberId>`.
 */
export class GroupMembership extends ScimDynamicResource {
  declare readonly groupId: pulumi.Output<string>;
  declare readonly memberId: pulumi.Output<string>;
  declare readonly host: pulumi.Output<string>;
  declare readonly level: pulumi.Output<"workspace" | "account">;
  declare readonly accountId: pulumi.Output<string | undefined>;

  constructor(name: string, args: GroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...OUTPUT_KEYS,
      ...targetFrom(args.group, args),
      groupId: idOf(args.group),
      memberId: idOf(args.member),
      // For check's messages only ("GroupMembers 'eng' and GroupMembership 'alice-in-eng' …"); not kept in state.
      resourceName: name,
    };
    super("groupMembership", "GroupMembership", name, props, opts);
  }
}
