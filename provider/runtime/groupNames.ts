import type { GroupNames } from "../lifecycle/context";
import type { DeclaredGroup } from "../lifecycle/types";

/**
 * The ScimGroups the program declares in this run, by display name, collected by `check` in this provider
 * process (one process serves one engine operation): for the shadow-group rule (lifecycle/groupShadow.ts). An
 * account group and a workspace-level ScimGroup of the same name, in one program, make a workspace-local group
 * that shadows the account group in an identity-federated workspace; which of the two creates first used to
 * decide whether anything noticed. Here each side's check sees the other once the engine has checked it (the
 * program's own view, which needs no order at all, is resources/sameNameGroups.ts; this covers what only check
 * resolves, such as a level from stack config).
 *
 * Why the quiet wait: without a preview (`--skip-preview`, the Automation API), the engine runs a resource's
 * create as soon as its own check is done, while it still checks resources registered with it. A group create
 * therefore takes its last look only once no group has been checked for CHECK_QUIET_MS (at most
 * QUIET_WAIT_MAX_MS): the program's groups register in one burst, so the other side has been declared by then.
 * (At --parallel 1 the engine checks the next resource only once a create is done, so there this wait cannot help:
 * the program's declaration does.) A preview (`pulumi preview`, and `pulumi up`, which previews first) decides it
 * at check, with no timing at all.
 */

/** How long no group must have been checked before a group create takes its last look. */
export const CHECK_QUIET_MS = 200;
/** The longest a create waits for that quiet (it holds one of the engine's parallel slots meanwhile). */
export const QUIET_WAIT_MAX_MS = 2000;

/** Databricks compares group names without regard to case (SCIM `displayName` is not caseExact). */
function nameKey(displayName: string): string {
  return displayName.trim().toLowerCase();
}

/** One per provider session (./session.ts). */
export class DeclaredGroupNames implements GroupNames {
  /** Resource key → what it declared. */
  private readonly byKey = new Map<string, DeclaredGroup>();
  /** Lower-case display name → resource key → declaration. */
  private readonly byName = new Map<string, Map<string, DeclaredGroup>>();
  private lastCheckedAt = 0;

  declare(key: string, group: DeclaredGroup | undefined): void {
    this.lastCheckedAt = Date.now();
    const previous = this.byKey.get(key);
    if (previous) this.byName.get(nameKey(previous.displayName))?.delete(key);
    if (!group) {
      this.byKey.delete(key);
      return;
    }
    this.byKey.set(key, group);
    let named = this.byName.get(nameKey(group.displayName));
    if (!named) {
      named = new Map();
      this.byName.set(nameKey(group.displayName), named);
    }
    named.set(key, group);
  }

  named(displayName: string): DeclaredGroup[] {
    return [...(this.byName.get(nameKey(displayName))?.values() ?? [])];
  }

  async checksQuiet(quietMs = CHECK_QUIET_MS, maxMs = QUIET_WAIT_MAX_MS): Promise<void> {
    const until = Date.now() + maxMs;
    for (let wait = this.lastCheckedAt + quietMs - Date.now(); wait > 0 && Date.now() < until; wait = this.lastCheckedAt + quietMs - Date.now()) {
      await new Promise((r) => setTimeout(r, Math.min(wait, until - Date.now())));
    }
  }
}
