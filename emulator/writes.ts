// POST (create), PUT (replace) and DELETE for the three resource kinds, at either level.
import type { WriteContext } from "./context";
import { conflict, conflictTexts, invalidValue, notFound, ScimError } from "./errors";
import { everyoneGroup, findGroupByName, freshId, isReservedGroup, removeFromAllGroups, reservedGroupError, resolveMembers, setDirectParents } from "./groups";
import { newUuid } from "./ids";
import type { ComplexValue, JsonObject, ResourceType, StoredGroup, StoredServicePrincipal, StoredUser } from "./model";
import type { LevelTx } from "./store";
import { accountEntitlementsError, complexList, entitlementValues, field, optBoolean, optName, optString, requireObject, roleValues } from "./validate";

/** POST/PUT member ids that do not exist: say which (spec gives no text; (U), 400 so no client reads "gone"). */
function unknownMemberOnWrite(id: string): ScimError {
  return invalidValue(`Member with id ${id} not found.`);
}

interface ListField<T> {
  present: boolean;
  value: T;
}

function listField<T>(obj: JsonObject, name: string, read: (v: unknown) => T, empty: T): ListField<T> {
  const f = field(obj, name);
  if (!f.has || f.value === null) return { present: false, value: empty };
  return { present: true, value: read(f.value) };
}

function readEntitlements(ctx: WriteContext, obj: JsonObject): ListField<string[]> {
  const f = listField(obj, "entitlements", (v) => entitlementValues(complexList(v), ctx.behaviour.strictEntitlements), []);
  if (ctx.level === "account" && f.value.length > 0) throw accountEntitlementsError("invalidValue");
  return f;
}

function readRoles(obj: JsonObject): ListField<ComplexValue[]> {
  return listField(obj, "roles", (v) => roleValues(complexList(v)), []);
}

/** Direct parent group ids from a `groups` list; "indirect" entries echo derived data and are skipped (U). */
function readParentGroups(obj: JsonObject): ListField<string[]> {
  return listField(
    obj,
    "groups",
    (v) =>
      complexList(v)
        .filter((g) => g.type !== "indirect")
        .map((g) => {
          if (!g.value) throw invalidValue("Group reference without a value.");
          return g.value;
        }),
    [],
  );
}

/** Workspace objects join `users`, account objects `account users` (switchable, see options.ts). */
function joinEveryoneGroup(ctx: WriteContext, tx: LevelTx, id: string, kind: ResourceType): void {
  if (!ctx.behaviour.autoAddToUsersGroup) return;
  const g = everyoneGroup(tx);
  if (!g) return;
  // The principal is new, so no group lists it yet: append without addMembers' duplicate scan, which is
  // O(members) and this group holds everyone.
  (tx.mutable("Groups", g.id) as StoredGroup).members.push({ value: id, kind });
}

function keepSet(ctx: WriteContext, tx: LevelTx): Set<string> {
  const g = ctx.behaviour.autoAddToUsersGroup ? everyoneGroup(tx) : undefined;
  return new Set(g ? [g.id] : []);
}

function userConflict(ctx: WriteContext, userName: string): ScimError {
  return conflict(
    ctx.level === "workspace" ? conflictTexts.workspaceUser(userName) : conflictTexts.accountUser(userName, ctx.behaviour.accountUserConflictNote),
  );
}

// ---------------------------------------------------------------- create

export function createUser(ctx: WriteContext, body: unknown): string {
  const obj = requireObject(body);
  const tx = ctx.tx.at(ctx.level);
  const given = optString(obj, "userName");
  if (!given || given.trim() === "") throw invalidValue("userName is required.");
  const userName = given.toLowerCase();
  if (tx.userByName(userName)) throw userConflict(ctx, given);
  const entitlements = readEntitlements(ctx, obj);
  const roles = readRoles(obj);
  const groups = ctx.level === "workspace" ? readParentGroups(obj) : { present: false, value: [] };
  let emails = complexList(field(obj, "emails").value);
  // (U) Databricks shows the userName as the primary work email when none is given.
  if (emails.length === 0) emails = [{ type: "work", value: userName, primary: true }];

  // A workspace user is also an account user (documented). If the account already knows this userName the
  // workspace user is that same identity and keeps its id, as with identity federation.
  const account = ctx.tx.at("account");
  const accountTwin = account.userByName(userName);
  const id = ctx.level === "workspace" && accountTwin ? accountTwin.id : freshId(ctx.state, ctx.tx);
  const federated = isFederatedWorkspace(ctx);

  const user: StoredUser = {
    id,
    userName,
    active: optBoolean(obj, "active") ?? true, // (U) active defaults to true
    emails,
    entitlements: entitlements.value,
    roles: roles.value,
    created: ctx.now,
    lastModified: ctx.now,
  };
  const displayName = optString(obj, "displayName");
  if (displayName !== undefined) user.displayName = displayName;
  const name = optName(obj);
  if (name) user.name = name;
  const externalId = optString(obj, "externalId");
  if (externalId !== undefined) user.externalId = externalId;
  if (federated) user.origin = "account";
  tx.put("Users", user);
  joinEveryoneGroup(ctx, tx, id, "Users");
  if (groups.value.length > 0) setDirectParents(tx, id, "Users", groups.value, new Set([...keepSet(ctx, tx)]));

  // Federated workspaces always create (or link) the account user; others as the switch says.
  if (ctx.level === "workspace" && (federated || ctx.behaviour.propagateWorkspaceUsersToAccount) && !accountTwin) {
    const { origin: _origin, ...fields } = structuredClone(user);
    account.put("Users", { ...fields, entitlements: [], roles: [] });
    joinEveryoneGroup({ ...ctx, level: "account" }, account, id, "Users");
  }
  if (federated) linkedInWorkspace(ctx, tx, id);
  return id;
}

/** Identity federation is on for the workspace this write is about. */
function isFederatedWorkspace(ctx: WriteContext): boolean {
  return ctx.level === "workspace" && ctx.state.isFederated(ctx.tx.workspaceId);
}

/**
 * A principal created through workspace SCIM on a federated workspace is assigned to it (spec: added to the
 * account and assigned to the workspace) and already mirrored, so the federation sync need not look at it.
 */
function linkedInWorkspace(ctx: WriteContext, tx: LevelTx, id: string): void {
  if (tx.assignment(id) === undefined) tx.setAssignment(id, "USER");
  ctx.tx.linked.add(id);
}

export function createGroup(ctx: WriteContext, body: unknown): string {
  const obj = requireObject(body);
  const tx = ctx.tx.at(ctx.level);
  const displayName = optString(obj, "displayName");
  if (!displayName || displayName.trim() === "") throw invalidValue("displayName is required.");
  if (findGroupByName(tx, displayName)) throw conflict(conflictTexts.group(displayName));
  const entitlements = readEntitlements(ctx, obj);
  const roles = readRoles(obj);
  const parents = ctx.level === "workspace" ? readParentGroups(obj) : { present: false, value: [] };
  const id = freshId(ctx.state, ctx.tx);
  const memberValues = complexList(field(obj, "members").value).map((m) => m.value);
  const group: StoredGroup = {
    id,
    displayName,
    members: resolveMembers(tx, id, memberValues, unknownMemberOnWrite),
    entitlements: entitlements.value,
    roles: roles.value,
    created: ctx.now,
    lastModified: ctx.now,
  };
  const externalId = optString(obj, "externalId");
  if (externalId !== undefined) group.externalId = externalId;
  tx.put("Groups", group);
  if (parents.value.length > 0) setDirectParents(tx, id, "Groups", parents.value, new Set());
  return id;
}

export function createServicePrincipal(ctx: WriteContext, body: unknown): string {
  const obj = requireObject(body);
  const tx = ctx.tx.at(ctx.level);
  const supplied = optString(obj, "applicationId");
  const displayName = optString(obj, "displayName");
  let applicationId: string;
  if (ctx.cloud === "azure" && supplied !== undefined) {
    // Azure, Entra ID-managed: the client supplies the Entra application id; displayName optional.
    if (supplied.trim() === "") {
      throw invalidValue("applicationId must not be empty: give the Entra application id, or omit it for a Databricks-managed service principal.");
    }
    applicationId = supplied;
  } else {
    // Databricks-managed (every cloud, Azure included when no applicationId is given): the server generates the
    // application id and displayName is required. On AWS/GCP the client may not set one; refusing is the safer reading.
    if (supplied !== undefined) throw invalidValue("applicationId cannot be set; it is generated by Databricks.");
    if (!displayName || displayName.trim() === "") throw invalidValue("displayName is required for a Databricks-managed service principal.");
    applicationId = newUuid();
  }
  const databricksManaged = supplied === undefined;
  const lowerApp = applicationId.toLowerCase();
  const sameApp = (sp: StoredServicePrincipal) => sp.applicationId.toLowerCase() === lowerApp;
  if (tx.list("ServicePrincipals").some(sameApp)) {
    throw conflict(
      ctx.level === "account" && ctx.behaviour.accountServicePrincipalConflictText === "user"
        ? conflictTexts.accountUser(applicationId, ctx.behaviour.accountUserConflictNote)
        : conflictTexts.servicePrincipal(applicationId),
    );
  }
  const entitlements = readEntitlements(ctx, obj);
  const roles = readRoles(obj);
  const groups = ctx.level === "workspace" ? readParentGroups(obj) : { present: false, value: [] };
  // On a federated workspace the service principal is the account's: linked by applicationId when the account
  // has it, else created there too with the same id (one applicationId, one principal, in the whole account).
  const federated = isFederatedWorkspace(ctx);
  const account = ctx.tx.at("account");
  const accountTwin = federated ? account.list("ServicePrincipals").find(sameApp) : undefined;
  const id = accountTwin ? accountTwin.id : freshId(ctx.state, ctx.tx);
  const sp: StoredServicePrincipal = {
    id,
    applicationId,
    ...(databricksManaged ? { databricksManaged: true as const } : {}),
    active: optBoolean(obj, "active") ?? true,
    entitlements: entitlements.value,
    roles: roles.value,
    created: ctx.now,
    lastModified: ctx.now,
  };
  if (displayName !== undefined) sp.displayName = displayName;
  const externalId = optString(obj, "externalId");
  if (externalId !== undefined) sp.externalId = externalId;
  if (federated) sp.origin = "account";
  tx.put("ServicePrincipals", sp);
  joinEveryoneGroup(ctx, tx, id, "ServicePrincipals");
  if (groups.value.length > 0) setDirectParents(tx, id, "ServicePrincipals", groups.value, keepSet(ctx, tx));
  if (federated) {
    if (accountTwin) {
      sp.applicationId = accountTwin.applicationId;
    } else {
      const { origin: _origin, ...fields } = structuredClone(sp);
      account.put("ServicePrincipals", { ...fields, entitlements: [], roles: [] });
      joinEveryoneGroup({ ...ctx, level: "account" }, account, id, "ServicePrincipals");
    }
    linkedInWorkspace(ctx, tx, id);
  }
  return id;
}

// ---------------------------------------------------------------- replace (PUT)

/** Only an Entra ID-managed SP (Azure, client-supplied applicationId) may have no displayName. */
export function displayNameRequired(ctx: WriteContext, sp: StoredServicePrincipal): boolean {
  return ctx.cloud !== "azure" || sp.databricksManaged === true;
}

/**
 * PUT replaces the resource. Read-only and immutable attributes (id, userName, emails,
 * applicationId on AWS/GCP) are ignored when equal; a different applicationId is a 400 mutability.
 * Omitted lists are cleared when `putOmittedListsClear` (default), forcing clients to read-modify-write.
 */
export function replaceResource(ctx: WriteContext, kind: ResourceType, id: string, body: unknown): void {
  const obj = requireObject(body);
  const tx = ctx.tx.at(ctx.level);
  const clear = ctx.behaviour.putOmittedListsClear;
  const existing = tx.mutable(kind, id);
  if (!existing) throw notFound(kind, id);
  const entitlements = readEntitlements(ctx, obj);
  const roles = readRoles(obj);
  if (entitlements.present || clear) existing.entitlements = entitlements.value;
  if (roles.present || clear) existing.roles = roles.value;
  const externalId = optString(obj, "externalId");
  if (externalId !== undefined) existing.externalId = externalId;
  else delete existing.externalId;
  existing.lastModified = ctx.now;

  if (kind === "Users" || kind === "ServicePrincipals") {
    const p = existing as StoredUser | StoredServicePrincipal;
    p.active = optBoolean(obj, "active") ?? true; // (U) full replace: omitted active = default true
    const displayName = optString(obj, "displayName");
    if (displayName !== undefined) p.displayName = displayName;
    else if (kind === "Users") delete p.displayName;
    else if (displayNameRequired(ctx, p as StoredServicePrincipal)) throw invalidValue("displayName is required.");
    else delete p.displayName;
    if (kind === "Users") {
      // userName and emails are immutable here and silently ignored (documented).
      const name = optName(obj);
      if (name) (p as StoredUser).name = name;
      else delete (p as StoredUser).name;
    } else {
      const app = optString(obj, "applicationId");
      const sp = p as StoredServicePrincipal;
      if (app !== undefined && app.toLowerCase() !== sp.applicationId.toLowerCase()) {
        throw new ScimError(400, "Attribute applicationId is immutable.", "mutability");
      }
    }
    if (ctx.level === "workspace") {
      const groups = readParentGroups(obj);
      if (groups.present || clear) setDirectParents(tx, id, kind, groups.value, keepSet(ctx, tx));
    }
    return;
  }

  const g = existing as StoredGroup;
  const displayName = optString(obj, "displayName");
  if (!displayName || displayName.trim() === "") throw invalidValue("displayName is required.");
  renameGroup(ctx, tx, g, displayName);
  const members = listField(obj, "members", (v) => complexList(v).map((m) => m.value), []);
  if (members.present || clear) g.members = resolveMembers(tx, id, members.value, unknownMemberOnWrite);
  if (ctx.level === "workspace") {
    const parents = readParentGroups(obj);
    if (parents.present || clear) setDirectParents(tx, id, "Groups", parents.value, new Set());
  }
}

/** Rename with the uniqueness (409) and reserved-group checks; shared by PUT and PATCH. */
export function renameGroup(ctx: WriteContext, tx: LevelTx, g: StoredGroup, displayName: string): void {
  if (displayName === g.displayName) return;
  if (isReservedGroup(g, ctx.level)) throw reservedGroupError(g.displayName);
  if (findGroupByName(tx, displayName, g.id)) throw conflict(conflictTexts.group(displayName));
  g.displayName = displayName;
}

// ---------------------------------------------------------------- delete

/** DELETE removes the object and every membership of it; workspace deletes do not touch the account. */
export function deleteResource(ctx: WriteContext, kind: ResourceType, id: string): void {
  const tx = ctx.tx.at(ctx.level);
  const existing = tx.get(kind, id);
  if (!existing) throw notFound(kind, id);
  if (kind === "Groups" && isReservedGroup(existing as StoredGroup, ctx.level)) {
    throw reservedGroupError((existing as StoredGroup).displayName);
  }
  tx.remove(kind, id);
  removeFromAllGroups(tx, id);
  // Federated: removes the principal from this workspace only (its assignment), never from the account.
  if (existing.origin === "account") {
    if (tx.assignment(id) !== undefined) tx.setAssignment(id, undefined);
    ctx.tx.resync.add(ctx.tx.workspaceId);
  }
}
