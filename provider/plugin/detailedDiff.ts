import { isDeepStrictEqual } from "node:util";

/**
 * The detailed diff the plugin answers (what a dynamic provider cannot give: its host forwards only `changes`
 * and `replaces`), so that `pulumi preview --diff` names what changes, key by key:
 *  - a scalar: `displayName` updated (or added);
 *  - a list that is a set (entitlements, roles, permissions): each element added or removed, not an element
 *    "changed" at an index (`~ [0]: "allow-cluster-create" => "databricks-sql-access"`);
 *  - a map (GroupMembers' members, label → id): each member by its label;
 *  - a collection's map (Users' users, ServicePrincipals' servicePrincipals, key → fields): each identity by its
 *    key, and inside a changed one each field as above (`users["bob@example.com"].displayName`). The old entry
 *    carries the SCIM id, which the new one never sets: not a change.
 * Only the inputs the program sets are compared (an optional field left out is not managed, never a change).
 * `olds` are the resource's outputs, as the engine keeps them; `news` the checked inputs.
 */

export type DiffKind = "add" | "delete" | "update";

export interface PropertyChange {
  kind: DiffKind;
  replace: boolean;
}

/** Fields whose change is never one: used at create only. */
const CREATE_ONLY = new Set(["adopt"]);
/** The maps diffed key by key: GroupMembers' members, and the collections' identities. */
const KEYED_MAPS = new Set(["members", "users", "servicePrincipals"]);

export function detailedDiff(olds: Record<string, unknown>, news: Record<string, unknown>, replaces: readonly string[]): Record<string, PropertyChange> {
  const out: Record<string, PropertyChange> = {};
  for (const [key, next] of Object.entries(news)) {
    if (next === undefined || CREATE_ONLY.has(key)) continue;
    const prev = olds[key];
    if (isDeepStrictEqual(prev, next)) continue;
    const replace = replaces.includes(key);
    if (Array.isArray(prev) && Array.isArray(next) && isScalarList(prev) && isScalarList(next)) {
      Object.assign(out, setDiff(key, prev, next, replace));
    } else if (isMap(prev) && isMap(next) && KEYED_MAPS.has(key)) {
      Object.assign(out, mapDiff(key, prev, next, replace));
    } else {
      out[key] = { kind: prev === undefined ? "add" : "update", replace };
    }
  }
  // A replacement the kind decided on a key the values above do not show (e.g. a target resolved differently).
  for (const key of replaces) if (!Object.keys(out).some((p) => p === key || p.startsWith(`${key}[`))) out[key] = { kind: "update", replace: true };
  return out;
}

function isScalarList(v: unknown[]): boolean {
  return v.every((e) => typeof e === "string" || typeof e === "number" || typeof e === "boolean");
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Removed elements at their index in the old list, added ones at theirs in the new list. The engine's display
 * shows one change per index (backend/display/object_diff.go), so an index that loses one element and gains
 * another is shown as that element replaced (`~ [0]: "allow-cluster-create" => "databricks-sql-access"`): both
 * values are there, and every other element is shown as added or removed, never shifted.
 */
function setDiff(key: string, prev: unknown[], next: unknown[], replace: boolean): Record<string, PropertyChange> {
  const out: Record<string, PropertyChange> = {};
  prev.forEach((v, i) => {
    if (!next.includes(v)) out[`${key}[${i}]`] = { kind: "delete", replace };
  });
  next.forEach((v, i) => {
    if (prev.includes(v)) return;
    const path = `${key}[${i}]`;
    out[path] = { kind: out[path] ? "update" : "add", replace };
  });
  // Same elements in another order: not a change of a set (check sorts them anyway).
  return out;
}

function mapDiff(key: string, prev: Record<string, unknown>, next: Record<string, unknown>, replace: boolean): Record<string, PropertyChange> {
  const out: Record<string, PropertyChange> = {};
  const path = (k: string) => `${key}[${JSON.stringify(k)}]`;
  for (const k of Object.keys(prev)) if (!(k in next)) out[path(k)] = { kind: "delete", replace };
  for (const [k, v] of Object.entries(next)) {
    if (!(k in prev)) out[path(k)] = { kind: "add", replace };
    else if (isDeepStrictEqual(prev[k], v)) continue;
    else if (isMap(prev[k]) && isMap(v)) {
      // One identity of a collection: its fields, each as a top-level one is (an unchanged entry shows nothing).
      for (const [p, c] of Object.entries(detailedDiff(prev[k], v, []))) out[`${path(k)}.${p}`] = { ...c, replace: c.replace || replace };
    } else out[path(k)] = { kind: "update", replace };
  }
  return out;
}
