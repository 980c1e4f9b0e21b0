// Membership edits shared by POST, PUT, PATCH and DELETE.
import { invalidValue, ScimError } from "./errors";
import { newNumericId } from "./ids";
import type { MemberRef, ResourceType, StoredGroup } from "./model";
import { ACCOUNT_USERS_GROUP, WORKSPACE_ADMINS_GROUP, WORKSPACE_USERS_GROUP } from "./schemas";
import type { LevelTx, State } from "./store";

export function reservedGroupNames(level: "workspace" | "account"): string[] {
  return level === "workspace" ? [WORKSPACE_ADMINS_GROUP, WORKSPACE_USERS_GROUP] : [ACCOUNT_USERS_GROUP];
}

/** The group everyone is in: `users` in a workspace, `account users` in the account. */
export function everyoneGroup(tx: LevelTx): StoredGroup | undefined {
  const name = tx.level === "workspace" ? WORKSPACE_USERS_GROUP : ACCOUNT_USERS_GROUP;
  return tx.list("Groups").find((g) => g.displayName === name);
}

export function isReservedGroup(g: StoredGroup, level: "workspace" | "account"): boolean {
  return reservedGroupNames(level).includes(g.displayName);
}

/** (U) No observed text for touching a reserved group; 400 so clients never mistake it for "gone" (404). */
export function reservedGroupError(name: string): ScimError {
  return invalidValue(`Group ${name} is a reserved system group and cannot be deleted or renamed.`);
}

export function findGroupByName(tx: LevelTx, displayName: string, exceptId?: string): StoredGroup | undefined {
  const lower = displayName.toLowerCase();
  return tx.list("Groups").find((g) => g.id !== exceptId && g.displayName.toLowerCase() === lower);
}

/** Fresh id unique across both levels (a propagated user keeps one id in both, see writes.ts). */
export function freshId(state: State, tx: { at(l: "workspace" | "account"): LevelTx }): string {
  for (;;) {
    const id = newNumericId();
    if (!state.idInUse(id) && !tx.at("workspace").kindOf(id) && !tx.at("account").kindOf(id)) return id;
  }
}

/**
 * Resolve member ids to typed refs. An unknown id is an error; which error is the caller's choice (`onUnknown`),
 * because PATCH uses Databricks' observed generic patch text while POST/PUT say which id was wrong.
 */
export function resolveMembers(tx: LevelTx, groupId: string, values: (string | undefined)[], onUnknown: (id: string) => ScimError): MemberRef[] {
  const out: MemberRef[] = [];
  for (const value of values) {
    if (value === undefined || value === "") throw onUnknown(String(value));
    const kind: ResourceType | undefined = tx.kindOf(value);
    if (!kind || value === groupId) throw onUnknown(value);
    if (!out.some((m) => m.value === value)) out.push({ value, kind });
  }
  return out;
}

export function addMembers(g: StoredGroup, refs: MemberRef[]): void {
  for (const r of refs) if (!g.members.some((m) => m.value === r.value)) g.members.push(r);
}

/**
 * Make `principalId` a direct member of exactly `groupIds` (PUT/POST `groups`), keeping it in `keep` groups
 * (the everyone-group, which Databricks does not let you leave).
 */
export function setDirectParents(tx: LevelTx, principalId: string, kind: ResourceType, groupIds: string[], keep: Set<string>): void {
  for (const id of groupIds) {
    if (!tx.get("Groups", id) || id === principalId) throw invalidValue(`Group with id ${id} not found.`);
  }
  for (const g of tx.list("Groups")) {
    const contains = g.members.some((m) => m.value === principalId);
    const want = groupIds.includes(g.id) || (contains && keep.has(g.id));
    if (contains === want) continue;
    const copy = tx.mutable("Groups", g.id) as StoredGroup;
    if (want) copy.members.push({ value: principalId, kind });
    else copy.members = copy.members.filter((m) => m.value !== principalId);
  }
}

/** Deleting a principal removes it from every group's members. */
export function removeFromAllGroups(tx: LevelTx, principalId: string): void {
  for (const g of tx.list("Groups")) {
    if (!g.members.some((m) => m.value === principalId)) continue;
    const copy = tx.mutable("Groups", g.id) as StoredGroup;
    copy.members = copy.members.filter((m) => m.value !== principalId);
  }
}
