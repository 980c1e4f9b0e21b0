// ListResponse building: filter → sort → page (RFC 7644 §3.4.2).
import type { ListResponse } from "../provider/client/types";
import { invalidValue } from "./errors";
import { sortKey } from "./filter";
import { compareIds } from "./membership";
import type { JsonObject } from "./model";
import { URN_LIST_RESPONSE } from "./schemas";

export interface PageParams {
  startIndex: number;
  count: number;
}

function parseInteger(name: string, raw: string | null): number | undefined {
  if (raw === null || raw.trim() === "") return undefined;
  if (!/^[-+]?\d+$/.test(raw.trim())) throw invalidValue(`Invalid value for ${name}: ${raw}`);
  return Number(raw.trim());
}

/**
 * startIndex < 1 → 1; count < 0 → 0; count absent or above the max page size → the max page size, clamped
 * rather than rejected (the Go SDK sends count=10000 while the documented limit is 100).
 */
export function parsePage(query: URLSearchParams, maxPageSize: number): PageParams {
  const start = parseInteger("startIndex", query.get("startIndex")) ?? 1;
  const count = parseInteger("count", query.get("count")) ?? maxPageSize;
  return { startIndex: Math.max(1, start), count: Math.min(Math.max(0, count), maxPageSize) };
}

/** Default order is by id (Databricks documents no order); sortBy ties also fall back to id. */
export function sortResources(items: JsonObject[], sortBy: string | null, sortOrder: string | null): JsonObject[] {
  const byId = (a: JsonObject, b: JsonObject) => compareIds(String(a.id), String(b.id));
  if (!sortBy) return [...items].sort(byId);
  const descending = (sortOrder ?? "").toLowerCase() === "descending";
  const keyed = items.map((item) => ({ item, key: sortKey(item, sortBy) }));
  keyed.sort((a, b) => {
    // Missing values go last when ascending (RFC), hence first when descending.
    if (a.key === undefined && b.key === undefined) return byId(a.item, b.item);
    if (a.key === undefined) return descending ? -1 : 1;
    if (b.key === undefined) return descending ? 1 : -1;
    const c = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    return c !== 0 ? (descending ? -c : c) : byId(a.item, b.item);
  });
  return keyed.map((k) => k.item);
}

/** An empty page has no `Resources` key at all (observed). */
export function buildListResponse(all: JsonObject[], page: PageParams): ListResponse<JsonObject> {
  const slice = all.slice(page.startIndex - 1, page.startIndex - 1 + page.count);
  const body: ListResponse<JsonObject> = {
    schemas: [URN_LIST_RESPONSE],
    totalResults: all.length,
    startIndex: page.startIndex,
    itemsPerPage: slice.length,
  };
  if (slice.length > 0) body.Resources = slice;
  return body;
}
