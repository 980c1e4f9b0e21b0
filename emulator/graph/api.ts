// The Graph API surface a mirror of Entra groups (and Entra tooling) reads, under /v1.0 and /beta:
//   GET /groups[?$filter=…&$orderby=displayName&$expand=members&$count=true]   GET /groups/$count
//   GET /groups/{id}[?$expand=members]
//   GET /groups/{id}/members[/microsoft.graph.<type>|/$count]
//   GET /groups/{id}/transitiveMembers[/microsoft.graph.<type>|/$count]
//   GET /users[?$filter=…] /users/{id|userPrincipalName}   GET /servicePrincipals[?$filter=appId eq '…'] /servicePrincipals/{id}
//   GET /devices/{id}  GET /contacts/{id}
// `@odata.type` is on every object of a member collection (where kinds mix), not on /groups or single GETs,
// as in Graph. Every call needs a token from the emulator's authority; reads need the permissions in permissions.ts.
import { badRequest, denied, errorReply, GraphError, notFound, unsupportedQuery, type GraphReply } from "./errors";
import { GUID, type Directory } from "./directory";
import type { EntraIdentity, IssuedToken } from "./identity";
import { COLLECTION, type DirectoryObject, type ObjectKind } from "./model";
import { matches } from "./filter";
import { encodeSkipToken, EXPAND_LIMIT, ORDERBY, parseQuery, render, sortBy, type Query } from "./odata";
import { mayRead } from "./permissions";
import { resourceUnitCost, type Throttle } from "./throttle";

export interface ApiRequest {
  method: string;
  /** Path without the query, e.g. /v1.0/groups/{id}/members. */
  path: string;
  params: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** https://host:port, for @odata.context and @odata.nextLink. */
  origin: string;
}

export interface ApiBehaviour {
  /** v1.0 `/members` leaves service principals out (Graph's documented known issue); `/beta` lists them. */
  v1MembersOmitServicePrincipals: boolean;
}

export interface ApiContext {
  directory: Directory;
  identity: EntraIdentity;
  throttle: Throttle;
  behaviour: ApiBehaviour;
}

/** What the stats call each request: "groups.transitiveMembers", "users.get", … */
export interface ApiOutcome extends GraphReply {
  route: string;
  clientId?: string;
}

const KIND_BY_COLLECTION = new Map<string, ObjectKind>(Object.entries(COLLECTION).map(([k, c]) => [c, k as ObjectKind]));
const KIND_BY_CAST = new Map<string, ObjectKind>(Object.keys(COLLECTION).map((k) => [`microsoft.graph.${k}`, k as ObjectKind]));
/** The resource name in Graph's filter messages ("… of resource 'Group'."). */
const RESOURCE: Record<ObjectKind, string> = { user: "User", group: "Group", servicePrincipal: "ServicePrincipal", device: "Device", orgContact: "OrgContact" };
const ALL_KINDS = Object.keys(COLLECTION) as ObjectKind[];

export async function handleApi(ctx: ApiContext, req: ApiRequest): Promise<ApiOutcome> {
  const cost = resourceUnitCost(req.path, req.params);
  const out = await answer(ctx, req, cost);
  return out.status === 429 ? out : { ...out, headers: { "x-ms-resource-unit": String(cost), ...(out.headers ?? {}) } };
}

function segmentsOf(path: string): string[] {
  try {
    return path
      .split("/")
      .filter((s) => s !== "")
      .map(decodeURIComponent);
  } catch {
    throw new GraphError(400, "BadRequest", "The request URI is not valid.");
  }
}

const textCount = (n: number): GraphReply => ({ status: 200, headers: { "content-type": "text/plain" }, body: String(n) });

async function answer(ctx: ApiContext, req: ApiRequest, cost: number): Promise<ApiOutcome> {
  let route = "unknown";
  let clientId: string | undefined;
  try {
    const m = /^\/(v1\.0|beta)(\/.*)?$/.exec(req.path);
    if (!m) throw new GraphError(400, "BadRequest", `Invalid version: ${req.path.split("/")[1] ?? ""}`);
    const version = m[1] as "v1.0" | "beta";
    const segments = segmentsOf(m[2] ?? "");
    const kind = KIND_BY_COLLECTION.get(segments[0] ?? "");
    if (!kind) throw new GraphError(400, "BadRequest", `Resource not found for the segment '${segments[0] ?? ""}'.`);
    route = `${segments[0]}.${segments.length === 1 ? "list" : segments[1] === "$count" ? "count" : segments.length === 2 ? "get" : segments[2]}`;

    const grant = await authenticate(ctx, req);
    clientId = grant.clientId;
    ctx.throttle.admit(grant.clientId, ctx.identity.tenantId, cost);
    if (req.method !== "GET") throw new GraphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request uri.");
    if (!mayRead(grant.roles, kind)) throw denied();
    const eventual = String(req.headers.consistencylevel ?? "").toLowerCase() === "eventual";
    const mayReadMember = (o: DirectoryObject): boolean => mayRead(grant.roles, o.kind);

    const base = `${req.origin}/${version}`;
    if (segments.length === 1 || (segments.length === 2 && segments[1] === "$count")) {
      const countOnly = segments.length === 2;
      // The $count segment is itself an advanced query: it needs ConsistencyLevel: eventual (Graph: 400 otherwise).
      if (countOnly && !eventual) throw badRequest("$count is not currently supported.");
      const params = new URLSearchParams(req.params);
      if (countOnly) params.set("$count", "true");
      const q = parseQuery(params, {
        filter: { kinds: [kind], resource: RESOURCE[kind] },
        orderby: ORDERBY[kind],
        expandMembers: kind === "group" && !countOnly,
        eventual,
      });
      const items = sortBy(
        ctx.directory.all(kind).filter((o) => matches(o, q.filter)),
        q.orderby,
      );
      if (countOnly) return { route, clientId, ...textCount(items.length) };
      const expand = q.expand ? (o: DirectoryObject) => ({ members: expandedMembers(ctx, o, q.expand!, mayReadMember) }) : undefined;
      return {
        route,
        clientId,
        ...page(req, base, COLLECTION[kind], items, q, { withType: false, limited: () => false, eventual, ...(expand ? { expand } : {}) }),
      };
    }
    const target = findOne(ctx.directory, kind, segments[1]!);
    if (segments.length === 2) {
      if (req.params.has("$top") || req.params.has("$filter")) throw badRequest("Query option '$top' or '$filter' is not allowed on a single entity.");
      const q = parseQuery(req.params, { expandMembers: kind === "group", eventual });
      const body: Record<string, unknown> = {
        "@odata.context": `${base}/$metadata#${COLLECTION[kind]}/$entity`,
        ...render(target, q.select, { withType: false }),
      };
      if (q.expand) body.members = expandedMembers(ctx, target, q.expand, mayReadMember);
      return { route, clientId, status: 200, body };
    }
    if (kind !== "group" || (segments[2] !== "members" && segments[2] !== "transitiveMembers") || segments.length > 5) {
      throw new GraphError(400, "BadRequest", `Resource not found for the segment '${segments[2]}'.`);
    }
    const transitive = segments[2] === "transitiveMembers";
    let members = transitive ? ctx.directory.transitiveMembers(target.id) : ctx.directory.directMembers(target.id);
    if (!transitive && version === "v1.0" && ctx.behaviour.v1MembersOmitServicePrincipals) members = members.filter((o) => o.kind !== "servicePrincipal");
    const tail = segments[3];
    // `$count` may follow the relationship or a cast of it.
    const countOnly = tail === "$count" || segments[4] === "$count";
    if (segments.length === 5 && segments[4] !== "$count") throw new GraphError(400, "BadRequest", `Resource not found for the segment '${segments[4]}'.`);
    if (countOnly && !eventual) throw badRequest("$count is not currently supported.");
    let castKind: ObjectKind | undefined;
    if (tail !== undefined && tail !== "$count") {
      castKind = KIND_BY_CAST.get(tail);
      if (!castKind) throw new GraphError(400, "BadRequest", `Resource not found for the segment '${tail}'.`);
      route += `.${castKind}`;
      if (!eventual || (!countOnly && req.params.get("$count") !== "true")) {
        throw unsupportedQuery(
          "Request with an OData cast only works through MSGraph with a special request header: 'ConsistencyLevel: eventual' and the query option '$count=true'.",
        );
      }
      const groupTypes = target.props.groupTypes;
      if (castKind === "group" && Array.isArray(groupTypes) && groupTypes.includes("Unified")) {
        throw unsupportedQuery("The requested type cannot be a member of a Microsoft 365 group.");
      }
      const only = castKind;
      members = members.filter((o) => o.kind === only);
    }
    if (countOnly) route += ".count";
    const params = new URLSearchParams(req.params);
    if (countOnly) params.set("$count", "true");
    const q = parseQuery(params, {
      filter: { kinds: castKind ? [castKind] : ALL_KINDS, resource: castKind ? RESOURCE[castKind] : "DirectoryObject" },
      orderby: { displayName: "advanced" },
      eventual,
    });
    // $filter on a relationship is an advanced query (Graph's advanced-query docs).
    if (q.filter && !(eventual && q.count)) throw unsupportedQuery("Unsupported or invalid query filter clause specified on a members collection.");
    members = sortBy(
      members.filter((o) => matches(o, q.filter)),
      q.orderby,
    );
    if (countOnly) return { route, clientId, ...textCount(members.length) };
    return {
      route,
      clientId,
      ...page(req, base, castKind ? COLLECTION[castKind] : "directoryObjects", members, q, { withType: true, limited: (o) => !mayReadMember(o), eventual }),
    };
  } catch (e) {
    if (e instanceof GraphError) {
      const crid = req.headers["client-request-id"];
      return { route, clientId, ...errorReply(e, Array.isArray(crid) ? crid[0] : crid) };
    }
    throw e;
  }
}

/**
 * `$expand=members` on a group: its direct members, at most 20 (Graph's documented limit, no nextLink), each
 * with `@odata.type`; service principals included on v1.0 too (Graph's documented workaround for /members).
 */
function expandedMembers(
  ctx: ApiContext,
  group: DirectoryObject,
  expand: NonNullable<Query["expand"]>,
  mayReadMember: (o: DirectoryObject) => boolean,
): unknown[] {
  return ctx.directory
    .directMembers(group.id)
    .slice(0, EXPAND_LIMIT)
    .map((o) => render(o, expand.select, { withType: true, limited: !mayReadMember(o) }));
}

async function authenticate(ctx: ApiContext, req: ApiRequest): Promise<IssuedToken> {
  const auth = req.headers.authorization;
  const grant = await ctx.identity.check(Array.isArray(auth) ? auth[0] : auth);
  if (typeof grant === "object") return grant;
  const message =
    grant === "missing"
      ? "Access token is empty."
      : grant === "expired"
        ? "Lifetime validation failed, the token is expired."
        : "Access token validation failure. Invalid audience.";
  throw new GraphError(401, "InvalidAuthenticationToken", message, {
    "www-authenticate": `Bearer realm="", authorization_uri="${req.origin}/${ctx.identity.tenantId}/oauth2/v2.0/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
  });
}

function findOne(directory: Directory, kind: ObjectKind, key: string): DirectoryObject {
  // Graph tells a malformed id (400) from a well-formed one that names nothing (404); users may be named by UPN.
  if (kind !== "user" && !GUID.test(key)) throw badRequest(`Invalid object identifier '${key}'.`);
  const byId = directory.get(key);
  if (byId?.kind === kind) return byId;
  if (kind === "user") {
    const byUpn = directory.all("user").find((u) => String(u.props.userPrincipalName).toLowerCase() === key.toLowerCase());
    if (byUpn) return byUpn;
  }
  throw notFound(key);
}

function page(
  req: ApiRequest,
  base: string,
  entitySet: string,
  items: DirectoryObject[],
  q: Query,
  opts: { withType: boolean; limited: (o: DirectoryObject) => boolean; eventual: boolean; expand?: (o: DirectoryObject) => Record<string, unknown> },
): GraphReply {
  const slice = items.slice(q.offset, q.offset + q.top);
  const context = `${base}/$metadata#${entitySet}${q.select ? `(${q.select.join(",")})` : ""}`;
  const body: Record<string, unknown> = { "@odata.context": context };
  // $count=true is honoured only with ConsistencyLevel: eventual (silently ignored otherwise), as in Graph.
  if (q.count && opts.eventual) body["@odata.count"] = items.length;
  if (q.offset + q.top < items.length) {
    const next = new URLSearchParams(req.params);
    next.set("$skiptoken", encodeSkipToken(q.offset + q.top));
    body["@odata.nextLink"] = `${req.origin}${req.path}?${next.toString().replace(/%24/g, "$")}`;
  }
  body.value = slice.map((o) => ({ ...render(o, q.select, { withType: opts.withType, limited: opts.limited(o) }), ...(opts.expand?.(o) ?? {}) }));
  return { status: 200, body };
}
