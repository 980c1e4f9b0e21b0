/**
 * The SCIM half of examples/azure-workspace, run for real: the Azure workspace is replaced by an emulated
 * identity-federated workspace (config `workspaceHost`, `workspaceId`), the account by the emulator's account API
 * with OAuth M2M (config `accountHost`, `accountId`; the client id and secret in the environment variables the
 * connection names), and the workspace's Entra token by a bearer token named through tokenEnvVar.
 */
import * as pulumi from "@pulumi/pulumi";
import { DatabricksConnection } from "pulumi-databricks-scim";
import { access } from "../../examples/azure-workspace/access";

export default async function program(): Promise<Record<string, unknown>> {
  const config = new pulumi.Config();
  const account = new DatabricksConnection({
    host: config.require("accountHost"),
    level: "account",
    accountId: config.require("accountId"),
    clientIdEnvVar: "DATABRICKS_ACCOUNT_CLIENT_ID",
    clientSecretEnvVar: "DATABRICKS_ACCOUNT_CLIENT_SECRET",
  });
  const inWorkspace = new DatabricksConnection({ host: config.require("workspaceHost"), tokenEnvVar: "WORKSPACE_TOKEN" });
  return access(
    account,
    { id: config.require("workspaceId"), connection: inWorkspace },
    {
      ciApplicationId: config.require("ciApplicationId"),
      domain: "example.com",
    },
  );
}
