import * as pulumi from "@pulumi/pulumi";
import { idsOfMembers } from "../lifecycle/memberKeys";
import { withDeletedWithGroup } from "./deletedWithGroup";
import { ScimDynamicResource } from "./dynamicResource";
import { labelsOf } from "./memberLabels";
import { mergeDependsOn, plainIdList, withPlainIds } from "./plainIds";
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
 * `up` removes them. Deleting the resource removes the members it lists and leaves the group (when the ScimGroup
 * is deleted in the same operation, nothing is sent for the members: the group's deletion drops them,
 * resources/deletedWithGroup.ts). The id is the group's id. Cannot be combined with GroupMembership, or another GroupMembers, on the same group.
 */
export class GroupMembers extends ScimDynamicResource {
  declare readonly groupId: pulumi.Output<string>;
  /**
   * Each member's SCIM id by a readable label: its userName, `sp:<applicationId>` (or `sp:<displayName>`),
   * `group:<displayName>`, or the id itself; members found on the server that the program does not list are
   * labelled `user:`/`sp:`/`group:` and their display name. (Undefined for a state written before the labels,
   * until its members next change.)
   */
  declare readonly members: pulumi.Output<Record<string, string> | undefined>;
  /** Sorted SCIM ids of the members. */
  declare readonly memberIds: pulumi.Output<string[]>;

  constructor(name: string, args: GroupMembersArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      groupId: idOf(args.group),
      memberIds: idsOf(args.members),
      // The labels go inside the one `scope` input (resources/principalRef.ts: every registered key costs the
      // SDK four promises per resource); check pairs them with the ids into the `members` map.
      scope: { ...scopeOf(name, args.group, args), memberNames: labelsOf(args.members) },
      members: undefined,
    };
    // The ids as plain values, their resources as dependsOn: no member's URN twice in the state (./plainIds.ts).
    const group = pulumi.CustomResource.isInstance(args.group) ? args.group : undefined;
    const plain = withPlainIds(props, { groupId: group }, withDeletedWithGroup(args.group, args, opts));
    const list = plainIdList(args.members, props.memberIds);
    const registered = list ? { ...plain.props, memberIds: list.ids } : plain.props;
    const options = list ? { ...plain.opts, dependsOn: mergeDependsOn(plain.opts?.dependsOn, list.resources) } : plain.opts;
    super("groupMembers", "GroupMembers", name, registered, options);
    // The state holds the ids in `members` (or, written before the labels, in `memberIds`): one output either way.
    const declared = this.memberIds;
    (this as { memberIds: pulumi.Output<string[]> }).memberIds = pulumi
      .all([this.members, declared])
      .apply(([members, ids]) => (members ? idsOfMembers(members) : (ids ?? [])));
  }
}
