// The three SCIM collections (Users, Groups, ServicePrincipals): CRUD, full listing, and natural-key finders.

import { InvalidArgumentError, InvalidResponseError } from "./errors";
import { Filter, eq } from "./filter";
import { patchRequest } from "./patch";
import type { RateLimitBucket, Transport } from "./transport";
import {
  SCHEMA_GROUP,
  SCHEMA_SERVICE_PRINCIPAL,
  SCHEMA_USER,
  type ListResponse,
  type PatchOperation,
  type ResourceType,
  type ScimGroup,
  type ScimServicePrincipal,
  type ScimUser,
} from "./types";

export type AttributeList = string | readonly string[];

export interface CallOptions {
  /** Cancels waiting (pacing, backoff) and the in-flight request. */
  signal?: AbortSignal;
}

export interface ReadOptions extends CallOptions {
  /** Only these attributes (`id` and `schemas` always come back). Comma string or list. */
  attributes?: AttributeList;
  excludedAttributes?: AttributeList;
}

export interface ListOptions extends ReadOptions {
  /** Build with filter.ts (`eq("userName", v)`), which escapes values. */
  filter?: Filter;
  sortBy?: string;
  sortOrder?: "ascending" | "descending";
  /** `count` per page. Default: the client's pageSize (100, the documented maximum). */
  pageSize?: number;
  /** Called after each page with the server's totalResults (when it sent one) and the items seen so far: progress. */
  onPage?: (page: { totalResults?: number; seen: number }) => void;
}

/** What every created/read resource has for sure. */
export type WithId<T> = T & { id: string };

const DEFAULT_SCHEMAS: Record<ResourceType, string> = {
  Users: SCHEMA_USER,
  Groups: SCHEMA_GROUP,
  ServicePrincipals: SCHEMA_SERVICE_PRINCIPAL,
};

/** `?a=1&b=2`, keys sorted (as the Go clients send them), values percent-encoded (space → %20, `"` → %22). */
export function buildQuery(params: Record<string, string | number | undefined>): string {
  const parts = Object.keys(params)
    .filter((k) => params[k] !== undefined && params[k] !== "")
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(params[k]))}`);
  return parts.length ? `?${parts.join("&")}` : "";
}

function attrList(a: AttributeList | undefined): string | undefined {
  if (a === undefined) return undefined;
  const list = typeof a === "string" ? a.split(",") : [...a];
  const clean = list.map((s) => s.trim()).filter((s) => s !== "");
  return clean.length ? clean.join(",") : undefined;
}

function checkId(id: string): string {
  if (typeof id !== "string" || id.trim() === "") throw new InvalidArgumentError(`a SCIM id is required, got ${JSON.stringify(id)}`);
  return encodeURIComponent(id);
}

/** Adds `attr` to an explicit attributes list (a finder must see the key it compares). */
function withAttr(a: AttributeList | undefined, attr: string): string | undefined {
  const s = attrList(a);
  if (s === undefined) return undefined;
  return s.split(",").some((x) => x.toLowerCase() === attr.toLowerCase()) ? s : `${s},${attr}`;
}

export class ResourceApi<T extends { id?: string; schemas?: string[] }> {
  readonly #t: Transport;
  readonly #collectionPath: string;
  readonly #defaultPageSize: number;
  readonly resourceType: ResourceType;

  /** @internal constructed by ScimClient */
  constructor(transport: Transport, basePath: string, resourceType: ResourceType, defaultPageSize: number) {
    this.#t = transport;
    this.resourceType = resourceType;
    this.#collectionPath = `${basePath}/${resourceType}`;
    this.#defaultPageSize = defaultPageSize;
  }

  /** POST. Adds the core `schemas` if the body has none. A lost answer gives AmbiguousWriteError (not retried). */
  async create(body: T, opts: CallOptions = {}): Promise<WithId<T>> {
    const path = this.#collectionPath;
    const res = await this.#t.send({ method: "POST", path, body: this.#withSchemas(body), bucket: "POST", signal: opts.signal });
    return this.#expectResource(res.body, "POST", path, res.status);
  }

  /** GET by id. 404 → NotFoundError. */
  async get(id: string, opts: ReadOptions = {}): Promise<WithId<T>> {
    const path = `${this.#collectionPath}/${checkId(id)}${buildQuery({
      attributes: attrList(opts.attributes),
      excludedAttributes: attrList(opts.excludedAttributes),
    })}`;
    const res = await this.#t.send({ method: "GET", path, bucket: "GET", signal: opts.signal });
    return this.#expectResource(res.body, "GET", path, res.status);
  }

  /**
   * Every matching resource, across all pages, de-duplicated by id (first occurrence wins; a resource that moves
   * between pages while we list can appear twice otherwise). Paging (as the Go SDK does; RFC 7644 §3.4.2.4): startIndex 1,
   * next = resp.startIndex + len(Resources); stop on an empty page, when startIndex-1+len >= totalResults, or
   * when a page brings nothing new (a server that ignores startIndex would otherwise loop forever). Short pages
   * do not stop it: a server may clamp `count`.
   */
  async list(opts: ListOptions = {}): Promise<WithId<T>[]> {
    const out: WithId<T>[] = [];
    for await (const item of this.iterate(opts)) out.push(item);
    return out;
  }

  /** Same as list(), yielding resources as pages arrive. */
  async *iterate(opts: ListOptions = {}): AsyncGenerator<WithId<T>, void, undefined> {
    const pageSize = opts.pageSize ?? this.#defaultPageSize;
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new InvalidArgumentError(`pageSize must be an integer >= 1, got ${pageSize}`);
    if (opts.filter !== undefined && !(opts.filter instanceof Filter)) {
      throw new InvalidArgumentError("list({filter}) takes a Filter built with filter.ts (eq, and, or, …) or rawFilter()");
    }
    const seen = new Set<string>();
    let start = 1;
    for (;;) {
      const path = `${this.#collectionPath}${buildQuery({
        attributes: attrList(opts.attributes),
        count: pageSize,
        excludedAttributes: attrList(opts.excludedAttributes),
        filter: opts.filter?.expression,
        sortBy: opts.sortBy,
        sortOrder: opts.sortOrder,
        startIndex: start,
      })}`;
      const res = await this.#t.send({ method: "GET", path, bucket: "LIST", signal: opts.signal });
      const page = res.body as Partial<ListResponse<WithId<T>>> | undefined;
      if (typeof page !== "object" || page === null || Array.isArray(page)) {
        throw new InvalidResponseError({ method: "GET", path, status: res.status, reason: "expected a ListResponse object" });
      }
      const items = page.Resources ?? [];
      if (!Array.isArray(items)) {
        throw new InvalidResponseError({ method: "GET", path, status: res.status, reason: "ListResponse.Resources is not an array" });
      }
      opts.onPage?.({ totalResults: typeof page.totalResults === "number" ? page.totalResults : undefined, seen: seen.size + items.length });
      if (items.length === 0) return;
      let fresh = 0;
      for (const item of items) {
        if (typeof item !== "object" || item === null) continue;
        const id = item.id;
        if (typeof id === "string") {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        fresh++;
        yield item;
      }
      if (fresh === 0) return;
      const respStart = typeof page.startIndex === "number" && page.startIndex >= 1 ? page.startIndex : start;
      if (typeof page.totalResults === "number" && respStart - 1 + items.length >= page.totalResults) return;
      const next = respStart + items.length;
      if (next <= start) return;
      start = next;
    }
  }

  /**
   * PATCH with one or more operations (see patch.ts builders). Resolves to the resource if the server sent one
   * back, else undefined (Databricks may answer `{}` or 204).
   */
  async patch(id: string, operations: PatchOperation | readonly PatchOperation[], opts: CallOptions = {}): Promise<WithId<T> | undefined> {
    const ops = Array.isArray(operations) ? (operations as readonly PatchOperation[]) : [operations as PatchOperation];
    const path = `${this.#collectionPath}/${checkId(id)}`;
    const res = await this.#t.send({ method: "PATCH", path, body: patchRequest(ops), bucket: "PATCH", signal: opts.signal });
    return this.#maybeResource(res.body);
  }

  /** PUT (full replace). Adds `schemas` if missing. Resolves to the resource if one came back, else undefined. */
  async replace(id: string, body: T, opts: CallOptions = {}): Promise<WithId<T> | undefined> {
    const path = `${this.#collectionPath}/${checkId(id)}`;
    const res = await this.#t.send({ method: "PUT", path, body: this.#withSchemas(body), bucket: "PUT", signal: opts.signal });
    return this.#maybeResource(res.body);
  }

  /**
   * DELETE. 404 → NotFoundError; if `err.attempts > 1` an earlier attempt whose answer was lost probably
   * deleted it.
   */
  async delete(id: string, opts: CallOptions = {}): Promise<void> {
    const path = `${this.#collectionPath}/${checkId(id)}`;
    await this.#t.send({ method: "DELETE", path, bucket: "DELETE", signal: opts.signal });
  }

  /** @internal first match of `attr eq value` whose `attr` satisfies `same`. */
  protected async findOne(attr: string, value: string, same: (a: string, b: string) => boolean, opts: ReadOptions): Promise<WithId<T> | undefined> {
    if (typeof value !== "string" || value === "") throw new InvalidArgumentError(`${attr} must be a non-empty string`);
    const hits = await this.list({
      ...opts,
      attributes: withAttr(opts.attributes, attr),
      filter: eq(attr, value),
    });
    const key = (r: WithId<T>) => (r as Record<string, unknown>)[attr];
    return hits.find((r) => key(r) === value) ?? hits.find((r) => typeof key(r) === "string" && same(key(r) as string, value));
  }

  #withSchemas(body: T): T {
    if (typeof body !== "object" || body === null) throw new InvalidArgumentError(`${this.resourceType}: body must be an object`);
    return body.schemas && body.schemas.length ? body : { ...body, schemas: [DEFAULT_SCHEMAS[this.resourceType]] };
  }

  #expectResource(body: unknown, method: string, path: string, status: number): WithId<T> {
    const r = this.#maybeResource(body);
    if (!r) throw new InvalidResponseError({ method, path, status, reason: `expected a ${this.resourceType} resource with an id` });
    return r;
  }

  #maybeResource(body: unknown): WithId<T> | undefined {
    if (typeof body === "object" && body !== null && !Array.isArray(body) && typeof (body as { id?: unknown }).id === "string") {
      return body as WithId<T>;
    }
    return undefined;
  }
}

const caseInsensitive = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export class UsersApi extends ResourceApi<ScimUser> {
  /** The user with this userName, compared case-insensitively (Databricks lowercases and compares emails so). */
  findByUserName(userName: string, opts: ReadOptions = {}): Promise<WithId<ScimUser> | undefined> {
    return this.findOne("userName", userName, caseInsensitive, opts);
  }
}

export class GroupsApi extends ResourceApi<ScimGroup> {
  /** The group with this displayName: an exact match first, else a case-insensitive one (RFC: caseExact false). */
  findByDisplayName(displayName: string, opts: ReadOptions = {}): Promise<WithId<ScimGroup> | undefined> {
    return this.findOne("displayName", displayName, caseInsensitive, opts);
  }
}

export class ServicePrincipalsApi extends ResourceApi<ScimServicePrincipal> {
  /** The service principal with this applicationId (a UUID; compared case-insensitively). */
  findByApplicationId(applicationId: string, opts: ReadOptions = {}): Promise<WithId<ScimServicePrincipal> | undefined> {
    return this.findOne("applicationId", applicationId, caseInsensitive, opts);
  }
}

export type { RateLimitBucket };
