/**
 * With only a workspace connection (a workspace admin without account access): an Azure Databricks workspace and
 * its identities in one program, all at workspace level. examples/azure-workspace does it the federated way:
 * account identities assigned to the workspace.
 *
 * An Azure Databricks workspace and its identities in one program: a resource group and a workspace from
 * @pulumi/azure-native, then groups, users, a service principal and memberships inside that workspace.
 *
 * No PAT anywhere. The workspace URL comes from the workspace's `workspaceUrl` output; the SCIM calls carry a
 * Microsoft Entra token from the same identity that created the workspace (ARM_CLIENT_ID/ARM_CLIENT_SECRET/
 * ARM_TENANT_ID, which @pulumi/azure-native reads too, else the Azure CLI after `az login`). Creating the
 * workspace makes that identity a Contributor/Owner of it, and the workspace's ARM id (azureResourceId) lets it
 * in as a workspace admin on its first call. README "Running the Azure example" has the steps.
 *
 * Config: `azure-native:location` (e.g. westeurope), `ciApplicationId` (an Entra app's client id),
 * `domain` (e.g. example.com).
 */
import * as pulumi from "@pulumi/pulumi";
// Subpath imports: the package root would load every Azure service's types.
import * as databricks from "@pulumi/azure-native/databricks";
import * as resources from "@pulumi/azure-native/resources";
import { DatabricksConnection } from "pulumi-databricks-scim";
import { team } from "./identities";

export default async function program(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config();
  const rg = new resources.ResourceGroup("identities-rg", {});
  const workspace = new databricks.Workspace("identities-ws", {
    resourceGroupName: rg.name,
    sku: { name: "premium" },
    // Serverless needs no managed resource group; Hybrid (classic compute) would need managedResourceGroupId.
    computeMode: "Serverless",
  });

  const connection = new DatabricksConnection({
    // "adb-<workspaceId>.<n>.azuredatabricks.net": the provider adds https://. Unknown until the workspace
    // exists, which a preview shows as such.
    host: workspace.workspaceUrl,
    // No credentials named: for an *.azuredatabricks.net host the provider takes an Entra token (ARM_* / AZURE_*
    // client secret, managed identity with ARM_USE_MSI, else the Azure CLI). authType: "azure-cli" would force one.
    azureResourceId: workspace.id,
  });

  return {
    workspaceUrl: workspace.workspaceUrl,
    ...team(connection, { ciApplicationId: config.require("ciApplicationId"), domain: config.get("domain") ?? "example.com" }),
  };
}
