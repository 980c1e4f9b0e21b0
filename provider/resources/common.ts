import * as pulumi from "@pulumi/pulumi";
import type { Entitlement } from "../client/types";
import type { AlwaysReported, Field, Fields, ReportedKey, ValueOf } from "../lifecycle/fieldTypes";
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

/** The output a reported field has on the resource object: lists as arrays, optional scalars maybe undefined. */
type OutputOf<F extends Field, Set extends boolean> = F["type"] extends "roles"
  ? string[]
  : F["type"] extends "entitlements"
    ? Entitlement[] | undefined
    : Set extends true
      ? ValueOf[F["type"]]
      : ValueOf[F["type"]] | undefined;

/**
 * The typed outputs of a kind's reported fields, from its table (lifecycle/userFields.ts, …): each class merges
 * them in (`interface ScimUser extends FieldOutputs<typeof USER_FIELDS> {}`) and declares none by hand, so a
 * field added to a table is an output of the right type, and one removed is gone from the type.
 */
export type FieldOutputs<F extends Fields> = {
  readonly [K in ReportedKey<F>]: pulumi.Output<OutputOf<F[K], K extends AlwaysReported<F> ? true : false>>;
};

/** What every identity resource has besides its fields' outputs. */
export abstract class ScimIdentity extends ScimDynamicResource {
  /** For permission resources: users/<userName>, groups/<displayName> or servicePrincipals/<applicationId>. */
  abstract get aclPrincipalId(): pulumi.Output<string>;
}

/** And what users and service principals add. */
export abstract class ScimPrincipal extends ScimIdentity {
  /** Workspace home folder: /Users/<userName> or /Users/<applicationId>. */
  abstract get home(): pulumi.Output<string>;
}
