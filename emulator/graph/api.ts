// The Graph API surface a mirror of Entra groups reads, under /v1.0 and /beta:
//   GET /groups[?$filter=displayName eq '…']        GET /groups/{id}
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
import { encodeSkipToken, matchesFilter, parseQuery, render, type Query } from "./odata";
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
const FILTERABLE: Partial<Record<ObjectKind, string[]>> = {
  group: ["displayName", "mailNickname", "mail"],
  user: ["userPrincipalName", "mail", "displayName"],
  servicePrincipal: ["appId", "displayName"],
};

export function handleApi(ctx: ApiContext, req: ApiRequest): ApiOutcome {
  const cost = resourceUnitCost(req.path, req.params);
  const out = answer(ctx, req, cost);
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

function answer(ctx: ApiContext, req: ApiRequest, cost: number): ApiOutcome {
  let route = "unknown";
  let clientId: string | undefined;
  try {
    const m = /^\/(v1\.0|beta)(\/.*)?$/.exec(req.path);
    if (!m) throw new GraphError(400, "BadRequest", `Invalid version: ${req.path.split("/")[1] ?? ""}`);
    const version = m[1] as "v1.0" | "beta";
    const segments = segmentsOf(m[2] ?? "");
    const kind = KIND_BY_COLLECTION.get(segments[0] ?? "");
    if (!kind) throw new GraphError(400, "BadRequest", `Resource not found for the segment '${segments[0] ?? ""}'.`);
    route = `${segments[0]}.${segments.length === 1 ? "list" : segments.length === 2 ? "get" : segments[2]}`;

    const grant = authenticate(ctx, req);
    clientId = grant.clientId;
    ctx.throttle.admit(grant.clientId, ctx.identity.tenantId, cost);
    if (req.method !== "GET") throw new GraphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request uri.");
    if (!mayRead(grant.roles, kind)) throw denied();

    const base = `${req.origin}/${version}`;
    if (segments.length === 1) {
      const q = parseQuery(req.params, FILTERABLE[kind] ?? [], COLLECTION[kind]);
      const items = ctx.directory.all(kind).filter((o) => matchesFilter(o, q.filter));
      return { route, clientId, ...page(req, base, COLLECTION[kind], items, q, { withType: false, limited: () => false }) };
    }
    const target = findOne(ctx.directory, kind, segments[1]!);
    if (segments.length === 2) {
      const q = parseQuery(req.params, [], COLLECTION[kind]);
      if (req.params.has("$top") || req.params.has("$filter")) throw badRequest("Query option '$top' or '$filter' is not allowed on a single entity.");
      const body = { "@odata.context": `${base}/$metadata#${COLLECTION[kind]}/$entity`, ...render(target, q.select, { withType: false }) };
      return { route, clientId, status: 200, body };
    }
    if (kind !== "group" || (segments[2] !== "members" && segments[2] !== "transitiveMembers") || segments.length > 5) {
      throw new GraphError(400, "BadRequest", `Resource not found for the segment '${segments[2]}'.`);
    }
    const transitive = segments[2] === "transitiveMembers";
    let members = transitive ? ctx.directory.transitiveMembers(target.id) : ctx.directory.directMembers(target.id);
    if (!transitive && version === "v1.0" && ctx.behaviour.v1MembersOmitServicePrincipals) members = members.filter((o) => o.kind !== "servicePrincipal");
    const eventual = String(req.headers.consistencylevel ?? "").toLowerCase() === "eventual";
    const tail = segments[3];
    // `$count` may follow the relationship or a cast of it.
    const countOnly = tail === "$count" || segments[4] === "$count";
    if (segments.length === 5 && segments[4] !== "$count") throw new GraphError(400, "BadRequest", `Resource not found for the segment '${segments[4]}'.`);
    if (tail === "$count") {
      route += ".count";
      if (!eventual) throw badRequest("$count is not currently supported.");
      return { route, clientId, status: 200, headers: { "content-type": "text/plain" }, body: String(members.length) };
    }
    if (tail !== undefined) {
      const castKind = KIND_BY_CAST.get(tail);
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
      members = members.filter((o) => o.kind === castKind);
      if (countOnly) return { route: `${route}.count`, clientId, status: 200, headers: { "content-type": "text/plain" }, body: String(members.length) };
    }
    const q = parseQuery(req.params, [], "directoryObjects");
    if (q.filter) throw unsupportedQuery("Unsupported or invalid query filter clause specified on a members collection.");
    return {
      route,
      clientId,
      ...page(req, base, tail ? COLLECTION[KIND_BY_CAST.get(tail)!] : "directoryObjects", members, q, {
        withType: true,
        limited: (o) => !mayRead(grant.roles, o.kind),
        eventual,
      }),
    };
  } catch (e) {
    if (e instanceof GraphError) {
      const crid = req.headers["client-request-id"];
      return { route, clientId, ...errorReply(e, Array.isArray(crid) ? crid[0] : crid) };
    }
    throw e;
  }
}

function authenticate(ctx: ApiContext, req: ApiRequest): IssuedToken {
  const auth = req.headers.authorization;
  const grant = ctx.identity.check(Array.isArray(auth) ? auth[0] : auth);
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
  opts: { withType: boolean; limited: (o: DirectoryObject) => boolean; eventual?: boolean },
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
  body.value = slice.map((o) => render(o, q.select, { withType: opts.withType, limited: opts.limited(o) }));
  return { status: 200, body };
}
