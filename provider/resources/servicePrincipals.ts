import type * as pulumi from "@pulumi/pulumi";
import type { Entitlement } from "../client/types";
import { ScimCollection, type EntryOutput } from "./collection";
import type { TargetArgs } from "./principalRef";
import type { ScimServicePrincipalArgs } from "./servicePrincipal";

/** One service principal of a ScimServicePrincipals: ScimServicePrincipal's fields but the applicationId (the key) and the target. */
export type ScimServicePrincipalsEntry = Omit<ScimServicePrincipalArgs, "applicationId" | keyof TargetArgs>;

export interface ScimServicePrincipalsArgs extends TargetArgs {
  /**
   * Every service principal this resource manages, by applicationId (the Entra application (client) id; compared
   * ignoring case), with the fields of each as ScimServicePrincipal takes them. Where Databricks generates the
   * application id (AWS, GCP), declare ScimServicePrincipal resources instead: the id is not known before the create.
   */
  servicePrincipals: pulumi.Input<Record<string, pulumi.Input<ScimServicePrincipalsEntry>>>;
  onDelete?: pulumi.Input<"delete" | "deactivate">;
  adopt?: pulumi.Input<boolean>;
}

export interface ScimServicePrincipalsEntryOutput extends EntryOutput {
  displayName?: string;
  externalId?: string;
  active: boolean;
  entitlements?: Entitlement[];
  roles?: string[];
  onDelete?: "deactivate";
}

/** Many service principals in one resource, keyed by applicationId: as ScimUsers is for users (docs/resources/ScimUsers.md). */
export class ScimServicePrincipals extends ScimCollection<ScimServicePrincipalsEntryOutput> {
  declare readonly servicePrincipals: pulumi.Output<Record<string, ScimServicePrincipalsEntryOutput>>;

  constructor(name: string, args: ScimServicePrincipalsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "servicePrincipals",
      "ServicePrincipals",
      name,
      { mapKey: "servicePrincipals", member: "servicePrincipal", noun: "service principal" },
      { ...args },
      opts,
    );
  }

  protected entries(): pulumi.Output<Record<string, ScimServicePrincipalsEntryOutput>> {
    return this.servicePrincipals;
  }
}
