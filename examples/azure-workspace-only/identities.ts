/**
 * The SCIM half of the Azure example: groups, users, a service principal and their memberships in one
 * workspace, all through one connection. Kept apart from the Azure resources so that a test can run this half
 * for real against the local emulator (test/e2e/azureExample.test.ts) while mocks cover the Azure half.
 */
import { DatabricksConnection, GroupMembership, ScimGroup, ScimServicePrincipal, ScimUser } from "pulumi-databricks-scim";

export interface TeamSpec {
  /** Entra application (client) id of the CI service principal (Azure workspaces need it). */
  ciApplicationId: string;
  /** Email domain of the team. */
  domain: string;
}

export function team(connection: DatabricksConnection, spec: TeamSpec): Record<string, unknown> {
  const c = { connection };
  const alice = new ScimUser("alice", { ...c, userName: `alice@${spec.domain}`, displayName: "Alice Analyst" });
  const bob = new ScimUser("bob", { ...c, userName: `bob@${spec.domain}`, displayName: "Bob Builder", onDelete: "deactivate" });
  const ci = new ScimServicePrincipal("ci", { ...c, applicationId: spec.ciApplicationId, displayName: "ci-deployer" });

  const analysts = new ScimGroup("analysts", { ...c, displayName: "analysts", entitlements: ["databricks-sql-access"] });
  const engineers = new ScimGroup("engineers", { ...c, displayName: "data-engineers", entitlements: ["workspace-access", "allow-cluster-create"] });

  // Memberships take the group's host and connection: nothing to repeat.
  new GroupMembership("alice-in-analysts", { group: analysts, member: alice });
  new GroupMembership("bob-in-engineers", { group: engineers, member: bob });
  new GroupMembership("ci-in-engineers", { group: engineers, member: ci });

  return { analysts: analysts.id, engineers: engineers.id, alice: alice.id, bob: bob.id, ci: ci.applicationId };
}
