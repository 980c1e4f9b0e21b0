/**
 * The SCIM half of the Azure example, the identity-federated way (README, "Workspaces and the account"): users,
 * groups and a service principal in the **account**, the groups' members there too, then access to one workspace
 * with WorkspaceAssignment and, inside it, entitlements with WorkspaceEntitlements. Kept apart from the Azure
 * resources so a test can run it for real against the local emulator (test/e2e/azureExample.test.ts) while mocks
 * cover the Azure half (test/unit/examples/azureWorkspace.test.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  GroupMembership,
  ScimGroup,
  ScimServicePrincipal,
  ScimUser,
  WorkspaceAssignment,
  WorkspaceEntitlements,
  type DatabricksConnection,
} from "pulumi-databricks-scim";

export interface AccessSpec {
  /** Entra application (client) id of the CI service principal (Azure needs it, also in the account). */
  ciApplicationId: string;
  /** Email domain of the team. */
  domain: string;
}

export interface TargetWorkspace {
  /** The numeric workspace id, e.g. an azure-native workspace's `workspaceId`. */
  id: pulumi.Input<string>;
  /** Where its SCIM API is, and as whom (for the entitlements, which live in the workspace). */
  connection: DatabricksConnection;
}

export function access(account: DatabricksConnection, workspace: TargetWorkspace, spec: AccessSpec): Record<string, unknown> {
  const a = { connection: account };
  // Account identities: one of each per person or robot, usable in every workspace and in Unity Catalog grants.
  const alice = new ScimUser("alice", { ...a, userName: `alice@${spec.domain}`, displayName: "Alice Analyst" });
  const bob = new ScimUser("bob", { ...a, userName: `bob@${spec.domain}`, displayName: "Bob Builder" });
  const ci = new ScimServicePrincipal("ci", { ...a, applicationId: spec.ciApplicationId, displayName: "ci-deployer" });
  const analysts = new ScimGroup("analysts", { ...a, displayName: "analysts" });
  const engineers = new ScimGroup("engineers", { ...a, displayName: "data-engineers" });

  // Account groups' members are set in the account (workspaces cannot change them); the memberships take the
  // group's connection.
  new GroupMembership("alice-in-analysts", { group: analysts, member: alice });
  new GroupMembership("bob-in-engineers", { group: engineers, member: bob });
  new GroupMembership("ci-in-engineers", { group: engineers, member: ci });

  // Access to the workspace: the groups as users (their members get in through them), bob as its admin. Each
  // assignment depends on its principal, so `pulumi destroy` unassigns before it deletes.
  const onWs = { workspaceId: workspace.id };
  const analystsIn = new WorkspaceAssignment("analysts-in-ws", { ...onWs, principal: analysts, permissions: ["USER"] });
  const engineersIn = new WorkspaceAssignment("engineers-in-ws", { ...onWs, principal: engineers, permissions: ["USER"] });
  const ciIn = new WorkspaceAssignment("ci-in-ws", { ...onWs, principal: ci, permissions: ["USER"] });
  new WorkspaceAssignment("bob-admin-of-ws", { ...onWs, principal: bob, permissions: ["ADMIN"] });

  // What they may do inside this workspace: set on the workspace's SCIM object for each (account) principal,
  // after its assignment.
  const w = { connection: workspace.connection };
  new WorkspaceEntitlements("analysts-entitlements", { ...w, assignment: analystsIn, entitlements: ["databricks-sql-access", "workspace-access"] });
  new WorkspaceEntitlements("engineers-entitlements", {
    ...w,
    assignment: engineersIn,
    entitlements: ["allow-cluster-create", "databricks-sql-access", "workspace-access"],
  });
  new WorkspaceEntitlements("ci-entitlements", { ...w, assignment: ciIn, entitlements: ["allow-cluster-create", "workspace-access"] });

  return { analysts: analysts.id, engineers: engineers.id, alice: alice.id, bob: bob.id, ci: ci.applicationId };
}
