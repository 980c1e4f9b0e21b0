/**
 * An Azure Databricks workspace and its identities in one program, the identity-federated way: a resource group
 * and a workspace from @pulumi/azure-native, account-level groups, users and a service principal, their
 * assignments to the new workspace and their entitlements inside it (./access.ts).
 *
 * No PAT anywhere:
 *  - the account: OAuth M2M with a Databricks service principal that is an account admin; its client id and
 *    secret stay in the environment variables named here (DATABRICKS_ACCOUNT_CLIENT_ID/_SECRET), never in state;
 *  - the workspace (for the entitlements): a Microsoft Entra token from the identity that created the workspace
 *    (ARM_CLIENT_ID/ARM_CLIENT_SECRET/ARM_TENANT_ID, which @pulumi/azure-native reads too, else the Azure CLI).
 *    Creating the workspace makes it Contributor/Owner, and the workspace's ARM id (azureResourceId) lets it in
 *    as a workspace admin on its first call.
 * New Azure workspaces are identity-federated (Databricks attaches the region's Unity Catalog metastore), so
 * the assignments work at once; the first ones may take a minute to be accepted, which WorkspaceAssignment waits
 * out. README "Running the Azure example" has the steps.
 *
 * Config: `azure-native:location` (e.g. westeurope), `accountId` (the Databricks account id), `ciApplicationId`
 * (an Entra app's client id), `domain` (e.g. example.com).
 */
import * as pulumi from "@pulumi/pulumi";
// Subpath imports: the package root would load every Azure service's types.
import * as databricks from "@pulumi/azure-native/databricks";
import * as resources from "@pulumi/azure-native/resources";
import { DatabricksConnection } from "pulumi-databricks-scim";
import { access } from "./access";

export default async function program(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config();
  const rg = new resources.ResourceGroup("identities-rg", {});
  const workspace = new databricks.Workspace("identities-ws", {
    resourceGroupName: rg.name,
    sku: { name: "premium" },
    // Serverless needs no managed resource group; Hybrid (classic compute) would need managedResourceGroupId.
    computeMode: "Serverless",
  });

  const account = new DatabricksConnection({
    host: "https://accounts.azuredatabricks.net",
    level: "account",
    accountId: config.require("accountId"),
    clientIdEnvVar: "DATABRICKS_ACCOUNT_CLIENT_ID",
    clientSecretEnvVar: "DATABRICKS_ACCOUNT_CLIENT_SECRET",
  });
  const inWorkspace = new DatabricksConnection({
    // "adb-<workspaceId>.<n>.azuredatabricks.net": the provider adds https://. Unknown until the workspace exists.
    host: workspace.workspaceUrl,
    // No credentials named: for an *.azuredatabricks.net host the provider takes an Entra token.
    azureResourceId: workspace.id,
  });

  return {
    workspaceUrl: workspace.workspaceUrl,
    workspaceId: workspace.workspaceId,
    ...access(
      account,
      { id: workspace.workspaceId, connection: inWorkspace },
      {
        ciApplicationId: config.require("ciApplicationId"),
        domain: config.get("domain") ?? "example.com",
      },
    ),
  };
}
