/**
 * Which Entra groups the example mirrors, and what each becomes in Databricks. Kept apart from the Azure
 * resources so that the mirror half can run on its own.
 */
import type { DatabricksConnection, EntraGroupSpec, Entitlement, GraphSettings } from "pulumi-databricks-scim";
import { mirrorEntraGroups } from "pulumi-databricks-scim";

export interface MirroredGroup {
  /** The Entra group's display name (or object id). */
  entraGroup: string;
  mode: "flatten" | "nested";
  /** Name in Databricks; default the Entra name. */
  name?: string;
  /** What its members may do in the workspace. */
  entitlements: Entitlement[];
}

export const GROUPS: MirroredGroup[] = [
  // The whole data department as a tree: Data → Engineering → Platform, Data → Analytics.
  { entraGroup: "Data", mode: "nested", name: "data", entitlements: ["workspace-access", "databricks-sql-access"] },
  // Everyone who may create clusters, however deep they sit in Entra, as one flat group.
  { entraGroup: "Cluster Creators", mode: "flatten", name: "cluster-creators", entitlements: ["workspace-access", "allow-cluster-create"] },
];

export interface MirrorOptions {
  /** "account" (default, what Databricks recommends) or "workspace". */
  level: "account" | "workspace";
  graph?: GraphSettings;
  checkExisting?: boolean;
}

/**
 * At account level the groups, users and service principals are account identities. Databricks keeps
 * entitlements per workspace, so they are not set on account groups: they apply once the groups are assigned to
 * the workspace (README "Entra ID as the source", "Account level and entitlements"). At workspace level each
 * group carries its entitlements directly.
 */
export async function mirror(connection: DatabricksConnection, opts: MirrorOptions): Promise<Record<string, unknown>> {
  const groups: EntraGroupSpec[] = GROUPS.map((g) => ({
    entraGroup: g.entraGroup,
    mode: g.mode,
    name: g.name,
    ...(opts.level === "workspace" ? { entitlements: g.entitlements } : {}),
  }));
  const m = await mirrorEntraGroups("entra", {
    connection,
    level: opts.level,
    groups,
    onLeave: "deactivate",
    graph: opts.graph,
    checkExisting: opts.checkExisting,
  });
  return {
    groups: Object.fromEntries(Object.entries(m.groups).map(([name, g]) => [name, g.id])),
    users: Object.keys(m.users).length,
    servicePrincipals: Object.keys(m.servicePrincipals).length,
    entitlements: Object.fromEntries(GROUPS.map((g) => [g.name ?? g.entraGroup, g.entitlements])),
  };
}
