// Identity federation: which account principals a federated workspace shows, kept in step with the account
// and the workspace's permission assignments, inside the same transaction as the write that changed them.
//
// Visible in a workspace (emulator/README.md "Workspaces and identity federation"): every directly assigned account principal, and every
// account member (transitively) of an assigned account group ("assigning a group gives all its members
// access"). Each visible principal has a workspace record with the account's id and `origin: "account"`:
// names, active and (for groups) members follow the account; entitlements and workspace roles are the
// workspace's own. A directly assigned principal is a member of `users`, and of `admins` when ADMIN (USER =
// member of `users`, ADMIN = member of `admins`); members of an assigned group get in through the group.
// A principal that is no longer visible disappears from the workspace (with its workspace-side data).
import { everyoneGroup, removeFromAllGroups } from "../groups";
import { KINDS, type AnyStored, type MemberRef, type ResourceType, type StoredGroup, type StoredServicePrincipal, type StoredUser } from "../model";
import { WORKSPACE_ADMINS_GROUP } from "../schemas";
import type { LevelTx, State, Tx } from "../store";

/** Bring every federated workspace the transaction may have affected in line with the account. */
export function syncFederation(state: State, tx: Tx, now: string): void {
  const account = tx.at("account");
  const accountTouched = account.touched().filter((t) => !tx.linked.has(t.id));
  for (const ws of state.workspaces.values()) {
    const id = ws.workspaceId as string;
    if (!state.isFederated(id)) continue;
    const wtx = tx.workspace(id);
    const affected =
      wtx.touchedAssignments().some((p) => !tx.linked.has(p)) ||
      tx.resync.has(id) ||
      accountTouched.some((t) => wtx.assignment(t.id) !== undefined || wtx.get(t.kind, t.id)?.origin === "account");
    if (affected) syncWorkspace(wtx, account, now);
  }
}

/** Everything one workspace must show, from its assignments and the account's groups. */
function visiblePrincipals(wtx: LevelTx, account: LevelTx): Map<string, ResourceType> {
  const visible = new Map<string, ResourceType>();
  const queue = wtx.assignmentEntries().map(([id]) => id);
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (visible.has(id)) continue;
    const kind = account.kindOf(id);
    if (!kind) continue;
    visible.set(id, kind);
    if (kind === "Groups") for (const m of (account.get("Groups", id) as StoredGroup).members) queue.push(m.value);
  }
  return visible;
}

function syncWorkspace(wtx: LevelTx, account: LevelTx, now: string): void {
  // An assignment outlives neither its account principal nor a principal the account no longer has.
  for (const [id] of wtx.assignmentEntries()) if (!account.kindOf(id)) wtx.setAssignment(id, undefined);
  const visible = visiblePrincipals(wtx, account);
  for (const kind of KINDS) {
    for (const obj of wtx.list(kind)) {
      if (obj.origin !== "account" || visible.get(obj.id) === kind) continue;
      wtx.remove(kind, obj.id);
      removeFromAllGroups(wtx, obj.id);
    }
  }
  const changed = new Set(wtx.touchedAssignments());
  for (const [id, kind] of visible) if (mirror(wtx, kind, account.get(kind, id) as AnyStored, now)) changed.add(id);
  // Access through the reserved groups follows the direct assignments, for the principals whose assignment
  // (or workspace record) is new: a workspace-side edit of `admins` is left alone until the assignment changes.
  const users = everyoneGroup(wtx);
  const admins = wtx.list("Groups").find((g) => g.displayName === WORKSPACE_ADMINS_GROUP && g.origin === undefined);
  for (const id of changed) {
    const kind = visible.get(id);
    if (!kind) continue;
    const permission = wtx.assignment(id);
    if (users) setMember(wtx, users.id, { value: id, kind }, permission !== undefined);
    if (admins) setMember(wtx, admins.id, { value: id, kind }, permission === "ADMIN");
  }
}

function setMember(wtx: LevelTx, groupId: string, ref: MemberRef, want: boolean): void {
  const g = wtx.get("Groups", groupId) as StoredGroup;
  const has = g.members.some((m) => m.value === ref.value);
  if (has === want) return;
  const copy = wtx.mutable("Groups", groupId) as StoredGroup;
  if (want) copy.members.push(ref);
  else copy.members = copy.members.filter((m) => m.value !== ref.value);
}

/**
 * The workspace record of an account principal: created when missing (→ true), account-owned fields
 * refreshed.
 */
function mirror(wtx: LevelTx, kind: ResourceType, src: AnyStored, now: string): boolean {
  const existing = wtx.get(kind, src.id);
  const wanted = accountOwned(kind, src);
  if (!existing) {
    const created = { ...structuredClone(src), entitlements: [], roles: [], origin: "account", created: now, lastModified: now } as AnyStored;
    wtx.put(kind, created);
    return true;
  }
  const current = accountOwned(kind, existing);
  if (JSON.stringify(current) === JSON.stringify(wanted)) return false;
  const copy = wtx.mutable(kind, src.id) as AnyStored;
  Object.assign(copy, structuredClone(wanted));
  for (const key of Object.keys(current)) if (!(key in wanted)) delete (copy as unknown as Record<string, unknown>)[key];
  copy.lastModified = now;
  return false;
}

/** The fields the account decides, in a fixed key order (so two images compare as JSON). */
export function accountOwned(kind: ResourceType, o: AnyStored): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, v: unknown) => {
    if (v !== undefined) out[key] = v;
  };
  put("externalId", o.externalId);
  if (kind === "Users") {
    const u = o as StoredUser;
    put("userName", u.userName);
    put("displayName", u.displayName);
    put("name", u.name);
    put("active", u.active);
    put("emails", u.emails);
  } else if (kind === "ServicePrincipals") {
    const sp = o as StoredServicePrincipal;
    put("applicationId", sp.applicationId);
    put("databricksManaged", sp.databricksManaged);
    put("displayName", sp.displayName);
    put("active", sp.active);
  } else {
    const g = o as StoredGroup;
    put("displayName", g.displayName);
    put("members", g.members);
  }
  return out;
}
