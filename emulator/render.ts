// Stored record → wire JSON, per level. Empty lists are omitted, as Databricks does (which is also
// why removing entitlements from a resource without any answers "No such attribute …").
import type { ScimGroup, ScimServicePrincipal, ScimUser } from "../provider/client/types";
import type { ComplexValue, JsonObject, ResourceType, StoredGroup, StoredServicePrincipal, StoredUser } from "./model";
import { buildParentIndex, renderGroupEdges, transitiveGroups, type ParentIndex } from "./membership";
import { URN_GROUP, URN_SERVICE_PRINCIPAL, URN_USER, URN_USER_WORKSPACE_EXT } from "./schemas";
import type { LevelView } from "./store";

/**
 * Derived lookups for rendering over one view of a level. Committed state passes its incrementally maintained
 * parent index; any other view (none today) gets one built lazily from its groups.
 */
export class RenderContext {
  private index: ParentIndex | undefined;

  constructor(
    readonly view: LevelView,
    parents?: ParentIndex,
  ) {
    this.index = parents;
  }

  get parents(): ParentIndex {
    this.index ??= buildParentIndex(this.view);
    return this.index;
  }
}

function copyList(list: ComplexValue[]): ComplexValue[] {
  return list.map((v) => ({ ...v }));
}

function entitlementsWire(values: string[]): ComplexValue[] {
  return values.map((value) => ({ value }));
}

export function renderUser(u: StoredUser, ctx: RenderContext): ScimUser {
  const ws = ctx.view.level === "workspace";
  const out: ScimUser = {
    schemas: ws ? [URN_USER, URN_USER_WORKSPACE_EXT] : [URN_USER],
    id: u.id,
    userName: u.userName,
  };
  if (u.displayName !== undefined) out.displayName = u.displayName;
  if (u.name && (u.name.givenName !== undefined || u.name.familyName !== undefined)) out.name = { ...u.name };
  out.active = u.active;
  if (u.emails.length > 0) out.emails = copyList(u.emails);
  if (u.externalId !== undefined) out.externalId = u.externalId;
  if (u.roles.length > 0) out.roles = copyList(u.roles);
  if (ws) {
    // Account users have neither entitlements nor groups (Databricks Go SDK account models).
    if (u.entitlements.length > 0) out.entitlements = entitlementsWire(u.entitlements);
    const groups = renderGroupEdges(transitiveGroups(u.id, ctx.parents), ctx.view);
    if (groups.length > 0) out.groups = groups;
  }
  return out;
}

function memberDisplay(kind: ResourceType, id: string, view: LevelView): string | undefined {
  if (kind === "Users") {
    const u = view.get("Users", id);
    return u ? (u.displayName ?? u.userName) : undefined;
  }
  if (kind === "Groups") return view.get("Groups", id)?.displayName;
  const sp = view.get("ServicePrincipals", id);
  return sp ? (sp.displayName ?? sp.applicationId) : undefined;
}

export function renderGroup(g: StoredGroup, ctx: RenderContext, includeMembers = true): ScimGroup {
  const ws = ctx.view.level === "workspace";
  const out: ScimGroup = { schemas: [URN_GROUP], id: g.id, displayName: g.displayName };
  if (includeMembers && g.members.length > 0) {
    out.members = g.members.map((m) => {
      const v: ComplexValue = { value: m.value, $ref: `${m.kind}/${m.value}` };
      const display = memberDisplay(m.kind, m.value, ctx.view);
      if (display !== undefined) v.display = display;
      return v;
    });
  }
  if (g.externalId !== undefined) out.externalId = g.externalId;
  if (g.roles.length > 0) out.roles = copyList(g.roles);
  if (ws) {
    if (g.entitlements.length > 0) out.entitlements = entitlementsWire(g.entitlements);
    const groups = renderGroupEdges(transitiveGroups(g.id, ctx.parents), ctx.view);
    if (groups.length > 0) out.groups = groups;
    // Account groups seen in a (federated) workspace are "Group", workspace-local ones "WorkspaceGroup"
    // (UCX and the Terraform exporter tell them apart by this).
    out.meta = { resourceType: g.origin === "account" ? "Group" : "WorkspaceGroup" };
  }
  // Account groups: no meta, no groups, no account_id (O UCX #3796 real account group GET).
  return out;
}

export function renderServicePrincipal(sp: StoredServicePrincipal, ctx: RenderContext): ScimServicePrincipal {
  const ws = ctx.view.level === "workspace";
  const out: ScimServicePrincipal = { schemas: [URN_SERVICE_PRINCIPAL], id: sp.id, applicationId: sp.applicationId };
  if (sp.displayName !== undefined) out.displayName = sp.displayName;
  out.active = sp.active;
  if (sp.externalId !== undefined) out.externalId = sp.externalId;
  if (sp.roles.length > 0) out.roles = copyList(sp.roles);
  if (ws) {
    if (sp.entitlements.length > 0) out.entitlements = entitlementsWire(sp.entitlements);
    const groups = renderGroupEdges(transitiveGroups(sp.id, ctx.parents), ctx.view);
    if (groups.length > 0) out.groups = groups;
  }
  return out;
}

export function renderAny(kind: ResourceType, id: string, ctx: RenderContext, includeMembers = true): JsonObject | undefined {
  if (kind === "Users") {
    const u = ctx.view.get("Users", id);
    return u ? (renderUser(u, ctx) as JsonObject) : undefined;
  }
  if (kind === "Groups") {
    const g = ctx.view.get("Groups", id);
    return g ? (renderGroup(g, ctx, includeMembers) as JsonObject) : undefined;
  }
  const sp = ctx.view.get("ServicePrincipals", id);
  return sp ? (renderServicePrincipal(sp, ctx) as JsonObject) : undefined;
}
