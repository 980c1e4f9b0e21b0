import type * as pulumi from "@pulumi/pulumi";
import { PRINCIPAL_OUTPUT_KEYS, ScimPrincipal, type PrincipalArgs } from "./common";
import { recordDeclaredTarget } from "./principalRef";

export interface ScimUserArgs extends PrincipalArgs {
  /** The user's email address. Changing it (other than its case) replaces the user. */
  userName: pulumi.Input<string>;
  displayName?: pulumi.Input<string>;
  givenName?: pulumi.Input<string>;
  familyName?: pulumi.Input<string>;
}

const OUTPUT_KEYS = { ...PRINCIPAL_OUTPUT_KEYS, userName: undefined, givenName: undefined, familyName: undefined };

/** A Databricks user, at workspace or account level. */
export class ScimUser extends ScimPrincipal {
  declare readonly userName: pulumi.Output<string>;
  declare readonly givenName: pulumi.Output<string | undefined>;
  declare readonly familyName: pulumi.Output<string | undefined>;

  get aclPrincipalId(): pulumi.Output<string> {
    return this.userName.apply((u) => `users/${u}`);
  }

  get home(): pulumi.Output<string> {
    return this.userName.apply((u) => `/Users/${u}`);
  }

  constructor(name: string, args: ScimUserArgs, opts?: pulumi.CustomResourceOptions) {
    super("user", "User", name, { ...OUTPUT_KEYS, ...args }, opts);
    recordDeclaredTarget(this, "user", args);
  }
}
