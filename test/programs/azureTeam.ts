/**
 * The SCIM half of examples/azure-workspace-only, run for real: the Azure workspace is replaced by the emulator (its
 * URL from config `host`), and the Entra token by a bearer token named through the connection's tokenEnvVar.
 */
import * as pulumi from "@pulumi/pulumi";
import { DatabricksConnection } from "pulumi-databricks-scim";
import { team } from "../../examples/azure-workspace-only/identities";

export default async function program(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config();
  const connection = new DatabricksConnection({ host: config.require("host"), tokenEnvVar: "WORKSPACE_TOKEN" });
  return team(connection, { ciApplicationId: config.require("ciApplicationId"), domain: "example.com" });
}
