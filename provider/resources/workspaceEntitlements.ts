import * as pulumi from "@pulumi/pulumi";
import type { Entitlement } from "../client/types";
import { ScimDynamicResource } from "./dynamicResource";
import { idOf, kindOf, type MemberRef, type TargetArgs } from "./principalRef";
import type { WorkspaceAssignment } from "./workspaceAssignment";

export interface WorkspaceEntitlementsArgs extends TargetArgs {
  /**
   * The principal's WorkspaceAssignment: gives the principal, and makes the entitlements wait for the
   * assignment (and go before it on destroy). Or give `principal` instead.
   */
  assignment?: WorkspaceAssignment;
  /** An account-level ScimUser, ScimGroup or ScimServicePrincipal, or its account SCIM id (then principalType). */
  principal?: MemberRef;
  /** Needed with a bare id: "user", "group" or "servicePrincipal". */
  principalType?: pulumi.Input<"user" | "group" | "servicePrincipal">;
  /** Enforced exactly in this workspace: anything else found on refresh is drift, restored by `up`. */
  entitlements: pulumi.Input<pulumi.Input<Entitlement>[]>;
}

/**
 * The entitlements of an account principal inside one workspace, through that workspace's SCIM API on the
 * principal's (account) id. `host` (or `connection`) is the workspace, e.g. an azure-native workspace's URL;
 * required, since the account has no entitlements. The id is `<principalType>/<principalId>`.
 */
export class WorkspaceEntitlements extends ScimDynamicResource {
  declare readonly principalId: pulumi.Output<string>;
  declare readonly principalType: pulumi.Output<"user" | "group" | "servicePrincipal">;
  declare readonly entitlements: pulumi.Output<Entitlement[]>;

  constructor(name: string, args: WorkspaceEntitlementsArgs, opts?: pulumi.CustomResourceOptions) {
    const principal: MemberRef | undefined = args.principal ?? args.assignment?.principalId;
    const principalType = args.principalType ?? kindOf(args.principal) ?? args.assignment?.principalKind;
    const props = {
      principalId: principal === undefined ? undefined : idOf(principal),
      principalType,
      entitlements: args.entitlements,
      scope: { host: args.host, level: args.level, accountId: args.accountId, connection: args.connection, resourceName: name },
    };
    const dependsOn = args.assignment ? [args.assignment, ...toArray(opts?.dependsOn)] : opts?.dependsOn;
    super("workspaceEntitlements", "WorkspaceEntitlements", name, props, { ...opts, ...(dependsOn ? { dependsOn } : {}) });
  }
}

function toArray(d: pulumi.CustomResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
  if (d === undefined) return [];
  return Array.isArray(d) ? d : [d as pulumi.Input<pulumi.Resource>];
}
