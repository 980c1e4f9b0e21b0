import type * as pulumi from "@pulumi/pulumi";
import { aclPrincipalId, homeFolder } from "../lifecycle/derived";
import { outputKeys } from "../lifecycle/fieldTypes";
import { USER_FIELDS } from "../lifecycle/userFields";
import { recordMemberLabel } from "./memberLabels";
import { recordDeclaredTarget } from "./principalRef";
import { ScimPrincipal, type FieldOutputs, type PrincipalArgs } from "./common";

export interface ScimUserArgs extends PrincipalArgs {
  /** The user's email address. Changing it (other than its case) replaces the user. */
  userName: pulumi.Input<string>;
  displayName?: pulumi.Input<string>;
  givenName?: pulumi.Input<string>;
  familyName?: pulumi.Input<string>;
}

/** Every field the user reports (lifecycle/userFields.ts) is an output: its key is registered, its type derived. */
const OUTPUT_KEYS = outputKeys(USER_FIELDS);

// The typed outputs, merged into the class: safe here because the interface only declares readonly Outputs whose
// keys the constructor registers (OUTPUT_KEYS), which is what `declare readonly` did one by one.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface ScimUser extends FieldOutputs<typeof USER_FIELDS> {}

/** A Databricks user, at workspace or account level. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ScimUser extends ScimPrincipal {
  get aclPrincipalId(): pulumi.Output<string> {
    return this.userName.apply((u) => aclPrincipalId("users", u));
  }

  get home(): pulumi.Output<string> {
    return this.userName.apply(homeFolder);
  }

  constructor(name: string, args: ScimUserArgs, opts?: pulumi.CustomResourceOptions) {
    super("user", "User", name, { ...OUTPUT_KEYS, ...args }, opts);
    recordDeclaredTarget(this, "user", args);
    recordMemberLabel(this, "user", args.userName);
  }
}
