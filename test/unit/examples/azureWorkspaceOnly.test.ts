/**
 * examples/azure-workspace-only with pulumi.runtime.setMocks: the Azure resources are mocked (the workspace's
 * workspaceUrl is made up), so this checks the wiring only: every SCIM resource targets the workspace's URL and
 * ARM id through its connection, and nothing secret is among the inputs the engine would store. Mocks never
 * call the dynamic provider's CRUD; test/e2e/azureExample.test.ts runs the SCIM half for real.
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
const WORKSPACE_ID = "/subscriptions/0000/resourceGroups/identities-rg/providers/Microsoft.Databricks/workspaces/identities-ws";

let outputs: Record<string, unknown>;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        if (args.type === "azure-native:databricks:Workspace") {
          return { id: WORKSPACE_ID, state: { ...args.inputs, workspaceUrl: WORKSPACE_URL } };
        }
        return { id: `${args.name}-id`, state: { ...args.inputs, applicationId: args.inputs.applicationId ?? `${args.name}-app` } };
      },
      call: (args) => args.inputs,
    },
    "azure-example",
    "test",
    false,
  );
  pulumi.runtime.setAllConfig({ "azure-example:ciApplicationId": "9a8b7c6d-0000-4000-8000-000000000001" });
  const { default: program } = await import("../../../examples/azure-workspace-only/index");
  const out = await program();
  // Wait until every output (and so every registration) has resolved.
  outputs = await new Promise((resolve) => pulumi.output(out).apply((v) => resolve(v as Record<string, unknown>)));
  // The memberships are not among the outputs: wait for their registrations (they wait on the groups' ids).
  for (let i = 0; i < 100 && registered.filter((r) => r.type.endsWith("GroupMembership")).length < 3; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
}, 60_000);

describe("examples/azure-workspace-only (mocked Azure)", () => {
  it("declares the resource group, the workspace and the team", () => {
    const types = registered.map((r) => `${r.type}:${r.name}`);
    expect(types).toEqual(
      expect.arrayContaining([
        "azure-native:resources:ResourceGroup:identities-rg",
        "azure-native:databricks:Workspace:identities-ws",
        "pulumi-nodejs:dynamic/scim:User:alice",
        "pulumi-nodejs:dynamic/scim:ServicePrincipal:ci",
        "pulumi-nodejs:dynamic/scim:Group:analysts",
        "pulumi-nodejs:dynamic/scim:GroupMembership:ci-in-engineers",
      ]),
    );
    expect(outputs.workspaceUrl).toBe(WORKSPACE_URL);
  });

  it("points every identity at the workspace through a connection that names no secret", () => {
    const scim = registered.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/scim:") && !r.type.endsWith("GroupMembership"));
    expect(scim.length).toBe(5);
    for (const r of scim) {
      expect(r.inputs.connection, r.name).toEqual({ host: WORKSPACE_URL, azureResourceId: WORKSPACE_ID });
    }
    const memberships = registered.filter((r) => r.type.endsWith("GroupMembership"));
    expect(memberships.length).toBe(3);
    for (const r of memberships) {
      // Taken from the group's outputs (which the mock echoes from its inputs).
      expect((r.inputs.scope as Record<string, unknown>).connection, r.name).toEqual({ host: WORKSPACE_URL, azureResourceId: WORKSPACE_ID });
    }
    const text = JSON.stringify(registered.map((r) => r.inputs));
    expect(text).not.toMatch(/"(token|clientSecret|password|azureClientSecret)"/);
  });

  it("stores the provider as a small require() of the installed package", () => {
    const provider = registered.find((r) => r.name === "alice")?.inputs.__provider as string;
    expect(provider).toBe("module.exports=require('pulumi-databricks-scim/s').u");
  });
});
