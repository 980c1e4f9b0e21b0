import type * as pulumi from "@pulumi/pulumi";
import { aclPrincipalId, homeFolder } from "../lifecycle/derived";
import { outputKeys } from "../lifecycle/fieldTypes";
import { SERVICE_PRINCIPAL_FIELDS } from "../lifecycle/servicePrincipalFields";
import { recordMemberLabel } from "./memberLabels";
import { recordDeclaredTarget } from "./principalRef";
import { ScimPrincipal, type FieldOutputs, type PrincipalArgs } from "./common";

export interface ScimServicePrincipalArgs extends PrincipalArgs {
  /**
   * Azure (*.azuredatabricks.net): required, the Microsoft Entra application (client) id; a change replaces the
   * service principal. AWS/GCP: must not be set, Databricks generates it (read the output).
   */
  applicationId?: pulumi.Input<string>;
  /** Required unless applicationId is set. */
  displayName?: pulumi.Input<string>;
}

/** Every field the service principal reports (lifecycle/servicePrincipalFields.ts) is an output. */
const OUTPUT_KEYS = outputKeys(SERVICE_PRINCIPAL_FIELDS);

// The typed outputs of the table's reported fields, merged into the class (see ScimUser, resources/user.ts);
// applicationId is always there (`generated`: the program's, or the one Databricks made up).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface ScimServicePrincipal extends FieldOutputs<typeof SERVICE_PRINCIPAL_FIELDS> {}

/**
 * A Databricks service principal, at workspace or account level. `adopt` takes over an existing one by
 * applicationId, else by displayName (which must then name exactly one).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ScimServicePrincipal extends ScimPrincipal {
  get aclPrincipalId(): pulumi.Output<string> {
    return this.applicationId.apply((a) => aclPrincipalId("servicePrincipals", a));
  }

  get home(): pulumi.Output<string> {
    return this.applicationId.apply(homeFolder);
  }

  constructor(name: string, args: ScimServicePrincipalArgs, opts?: pulumi.CustomResourceOptions) {
    super("servicePrincipal", "ServicePrincipal", name, { ...OUTPUT_KEYS, ...args }, opts);
    recordDeclaredTarget(this, "servicePrincipal", args);
    recordMemberLabel(this, "servicePrincipal", args.applicationId ?? args.displayName);
  }
}
