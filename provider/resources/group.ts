import type * as pulumi from "@pulumi/pulumi";
import { aclPrincipalId } from "../lifecycle/derived";
import { outputKeys } from "../lifecycle/fieldTypes";
import { GROUP_FIELDS } from "../lifecycle/groupFields";
import { ScimIdentity, type FieldOutputs, type IdentityArgs } from "./common";
import { recordGroupOptions } from "./deletedWithGroup";
import { recordMemberLabel } from "./memberLabels";
import { recordGroupTarget } from "./principalRef";
import { declareGroup } from "./sameNameGroups";

export interface ScimGroupArgs extends IdentityArgs {
  /** The group's name. A change renames the group in place (same id, members and permissions). */
  displayName: pulumi.Input<string>;
  /**
   * Workspace level only: this is meant to be a workspace-local group. Without it, a workspace-level group whose
   * name is an account group's fails with the way to use the account group (WorkspaceAssignment,
   * WorkspaceEntitlements): at preview when the same program declares the account group, at `up` when an
   * identity-federated workspace's account has it. Registered only when set.
   */
  workspaceLocal?: pulumi.Input<boolean>;
}

/** Every field the group reports (lifecycle/groupFields.ts) is an output, and its SCIM URL. */
const OUTPUT_KEYS = { ...outputKeys(GROUP_FIELDS), url: undefined };

// The typed outputs of the table's reported fields, merged into the class (see ScimUser, resources/user.ts).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface ScimGroup extends FieldOutputs<typeof GROUP_FIELDS> {}

/**
 * A Databricks group, at workspace or account level. Its members are managed by GroupMembership/GroupMembers;
 * `entitlements` is reported only when the program manages them (reading them is costly for Databricks).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ScimGroup extends ScimIdentity {
  /** The group's SCIM URL (derived from the host and id, not a field). */
  declare readonly url: pulumi.Output<string>;

  get aclPrincipalId(): pulumi.Output<string> {
    return this.displayName.apply((n) => aclPrincipalId("groups", n));
  }

  constructor(name: string, args: ScimGroupArgs, opts?: pulumi.CustomResourceOptions) {
    // For the shadow-group rule only (./sameNameGroups.ts): its name and same-named groups at the other level; not kept in inputs.
    super("group", "Group", name, { ...OUTPUT_KEYS, ...args, declaration: declareGroup(name, args) }, opts);
    recordGroupTarget(this, args);
    recordMemberLabel(this, "group", args.displayName);
    recordGroupOptions(this, opts);
  }
}
