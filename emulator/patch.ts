// PATCH (RFC 7644 §3.5.2) with the Databricks rules on top.
//
// Why not scim-patch: we measured it (0.8.3) against the Databricks forms — it stores `active:[{"value":"false"}]`
// literally and throws its own error where Databricks answers 400 invalidPath for entitlements — and every
// attribute Databricks supports needs a rule of its own anyway (membership checks, group rename uniqueness,
// immutable userName/emails/applicationId, entitlement value checks). So the engine below handles the
// closed set of attributes the resources have; anything else is "No such attribute".
//
// Atomicity: all operations work on the transaction's private copies (store.ts); the caller commits only
// if every operation succeeded, so a failing third operation leaves the first two unapplied.
import type { WriteContext } from "./context";
import { invalidSyntax, invalidValue, noSuchAttribute, notFound, patchFailed, ScimError } from "./errors";
import { compileValueFilter, type CompiledFilter } from "./filter";
import { resolveMembers } from "./groups";
import { isJsonObject, type ComplexValue, type JsonObject, type ResourceType, type StoredGroup, type StoredServicePrincipal, type StoredUser } from "./model";
import { URN_PATCH_OP } from "./schemas";
import type { LevelTx } from "./store";
import { accountEntitlementsError, coerceActive, complexList, entitlementValues, field, requireObject, roleValues } from "./validate";
import { displayNameRequired, renameGroup } from "./writes";

type OpName = "add" | "remove" | "replace";

interface ParsedPath {
  /** Attribute name as written (for error texts). */
  raw: string;
  /** Lower-cased attribute name. */
  attr: string;
  filter?: CompiledFilter;
  sub?: string;
}

function parsePath(path: string): ParsedPath {
  let p = path.trim();
  if (p.toLowerCase().startsWith("urn:")) {
    // URN-prefixed path: the attribute follows the schema URN's last ':' (before any '[').
    const bracket = p.indexOf("[");
    const head = bracket < 0 ? p : p.slice(0, bracket);
    p = p.slice(head.lastIndexOf(":") + 1);
  }
  const m = /^([A-Za-z$][\w$-]*)(?:\[(.*)\])?(?:\.([A-Za-z$][\w$-]*))?$/s.exec(p);
  if (!m) throw new ScimError(400, `Invalid path: ${path}`, "invalidPath");
  const raw = m[1] as string;
  const parsed: ParsedPath = { raw, attr: raw.toLowerCase() };
  if (m[2] !== undefined) {
    try {
      parsed.filter = compileValueFilter(m[2], raw);
    } catch {
      throw new ScimError(400, `Invalid path: ${path}`, "invalidPath");
    }
  }
  if (m[3] !== undefined) parsed.sub = m[3];
  return parsed;
}

interface PatchTarget {
  ctx: WriteContext;
  tx: LevelTx;
  kind: ResourceType;
  obj: StoredUser | StoredGroup | StoredServicePrincipal;
}

export function applyPatch(ctx: WriteContext, kind: ResourceType, id: string, body: unknown): void {
  const req = requireObject(body);
  const schemas = field(req, "schemas").value;
  // The PatchOp schema is required (RFC 7644 §3.5.2; every known client sends it).
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === "string" && s.toLowerCase() === URN_PATCH_OP.toLowerCase())) {
    throw invalidSyntax();
  }
  const ops = field(req, "Operations").value;
  if (!Array.isArray(ops)) throw invalidSyntax();
  const tx = ctx.tx.at(ctx.level);
  const obj = tx.mutable(kind, id);
  if (!obj) throw notFound(kind, id);
  const target: PatchTarget = { ctx, tx, kind, obj };
  for (const raw of ops) {
    if (!isJsonObject(raw)) throw invalidSyntax();
    const opRaw = field(raw, "op").value;
    const op = typeof opRaw === "string" ? opRaw.toLowerCase() : "";
    // Op names compare case-insensitively (the docs list ADD/REMOVE/REPLACE; Entra sends "Add").
    if (op !== "add" && op !== "remove" && op !== "replace") throw invalidSyntax();
    const path = field(raw, "path").value;
    const value = field(raw, "value");
    if (path === undefined || path === null || path === "") {
      if (op === "remove") throw new ScimError(400, "Remove operation requires a path.", "noTarget");
      if (value.value === null || value.value === undefined) throw patchFailed(kind);
      if (!isJsonObject(value.value)) throw invalidSyntax();
      // Pathless add/replace: each key is an attribute ({"members":[…]}, {"roles":[…]}).
      for (const [key, v] of Object.entries(value.value)) {
        const lower = key.toLowerCase();
        if (lower === "schemas" || lower === "id" || lower === "meta") continue;
        applyOne(target, op, parsePath(key), v);
      }
      continue;
    }
    if (typeof path !== "string") throw invalidSyntax();
    if (op !== "remove" && (value.value === null || value.value === undefined)) {
      // O TF #1866: add with "value": null → "Error in performing the patch operation on group resource."
      throw patchFailed(kind);
    }
    applyOne(target, op, parsePath(path), value.value);
  }
  obj.lastModified = ctx.now;
}

function applyOne(t: PatchTarget, op: OpName, path: ParsedPath, value: unknown): void {
  const { kind } = t;
  const isPrincipal = kind === "Users" || kind === "ServicePrincipals";
  switch (path.attr) {
    case "members":
      if (kind !== "Groups") throw noSuchAttribute(path.raw);
      return patchMembers(t, t.obj as StoredGroup, op, path, value);
    case "roles":
      return patchRoles(t, op, path, value);
    case "entitlements":
      if (t.ctx.level === "account") throw accountEntitlementsError("invalidPath");
      return patchEntitlements(t, op, path, value);
    case "active":
      if (!isPrincipal) throw noSuchAttribute(path.raw);
      if (op === "remove") throw invalidValue("Attribute active cannot be removed.");
      (t.obj as StoredUser | StoredServicePrincipal).active = coerceActive(value);
      return;
    case "displayname":
      return patchDisplayName(t, op, value);
    case "externalid":
      if (op === "remove") delete t.obj.externalId;
      else t.obj.externalId = requireString(value);
      return;
    case "name":
      if (kind !== "Users") throw noSuchAttribute(path.raw);
      return patchName(t.obj as StoredUser, op, path, value);
    case "username":
    case "emails":
      // Silently ignored (documented): userName is immutable and emails are not updatable.
      if (kind !== "Users") throw noSuchAttribute(path.raw);
      return;
    case "applicationid": {
      if (kind !== "ServicePrincipals") throw noSuchAttribute(path.raw);
      const sp = t.obj as StoredServicePrincipal;
      if (op === "remove" || requireString(value).toLowerCase() !== sp.applicationId.toLowerCase()) {
        throw new ScimError(400, "Attribute applicationId is immutable.", "mutability");
      }
      return;
    }
    case "groups":
      if (t.ctx.level === "account") throw noSuchAttribute(path.raw);
      // (U) Membership is written on the group; refusing here keeps clients on the documented path.
      throw new ScimError(400, "Attribute groups is read-only; change membership through the group's members.", "mutability");
    case "id":
    case "meta":
    case "schemas":
      throw new ScimError(400, `Attribute ${path.raw} is read-only.`, "mutability");
    default:
      throw noSuchAttribute(path.raw);
  }
}

function requireString(value: unknown): string {
  if (typeof value !== "string") throw invalidSyntax();
  return value;
}

function noFilterAllowed(path: ParsedPath): void {
  if (path.filter || path.sub) throw new ScimError(400, `Invalid path for this operation: ${path.raw}`, "invalidPath");
}

function patchDisplayName(t: PatchTarget, op: OpName, value: unknown): void {
  if (t.kind === "Groups") {
    if (op === "remove") throw invalidValue("displayName is required.");
    // Group rename via PATCH replace is allowed; 409 on a duplicate name.
    renameGroup(t.ctx, t.tx, t.obj as StoredGroup, requireString(value));
    return;
  }
  const p = t.obj as StoredUser | StoredServicePrincipal;
  if (op === "remove") {
    if (t.kind === "ServicePrincipals" && displayNameRequired(t.ctx, p as StoredServicePrincipal)) throw invalidValue("displayName is required.");
    delete p.displayName;
  } else p.displayName = requireString(value);
}

function patchName(u: StoredUser, op: OpName, path: ParsedPath, value: unknown): void {
  if (path.filter) throw new ScimError(400, `Invalid path: ${path.raw}`, "invalidPath");
  const sub = path.sub?.toLowerCase();
  if (sub !== undefined && sub !== "givenname" && sub !== "familyname") throw noSuchAttribute(`name.${path.sub}`);
  const key = sub === "givenname" ? "givenName" : "familyName";
  if (op === "remove") {
    if (sub === undefined) delete u.name;
    else if (u.name) delete u.name[key];
    return;
  }
  if (sub !== undefined) {
    u.name = { ...u.name, [key]: requireString(value) };
    return;
  }
  if (!isJsonObject(value)) throw invalidSyntax();
  const next = op === "replace" ? {} : { ...u.name };
  for (const [k, v] of Object.entries(value)) {
    const lk = k.toLowerCase();
    if (lk === "givenname") next.givenName = requireString(v);
    else if (lk === "familyname") next.familyName = requireString(v);
  }
  u.name = next;
}

/** Element view for filters in paths: members[value eq "x"], roles[value eq "arn"], entitlements[…]. */
function asElement(cv: ComplexValue): JsonObject {
  return { ...cv };
}

function patchMembers(t: PatchTarget, g: StoredGroup, op: OpName, path: ParsedPath, value: unknown): void {
  if (path.sub) throw new ScimError(400, `Invalid path: members.${path.sub}`, "invalidPath");
  // Unknown member ids → the observed generic PATCH failure text (TF issue #1866), as 400: no client treats it as
  // "resource gone" (404) or as retryable (500).
  const resolve = (v: unknown) =>
    resolveMembers(
      t.tx,
      g.id,
      complexList(v).map((m) => m.value),
      () => patchFailed("Groups"),
    );
  const matches = (f: CompiledFilter) => (m: StoredGroup["members"][number]) => f.test(asElement({ value: m.value, $ref: `${m.kind}/${m.value}` }));
  if (op === "add") {
    noFilterAllowed(path);
    for (const r of resolve(value)) if (!g.members.some((m) => m.value === r.value)) g.members.push(r);
    return;
  }
  if (op === "replace") {
    const refs = resolve(value);
    if (path.filter) {
      const hit = matches(path.filter);
      if (!g.members.some(hit)) throw new ScimError(400, "No member matches the filter.", "noTarget");
      g.members = g.members.filter((m) => !hit(m));
      for (const r of refs) if (!g.members.some((m) => m.value === r.value)) g.members.push(r);
    } else g.members = refs;
    return;
  }
  // remove: a filter that matches nothing is a no-op success (RFC leaves it open; idempotent deletes for clients).
  if (path.filter) {
    const hit = matches(path.filter);
    g.members = g.members.filter((m) => !hit(m));
  } else if (value !== undefined && value !== null) {
    const drop = new Set(complexList(value).map((m) => m.value));
    g.members = g.members.filter((m) => !drop.has(m.value));
  } else g.members = [];
}

function patchRoles(t: PatchTarget, op: OpName, path: ParsedPath, value: unknown): void {
  if (path.sub) throw new ScimError(400, `Invalid path: roles.${path.sub}`, "invalidPath");
  const obj = t.obj;
  if (op === "add") {
    noFilterAllowed(path);
    for (const r of roleValues(complexList(value))) if (!obj.roles.some((o) => o.value === r.value)) obj.roles.push(r);
    return;
  }
  if (op === "replace") {
    const next = roleValues(complexList(value));
    if (path.filter) {
      const f = path.filter;
      if (!obj.roles.some((r) => f.test(asElement(r)))) throw new ScimError(400, "No role matches the filter.", "noTarget");
      obj.roles = obj.roles.filter((r) => !f.test(asElement(r)));
      for (const r of next) if (!obj.roles.some((o) => o.value === r.value)) obj.roles.push(r);
    } else obj.roles = next;
    return;
  }
  // remove: filter or value list; nothing matching is a no-op (as for members).
  if (path.filter) {
    const f = path.filter;
    obj.roles = obj.roles.filter((r) => !f.test(asElement(r)));
  } else if (value !== undefined && value !== null) {
    const drop = new Set(complexList(value).map((r) => r.value));
    obj.roles = obj.roles.filter((r) => !drop.has(r.value));
  } else obj.roles = [];
}

function patchEntitlements(t: PatchTarget, op: OpName, path: ParsedPath, value: unknown): void {
  if (path.sub) throw new ScimError(400, `Invalid path: entitlements.${path.sub}`, "invalidPath");
  const obj = t.obj;
  const strict = t.ctx.behaviour.strictEntitlements;
  if (op === "add") {
    noFilterAllowed(path);
    for (const e of entitlementValues(complexList(value), strict)) if (!obj.entitlements.includes(e)) obj.entitlements.push(e);
    return;
  }
  if (op === "replace") {
    // `[{}]` is TF's "no entitlements" (Go omitempty of {"value":""}) and clears them.
    const next = entitlementValues(complexList(value), strict);
    if (path.filter) {
      const f = path.filter;
      if (!obj.entitlements.some((e) => f.test({ value: e }))) throw new ScimError(400, "No entitlement matches the filter.", "noTarget");
      obj.entitlements = obj.entitlements.filter((e) => !f.test({ value: e }));
      for (const e of next) if (!obj.entitlements.includes(e)) obj.entitlements.push(e);
    } else obj.entitlements = next;
    return;
  }
  // remove on a resource without entitlements: the attribute does not exist (as Terraform handles it).
  if (obj.entitlements.length === 0) throw noSuchAttribute("entitlements");
  if (path.filter) {
    const f = path.filter;
    obj.entitlements = obj.entitlements.filter((e) => !f.test({ value: e }));
  } else if (value !== undefined && value !== null) {
    const drop = new Set(complexList(value).map((e) => e.value));
    obj.entitlements = obj.entitlements.filter((e) => !drop.has(e));
  } else obj.entitlements = [];
}
