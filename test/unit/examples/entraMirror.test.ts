/**
 * examples/entra-mirror with pulumi.runtime.setMocks: the Azure resources are mocked, Microsoft Graph is the
 * local Graph emulator (in-process, plain http, a credential that asks its token endpoint), and the mirror's
 * resources are only registered (mocks never call the SCIM provider). Checks the wiring: every identity targets
 * the account through a connection naming no secret, the nested tree and the flat group, that entitlements
 * go on the groups only at workspace level, and that at account level the two mirrored groups are assigned to
 * the workspace with their entitlements there.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGraphEmulator, type RunningGraphEmulator } from "../../../emulator/graph/index";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];
const ofType = (kind: string) => registered.filter((r) => r.type === `pulumi-nodejs:dynamic/scim:${kind}`);
const ACCOUNT_ID = "00000000-0000-4000-8000-0000000000ac";
let emu: RunningGraphEmulator;
let outputs: Record<string, unknown>;

function emulatorCredential(): TokenCredential {
  return {
    async getToken(scope: string | string[]): Promise<AccessToken> {
      const r = await fetch(`${emu.url}/${emu.tenantId}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: emu.app.clientId, client_secret: emu.app.clientSecret, scope: String(scope) }),
      });
      const body = (await r.json()) as { access_token: string; expires_in: number };
      return { token: body.access_token, expiresOnTimestamp: Date.now() + body.expires_in * 1000 };
    },
  };
}

beforeAll(async () => {
  emu = await startGraphEmulator({
    port: 0,
    tls: false,
    seed: {
      users: [
        { displayName: "Ann", userPrincipalName: "ann@contoso.com" },
        { displayName: "Bob", userPrincipalName: "bob@contoso.com" },
      ],
      servicePrincipals: [{ displayName: "etl", appId: "9a8b7c6d-0000-4000-8000-000000000001" }],
      groups: [
        { displayName: "Data", members: ["Engineering", "Analytics"] },
        { displayName: "Engineering", members: ["Platform", "etl"] },
        { displayName: "Platform", members: ["ann@contoso.com"] },
        { displayName: "Analytics", members: ["ann@contoso.com", "bob@contoso.com"] },
        { displayName: "Cluster Creators", members: ["Platform"] },
      ],
    },
  });
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        if (args.type === "azure-native:databricks:Workspace") {
          return {
            id: "/subscriptions/0/resourceGroups/entra-rg/providers/Microsoft.Databricks/workspaces/entra-ws",
            state: { ...args.inputs, workspaceUrl: "adb-1.2.azuredatabricks.net", workspaceId: "1" },
          };
        }
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "entra-example",
    "test",
    false,
  );
  pulumi.runtime.setAllConfig({ "entra-example:accountId": ACCOUNT_ID });
  const { default: program } = await import("../../../examples/entra-mirror/index");
  const out = await program({ graph: { url: emu.url, credential: emulatorCredential() }, checkExisting: false });
  outputs = await new Promise((resolve) => pulumi.output(out).apply((v) => resolve(v as Record<string, unknown>)));
  const settled = () =>
    registered.filter((r) => r.type.endsWith("GroupMembers")).length >= 5 &&
    ofType("WorkspaceAssignment").length >= 2 &&
    ofType("WorkspaceEntitlements").length >= 2;
  for (let i = 0; i < 100 && !settled(); i++) await new Promise((r) => setTimeout(r, 50));
}, 60_000);
afterAll(async () => {
  await emu?.close();
});

describe("examples/entra-mirror (mocked Azure, emulated Graph)", () => {
  it("declares the workspace and mirrors the tree and the flat group at account level", () => {
    const names = registered.filter((r) => r.type === "pulumi-nodejs:dynamic/scim:Group").map((r) => r.inputs.displayName);
    expect(names.sort()).toEqual(["Analytics", "Engineering", "Platform", "cluster-creators", "data"]);
    expect(
      registered
        .filter((r) => r.type === "pulumi-nodejs:dynamic/scim:User")
        .map((r) => r.inputs.userName)
        .sort(),
    ).toEqual(["ann@contoso.com", "bob@contoso.com"]);
    expect(registered.filter((r) => r.type === "pulumi-nodejs:dynamic/scim:ServicePrincipal").map((r) => r.inputs.applicationId)).toEqual([
      "9a8b7c6d-0000-4000-8000-000000000001",
    ]);
    expect(registered.map((r) => r.type)).toEqual(expect.arrayContaining(["azure-native:databricks:Workspace", "databricks-scim:entra:EntraGroupMirror"]));
    expect(outputs).toMatchObject({ users: 2, servicePrincipals: 1, workspaceUrl: "adb-1.2.azuredatabricks.net" });
  });

  it("targets the account through a connection that names no secret, with no entitlements on account groups", () => {
    const identities = [...ofType("User"), ...ofType("Group"), ...ofType("ServicePrincipal")];
    expect(identities).toHaveLength(8);
    for (const r of identities) {
      expect(r.inputs.connection, r.name).toEqual({ host: "https://accounts.azuredatabricks.net", level: "account", accountId: ACCOUNT_ID });
      expect(r.inputs.entitlements, r.name).toBeUndefined();
    }
    expect(JSON.stringify(registered.map((r) => r.inputs))).not.toMatch(/"(token|clientSecret|password|azureClientSecret)"|graph-emu-secret/);
  });

  it("assigns the two mirrored groups to the workspace through the account API, with their entitlements in the workspace", () => {
    const groupIds = Object.fromEntries(ofType("Group").map((r) => [r.inputs.displayName, `${r.name}-id`]));
    const assignments = ofType("WorkspaceAssignment");
    expect(assignments.map((r) => r.name).sort()).toEqual(["cluster-creators-in-ws", "data-in-ws"]);
    for (const r of assignments) {
      expect((r.inputs.scope as Record<string, unknown>).connection, r.name).toEqual({
        host: "https://accounts.azuredatabricks.net",
        level: "account",
        accountId: ACCOUNT_ID,
      });
      expect(r.inputs.workspaceId, r.name).toBe("1");
      expect(r.inputs.permissions, r.name).toEqual(["USER"]);
    }
    expect(assignments.find((r) => r.name === "data-in-ws")?.inputs.principalId).toBe(groupIds.data);
    const entitlements = Object.fromEntries(ofType("WorkspaceEntitlements").map((r) => [r.name, r.inputs]));
    expect(Object.keys(entitlements).sort()).toEqual(["cluster-creators-entitlements", "data-entitlements"]);
    for (const [name, inputs] of Object.entries(entitlements)) {
      expect((inputs.scope as Record<string, unknown>).connection, name).toEqual({
        host: "adb-1.2.azuredatabricks.net",
        azureResourceId: "/subscriptions/0/resourceGroups/entra-rg/providers/Microsoft.Databricks/workspaces/entra-ws",
      });
      expect(inputs.principalType, name).toBe("group");
    }
    expect(entitlements["data-entitlements"]?.entitlements).toEqual(["workspace-access", "databricks-sql-access"]);
    expect(entitlements["cluster-creators-entitlements"]?.principalId).toBe(groupIds["cluster-creators"]);
    expect(entitlements["cluster-creators-entitlements"]?.entitlements).toEqual(["workspace-access", "allow-cluster-create"]);
  });
});
