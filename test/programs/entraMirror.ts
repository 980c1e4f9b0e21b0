/**
 * Engine-test program for the Entra mirror: the stack configuration key `mirror` (JSON) holds the
 * mirrorEntraGroups arguments; Graph and Databricks settings come from the environment (DATABRICKS_SCIM_GRAPH_URL,
 * AZURE_AUTHORITY_HOST, ARM_CLIENT_ID/ARM_CLIENT_SECRET/ARM_TENANT_ID, DATABRICKS_HOST, DATABRICKS_TOKEN), as
 * they would in CI. The outputs say what was planned and how many Graph calls it took.
 */
import * as pulumi from "@pulumi/pulumi";
import { mirrorEntraGroups, type MirrorEntraGroupsArgs } from "pulumi-databricks-scim";

export default async function program(): Promise<Record<string, unknown>> {
  const args = new pulumi.Config().requireObject<MirrorEntraGroupsArgs>("mirror");
  const started = Date.now();
  const m = await mirrorEntraGroups("entra", args);
  return {
    groups: Object.fromEntries([...m.plan.groups.values()].map((g) => [g.displayName, g.members.length])),
    users: [...m.plan.users.values()].map((u) => u.userName).sort(),
    servicePrincipals: [...m.plan.servicePrincipals.values()].map((s) => s.applicationId).sort(),
    model: m.model,
    graph: m.graph,
    graphMs: Date.now() - started,
  };
}
