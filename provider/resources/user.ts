import * as pulumi from "@pulumi/pulumi";
import type { Entitlement } from "../client/types";
import userProvider = require("../shims/user");

export interface ScimUserArgs {
  /** The user's email address. Changing it (other than its case) replaces the user. */
  userName: pulumi.Input<string>;
  displayName?: pulumi.Input<string>;
  givenName?: pulumi.Input<string>;
  familyName?: pulumi.Input<string>;
  /** Default true. */
  active?: pulumi.Input<boolean>;
  externalId?: pulumi.Input<string>;
  /** Workspace level only. Omit to leave entitlements alone; a list (even empty) is enforced exactly. */
  entitlements?: pulumi.Input<pulumi.Input<Entitlement>[]>;
  /** Workspace URL or account console URL; default from stack config, DATABRICKS_HOST or ~/.databrickscfg. */
  host?: pulumi.Input<string>;
  /** "workspace" (default, unless the host is an accounts. host) or "account". */
  level?: pulumi.Input<"workspace" | "account">;
  /** Required at account level. */
  accountId?: pulumi.Input<string>;
  /** What `pulumi destroy` (or removing the resource) does: "delete" (default) or "deactivate". */
  onDelete?: pulumi.Input<"delete" | "deactivate">;
  /** Take over an existing user with this userName instead of failing with "already exists". */
  adopt?: pulumi.Input<boolean>;
}

// Pulumi only exposes outputs whose keys are present in the props: seed every one.
const OUTPUT_KEYS = {
  userName: undefined,
  displayName: undefined,
  givenName: undefined,
  familyName: undefined,
  active: undefined,
  externalId: undefined,
  entitlements: undefined,
  host: undefined,
  level: undefined,
  accountId: undefined,
  home: undefined,
  aclPrincipalId: undefined,
};

/** A Databricks user, at workspace or account level. */
export class ScimUser extends pulumi.dynamic.Resource {
  declare readonly userName: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string | undefined>;
  declare readonly givenName: pulumi.Output<string | undefined>;
  declare readonly familyName: pulumi.Output<string | undefined>;
  declare readonly active: pulumi.Output<boolean>;
  declare readonly externalId: pulumi.Output<string | undefined>;
  declare readonly entitlements: pulumi.Output<Entitlement[] | undefined>;
  declare readonly host: pulumi.Output<string>;
  declare readonly level: pulumi.Output<"workspace" | "account">;
  declare readonly accountId: pulumi.Output<string | undefined>;
  /** Workspace home folder, /Users/<userName>. */
  declare readonly home: pulumi.Output<string>;
  /** For permission resources: users/<userName>. */
  declare readonly aclPrincipalId: pulumi.Output<string>;

  constructor(name: string, args: ScimUserArgs, opts?: pulumi.CustomResourceOptions) {
    super(userProvider, name, { ...OUTPUT_KEYS, ...args }, opts, "scim", "User");
  }
}
