// URL → permission-assignment route (emulator/README.md "Workspaces and identity federation"):
//  account: /api/2.0/accounts/{account_id}/workspaces/{workspace_id}/permissionassignments
//           [/permissions | /principals/{principal_id}]
//  workspace: /api/2.0/preview/permissionassignments[/principals/{principal_id}]
import type { Level } from "../model";

export interface AssignmentRoute {
  level: Level;
  accountId?: string;
  /** From the path (account level); the workspace level uses its host's. */
  workspaceId?: string;
  /** "list" = the collection, "principal" = one principal's assignment, "permissions" = the levels. */
  target: "list" | "principal" | "permissions";
  principalId?: string;
}

const ACCOUNT = /^\/api\/2\.0\/accounts\/([^/]+)\/workspaces\/([^/]+)\/permissionassignments(?:\/(permissions)|\/principals\/([^/]+))?\/?$/;
const WORKSPACE = /^\/api\/2\.0\/preview\/permissionassignments(?:\/principals\/([^/]+))?\/?$/;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function matchAssignmentRoute(path: string): AssignmentRoute | undefined {
  const a = ACCOUNT.exec(path);
  if (a) {
    const route: AssignmentRoute = {
      level: "account",
      accountId: decode(a[1] as string),
      workspaceId: decode(a[2] as string),
      target: a[3] ? "permissions" : a[4] ? "principal" : "list",
    };
    if (a[4]) route.principalId = decode(a[4]);
    return route;
  }
  const w = WORKSPACE.exec(path);
  if (w) {
    const route: AssignmentRoute = { level: "workspace", target: w[1] ? "principal" : "list" };
    if (w[1]) route.principalId = decode(w[1]);
    return route;
  }
  return undefined;
}
