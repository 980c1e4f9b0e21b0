/**
 * Which Entra groups the example mirrors, and what each becomes in Databricks. Kept apart from the Azure
 * resources so that the mirror half can run on its own.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { DatabricksConnection, EntraGroupSpec, Entitlement, GraphSettings, ScimGroup } from "pulumi-databricks-scim";
import { mirrorEntraGroups, WorkspaceAssignment, WorkspaceEntitlements } from "pulumi-databricks-scim";

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

/** The workspace the account-level groups are assigned to. */
export interface TargetWorkspace {
  /** The numeric workspace id, e.g. an azure-native workspace's `workspaceId`. */
  id: pulumi.Input<string>;
  /** Its SCIM API, for the entitlements (which live in the workspace). */
  connection: DatabricksConnection;
}

export interface MirrorOptions {
  /** "account" (default, what Databricks recommends) or "workspace". */
  level: "account" | "workspace";
  /** At account level: assign each mirrored group of GROUPS to this workspace, with its entitlements there. */
  workspace?: TargetWorkspace;
  graph?: GraphSettings;
  checkExisting?: boolean;
}

/**
 * At account level the groups, users and service principals are account identities. Databricks keeps
 * entitlements per workspace, so they are not set on account groups: each group of GROUPS is assigned to the
 * workspace (its members, nested ones included, get in through it) and given its entitlements there (README
 * "Entra ID as the source", "Account level and entitlements"). At workspace level each group carries its
 * entitlements directly.
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
  if (opts.level === "account" && opts.workspace) assign(m.groups, connection, opts.workspace);
  return {
    groups: Object.fromEntries(Object.entries(m.groups).map(([name, g]) => [name, g.id])),
    users: Object.keys(m.users).length,
    servicePrincipals: Object.keys(m.servicePrincipals).length,
    entitlements: Object.fromEntries(GROUPS.map((g) => [g.name ?? g.entraGroup, g.entitlements])),
  };
}

/**
 * Each group of GROUPS as a user of the workspace (through the account API, so it depends on the account group
 * and `pulumi destroy` unassigns it first), with its entitlements in that workspace after the assignment.
 */
function assign(groups: Record<string, ScimGroup>, account: DatabricksConnection, workspace: TargetWorkspace): void {
  for (const g of GROUPS) {
    const name = g.name ?? g.entraGroup;
    const group = groups[name];
    if (!group) throw new Error(`the mirror made no group '${name}'`);
    const assignment = new WorkspaceAssignment(`${name}-in-ws`, { connection: account, principal: group, workspaceId: workspace.id, permissions: ["USER"] });
    new WorkspaceEntitlements(`${name}-entitlements`, { connection: workspace.connection, assignment, entitlements: g.entitlements });
  }
}
