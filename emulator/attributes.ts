// `attributes` / `excludedAttributes` projection (RFC 7644 §3.9). Names are case-insensitive and may
// carry a schema URN prefix or a sub-attribute (`name.givenName`, `members.value`). `id` and `schemas` are
// always returned (RFC "returned: always"; TF fixtures rely on `id`).
import type { JsonObject } from "./model";

const ALWAYS = new Set(["id", "schemas"]);

type Selection = Map<string, Set<string> | "all">;

function stripUrn(name: string): string {
  return name.toLowerCase().startsWith("urn:") ? name.slice(name.lastIndexOf(":") + 1) : name;
}

export function parseAttributeList(raw: string | null | undefined): string[] | undefined {
  if (raw === null || raw === undefined) return undefined;
  const list = raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  // `?attributes=` (empty, as TF sometimes sends) means "no selection", not "nothing".
  return list.length > 0 ? list : undefined;
}

function select(names: string[]): Selection {
  const sel: Selection = new Map();
  for (const n of names) {
    const [top, sub] = stripUrn(n).toLowerCase().split(".", 2) as [string, string | undefined];
    const current = sel.get(top);
    if (sub === undefined) sel.set(top, "all");
    else if (current !== "all") {
      const set = current ?? new Set<string>();
      set.add(sub);
      sel.set(top, set);
    }
  }
  return sel;
}

function pick(value: unknown, subs: Set<string>, keep: boolean): unknown {
  const one = (o: unknown): unknown => {
    if (o === null || typeof o !== "object" || Array.isArray(o)) return o;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(o as JsonObject)) if (subs.has(k.toLowerCase()) === keep) out[k] = v;
    return out;
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

export function project(obj: JsonObject, attributes?: string[], excluded?: string[]): JsonObject {
  if (attributes) {
    const sel = select(attributes);
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(obj)) {
      const lk = k.toLowerCase();
      const s = sel.get(lk);
      if (ALWAYS.has(lk) || s === "all") out[k] = v;
      else if (s) out[k] = pick(v, s, true);
    }
    return out;
  }
  if (excluded) {
    const sel = select(excluded);
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(obj)) {
      const lk = k.toLowerCase();
      const s = sel.get(lk);
      if (ALWAYS.has(lk) || s === undefined) out[k] = v;
      else if (s !== "all") out[k] = pick(v, s, false);
    }
    return out;
  }
  return obj;
}
