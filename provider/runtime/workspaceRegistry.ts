import type { TargetInputs } from "../lifecycle/types";

/**
 * What the program says about workspaces in this run, beyond memberships (those: ./membershipRegistry.ts),
 * collected by `check` in this provider process (one process serves one engine operation):
 *
 *  1. Claims: two WorkspaceAssignments of one principal to one workspace (or two WorkspaceEntitlements of one
 *     principal in one workspace) would each overwrite the other's PUT or PATCH on every update, silently.
 *     Each resource claims its keys at check; a key another resource holds is refused, naming both.
 *  2. Which workspace hosts use identity federation, so that a workspace-level ScimGroup create there asks
 *     the workspace's proxy of account SCIM whether the name is an account group's (README, "Workspaces and
 *     the account"). Known from the program (a workspace-level WorkspaceAssignment or WorkspaceEntitlements,
 *     or a ScimGroup with workspaceLocal: true, on that host) or from the host's own answers (an account group
 *     in its SCIM). Only then, so that workspaces without federation get no extra request per group.
 */

/** `<space>|<key>` → the resource that claimed it. */
const claims = new Map<string, string>();
/** Hosts of identity-federated workspaces, by `hostKey`. */
const federated = new Set<string>();
/** When check last ran for any resource (Date.now()): see `checksQuiet`. */
let lastCheckAt = 0;

/** How long check must have been quiet before a group create decides whether its host is federated. */
export const WORKSPACE_CHECK_QUIET_MS = 200;

function hostKey(target: TargetInputs): string {
  return target.host.trim().replace(/\/+$/, "").toLowerCase();
}

/**
 * Claims every key for `resourceName` in `space` (e.g. "WorkspaceAssignment"); returns the first other
 * resource holding one of them, else undefined. A second check of the same resource replaces nothing.
 */
export function claim(space: string, resourceName: string, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const holder = claims.get(`${space}|${key}`);
    if (holder !== undefined && holder !== resourceName) return holder;
  }
  for (const key of keys) claims.set(`${space}|${key}`, resourceName);
  return undefined;
}

export function noteFederated(target: TargetInputs): void {
  if (target.level === "workspace" && target.host !== "") federated.add(hostKey(target));
}

export function isKnownFederated(target: TargetInputs): boolean {
  return target.level === "workspace" && federated.has(hostKey(target));
}

/** Called for every check, of every kind. */
export function noteCheck(): void {
  lastCheckAt = Date.now();
}

/**
 * Resolves once no resource has been checked for `quietMs`: the engine creates a resource while it is still
 * checking the ones the program registers after it, and those may be what tells that a host is federated.
 */
export async function checksQuiet(quietMs = WORKSPACE_CHECK_QUIET_MS): Promise<void> {
  for (let wait = lastCheckAt + quietMs - Date.now(); wait > 0; wait = lastCheckAt + quietMs - Date.now()) {
    await new Promise((r) => setTimeout(r, wait));
  }
}

export function resetWorkspaceRegistry(): void {
  claims.clear();
  federated.clear();
  lastCheckAt = 0;
}
