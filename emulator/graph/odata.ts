// The OData query options the emulator honours, as Graph serves them on directory objects: $select, $top
// (1..999, default 100), $filter (filter.ts), $orderby, $expand=members, $count and $skiptoken (opaque; the
// nextLink carries every original option and is never to be rebuilt by clients). What needs Graph's "advanced
// query parameters" (header `ConsistencyLevel: eventual` and `$count=true`) is refused without them, with
// Graph's codes: $filter with $orderby, $orderby on properties the docs mark "advanced", and every $orderby on a
// relationship. $expand is refused in an advanced query, as the docs say it is not supported there.
import { ALL_PROPERTIES, KNOWN_PROPERTIES, ODATA_TYPE, USER_DEFAULT_PROPERTIES, type DirectoryObject, type ObjectKind } from "./model";
import { badRequest, unsupportedQuery } from "./errors";
import { parseFilter, type FilterNode, type FilterScope } from "./filter";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;
/** Graph's known issue: `$expand` on directory objects returns at most 20 related objects, with no nextLink. */
export const EXPAND_LIMIT = 20;
/** …and a list page with `$expand` holds at most 100 objects, whatever `$top` says (Graph known issues). */
export const EXPAND_PAGE_SIZE = 100;

export interface Query {
  select?: string[];
  top: number;
  filter?: FilterNode;
  count: boolean;
  offset: number;
  orderby?: { property: string; descending: boolean };
  expand?: { select?: string[] };
}

/** Where a query is parsed: which options this resource takes and how Graph serves them there. */
export interface QueryPlace {
  /** `$filter` scope, or undefined where `$filter` is not allowed (a single entity). */
  filter?: FilterScope;
  /** Sortable properties: by default or only in advanced queries (relationships: every one advanced). */
  orderby?: Record<string, "default" | "advanced">;
  /** `$expand=members` is allowed (group list and group by id). */
  expandMembers?: boolean;
  /** The request carries `ConsistencyLevel: eventual`. */
  eventual: boolean;
}

/** $orderby per collection, from Microsoft's "Support for sorting by properties of directory objects" table. */
export const ORDERBY: Record<ObjectKind, Record<string, "default" | "advanced">> = {
  group: { displayName: "default" },
  user: { displayName: "default", userPrincipalName: "default" },
  servicePrincipal: { displayName: "advanced" },
  device: { displayName: "advanced" },
  orgContact: { displayName: "advanced" },
};

const KNOWN_OPTIONS = new Set(["$select", "$top", "$filter", "$count", "$skiptoken", "$orderby", "$expand", "$search", "$skip"]);

function parseSelect(text: string): string[] {
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const p of names) {
    if (!ALL_PROPERTIES.has(p)) throw badRequest(`Could not find a property named '${p}' on type 'microsoft.graph.directoryObject'.`);
  }
  return names;
}

export function parseQuery(params: URLSearchParams, place: QueryPlace): Query {
  for (const key of params.keys()) {
    if (key.startsWith("$") && !KNOWN_OPTIONS.has(key)) throw badRequest(`Query option '${key}' is not allowed.`);
    if (key === "$search" || key === "$skip") throw unsupportedQuery(`The emulator does not support the query option '${key}'.`);
  }
  const q: Query = { top: DEFAULT_PAGE_SIZE, count: params.get("$count") === "true", offset: 0 };
  const advanced = place.eventual && q.count;
  const select = params.get("$select");
  if (select !== null) q.select = parseSelect(select);
  const top = params.get("$top");
  if (top !== null) {
    if (!/^\d+$/.test(top) || Number(top) < 1 || Number(top) > MAX_PAGE_SIZE) {
      throw badRequest(`Invalid page size specified: '${top}'. Must be between 1 and ${MAX_PAGE_SIZE} inclusive.`);
    }
    q.top = Number(top);
  }
  const filter = params.get("$filter");
  if (filter !== null) {
    if (!place.filter) throw badRequest("Query option '$filter' is not allowed on a single entity.");
    q.filter = parseFilter(filter, place.filter, advanced);
  }
  const orderby = params.get("$orderby");
  if (orderby !== null) {
    const m = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/i.exec(orderby);
    const property = m ? Object.keys(place.orderby ?? {}).find((p) => p.toLowerCase() === m[1]!.toLowerCase()) : undefined;
    // Graph: "Sorting not supported for current query." for an unsortable property, and for $orderby with
    // $filter or on an "advanced" property when the advanced query parameters are missing.
    if (!m || !property) throw unsupportedQuery("Sorting not supported for current query.");
    if (!advanced && (q.filter || place.orderby![property] === "advanced")) throw unsupportedQuery("Sorting not supported for current query.");
    q.orderby = { property, descending: m[2]?.toLowerCase() === "desc" };
  }
  const expand = params.get("$expand");
  if (expand !== null) {
    const m = /^\s*([A-Za-z]+)\s*(?:\((.*)\))?\s*$/.exec(expand);
    if (!place.expandMembers || !m || m[1] !== "members") {
      throw badRequest(`Parsing OData Select and Expand failed: Could not find a property named '${m?.[1] ?? expand}' on type 'microsoft.graph.group'.`);
    }
    if (advanced) throw unsupportedQuery("$expand is not supported with advanced queries (ConsistencyLevel: eventual and $count=true).");
    q.expand = {};
    if (m[2] !== undefined) {
      const nested = /^\s*\$select=([^;()]*)$/.exec(m[2]);
      // Graph documents nested $select on members; other nested options are not supported on directory objects.
      if (!nested) throw badRequest(`Only $select may be nested in $expand=members: '${expand}'.`);
      q.expand.select = parseSelect(nested[1]!);
    }
    q.top = Math.min(q.top, EXPAND_PAGE_SIZE);
  }
  const skip = params.get("$skiptoken");
  if (skip !== null) q.offset = decodeSkipToken(skip);
  return q;
}

/** Stable sort by one property, case-insensitive; objects without it (null) last, as directory sorts put them. */
export function sortBy(items: DirectoryObject[], orderby: Query["orderby"]): DirectoryObject[] {
  if (!orderby) return items;
  const key = (o: DirectoryObject): string | undefined => {
    const v = o.props[orderby.property];
    return typeof v === "string" ? v.toLowerCase() : undefined;
  };
  const sign = orderby.descending ? -1 : 1;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === kb) return 0;
    if (ka === undefined) return 1;
    if (kb === undefined) return -1;
    return ka < kb ? -sign : sign;
  });
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
