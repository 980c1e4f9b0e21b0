import * as pulumi from "@pulumi/pulumi";
import type { Entitlement } from "../client/types";
import type { DatabricksConnection, DatabricksConnectionArgs } from "./connection";
import { ScimDynamicResource } from "./dynamicResource";

/** Arguments every identity resource (user, group, service principal) takes. */
export interface IdentityArgs {
  externalId?: pulumi.Input<string>;
  /** Workspace level only. Omit to leave entitlements alone; a list (even empty) is enforced exactly. */
  entitlements?: pulumi.Input<pulumi.Input<Entitlement>[]>;
  /** Workspace: AWS instance-profile ARNs; account: e.g. "account_admin". Omit to leave roles alone; a list is enforced exactly. */
  roles?: pulumi.Input<pulumi.Input<string>[]>;
  /** Where to call and with which credentials (names only, never a secret): see DatabricksConnection. */
  connection?: pulumi.Input<DatabricksConnection | DatabricksConnectionArgs>;
  /** Workspace URL or account console URL; default from connection, stack config, DATABRICKS_HOST or ~/.databrickscfg. */
  host?: pulumi.Input<string>;
  /** "workspace" (default, unless the host is an accounts. host) or "account". */
  level?: pulumi.Input<"workspace" | "account">;
  /** Required at account level. */
  accountId?: pulumi.Input<string>;
  /** Take over an existing identity with the same natural key instead of failing with "already exists". */
  adopt?: pulumi.Input<boolean>;
}

/** And what users and service principals add. */
export interface PrincipalArgs extends IdentityArgs {
  /** Default true. */
  active?: pulumi.Input<boolean>;
  /** What `pulumi destroy` (or removing the resource) does: "delete" (default) or "deactivate". */
  onDelete?: pulumi.Input<"delete" | "deactivate">;
}

// Pulumi only exposes outputs whose keys are present in the props: each class seeds every one of its outputs.
// Each registered key costs the program four promises with captured stack traces per resource (see
// principalRef.ts scopeOf), so outputs that are a function of another output (aclPrincipalId, home) are getters,
// and where an identity lives (host, level, accountId, connection) is kept in its state, where it guards against
// re-targeting, but is not an output: nothing downstream needs it (memberships inherit a group's declared target).
export const IDENTITY_OUTPUT_KEYS = {
  displayName: undefined,
  externalId: undefined,
  entitlements: undefined,
  roles: undefined,
};
export const PRINCIPAL_OUTPUT_KEYS = { ...IDENTITY_OUTPUT_KEYS, active: undefined };

/** The outputs every identity resource has. */
export abstract class ScimIdentity extends ScimDynamicResource {
  declare readonly externalId: pulumi.Output<string | undefined>;
  declare readonly entitlements: pulumi.Output<Entitlement[] | undefined>;
  declare readonly roles: pulumi.Output<string[]>;
  /** For permission resources: users/<userName>, groups/<displayName> or servicePrincipals/<applicationId>. */
  abstract get aclPrincipalId(): pulumi.Output<string>;
}

/** And those users and service principals add. */
export abstract class ScimPrincipal extends ScimIdentity {
  declare readonly displayName: pulumi.Output<string | undefined>;
  declare readonly active: pulumi.Output<boolean>;
  /** Workspace home folder: /Users/<userName> or /Users/<applicationId>. */
  abstract get home(): pulumi.Output<string>;
}
