/**
 * examples/azure-workspace with pulumi.runtime.setMocks: the Azure resources are mocked (the workspace's
 * workspaceUrl and workspaceId are made up), so this checks the wiring only: the identities are account-level
 * over OAuth M2M (names of environment variables only), the assignments take the workspace's workspaceId, the
 * entitlements go to the workspace's URL through its Entra connection, and nothing secret is among the inputs
 * the engine would store. Mocks never call the dynamic provider; test/e2e/azureExample.test.ts runs the SCIM
 * half for real.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];
const WORKSPACE_URL = "adb-1234567890123456.7.azuredatabricks.net";
const WORKSPACE_NUMBER = "1234567890123456";
const WORKSPACE_ARM_ID = "/subscriptions/0000/resourceGroups/identities-rg/providers/Microsoft.Databricks/workspaces/identities-ws";
const ACCOUNT_ID = "0d2c6a8e-1c2b-4f1e-9b8a-3f4e5d6c7b8a";
const ACCOUNT = {
  host: "https://accounts.azuredatabricks.net",
  level: "account",
  accountId: ACCOUNT_ID,
  clientIdEnvVar: "DATABRICKS_ACCOUNT_CLIENT_ID",
  clientSecretEnvVar: "DATABRICKS_ACCOUNT_CLIENT_SECRET",
};

let outputs: Record<string, unknown>;
const ofType = (t: string) => registered.filter((r) => r.type === `pulumi-nodejs:dynamic/scim:${t}`);

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        if (args.type === "azure-native:databricks:Workspace") {
          return { id: WORKSPACE_ARM_ID, state: { ...args.inputs, workspaceUrl: WORKSPACE_URL, workspaceId: WORKSPACE_NUMBER } };
        }
        return { id: `${args.name}-id`, state: { ...args.inputs, applicationId: args.inputs.applicationId ?? `${args.name}-app` } };
      },
      call: (args) => args.inputs,
    },
    "azure-example",
    "test",
    false,
  );
  pulumi.runtime.setAllConfig({ "azure-example:ciApplicationId": "9a8b7c6d-0000-4000-8000-000000000001", "azure-example:accountId": ACCOUNT_ID });
  const { default: program } = await import("../../../examples/azure-workspace/index");
  const out = await program();
  outputs = await new Promise((resolve) => pulumi.output(out).apply((v) => resolve(v as Record<string, unknown>)));
  // Memberships, assignments and entitlements are not among the outputs: wait for their registrations.
  for (
    let i = 0;
    i < 100 && (ofType("GroupMembership").length < 3 || ofType("WorkspaceAssignment").length < 4 || ofType("WorkspaceEntitlements").length < 3);
    i++
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
}, 60_000);

describe("examples/azure-workspace (mocked Azure)", () => {
  it("declares the workspace, the account team, four assignments and three per-workspace entitlements", () => {
    expect(registered.map((r) => `${r.type}:${r.name}`)).toEqual(
      expect.arrayContaining([
        "azure-native:resources:ResourceGroup:identities-rg",
        "azure-native:databricks:Workspace:identities-ws",
        "pulumi-nodejs:dynamic/scim:User:alice",
        "pulumi-nodejs:dynamic/scim:ServicePrincipal:ci",
        "pulumi-nodejs:dynamic/scim:Group:engineers",
      ]),
    );
    expect(ofType("GroupMembership")).toHaveLength(3);
    expect(
      ofType("WorkspaceAssignment")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["analysts-in-ws", "bob-admin-of-ws", "ci-in-ws", "engineers-in-ws"]);
    expect(ofType("WorkspaceEntitlements")).toHaveLength(3);
    expect(outputs.workspaceId).toBe(WORKSPACE_NUMBER);
  });

  it("puts the identities in the account over OAuth M2M, naming environment variables only", () => {
    for (const r of [...ofType("User"), ...ofType("Group"), ...ofType("ServicePrincipal")]) expect(r.inputs.connection, r.name).toEqual(ACCOUNT);
  });

  it("assigns through the account API to the workspace's numeric id, depending on each principal", () => {
    for (const r of ofType("WorkspaceAssignment")) {
      expect(r.inputs.workspaceId, r.name).toBe(WORKSPACE_NUMBER);
      expect((r.inputs.scope as Record<string, unknown>).connection, r.name).toEqual(ACCOUNT);
      expect(r.inputs.principalId, r.name).toMatch(/-id$/);
    }
    expect(ofType("WorkspaceAssignment").find((r) => r.name === "bob-admin-of-ws")?.inputs.permissions).toEqual(["ADMIN"]);
  });

  it("sets entitlements in the workspace, through its URL and ARM id (an Entra token), on the assigned principals", () => {
    for (const r of ofType("WorkspaceEntitlements")) {
      expect((r.inputs.scope as Record<string, unknown>).connection, r.name).toEqual({ host: WORKSPACE_URL, azureResourceId: WORKSPACE_ARM_ID });
      expect(r.inputs.principalType, r.name).toMatch(/^(group|servicePrincipal)$/);
    }
    expect(ofType("WorkspaceEntitlements").find((r) => r.name === "ci-entitlements")?.inputs.principalId).toBe("ci-id");
  });

  it("stores no secret and the provider as a small require() of the installed package", () => {
    expect(JSON.stringify(registered.map((r) => r.inputs))).not.toMatch(/"(token|clientSecret|password|azureClientSecret)"/);
    expect(ofType("WorkspaceAssignment")[0]?.inputs.__provider).toBe("module.exports=require('pulumi-databricks-scim/s').wa");
  });
});
