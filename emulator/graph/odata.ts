// The OData query options the emulator honours: $select, $top (1..999, default 100), $filter (`<prop> eq
// '<literal>'`, an embedded quote doubled; case-insensitive like directory string comparisons), $count and
// $skiptoken (opaque; the nextLink carries every original option and is never to be rebuilt by clients).
import { ALL_PROPERTIES, KNOWN_PROPERTIES, ODATA_TYPE, USER_DEFAULT_PROPERTIES, type DirectoryObject } from "./model";
import { badRequest, unsupportedQuery } from "./errors";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;

export interface Query {
  select?: string[];
  top: number;
  filter?: { property: string; value: string };
  count: boolean;
  offset: number;
}

const KNOWN_OPTIONS = new Set(["$select", "$top", "$filter", "$count", "$skiptoken", "$orderby", "$expand", "$search", "$skip"]);

export function parseQuery(params: URLSearchParams, filterable: readonly string[], resource: string): Query {
  for (const key of params.keys()) {
    if (key.startsWith("$") && !KNOWN_OPTIONS.has(key)) throw badRequest(`Query option '${key}' is not allowed.`);
    if (["$orderby", "$expand", "$search", "$skip"].includes(key)) throw unsupportedQuery(`The emulator does not support the query option '${key}'.`);
  }
  const q: Query = { top: DEFAULT_PAGE_SIZE, count: false, offset: 0 };
  const select = params.get("$select");
  if (select !== null) {
    q.select = select
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    for (const p of q.select) {
      if (!ALL_PROPERTIES.has(p)) throw badRequest(`Could not find a property named '${p}' on type 'microsoft.graph.directoryObject'.`);
    }
  }
  const top = params.get("$top");
  if (top !== null) {
    if (!/^\d+$/.test(top) || Number(top) < 1 || Number(top) > MAX_PAGE_SIZE) {
      throw badRequest(`Invalid page size specified: '${top}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`);
    }
    q.top = Number(top);
  }
  const filter = params.get("$filter");
  if (filter !== null) q.filter = parseFilter(filter, filterable, resource);
  const count = params.get("$count");
  if (count !== null) q.count = count === "true";
  const skip = params.get("$skiptoken");
  if (skip !== null) q.offset = decodeSkipToken(skip);
  return q;
}

function parseFilter(text: string, filterable: readonly string[], resource: string): { property: string; value: string } {
  const m = /^\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(text);
  const property = m?.[1] ?? /^\s*([A-Za-z]+)/.exec(text)?.[1] ?? text;
  if (!m || !filterable.includes(m[1]!)) {
    throw unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${property}' of resource '${resource}'.`);
  }
  return { property: m[1]!, value: m[2]!.replace(/''/g, "'") };
}

export function matchesFilter(obj: DirectoryObject, filter: Query["filter"]): boolean {
  if (!filter) return true;
  const v = obj.props[filter.property];
  return typeof v === "string" && v.toLowerCase() === filter.value.toLowerCase();
}

/** The page position, wrapped so clients cannot take it for a number they might compute. */
export function encodeSkipToken(offset: number): string {
  return `RFNwdAIAAQAAA${Buffer.from(JSON.stringify({ o: offset })).toString("base64url")}`;
}

function decodeSkipToken(token: string): number {
  try {
    const { o } = JSON.parse(Buffer.from(token.replace(/^RFNwdAIAAQAAA/, ""), "base64url").toString("utf8")) as { o: unknown };
    if (typeof o === "number" && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // falls through to the error below
  }
  throw badRequest("Invalid skip token.");
}

/**
 * One object on the wire: `@odata.type` (in collections of directory objects), then the selected properties
 * that exist on its kind (a selected property the kind lacks is left out), or the default set. `limited`
 * leaves only `@odata.type` and `id`, as Graph does for members of a kind the app may not read.
 */
export function render(obj: DirectoryObject, select: string[] | undefined, opts: { withType: boolean; limited?: boolean }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (opts.withType) out["@odata.type"] = ODATA_TYPE[obj.kind];
  const known = KNOWN_PROPERTIES[obj.kind];
  if (opts.limited) {
    out.id = obj.id;
    for (const p of select ?? Object.keys(known)) if (p !== "id" && p in known) out[p] = null;
    return out;
  }
  const names = select ?? (obj.kind === "user" ? USER_DEFAULT_PROPERTIES : Object.keys(known));
  for (const p of names) {
    if (!(p in known)) continue;
    const v = obj.props[p];
    out[p] = v === undefined ? known[p] : v;
  }
  return out;
}
