import * as pulumi from "@pulumi/pulumi";
import { ScimDynamicResource } from "./dynamicResource";
import { idOf, idsOf, targetFrom, type GroupRef, type MemberRef, type TargetArgs } from "./principalRef";

export interface GroupMembersArgs extends TargetArgs {
  /** The group: a ScimGroup, or its SCIM id. */
  group: GroupRef;
  /**
   * Every direct member the group must have: ScimUser, ScimServicePrincipal and ScimGroup resources, or their
   * SCIM ids, in any order. Members not listed are removed, including ones added elsewhere. `[]` empties the group.
   */
  members: pulumi.Input<MemberRef[]>;
}

// Pulumi only exposes outputs whose keys are present in the props: seed every one.
const OUTPUT_KEYS = {
  groupId: undefined,
  memberIds: undefined,
  host: undefined,
  level: undefined,
  accountId: undefined,
};

/**
 * The complete, authoritative member list of one group: refresh reports members added elsewhere as drift and
 * `up` removes them. Deleting the resource removes the members it lists and leaves the group. The id is the
 * group's id. Cannot be combined with GroupMembership, or another GroupMembers, on the same group.
 */
export class GroupMembers extends ScimDynamicResource {
  declare readonly groupId: pulumi.Output<string>;
  /** Sorted SCIM ids of the members. */
  declare readonly memberIds: pulumi.Output<string[]>;
  declare readonly host: pulumi.Output<string>;
  declare readonly level: pulumi.Output<"workspace" | "account">;
  declare readonly accountId: pulumi.Output<string | undefined>;

  constructor(name: string, args: GroupMembersArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...OUTPUT_KEYS,
      ...targetFrom(args.group, args),
      groupId: idOf(args.group),
      memberIds: idsOf(args.members),
      // For check's messages only; not kept in state.
      resourceName: name,
    };
    super("groupMembers", "GroupMembers", name, props, opts);
  }
}
