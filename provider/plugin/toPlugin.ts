/**
 * Moving a stack from the dynamic resources (`pulumi-nodejs:dynamic/scim:<Type>`) to the plugin's types
 * (`databricks-scim:index:<Type>`), planned from the stack's exported state: one `pulumi import --file` of every
 * dynamic resource of this package by the id it already has (the plugin's create writes the same ids: one
 * lifecycle behind both), then `pulumi state delete` of the dynamic entries. The import reads only (GETs);
 * nothing is written to Databricks. Pure planning here; provider/plugin/toPluginCli.ts runs it.
 */
import { PACKAGE } from "./kinds";

/** The types the plugin can import one by one (the collections have no id to import by: see importIds.ts). */
export const MOVABLE = ["User", "Group", "ServicePrincipal", "GroupMembership", "GroupMembers", "WorkspaceAssignment", "WorkspaceEntitlements"];
const DYNAMIC = "pulumi-nodejs:dynamic/scim:";

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  parent?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface ExportedState {
  deployment?: { resources?: StateResource[] };
}

export interface MovePlan {
  /** The `pulumi import --file` document. */
  importFile: { resources: { type: string; name: string; id: string }[] };
  /** Dynamic URNs to delete from the state after the import, dependents first. */
  deletes: string[];
  /** Resources of this package left as they are, each with the reason. */
  skipped: { urn: string; why: string }[];
  /** The workspace or account the resources live at (the plugin's provider must be configured for it). */
  hosts: string[];
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

export function planMove(state: ExportedState): MovePlan {
  const plan: MovePlan = { importFile: { resources: [] }, deletes: [], skipped: [], hosts: [] };
  const hosts = new Set<string>();
  for (const r of state.deployment?.resources ?? []) {
    if (!r.type.startsWith(DYNAMIC)) continue;
    const type = r.type.slice(DYNAMIC.length);
    if (!MOVABLE.includes(type)) {
      plan.skipped.push({
        urn: r.urn,
        why: `${type} has no id to import by; declare it as ${PACKAGE}:index:${type} with adopt: true after deleting it from the state`,
      });
      continue;
    }
    if (!r.id) {
      plan.skipped.push({ urn: r.urn, why: "no id in the state (a pending create): run `pulumi up` or `pulumi refresh` first" });
      continue;
    }
    if (r.parent && !r.parent.includes("::pulumi:pulumi:Stack::")) {
      plan.skipped.push({ urn: r.urn, why: "inside a component resource: move it by hand (`pulumi import` with --parent)" });
      continue;
    }
    const conn = r.inputs?.connection;
    if (conn !== undefined && conn !== null && Object.keys(conn as object).length > 0) {
      plan.skipped.push({ urn: r.urn, why: "it has its own connection: import it with an explicit provider for that target (`pulumi import --provider`)" });
      continue;
    }
    const host = r.outputs?.host ?? r.inputs?.host;
    if (typeof host === "string") hosts.add(host);
    plan.importFile.resources.push({ type: `${PACKAGE}:index:${type}`, name: nameOf(r.urn), id: r.id });
    plan.deletes.push(r.urn);
  }
  plan.deletes.reverse(); // the state lists dependencies first: delete dependents first
  plan.hosts = [...hosts].sort();
  return plan;
}
