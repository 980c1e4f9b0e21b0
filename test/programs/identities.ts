/**
 * A data-driven Pulumi program for engine tests, the soak test and the benchmark: the stack configuration key
 * `spec` (JSON) lists the identities to declare, so a test changes the program by changing one config value.
 */
import * as pulumi from "@pulumi/pulumi";
import { ScimUser, type ScimUserArgs } from "pulumi-databricks-scim";

export interface IdentitySpec {
  /** Resource name → arguments. */
  users?: Record<string, ScimUserArgs>;
}

export default async function program(): Promise<Record<string, unknown>> {
  const spec = new pulumi.Config().requireObject<IdentitySpec>("spec");
  const users: Record<string, pulumi.Output<string>> = {};
  for (const [name, args] of Object.entries(spec.users ?? {})) {
    users[name] = new ScimUser(name, args).id;
  }
  return { users };
}
