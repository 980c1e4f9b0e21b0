/**
 * The quickstart program (the root Pulumi.yaml runs it): a small team's identities in one workspace.
 * The workspace comes from the stack configuration or the environment (DATABRICKS_HOST / DATABRICKS_TOKEN);
 * `npm start` points it at the local emulator.
 */
import { GroupMembers, GroupMembership, ScimGroup, ScimServicePrincipal, ScimUser } from "pulumi-databricks-scim";

export default async function program(): Promise<Record<string, unknown>> {
  // People.
  const alice = new ScimUser("alice", {
    userName: "alice@example.com",
    displayName: "Alice Analyst",
    entitlements: ["databricks-sql-access", "workspace-access"],
  });
  const bob = new ScimUser("bob", { userName: "bob@example.com", displayName: "Bob Builder" });
  const carol = new ScimUser("carol", {
    userName: "carol@example.com",
    displayName: "Carol Contractor",
    // Contractors are deactivated, not deleted, when removed from the program.
    onDelete: "deactivate",
  });

  // A machine identity for CI (AWS/GCP: Databricks generates its applicationId).
  const ci = new ScimServicePrincipal("ci", { displayName: "ci-deployer", entitlements: ["workspace-access"] });

  // Teams carry the entitlements; their members get them through the group.
  const analysts = new ScimGroup("analysts", { displayName: "analysts", entitlements: ["databricks-sql-access"] });
  const engineers = new ScimGroup("engineers", {
    displayName: "data-engineers",
    entitlements: ["allow-cluster-create", "workspace-access"],
  });
  // Nested: everyone in analysts or data-engineers is (indirectly) in data-team.
  const dataTeam = new ScimGroup("data-team", { displayName: "data-team" });

  // One membership per pair: others (an IdP, the admin console) may add members to these groups too.
  new GroupMembership("alice-in-analysts", { group: analysts, member: alice });
  new GroupMembership("carol-in-analysts", { group: analysts, member: carol });
  new GroupMembership("bob-in-engineers", { group: engineers, member: bob });
  new GroupMembership("ci-in-engineers", { group: engineers, member: ci });

  // The complete member list: anything added elsewhere is drift, and `pulumi up` removes it.
  new GroupMembers("data-team-members", { group: dataTeam, members: [analysts, engineers] });

  return {
    users: { alice: alice.id, bob: bob.id, carol: carol.id },
    groups: { analysts: analysts.id, engineers: engineers.id, dataTeam: dataTeam.id },
    ciApplicationId: ci.applicationId,
    aliceHome: alice.home,
  };
}
