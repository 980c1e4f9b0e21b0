import type * as pulumi from "@pulumi/pulumi";
import type { WorkspacePermission } from "../client/assignments";
import { ScimDynamicResource } from "./dynamicResource";
import { declaredLevelOf, idOf, kindOf, targetFrom, type MemberRef, type TargetArgs } from "./principalRef";

export interface WorkspaceAssignmentArgs extends TargetArgs {
  /** An account-level ScimUser, ScimGroup or ScimServicePrincipal, or the account SCIM id of one. */
  principal: MemberRef;
  /**
   * The workspace's numeric id, e.g. an azure-native workspace's `workspaceId`. Required with the account API;
   * with a workspace connection (the workspace API) it may be omitted: the host's workspace is meant.
   */
  workspaceId?: pulumi.Input<number | string>;
  /** ["USER"] (workspace access) or ["ADMIN"] (workspace admin). A change is one PUT, in place. */
  permissions: pulumi.Input<pulumi.Input<WorkspacePermission>[]>;
}

/**
 * Gives an account principal access to a workspace (identity federation). Where it is written: the arguments'
 * host/level/accountId/connection when given, else the principal resource's declared target (an account-level
 * principal → the account API), else stack config and environment (a workspace host → the workspace's own API).
 * It depends on the principal, so `pulumi destroy` unassigns before the principal is deleted. The id is
 * `<workspaceId>|<principalId>`.
 */
export class WorkspaceAssignment extends ScimDynamicResource {
  declare readonly principalId: pulumi.Output<string>;
  declare readonly workspaceId: pulumi.Output<string | undefined>;
  declare readonly permissions: pulumi.Output<WorkspacePermission[]>;
  /** userName, group name or application id, as the assignment shows it. */
  declare readonly principalName: pulumi.Output<string | undefined>;
  /** The principal's kind when a resource was passed (WorkspaceEntitlements uses it); not an engine output. */
  readonly principalKind?: "user" | "group" | "servicePrincipal";

  constructor(name: string, args: WorkspaceAssignmentArgs, opts?: pulumi.CustomResourceOptions) {
    const principalType = kindOf(args.principal);
    const principalLevel = declaredLevelOf(args.principal);
    const props = {
      principalId: idOf(args.principal),
      workspaceId: args.workspaceId,
      permissions: args.permissions,
      principalName: undefined,
      scope: {
        ...targetFrom(args.principal, args),
        resourceName: name,
        ...(principalType ? { principalType } : {}),
        ...(principalLevel ? { principalLevel } : {}),
      },
    };
    super("workspaceAssignment", "WorkspaceAssignment", name, props, opts);
    if (principalType) this.principalKind = principalType;
  }
}
