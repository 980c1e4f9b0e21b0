import { type Checker, isUnknown } from "./check";
import type { GroupNames } from "./context";
import type { DeclaredGroup, TargetInputs } from "./types";

/**
 * The shadow-group rule across one program: an account group and a workspace-level ScimGroup of the same name.
 * On an identity-federated workspace (every workspace made since November 2023), workspace SCIM's POST /Groups
 * makes a *workspace-local* group, never the account group: a second group of that name, which Unity Catalog
 * grants and other workspaces cannot use, with none of the account group's members. The program almost always
 * meant the account group there (the most reported confusion with identity federation).
 *
 * Decided at check, so a preview refuses it every run, whichever of the two the engine checks first: each
 * ScimGroup registers the same-named groups of the program at the other level (resources/sameNameGroups.ts,
 * when the program gives names and levels as plain values), and each check also compares what this run's checks
 * declared (runtime/groupNames.ts, for a level from stack config). Both sides say the same message (workspace
 * group first, account group second). Check makes no call, so whether the workspace is federated is not known
 * here; a program that declares account groups uses identity federation, and `workspaceLocal: true` says a local
 * group of that name is meant. Create looks once more (after the checks of the program's burst of groups have
 * come in) for runs without a preview. An account group made elsewhere (by another stack, or in the console) is
 * found at create, through the workspace's proxy of account SCIM (./group.ts `unassignedAccountGroup`), as before.
 */

/** What a group's check knows of it: its target, its name, and whether it was asked to be workspace-local. */
export interface ShadowSubject extends TargetInputs {
  displayName: string;
  workspaceLocal?: true;
}

/** The group as the rule sees it; undefined when it cannot shadow or be shadowed, or is not known yet. */
export function declaredGroupOf(resourceName: string, g: ShadowSubject): DeclaredGroup | undefined {
  if (isUnknown(g.level) || isUnknown(g.displayName) || g.displayName.trim() === "") return undefined;
  if (g.level === "workspace" && g.workspaceLocal) return undefined;
  return {
    resourceName,
    level: g.level,
    host: g.host,
    ...(g.accountId !== undefined && !isUnknown(g.accountId) ? { accountId: g.accountId } : {}),
    displayName: g.displayName,
  };
}

/** An account id that is absent (a workspace target rarely has one) matches any account. */
function sameAccount(a: DeclaredGroup, b: DeclaredGroup): boolean {
  return a.accountId === undefined || b.accountId === undefined || a.accountId === b.accountId;
}

/** The first declared group of the other level that `self` shadows or is shadowed by, as the pair. */
export function shadowOf(self: DeclaredGroup, declared: readonly DeclaredGroup[]): { workspace: DeclaredGroup; account: DeclaredGroup } | undefined {
  for (const other of declared) {
    if (other.level === self.level || !sameAccount(self, other)) continue;
    return self.level === "workspace" ? { workspace: self, account: other } : { workspace: other, account: self };
  }
  return undefined;
}

/**
 * Without the "displayName: " prefix. The same text whichever side reports it, and whether the program's
 * declaration or this run's checks found the pair (so it names resources, not hosts or accounts).
 */
export function shadowMessage(workspaceGroup: string, accountGroup: string, displayName: string): string {
  const ws = `ScimGroup '${workspaceGroup}'`;
  const acct = `ScimGroup '${accountGroup}'`;
  return (
    `${ws} (workspace level) and ${acct} (account level) are both named '${displayName}'. ` +
    "In an identity-federated workspace, a workspace-level ScimGroup is a separate workspace-local group of that name, " +
    "which shadows the account group there: Unity Catalog grants and other workspaces cannot use it, and the account " +
    `group's members are not in it. Use the account group there instead: remove ${ws}, and give ${acct} access to the ` +
    "workspace with WorkspaceAssignment (and its entitlements there with WorkspaceEntitlements). To make a workspace-local " +
    `group on purpose, set workspaceLocal: true on ${ws} (and give it another name, if the account group is assigned to that workspace).`
  );
}

/** The pair's message, the workspace group first. */
function pairMessage(self: DeclaredGroup, other: string): string {
  return self.level === "workspace" ? shadowMessage(self.resourceName, other, self.displayName) : shadowMessage(other, self.resourceName, self.displayName);
}

/** What the ScimGroup class registers for the rule (resources/sameNameGroups.ts), as far as it is there. */
function declarationOf(news: Record<string, unknown>): { resourceName?: string; otherLevel: string[] } {
  const d = news.declaration;
  if (typeof d !== "object" || d === null) return { otherLevel: [] };
  const { resourceName, otherLevel } = d as { resourceName?: unknown; otherLevel?: unknown };
  return {
    ...(typeof resourceName === "string" && resourceName !== "" ? { resourceName } : {}),
    otherLevel: Array.isArray(otherLevel) ? otherLevel.filter((n): n is string => typeof n === "string") : [],
  };
}

function keyOf(resourceName: string, t: TargetInputs): string {
  return `${resourceName}|${t.level}|${t.host}|${t.accountId ?? ""}`;
}

/**
 * Check: declares the group, and refuses it on `displayName` when its counterpart is declared: by the program
 * (its `declaration`, which lists same-named groups at the other level whatever the engine's order), or by
 * another check of this run (a level or name the program did not give as a plain value). `declaration` is
 * passed by the ScimGroup class for this only (not kept in inputs); without it (a caller other than the
 * class) nothing is declared. `localUnknown`: workspaceLocal is an output not known yet.
 */
export function shadowInCheck(names: GroupNames, c: Checker, news: Record<string, unknown>, g: ShadowSubject, localUnknown = false): void {
  const declaration = declarationOf(news);
  const resourceName = declaration.resourceName;
  if (resourceName === undefined) return;
  const key = keyOf(resourceName, g);
  const self = c.failures.length > 0 || localUnknown ? undefined : declaredGroupOf(resourceName, g);
  names.declare(key, self);
  if (!self) return;
  const declared = declaration.otherLevel[0];
  if (declared !== undefined) {
    c.fail("displayName", pairMessage(self, declared));
    return;
  }
  const pair = shadowOf(self, names.named(self.displayName));
  if (pair) c.fail("displayName", pairMessage(self, self.level === "workspace" ? pair.account.resourceName : pair.workspace.resourceName));
}

/**
 * Create: the same rule, for a run without a preview (`--skip-preview`, the Automation API), where the other
 * side's check may come in after this create started. Looks at once, and again once the program's group checks
 * are quiet; what to say about displayName (the caller's error adds the field) before anything is sent, or undefined.
 */
export async function shadowAtCreate(names: GroupNames, g: ShadowSubject): Promise<string | undefined> {
  const probe = declaredGroupOf("(this resource)", g);
  if (!probe) return undefined;
  const look = (): string | undefined => {
    const all = names.named(probe.displayName);
    // Create does not get the resource's name: its own declaration (same target and name) has it.
    const self = all.find((d) => d.level === probe.level && d.host === probe.host && d.accountId === probe.accountId) ?? probe;
    const pair = shadowOf(self, all);
    return pair ? pairMessage(self, self.level === "workspace" ? pair.account.resourceName : pair.workspace.resourceName) : undefined;
  };
  const now = look();
  if (now !== undefined) return now;
  await names.checksQuiet();
  return look();
}
