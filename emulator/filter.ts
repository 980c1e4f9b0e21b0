// SCIM list filters, Databricks flavour (its documented operators; single-quoted and bare values).
//
// scim2-parse-filter only understands RFC double-quoted JSON values, while Databricks also accepts
// single-quoted ('go-sdk-') and bare (example@databricks.com) values. So the quoting is normalised to JSON
// strings first, then parsed; evaluation is our own, because the library compares case-sensitively and
// Databricks compares userName/emails/displayName case-insensitively while id/externalId stay exact.
import { parse, type Filter } from "scim2-parse-filter";
import { invalidFilter } from "./errors";
import type { JsonObject, ResourceType } from "./model";

const COMPARE_OPS = new Set(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
/** Documented operators; the others are refused in strict mode. */
const DOCUMENTED_OPS = new Set(["eq", "ne", "co", "sw", "and", "or"]);

/** Attributes a filter may name, per resource (the wire attributes). */
const FILTERABLE: Record<ResourceType, Set<string>> = {
  Users: new Set(["id", "username", "displayname", "active", "externalid", "name", "emails", "groups", "roles", "entitlements", "meta"]),
  Groups: new Set(["id", "displayname", "externalid", "members", "groups", "roles", "entitlements", "meta"]),
  ServicePrincipals: new Set(["id", "applicationid", "displayname", "active", "externalid", "groups", "roles", "entitlements", "meta"]),
};

/** Case-exact attributes (RFC caseExact / Databricks: ids and externalId exact, the rest insensitive). */
const CASE_EXACT = new Set(["id", "externalid", "members.value", "groups.value", "members.$ref", "groups.$ref"]);

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

/** Rewrites single-quoted and bare comparison values as JSON strings; leaves the rest untouched. */
export function normaliseQuoting(src: string): string {
  let out = "";
  let i = 0;
  let expectValue = false;
  while (i < src.length) {
    const c = src[i] as string;
    if (isSpace(c)) {
      out += c;
      i++;
      continue;
    }
    if (expectValue) {
      expectValue = false;
      if (c === '"') {
        let j = i + 1;
        while (j < src.length && src[j] !== '"') j += src[j] === "\\" ? 2 : 1;
        if (j >= src.length) throw invalidFilter(`Invalid filter: unterminated string in ${src}`);
        out += src.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      if (c === "'") {
        let j = i + 1;
        let value = "";
        while (j < src.length && src[j] !== "'") {
          if (src[j] === "\\" && j + 1 < src.length) {
            value += src[j + 1];
            j += 2;
          } else {
            value += src[j];
            j++;
          }
        }
        if (j >= src.length) throw invalidFilter(`Invalid filter: unterminated string in ${src}`);
        out += JSON.stringify(value);
        i = j + 1;
        continue;
      }
      let j = i;
      while (j < src.length && !isSpace(src[j] as string) && src[j] !== ")" && src[j] !== "]") j++;
      const bare = src.slice(i, j);
      // Bare true/false/null stay JSON literals; everything else (numbers included: ids are strings) is text.
      out += /^(true|false|null)$/i.test(bare) ? bare.toLowerCase() : JSON.stringify(bare);
      i = j;
      continue;
    }
    if (c === "(" || c === ")" || c === "[" || c === "]") {
      out += c;
      i++;
      continue;
    }
    let j = i;
    while (j < src.length && !isSpace(src[j] as string) && !"()[]".includes(src[j] as string)) j++;
    if (j === i) j = i + 1;
    const word = src.slice(i, j);
    out += word;
    i = j;
    if (COMPARE_OPS.has(word.toLowerCase())) expectValue = true;
  }
  return out;
}

function stripUrn(path: string): string {
  if (!path.toLowerCase().startsWith("urn:")) return path;
  return path.slice(path.lastIndexOf(":") + 1);
}

function countNodes(f: Filter): number {
  switch (f.op) {
    case "and":
    case "or":
      return 1 + f.filters.reduce((n, sub) => n + countNodes(sub), 0);
    case "not":
      return 1 + countNodes(f.filter);
    case "[]":
      return 1 + countNodes(f.valFilter);
    default:
      return 1;
  }
}

function checkFilter(f: Filter, kind: ResourceType, strict: boolean, inValuePath: boolean): void {
  if (strict && !DOCUMENTED_OPS.has(f.op)) throw invalidFilter(`Unsupported filter operator: ${f.op}`);
  switch (f.op) {
    case "and":
    case "or":
      f.filters.forEach((sub) => checkFilter(sub, kind, strict, inValuePath));
      return;
    case "not":
      checkFilter(f.filter, kind, strict, inValuePath);
      return;
    case "[]":
      checkAttr(f.attrPath, kind, strict);
      checkFilter(f.valFilter, kind, strict, true);
      return;
    default:
      if (!inValuePath) checkAttr(f.attrPath, kind, strict);
  }
}

function checkAttr(attrPath: string, kind: ResourceType, strict: boolean): void {
  if (!strict) return;
  const top = (stripUrn(attrPath).split(".")[0] ?? "").toLowerCase();
  if (!FILTERABLE[kind].has(top)) throw invalidFilter(`Unsupported filter attribute: ${attrPath}`);
}

export interface CompiledFilter {
  test(obj: JsonObject): boolean;
  /**
   * When the filter can only match objects with these ids (`id eq "1"`, or an `or` of such: how clients read a
   * batch of known objects), the candidates; a list then renders just those, like a database using its primary
   * key, instead of every object. Results are the same: each candidate still goes through `test`.
   */
  ids?: ReadonlySet<string>;
}

function candidateIds(f: Filter): Set<string> | undefined {
  if (f.op === "or") {
    const out = new Set<string>();
    for (const sub of f.filters) {
      const ids = candidateIds(sub);
      if (!ids) return undefined;
      for (const id of ids) out.add(id);
    }
    return out;
  }
  if (f.op === "eq" && stripUrn(f.attrPath).toLowerCase() === "id" && typeof f.compValue === "string") return new Set([f.compValue]);
  return undefined;
}

export function compileFilter(src: string, kind: ResourceType, opts: { maxNodes: number; strict: boolean }): CompiledFilter {
  let ast: Filter;
  try {
    ast = parse(normaliseQuoting(src));
  } catch (e) {
    if (e instanceof Error && "status" in e) throw e;
    throw invalidFilter(`Invalid filter: ${src}`);
  }
  const nodes = countNodes(ast);
  if (nodes > opts.maxNodes) {
    throw invalidFilter(`Filter has ${nodes} nodes; at most ${opts.maxNodes} are allowed.`);
  }
  checkFilter(ast, kind, opts.strict, false);
  const ids = candidateIds(ast);
  return { test: (obj) => evaluate(ast, obj, ""), ...(ids ? { ids } : {}) };
}

/**
 * Compile the inner filter of a PATCH path such as members[value eq "1"] (no attribute checks). `attribute`
 * is the multi-valued attribute it applies to, so the case rules see e.g. `members.value` (exact).
 */
export function compileValueFilter(src: string, attribute: string): CompiledFilter {
  let ast: Filter;
  try {
    ast = parse(normaliseQuoting(src));
  } catch {
    throw invalidFilter(`Invalid filter: ${src}`);
  }
  const prefix = attribute.toLowerCase();
  return { test: (obj) => evaluate(ast, obj, prefix) };
}

function getKey(obj: JsonObject, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/** All leaf values an attribute path reaches; multi-valued and complex attributes default to `.value`. */
function resolve(obj: JsonObject, path: string): unknown[] {
  let current: unknown[] = [obj];
  for (const part of stripUrn(path).split(".")) {
    const next: unknown[] = [];
    for (const c of current) {
      if (c === null || typeof c !== "object" || Array.isArray(c)) continue;
      const v = getKey(c as JsonObject, part);
      if (Array.isArray(v)) next.push(...v);
      else if (v !== undefined) next.push(v);
    }
    current = next;
  }
  return current.map((v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? getKey(v as JsonObject, "value") : v));
}

function fullPath(prefix: string, attr: string): string {
  const p = stripUrn(attr).toLowerCase();
  return prefix ? `${prefix}.${p}` : p;
}

function norm(v: unknown, exact: boolean): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
  if (s === undefined) return undefined;
  return exact ? s : s.toLowerCase();
}

function evaluate(f: Filter, obj: JsonObject, prefix: string): boolean {
  switch (f.op) {
    case "and":
      return f.filters.every((sub) => evaluate(sub, obj, prefix));
    case "or":
      return f.filters.some((sub) => evaluate(sub, obj, prefix));
    case "not":
      return !evaluate(f.filter, obj, prefix);
    case "[]": {
      const elements = getKey(obj, stripUrn(f.attrPath));
      const list = Array.isArray(elements) ? elements : elements === undefined ? [] : [elements];
      const p = fullPath(prefix, f.attrPath);
      return list.some((e) => e !== null && typeof e === "object" && evaluate(f.valFilter, e as JsonObject, p));
    }
    case "pr":
      return resolve(obj, f.attrPath).some((v) => v !== undefined && v !== null && v !== "");
    default: {
      const path = fullPath(prefix, f.attrPath);
      const exact = CASE_EXACT.has(path);
      const values = resolve(obj, f.attrPath);
      if (f.compValue === null) {
        const present = values.some((v) => v !== undefined && v !== null);
        return f.op === "eq" ? !present : f.op === "ne" ? present : false;
      }
      if (typeof f.compValue === "boolean" && ["gt", "ge", "lt", "le", "co", "sw", "ew"].includes(f.op)) {
        throw invalidFilter(`Operator ${f.op} cannot be applied to a boolean`);
      }
      const want = norm(f.compValue, exact) as string;
      const has = (pred: (v: string) => boolean) =>
        values.some((v) => {
          const n = norm(v, exact);
          return n !== undefined && pred(n);
        });
      switch (f.op) {
        case "eq":
          return has((v) => v === want);
        case "ne":
          return !has((v) => v === want);
        case "co":
          return has((v) => v.includes(want));
        case "sw":
          return has((v) => v.startsWith(want));
        case "ew":
          return has((v) => v.endsWith(want));
        case "gt":
          return has((v) => v > want);
        case "ge":
          return has((v) => v >= want);
        case "lt":
          return has((v) => v < want);
        case "le":
          return has((v) => v <= want);
      }
    }
  }
}

/** For sorting: the first (or primary) value of a path, case-folded unless case-exact. */
export function sortKey(obj: JsonObject, path: string): string | undefined {
  const raw = getKey(obj, stripUrn(path).split(".")[0] ?? "");
  let values = resolve(obj, path);
  if (Array.isArray(raw) && !path.includes(".")) {
    const primary = raw.find((e) => e && typeof e === "object" && (e as JsonObject).primary === true) as JsonObject | undefined;
    if (primary) values = [primary.value];
  }
  return norm(values[0], CASE_EXACT.has(stripUrn(path).toLowerCase()));
}
