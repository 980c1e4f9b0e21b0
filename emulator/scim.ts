// The SCIM request handler: authenticate, authorise (admin/non-admin rules), dispatch, render, and map errors
// to Databricks' two error shapes. The final link of the pipeline (pipeline.ts).
import { parseAttributeList, project } from "./attributes";
import { authenticate, type Caller } from "./auth";
import type { WriteContext } from "./context";
import { adminsOnly, GatewayError, invalidSyntax, invalidToken, notFound, ScimError } from "./errors";
import { compileFilter } from "./filter";
import { buildListResponse, parsePage, sortResources } from "./listing";
import type { JsonObject, ResourceType } from "./model";
import { applyPatch } from "./patch";
import type { EmuRequest, EmuResponse, Handler } from "./pipeline";
import { renderAny, RenderContext } from "./render";
import { matchRoute, type ScimRoute } from "./routes";
import { URN_ERROR, URN_USER } from "./schemas";
import { createGroup, createServicePrincipal, createUser, deleteResource, replaceResource } from "./writes";
import type { EmulatorCore } from "./core";
import { handleAssignments } from "./federation/assignments";
import { matchAssignmentRoute } from "./federation/routes";
import { afterLinkedWrite } from "./federation/linked";
import { selectWorkspace } from "./federation/host";

/**
 * Responses use application/scim+json (RFC 7644 §3.1, requests and responses alike); clients
 * must therefore accept it, which also covers servers answering application/json. Gateway (auth) errors are
 * plain application/json, as the Databricks front end sends them.
 */
const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";

function scimResponse(status: number, body?: unknown, headers: Record<string, string> = {}): EmuResponse {
  const res: EmuResponse = { status, headers: { ...headers } };
  if (body !== undefined) {
    res.body = body;
    res.headers["content-type"] = SCIM_CONTENT_TYPE;
  }
  return res;
}

export function errorResponse(e: unknown): EmuResponse {
  if (e instanceof GatewayError) {
    return {
      status: e.status,
      headers: { "content-type": "application/json; charset=utf-8", "x-databricks-reason-phrase": e.message },
      body: { error_code: e.errorCode, message: e.message },
    };
  }
  if (e instanceof ScimError) {
    const body: JsonObject = { schemas: [URN_ERROR], detail: e.detail, status: String(e.status) };
    if (e.scimType) body.scimType = e.scimType;
    return scimResponse(e.status, body);
  }
  process.stderr.write(`emulator: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return scimResponse(500, { schemas: [URN_ERROR], detail: "Internal error in the SCIM emulator.", status: "500" });
}

/** Both media types are accepted, with or without parameters (Go SDK json, Terraform scim+json; charset). */
function parseBody(req: EmuRequest): unknown {
  const type = String(req.headers["content-type"] ?? "")
    .split(";")[0]
    ?.trim()
    .toLowerCase();
  if (!req.body || req.body.length === 0) throw invalidSyntax();
  // (U) Other media types: 400 invalidSyntax (the RFC status set has no 415).
  if (type !== "application/json" && type !== "application/scim+json") throw invalidSyntax();
  try {
    return JSON.parse(req.body.toString("utf8"));
  } catch {
    throw invalidSyntax();
  }
}

/** Attributes a non-admin may see in lists (userName, displayName, id for users; displayName, id for groups). */
const NON_ADMIN_LIST_ATTRIBUTES: Partial<Record<ResourceType, string[]>> = {
  Users: ["id", "userName", "displayName"],
  Groups: ["id", "displayName"],
};

const ID_PATTERN = /^\d+$/;

export function createScimHandler(core: EmulatorCore): Handler {
  return async (req) => {
    try {
      return handle(core, req);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

function handle(core: EmulatorCore, req: EmuRequest): EmuResponse {
  // Which workspace a workspace-level call is for: its host (port), else X-Databricks-Workspace-Id, else the
  // primary one. An unknown workspace is reported after authentication, as the gateway would.
  const selected = selectWorkspace(core, req);
  const workspaceId = typeof selected === "string" ? selected : core.identity.workspaceId;
  const assignmentRoute = matchAssignmentRoute(req.path);
  const matched = matchRoute(req.path);
  const workspaceLevel = assignmentRoute ? assignmentRoute.level === "workspace" : matched?.level === "workspace" || matched?.proxy === true;
  // The gateway authenticates before anything is routed, so an unknown path without a token is a 403 too.
  // A workspace call on the main port is one on the unified host (req.workspaceId unset: no workspace port).
  const unifiedWorkspaceCall = workspaceLevel && req.workspaceId === undefined;
  const caller = authenticate(req.headers, core.identity, (level) => core.renderContext(level, workspaceId), core.behaviour, core.oauth, unifiedWorkspaceCall);
  if (typeof selected !== "string" && workspaceLevel) throw selected;
  if (assignmentRoute) return handleAssignments(core, req, caller, assignmentRoute, workspaceId);
  if (!matched) throw new ScimError(404, "Endpoint not supported.");
  const route: ScimRoute = { ...matched, workspaceId };
  if (route.proxy) return accountProxy(core, req, route, caller);
  // Tokens belong to one level; a workspace token is no good on the account API and vice versa.
  if (caller.level !== route.level) throw invalidToken();
  if (route.level === "account") {
    if (route.accountId !== core.identity.accountId) {
      // Wrong account id: 403, not 404. A 404 reads as "resource gone" to clients that drop state on 404
      // (Terraform does), which would silently forget every resource of a misconfigured account id.
      throw new GatewayError(403, "PERMISSION_DENIED", `Caller is not authorized to access account ${route.accountId}.`);
    }
    if (!caller.admin) throw new ScimError(403, "Only account admins can access this API.");
  }
  if (route.resource === "Me") return handleMe(core, req, caller, workspaceId);
  const kind = route.resource;
  if (route.id !== undefined && !ID_PATTERN.test(route.id)) {
    // O TF #1918: a display name where the id belongs. (U) status; 400 so it never reads as "gone".
    throw new ScimError(400, "Endpoint not supported.");
  }
  if (!caller.admin) {
    const listing = route.id === undefined && req.method === "GET" && NON_ADMIN_LIST_ATTRIBUTES[kind] !== undefined;
    if (!listing) throw adminsOnly(route.pathAfterApi);
  }
  if (route.id === undefined) {
    if (req.method === "GET") return list(core, req, route, kind, caller);
    if (req.method === "POST") return create(core, req, route, kind);
    throw new ScimError(405, "Endpoint not supported.");
  }
  const id = route.id;
  switch (req.method) {
    case "GET":
      return getOne(core, req, route, kind, id);
    case "PUT":
    case "PATCH": {
      const body = parseBody(req);
      write(core, route, (ctx) => {
        if (req.method === "PUT") replaceResource(ctx, kind, id, body);
        else applyPatch(ctx, kind, id, body);
        afterLinkedWrite(ctx, req.method === "PUT" ? "PUT" : "PATCH", kind, id);
      });
      if (core.behaviour.writeResponses === "empty") return scimResponse(200, {});
      return scimResponse(200, rendered(core, req, route, kind, id));
    }
    case "DELETE":
      write(core, route, (ctx) => deleteResource(ctx, kind, id));
      return scimResponse(204);
    default:
      throw new ScimError(405, "Endpoint not supported.");
  }
}

/**
 * The workspace-host proxy of account SCIM (how UCX sees account groups not yet assigned to the workspace):
 * read-only, account objects as the account lists them. Who may call it is not documented; chosen here: the
 * workspace's own callers (a workspace token, as on any workspace path), admins seeing what the account lists
 * and others only the attributes a workspace list shows non-admins; an account token is another level's token.
 * A workspace without identity federation has no account to show: 404, as for an unknown path.
 */
function accountProxy(core: EmulatorCore, req: EmuRequest, route: ScimRoute, caller: Caller): EmuResponse {
  if (caller.level !== "workspace") throw invalidToken();
  if (!core.state.isFederated(route.workspaceId)) throw new ScimError(404, "Endpoint not supported.");
  if (req.method !== "GET") throw new ScimError(405, "Endpoint not supported.");
  const kind = route.resource as ResourceType;
  if (route.id === undefined) return list(core, req, route, kind, caller);
  if (!ID_PATTERN.test(route.id)) throw new ScimError(400, "Endpoint not supported.");
  if (!caller.admin) throw adminsOnly(route.pathAfterApi);
  return getOne(core, req, route, kind, route.id);
}

/** Run a write in a transaction; commit and persist (fsync'd) only if it all succeeded, before replying. */
function write(core: EmulatorCore, route: ScimRoute, fn: (ctx: WriteContext) => void): void {
  core.write(route.workspaceId, (tx, now) => fn({ state: core.state, tx, level: route.level, behaviour: core.behaviour, cloud: core.cloud, now }));
}

function attributeParams(req: EmuRequest): { attributes?: string[]; excluded?: string[] } {
  const out: { attributes?: string[]; excluded?: string[] } = {};
  const a = parseAttributeList(req.query.get("attributes"));
  const x = parseAttributeList(req.query.get("excludedAttributes"));
  if (a) out.attributes = a;
  if (x) out.excluded = x;
  return out;
}

/** `lagged`: a client read (GET by id) that may see the read-after-write lag; write responses never do. */
function rendered(core: EmulatorCore, req: EmuRequest, route: ScimRoute, kind: ResourceType, id: string, lagged = false): JsonObject {
  const ctx = lagged ? core.readContext(route.level, route.workspaceId) : core.renderContext(route.level, route.workspaceId);
  const obj = renderAny(kind, id, ctx);
  if (!obj) throw notFound(kind, id);
  const { attributes, excluded } = attributeParams(req);
  return project(obj, attributes, excluded);
}

function getOne(core: EmulatorCore, req: EmuRequest, route: ScimRoute, kind: ResourceType, id: string): EmuResponse {
  return scimResponse(200, rendered(core, req, route, kind, id, true));
}

function handleMe(core: EmulatorCore, req: EmuRequest, caller: Caller, workspaceId: string): EmuResponse {
  if (req.method !== "GET") throw new ScimError(405, "Endpoint not supported.");
  const ctx = core.renderContext("workspace", workspaceId);
  const obj = renderAny("Users", caller.userId, ctx) ?? meOfServicePrincipal(renderAny("ServicePrincipals", caller.userId, ctx));
  if (!obj) throw invalidToken();
  const { attributes, excluded } = attributeParams(req);
  // X-Databricks-Org-Id carries the workspace id (C SDK CurrentWorkspaceID).
  return scimResponse(200, project(obj, attributes, excluded), { "x-databricks-org-id": workspaceId });
}

/**
 * /Me of a service principal (an OAuth M2M caller): a User-shaped answer whose `userName` is its applicationId
 * (C TF data_current_user_test.go, TestDataSourceCurrentUserAsSP), with its own id, name, state and groups.
 */
function meOfServicePrincipal(sp: JsonObject | undefined): JsonObject | undefined {
  if (!sp) return undefined;
  const me: JsonObject = { schemas: [URN_USER], id: sp.id, userName: sp.applicationId };
  for (const key of ["displayName", "active", "entitlements", "groups", "roles"]) if (sp[key] !== undefined) me[key] = sp[key];
  return me;
}

function create(core: EmulatorCore, req: EmuRequest, route: ScimRoute, kind: ResourceType): EmuResponse {
  const body = parseBody(req);
  let id = "";
  write(core, route, (ctx) => {
    id = kind === "Users" ? createUser(ctx, body) : kind === "Groups" ? createGroup(ctx, body) : createServicePrincipal(ctx, body);
  });
  return scimResponse(201, rendered(core, req, route, kind, id), { location: `${req.origin}${route.base}/${kind}/${id}` });
}

function list(core: EmulatorCore, req: EmuRequest, route: ScimRoute, kind: ResourceType, caller: Caller): EmuResponse {
  const q = req.query;
  let { attributes, excluded } = attributeParams(req);
  const allowed = caller.admin ? undefined : NON_ADMIN_LIST_ATTRIBUTES[kind];
  if (allowed) {
    // Non-admins see only these attributes; asking for more fails like the real API (Terraform's data_group: non-admins
    // fail when requesting externalId).
    const lower = allowed.map((a) => a.toLowerCase());
    if (attributes?.some((a) => !lower.includes((a.split(".")[0] ?? "").toLowerCase()) && a.toLowerCase() !== "schemas")) {
      throw adminsOnly(route.pathAfterApi);
    }
    attributes = attributes ?? allowed;
  }
  const filterSrc = q.get("filter");
  const compiled =
    filterSrc !== null && filterSrc.trim() !== ""
      ? compileFilter(filterSrc, kind, { maxNodes: core.behaviour.maxFilterNodes, strict: core.behaviour.strictFilters })
      : undefined;
  const page = parsePage(q, core.behaviour.maxPageSize);
  const ctx: RenderContext = core.readContext(route.level, route.workspaceId);
  const all: JsonObject[] = [];
  const candidates = compiled?.ids ? [...compiled.ids].filter((id) => ctx.view.get(kind, id) !== undefined) : ctx.view.list(kind).map((o) => o.id);
  for (const id of candidates) {
    const obj = renderAny(kind, id, ctx);
    if (obj && (!compiled || compiled.test(obj))) all.push(obj);
  }
  const sorted = sortResources(all, q.get("sortBy"), q.get("sortOrder"));
  const body = buildListResponse(sorted, page);
  // Account group LIST omits members since 2025-08-22 (Databricks Go SDK docs); GET by id still has them.
  const dropMembers = route.level === "account" && kind === "Groups" && !core.behaviour.accountListGroupsIncludeMembers;
  if (body.Resources) {
    body.Resources = body.Resources.map((r) => {
      let out = r;
      if (dropMembers && "members" in out) {
        out = { ...out };
        delete out.members;
      }
      return project(out, attributes, excluded);
    });
  }
  return scimResponse(200, body);
}
