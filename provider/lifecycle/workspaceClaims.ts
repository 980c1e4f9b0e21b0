import { type Checker, isUnknown } from "./check";
import type { WorkspaceRegistry } from "./context";
import type { TargetInputs } from "./types";

/**
 * One principal in one workspace may have one WorkspaceAssignment and one WorkspaceEntitlements: two of either
 * would each overwrite the other (a PUT replaces the permission set, the entitlements are enforced exactly) on
 * every update, silently. Refused at check (preview), naming both resources, as two GroupMembers on one group
 * are (runtime/membershipRegistry.ts). The principal is told by its id: known at preview for a principal that
 * exists (in state, or looked up with getUser/getGroup/getServicePrincipal), known only at `up` for one the same
 * run creates, whose second resource is then refused before its first write.
 */
export interface ClaimSubject {
  kind: "WorkspaceAssignment" | "WorkspaceEntitlements";
  news: Record<string, unknown>;
  target: TargetInputs;
  principalId: string | undefined;
  /** The account workspace id, when known; else the workspace is the target's host. */
  workspaceId?: string;
}

export function claimInCheck(workspaces: WorkspaceRegistry, c: Checker, s: ClaimSubject): void {
  if (c.failures.length > 0) return;
  const resourceName = typeof s.news.resourceName === "string" && s.news.resourceName !== "" ? s.news.resourceName : undefined;
  if (resourceName === undefined) return;
  if (!s.principalId || isUnknown(s.principalId)) return;
  let workspace: string | undefined;
  if (s.workspaceId !== undefined && !isUnknown(s.workspaceId)) workspace = `workspace ${s.workspaceId}`;
  else if (s.target.level === "workspace" && !isUnknown(s.target.host) && s.target.host !== "") {
    // On a unified host one host serves many workspaces: the routed workspace id tells them apart.
    const routed = s.target.hostWorkspaceId !== undefined && !isUnknown(s.target.hostWorkspaceId) ? ` (workspace ${s.target.hostWorkspaceId})` : "";
    workspace = `the workspace at ${s.target.host.replace(/\/+$/, "").toLowerCase()}${routed}`;
  }
  if (workspace === undefined) return;
  const other = workspaces.claim(s.kind, resourceName, [`${s.principalId}@${workspace}`]);
  if (other === undefined) return;
  const who = `principal ${s.principalId}`;
  c.fail(
    "principal",
    s.kind === "WorkspaceAssignment"
      ? `WorkspaceAssignment '${resourceName}' and WorkspaceAssignment '${other}' both assign ${who} to ${workspace}; each PUT ` +
          "replaces the other's permissions, so every update of one would undo the other. Keep one WorkspaceAssignment per " +
          'principal and workspace, with the permission it needs (["ADMIN"] includes USER).'
      : `WorkspaceEntitlements '${resourceName}' and WorkspaceEntitlements '${other}' both set the entitlements of ${who} in ` +
          `${workspace}; each enforces its exact list, so every update of one would undo the other. Keep one WorkspaceEntitlements ` +
          "per principal and workspace, with the two lists merged.",
  );
}
