import type { Fields } from "../lifecycle/fieldTypes";
import { GROUP_FIELDS } from "../lifecycle/groupFields";
import { SERVICE_PRINCIPAL_FIELDS } from "../lifecycle/servicePrincipalFields";
import { USER_FIELDS } from "../lifecycle/userFields";
import { compareIds } from "./read";
import { isBuiltIn, isEveryoneGroup, type Directory, type MemberRef, type ReadGroup } from "./model";
import * as names from "./naming";
import type { Kind } from "./read";

/** A principal a membership points at: a resource the module declares, or a SCIM id it only refers to. */
export type Ref =
  | {
      declared: "users" | "servicePrincipals" | "groups";
      key: string;
      id: string;
      /** The identity's own logical name (naming.ts), whichever resource holds it: orders members, names pairs. */
      name: string;
      /** The logical name of the resource that holds it: its own, or its collection's. */
      resource: string;
      /** The module's variable of the collection that holds it (`people`), when one does. */
      collection?: string;
    }
  | { lookup: "users" | "servicePrincipals" | "groups"; key: string; id: string };

export type IdentityKind = "user" | "servicePrincipal" | "group";

export interface IdentityDecl {
  kind: IdentityKind;
  /** The Pulumi logical name (naming.ts). */
  name: string;
  /** The natural key: the record key in the generated module. */
  key: string;
  id: string;
  /** The resource's arguments, as read (no target: the module spreads `target` into each). */
  args: Record<string, unknown>;
}

/** A ScimUsers or ScimServicePrincipals holding many identities of one kind, by natural key. */
export interface CollectionDecl {
  kind: "users" | "servicePrincipals";
  /** The Pulumi logical name: "users" or "servicePrincipals" (no other name of the importer lacks a `:`). */
  name: string;
  /** The module's variable (`people`, `robots`). */
  variable: string;
  /** The field the map is keyed by, left out of each entry. */
  keyField: "userName" | "applicationId";
  /** The identities, sorted by key; `args` hold the key field too (the entry is `args` without it). */
  entries: IdentityDecl[];
  /** Collection-wide `adopt: true` (--adopt). */
  adopt: boolean;
}

export interface MembershipDecl {
  kind: "groupMembers" | "groupMembership";
  name: string;
  key: string;
  group: Ref;
  members: Ref[];
}

export interface Lookup {
  kind: "users" | "servicePrincipals" | "groups";
  key: string;
  id: string;
  why: string;
}

export interface Plan {
  target: { host: string; level: "workspace" | "account"; accountId?: string };
  /** How users and service principals are declared: a collection per kind, or a resource per identity. */
  identities: "collection" | "resources";
  /** The collections (collection mode); their identities are not in `users` / `servicePrincipals`. */
  collections: CollectionDecl[];
  users: IdentityDecl[];
  servicePrincipals: IdentityDecl[];
  groups: IdentityDecl[];
  memberships: MembershipDecl[];
  lookups: Lookup[];
  /** Objects left out because the stack already manages them under another name (by SCIM id). */
  skipped: { kind: string; key: string; id: string; by: string }[];
}

export interface PlanOptions {
  kinds: ReadonlySet<Kind>;
  memberships: "members" | "pairs";
  /** Objects with an externalId (an IdP connector owns them): refer to them only, or declare them. */
  idpOwned: "lookup" | "include";
  /** Emit `adopt: true` on users, groups and service principals (the take-over without a state import). */
  adopt?: boolean;
  /** SCIM ids (by kind) that resources of the stack already manage under other names: left out, referred to by id. */
  managedElsewhere?: Map<string, string>;
  /** The cloud the host's metadata named, which wins over the host name (the provider's check does the same). */
  cloud?: "aws" | "azure" | "gcp";
  /**
   * Users and service principals as one ScimUsers / ScimServicePrincipals ("collection"), as one resource each
   * ("resources"), or by size ("auto", the default): collections from COLLECTION_THRESHOLD identities on.
   */
  identities?: IdentitiesMode;
}

export type IdentitiesMode = "collection" | "resources" | "auto";

/**
 * From this many users and service principals to declare (both kinds together), `--identities auto` writes
 * collections. Measured with bench/takeover.ts (docs/commands/databricks-scim-import.md, "Collections or
 * resources: the take-over measured"): import plus the next preview, checkpoints on, took 6.9 s (resources)
 * against 7.8 s (collection) at 30 users, 10.7 against 8.4 s at 100, 32.4 against 18.7 s at 1,000; below this size a resource per identity costs a few seconds at most and keeps
 * what only a resource has (`pulumi up --target`, `protect`, an import or a state edit of one identity); above
 * it the per-identity resources (and, in resources mode, a pair per member of `users`) cost every run more.
 */
export const COLLECTION_THRESHOLD = 100;

/** What `auto` chooses for this many identities to declare. */
export function identitiesFor(mode: IdentitiesMode, count: number): "collection" | "resources" {
  return mode === "auto" ? (count >= COLLECTION_THRESHOLD ? "collection" : "resources") : mode;
}

/** Databricks' own AWS/GCP domains generate application ids and refuse one from the program. */
export function generatesApplicationId(host: string): boolean {
  let name = "";
  try {
    name = new URL(host).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (name.endsWith(".azuredatabricks.net")) return false;
  return [".databricks.com", ".databricks.us", ".databricks.mil"].some((s) => name.endsWith(s));
}

/**
 * What the module declares, from what was read: every object in a stable order (by natural key), so that a
 * rerun after changes in the console gives a file whose diff is exactly those changes.
 */
export function planImport(dir: Directory, opts: PlanOptions): Plan {
  const target = { host: dir.host, level: dir.level, ...(dir.accountId ? { accountId: dir.accountId } : {}) };
  const plan: Plan = {
    target,
    identities: "resources",
    collections: [],
    users: [],
    servicePrincipals: [],
    groups: [],
    memberships: [],
    lookups: [],
    skipped: [],
  };
  const elsewhere = opts.managedElsewhere ?? new Map<string, string>();
  const refs = new Map<string, Ref>(); // by SCIM id
  const adopt = opts.adopt ? { adopt: true } : {};

  const users = [...dir.users].sort((a, b) => cmp(a.userName, b.userName));
  for (const u of users) {
    const by = elsewhere.get(`user|${u.id}`);
    const owned = u.externalId !== undefined && opts.idpOwned === "lookup";
    if (!opts.kinds.has("users") || owned || by) {
      if (by) plan.skipped.push({ kind: "user", key: u.userName, id: u.id, by });
      refs.set(
        u.id,
        lookup(plan, "users", u.userName, u.id, by ? `managed by ${by}` : owned ? "owned by an identity provider (externalId)" : "users not imported"),
      );
      continue;
    }
    const args = argsOf(USER_FIELDS, u);
    const name = names.userName(u.userName);
    plan.users.push({ kind: "user", name, key: u.userName, id: u.id, args: { ...args, ...adopt } });
    refs.set(u.id, { declared: "users", key: u.userName, id: u.id, name, resource: name });
  }

  const generated = opts.cloud ? opts.cloud !== "azure" : generatesApplicationId(dir.host);
  const sps = [...dir.servicePrincipals].sort((a, b) => cmp(a.applicationId, b.applicationId));
  for (const s of sps) {
    const by = elsewhere.get(`servicePrincipal|${s.id}`);
    const owned = s.externalId !== undefined && opts.idpOwned === "lookup";
    // Without an application id to give, a nameless one cannot be declared (displayName is then required).
    const nameless = generated && s.displayName === undefined;
    if (!opts.kinds.has("servicePrincipals") || owned || by || nameless) {
      if (by) plan.skipped.push({ kind: "servicePrincipal", key: s.applicationId, id: s.id, by });
      const why = by
        ? `managed by ${by}`
        : owned
          ? "owned by an identity provider (externalId)"
          : nameless
            ? "no displayName"
            : "service principals not imported";
      refs.set(s.id, lookup(plan, "servicePrincipals", s.applicationId, s.id, why));
      continue;
    }
    // Where Databricks generates application ids, the program must not give one.
    const args = argsOf(SERVICE_PRINCIPAL_FIELDS, s, generated ? ["applicationId"] : []);
    const name = names.servicePrincipalName(s.applicationId);
    plan.servicePrincipals.push({ kind: "servicePrincipal", name, key: s.applicationId, id: s.id, args: { ...args, ...adopt } });
    refs.set(s.id, { declared: "servicePrincipals", key: s.applicationId, id: s.id, name, resource: name });
  }

  // Collections: users by userName; service principals by applicationId, where the program gives it (a generated
  // one is not known before the create: those stay resources). Decided before memberships, which refer to them.
  plan.identities = identitiesFor(opts.identities ?? "auto", plan.users.length + (generated ? 0 : plan.servicePrincipals.length));
  if (plan.identities === "collection") {
    const collect = (kind: CollectionDecl["kind"], variable: string, keyField: CollectionDecl["keyField"], entries: IdentityDecl[]): void => {
      if (!entries.length) return;
      plan.collections.push({ kind, name: kind, variable, keyField, entries, adopt: opts.adopt === true });
      const ids = new Set(entries.map((e) => e.id));
      for (const r of refs.values()) {
        if ("declared" in r && r.declared === kind && ids.has(r.id)) Object.assign(r, { resource: kind, collection: variable });
      }
    };
    const strip = (d: IdentityDecl): IdentityDecl => {
      const { adopt: _adopt, ...args } = d.args;
      return { ...d, args };
    };
    collect("users", "people", "userName", plan.users.map(strip));
    plan.users = [];
    if (!generated) {
      collect("servicePrincipals", "robots", "applicationId", plan.servicePrincipals.map(strip));
      plan.servicePrincipals = [];
    }
  }

  const groups = [...dir.groups].sort((a, b) => cmp(a.displayName, b.displayName));
  /** Groups whose members are ours to declare, and whether as pairs only. */
  const memberGroups: { group: ReadGroup; ref: Ref; pairsOnly: boolean }[] = [];
  for (const g of groups) {
    const by = elsewhere.get(`group|${g.id}`);
    const builtIn = isBuiltIn(g.displayName);
    const accountGroup = dir.level === "workspace" && g.resourceType === "Group";
    const owned = g.externalId !== undefined && opts.idpOwned === "lookup";
    let ref: Ref;
    if (!opts.kinds.has("groups") || builtIn || accountGroup || owned || by) {
      if (by) plan.skipped.push({ kind: "group", key: g.displayName, id: g.id, by });
      const why = by
        ? `managed by ${by}`
        : builtIn
          ? "built in"
          : accountGroup
            ? "an account group (manage it at account level)"
            : owned
              ? "owned by an identity provider (externalId)"
              : "groups not imported";
      ref = lookup(plan, "groups", g.displayName, g.id, why);
    } else {
      const args = argsOf(GROUP_FIELDS, g);
      const name = names.groupName(g.displayName);
      plan.groups.push({ kind: "group", name, key: g.displayName, id: g.id, args: { ...args, ...adopt } });
      ref = { declared: "groups", key: g.displayName, id: g.id, name, resource: name };
    }
    refs.set(g.id, ref);
    // Members: of the groups we declare, and of the built-in ones (as pairs: a GroupMembers on `users` would
    // remove everyone added later in the console). Not of account groups (workspace SCIM cannot change them),
    // IdP-owned groups left to the IdP, or groups another resource of the stack manages.
    if (!opts.kinds.has("memberships") || by || accountGroup || owned) continue;
    if (!builtIn && !("declared" in ref)) continue;
    // The group everyone is in (`users`, `account users`): Databricks adds every principal itself, so a pair per
    // member would only restate that, one resource per identity, which collections exist to avoid.
    if (plan.identities === "collection" && isEveryoneGroup(g.displayName, dir.level)) continue;
    memberGroups.push({ group: g, ref, pairsOnly: builtIn });
  }

  for (const { group, ref, pairsOnly } of memberGroups) {
    if (elsewhere.get(`members|${group.id}`)) continue;
    const members = (group.members ?? []).map((m) => refs.get(m.id) ?? unknownRef(plan, m)).sort(byRefName);
    if (opts.memberships === "members" && !pairsOnly) {
      plan.memberships.push({ kind: "groupMembers", name: names.groupMembersName(group.displayName), key: group.displayName, group: ref, members });
    } else {
      for (const m of members) {
        if (elsewhere.get(`pair|${group.id}|${m.id}`)) continue;
        const name = names.groupMembershipName(group.displayName, refName(m));
        plan.memberships.push({ kind: "groupMembership", name, key: `${group.displayName}/${refName(m)}`, group: ref, members: [m] });
      }
    }
  }
  plan.lookups.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.key, b.key));
  return plan;
}

/**
 * A resource's arguments from what was read, along its kind's field table (table order): every field that was
 * read, except an empty role list (the default: writing it would say "manage roles" where the object has none).
 */
function argsOf(fields: Fields, read: object, omit: readonly string[] = []): Record<string, unknown> {
  const values = read as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(fields)) {
    const v = values[k];
    if (!f.path || v === undefined || omit.includes(k)) continue;
    if (f.type === "roles" && Array.isArray(v) && v.length === 0) continue;
    args[k] = v;
  }
  return args;
}

function lookup(plan: Plan, kind: Lookup["kind"], key: string, id: string, why: string): Ref {
  plan.lookups.push({ kind, key, id, why });
  return { lookup: kind, key, id };
}

/** A member whose kind or object was not read (e.g. deleted meanwhile): referred to by id. */
function unknownRef(plan: Plan, m: MemberRef): Ref {
  const kind = m.kind === "group" ? "groups" : m.kind === "servicePrincipal" ? "servicePrincipals" : "users";
  return lookup(plan, kind, `id:${m.id}`, m.id, "member not read");
}

export function refName(r: Ref): string {
  if ("declared" in r) return r.name;
  const prefix = r.lookup === "users" ? "user" : r.lookup === "servicePrincipals" ? "sp" : "group";
  return r.key.startsWith("id:") ? r.key : `${prefix}:${names.escapeKey(r.key)}`;
}

function byRefName(a: Ref, b: Ref): number {
  return cmp(refName(a), refName(b)) || compareIds(a.id, b.id);
}

/** Code-point order: the same on every machine and locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
