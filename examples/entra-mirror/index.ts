/**
 * An Azure Databricks workspace and the Entra groups that say who works in it, in one program: a resource group
 * and a workspace from @pulumi/azure-native, then the Entra groups of groups.ts read through Microsoft Graph
 * and mirrored into the Databricks account (nested or flattened), with users and service principals; each
 * mirrored group is assigned to the workspace (WorkspaceAssignment) with its entitlements there
 * (WorkspaceEntitlements).
 *
 * No PAT anywhere, and no provisioning connector: one Entra identity (ARM_CLIENT_ID/ARM_CLIENT_SECRET/
 * ARM_TENANT_ID, else the Azure CLI after `az login`) creates the workspace, reads Graph (it needs the Graph
 * application permissions GroupMember.Read.All, User.Read.All and Application.Read.All) and calls account SCIM
 * with an Entra token (it must be a Databricks account admin). `pulumi preview` shows who joins and leaves.
 *
 * Config: `azure-native:location`, `accountId` (the Databricks account id), optional `mirrorLevel`
 * ("account", the default, or "workspace": then the groups are made in the new workspace with their entitlements).
 */
import * as pulumi from "@pulumi/pulumi";
// Subpath imports: the package root would load every Azure service's types.
import * as databricks from "@pulumi/azure-native/databricks";
import * as resources from "@pulumi/azure-native/resources";
import { DatabricksConnection, type GraphSettings } from "pulumi-databricks-scim";
import { mirror } from "./groups";

/** `overrides` lets a test point Graph at a local emulator. */
export default async function program(overrides: { graph?: GraphSettings; checkExisting?: boolean } = {}): Promise<Record<string, unknown>> {
  const config = new pulumi.Config();
  const level = (config.get("mirrorLevel") ?? "account") as "account" | "workspace";
  const rg = new resources.ResourceGroup("entra-rg", {});
  const workspace = new databricks.Workspace("entra-ws", {
    resourceGroupName: rg.name,
    sku: { name: "premium" },
    computeMode: "Serverless",
  });

  // No credentials named: for Azure hosts the provider takes an Entra token (ARM_* / AZURE_*, managed identity, Azure CLI).
  const inWorkspace = new DatabricksConnection({ host: workspace.workspaceUrl, azureResourceId: workspace.id });
  const connection =
    level === "account"
      ? new DatabricksConnection({ host: "https://accounts.azuredatabricks.net", level: "account", accountId: config.require("accountId") })
      : inWorkspace;

  return {
    workspaceUrl: workspace.workspaceUrl,
    workspaceId: workspace.workspaceId,
    ...(await mirror(connection, { level, workspace: { id: workspace.workspaceId, connection: inWorkspace }, ...overrides })),
  };
}
