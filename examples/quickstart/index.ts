/**
 * The quickstart program (the root Pulumi.yaml runs it): a small team's identities in one workspace.
 * The workspace comes from the stack configuration or the environment (DATABRICKS_HOST / DATABRICKS_TOKEN);
 * `npm start` points it at the local emulator.
 */
import { ScimUser } from "pulumi-databricks-scim";

export default async function program(): Promise<Record<string, unknown>> {
  const alice = new ScimUser("alice", {
    userName: "alice@example.com",
    displayName: "Alice Analyst",
    entitlements: ["databricks-sql-access", "workspace-access"],
  });
  const bob = new ScimUser("bob", {
    userName: "bob@example.com",
    displayName: "Bob Builder",
    entitlements: ["allow-cluster-create", "workspace-access"],
  });
  const carol = new ScimUser("carol", {
    userName: "carol@example.com",
    displayName: "Carol Contractor",
    // Contractors are deactivated, not deleted, when removed from the program.
    onDelete: "deactivate",
  });
  return {
    users: { alice: alice.id, bob: bob.id, carol: carol.id },
    aliceHome: alice.home,
  };
}
