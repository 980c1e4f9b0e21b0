import type * as pulumi from "@pulumi/pulumi";
import { aclPrincipalId } from "../lifecycle/derived";
import { outputKeys } from "../lifecycle/fieldTypes";
import { GROUP_FIELDS } from "../lifecycle/groupFields";
import { ScimIdentity, type IdentityArgs } from "./common";
import { recordGroupOptions } from "./deletedWithGroup";
import { recordMemberLabel } from "./memberLabels";
import { recordGroupTarget } from "./principalRef";

export interface ScimGroupArgs extends IdentityArgs {
  /** The group's name. A change renames the group in place (same id, members and permissions). */
  displayName: pulumi.Input<string>;
  /**
   * Workspace level only: this is meant to be a workspace-local group. Without it, a workspace-level group whose
   * name is an account group's in an identity-federated workspace fails at `up` with the way to use the account
   * group (WorkspaceAssignment, WorkspaceEntitlements). Registered only when set.
   */
  workspaceLocal?: pulumi.Input<boolean>;
}

const OUTPUT_KEYS = { ...outputKeys(GROUP_FIELDS), url: undefined };

/**
 * A Databricks group, at workspace or account level. Its members are managed by GroupMembership/GroupMembers;
 * `entitlements` is reported only when the program manages them (reading them is costly for Databricks).
 */
export class ScimGroup extends ScimIdentity {
  declare readonly displayName: pulumi.Output<string>;
  /** The group's SCIM URL. */
  declare readonly url: pulumi.Output<string>;

  get aclPrincipalId(): pulumi.Output<string> {
    return this.displayName.apply((n) => aclPrincipalId("groups", n));
  }

  constructor(name: string, args: ScimGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super("group", "Group", name, { ...OUTPUT_KEYS, ...args }, opts);
    recordGroupTarget(this, args);
    recordMemberLabel(this, "group", args.displayName);
    recordGroupOptions(this, opts);
  }
}
