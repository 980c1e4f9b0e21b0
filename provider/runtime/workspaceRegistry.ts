import type { WorkspaceRegistry } from "../lifecycle/context";

/**
 * What the program says about workspaces in this run, beyond memberships (those: ./membershipRegistry.ts),
 * collected by `check` in this provider process (one process serves one engine operation): two
 * WorkspaceAssignments of one principal to one workspace (or two WorkspaceEntitlements of one principal in one
 * workspace) would each overwrite the other's PUT or PATCH on every update, silently. Each resource claims its
 * keys at check; a key another resource holds is refused, naming both (lifecycle/workspaceClaims.ts).
 * Whether a workspace is identity-federated is not kept here: its host's answers tell, per client
 * (client/accountGroupsProxy.ts).
 */

/** One per provider session (./session.ts). */
export class WorkspaceClaims implements WorkspaceRegistry {
  /** `<space>|<key>` → the resource that claimed it. */
  private readonly claims = new Map<string, string>();

  /**
   * Claims every key for `resourceName` in `space` (e.g. "WorkspaceAssignment"); returns the first other
   * resource holding one of them, else undefined. A second check of the same resource replaces nothing.
   */
  claim(space: string, resourceName: string, keys: readonly string[]): string | undefined {
    for (const key of keys) {
      const holder = this.claims.get(`${space}|${key}`);
      if (holder !== undefined && holder !== resourceName) return holder;
    }
    for (const key of keys) this.claims.set(`${space}|${key}`, resourceName);
    return undefined;
  }
}
