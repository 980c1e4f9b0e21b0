// The permission-assignment APIs (emulator/README.md "Workspaces and identity federation"): the account's
// /accounts/{id}/workspaces/{ws}/permissionassignments (account admins) and the workspace's
// /preview/permissionassignments (workspace admins), over the same assignments.
//
// PUT replaces the principal's permission set: values are case-sensitive USER/ADMIN, ADMIN wins, other values
// are ignored, and a set with neither (missing, [], only unknown values) deletes the assignment. Errors use the
// API's {"error_code","message"} shape; where Databricks' text is known (quoted from real
// server output in client issues) it is used verbatim; where only the text is known, the status is chosen below.
import type { Caller } from "../auth";
import type { EmulatorCore } from "../core";
import { GatewayError, invalidToken } from "../errors";
import {
  isJsonObject,
  type AnyStored,
  type JsonObject,
  type Permission,
  type ResourceType,
  type StoredGroup,
  type StoredServicePrincipal,
  type StoredUser,
} from "../model";
import type { EmuRequest, EmuResponse } from "../pipeline";
import type { LevelTx, LevelView } from "../store";
import type { AssignmentRoute } from "./routes";

const JSON_TYPE = "application/json; charset=utf-8";

/** Eventual consistency text seen on first assignments (TF issue #5367); status unknown → 400, not 404 ("gone"). */
function notInWorkspace(principalId: string, workspaceId: string): GatewayError {
  return new GatewayError(400, "INVALID_PARAMETER_VALUE", `Principal ${principalId} not in workspace ${workspaceId}`);
}

/** The by-name API's text for a missing principal, used for ids too; 404 RESOURCE_DOES_NOT_EXIST (status assumed). */
const TEXT_NOT_IN_ACCOUNT = "Principal not found in account.";
/** The account API on a workspace without identity federation (TF issue #2739); status unknown → 400. */
const TEXT_NOT_SUPPORTED = "Permission assignments not supported for current workspace.";
/** The workspace-level API there (TF issue #5282). */
const TEXT_NOT_AVAILABLE = "Permission assignment APIs are not available for this workspace.";
/** ADMIN through the workspace by-name POST (TF issue #5106). */
const TEXT_ADMIN_BY_NAME = "Invalid permission: ADMIN is invalid or not supported for this workspace.";

const LEVELS: { permission_level: Permission; description: string }[] = [
  { permission_level: "USER", description: "Can access the workspace." },
  {
    permission_level: "ADMIN",
    description: "Can access the workspace and has workspace admin privileges to manage users and groups, workspace configurations, and more.",
  },
];

function ok(body: unknown): EmuResponse {
  return { status: 200, headers: { "content-type": JSON_TYPE }, body };
}

function badRequest(message: string): GatewayError {
  return new GatewayError(400, "INVALID_PARAMETER_VALUE", message);
}

/** The permission a PUT body asks for: ADMIN wins, unknown values are ignored, none = delete (undefined). */
function permissionOf(values: unknown[]): Permission | undefined {
  if (values.includes("ADMIN")) return "ADMIN";
  if (values.includes("USER")) return "USER";
  return undefined;
}

function parseBody(req: EmuRequest): JsonObject {
  if (!req.body || req.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString("utf8"));
  } catch {
    throw new GatewayError(400, "MALFORMED_REQUEST", "Could not parse request body as JSON.");
  }
  if (!isJsonObject(parsed)) throw new GatewayError(400, "MALFORMED_REQUEST", "The request body must be a JSON object.");
  return parsed;
}

function permissionsField(obj: JsonObject): unknown[] {
  const v = obj.permissions;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw badRequest("permissions must be a list of USER or ADMIN.");
  return v;
}

/** PrincipalOutput: ids as int64 JSON numbers (ids.ts keeps them below 2^53, so exact). */
function principalOutput(kind: ResourceType, p: AnyStored): JsonObject {
  const out: JsonObject = { principal_id: Number(p.id) };
  if (kind === "Users") {
    const u = p as StoredUser;
    out.display_name = u.displayName ?? u.userName;
    out.user_name = u.userName;
  } else if (kind === "Groups") {
    out.display_name = (p as StoredGroup).displayName;
    out.group_name = (p as StoredGroup).displayName;
  } else {
    const sp = p as StoredServicePrincipal;
    out.display_name = sp.displayName ?? sp.applicationId;
    out.service_principal_name = sp.applicationId;
  }
  return out;
}

function assignmentOutput(account: LevelView, principalId: string, permission: Permission | undefined): JsonObject {
  const kind = account.kindOf(principalId) as ResourceType;
  const out: JsonObject = {};
  if (permission) out.permissions = [permission];
  out.principal = principalOutput(kind, account.get(kind, principalId) as AnyStored);
  return out;
}

function listOutput(core: EmulatorCore, workspaceId: string): JsonObject {
  const ws = core.state.at("workspace", workspaceId);
  const account = core.state.account;
  const entries = ws
    .assignmentEntries()
    .filter(([id]) => account.kindOf(id) !== undefined)
    .sort(([a], [b]) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  // One page, no tokens (the Go SDK lists single-page); (assumed) an empty list omits the key, as Go's
  // omitempty would, so clients must treat a missing key as none.
  const list = entries.map(([id, p]) => assignmentOutput(account, id, p));
  return list.length > 0 ? { permission_assignments: list } : {};
}

function principalIdOf(route: AssignmentRoute): string {
  const id = route.principalId as string;
  if (!/^\d+$/.test(id)) throw badRequest(`Invalid principal id: ${id}`);
  return id;
}

/** Eventual consistency (options.consistencyWindowMs): a principal the account created moments ago. */
function checkVisible(core: EmulatorCore, p: AnyStored, workspaceId: string): void {
  const window = core.behaviour.consistencyWindowMs;
  if (window > 0 && Date.now() - Date.parse(p.created) < window) throw notInWorkspace(p.id, workspaceId);
}

/** Stage one principal's new permission; returns what the response reports. */
function assign(core: EmulatorCore, wtx: LevelTx, account: LevelTx, principalId: string, permission: Permission | undefined, workspaceId: string): void {
  const kind = account.kindOf(principalId);
  if (!kind) throw new GatewayError(404, "RESOURCE_DOES_NOT_EXIST", TEXT_NOT_IN_ACCOUNT);
  const current = wtx.assignment(principalId);
  if (permission !== undefined && current === undefined) checkVisible(core, account.get(kind, principalId) as AnyStored, workspaceId);
  if (current !== permission) wtx.setAssignment(principalId, permission);
}

export function handleAssignments(core: EmulatorCore, req: EmuRequest, caller: Caller, route: AssignmentRoute, hostWorkspace: string): EmuResponse {
  // Tokens belong to one level, as for SCIM.
  if (caller.level !== route.level) throw invalidToken();
  let workspaceId: string;
  if (route.level === "account") {
    if (route.accountId !== core.identity.accountId) {
      throw new GatewayError(403, "PERMISSION_DENIED", `Caller is not authorized to access account ${route.accountId}.`);
    }
    // Account admins only (documented); 403 PERMISSION_DENIED (status assumed).
    if (!caller.admin) throw new GatewayError(403, "PERMISSION_DENIED", "Only account admins can access this API.");
    workspaceId = route.workspaceId as string;
    if (!/^\d+$/.test(workspaceId)) throw badRequest(`Invalid workspace id: ${workspaceId}`);
    // (U) 404: the workspace is not in this account.
    if (!core.state.workspaces.has(workspaceId)) throw new GatewayError(404, "RESOURCE_DOES_NOT_EXIST", `Workspace ${workspaceId} does not exist.`);
    if (!core.state.isFederated(workspaceId)) throw badRequest(TEXT_NOT_SUPPORTED);
  } else {
    if (!caller.admin) throw new GatewayError(403, "PERMISSION_DENIED", "Only workspace admins can access this API.");
    workspaceId = hostWorkspace;
    if (!core.state.isFederated(workspaceId)) throw badRequest(TEXT_NOT_AVAILABLE);
  }

  if (route.target === "permissions") {
    if (req.method !== "GET") throw methodNotAllowed(req);
    return ok({ permissions: LEVELS });
  }
  if (route.target === "list") {
    if (req.method === "GET") return ok(listOutput(core, workspaceId));
    if (req.method === "POST" && route.level === "workspace") return assignByName(core, req, workspaceId);
    throw methodNotAllowed(req);
  }
  const principalId = principalIdOf(route);
  switch (req.method) {
    case "GET": {
      // Used at workspace level by some scripts (undocumented); served at both.
      const p = core.state.at("workspace", workspaceId).assignment(principalId);
      if (!p || !core.state.account.kindOf(principalId)) throw notAssigned(principalId, workspaceId);
      return ok(assignmentOutput(core.state.account, principalId, p));
    }
    case "PUT": {
      const permission = permissionOf(permissionsField(parseBody(req)));
      core.write(workspaceId, (tx) => assign(core, tx.at("workspace"), tx.at("account"), principalId, permission, workspaceId));
      return ok(assignmentOutput(core.state.account, principalId, permission));
    }
    case "DELETE": {
      if (!core.state.at("workspace", workspaceId).assignment(principalId)) throw notAssigned(principalId, workspaceId);
      core.write(workspaceId, (tx) => tx.at("workspace").setAssignment(principalId, undefined));
      return ok({});
    }
    default:
      throw methodNotAllowed(req);
  }
}

/** DELETE of an unassigned principal: (undocumented, probably) 404; clients treat 404 on delete as done. */
function notAssigned(principalId: string, workspaceId: string): GatewayError {
  return new GatewayError(404, "RESOURCE_DOES_NOT_EXIST", `Principal ${principalId} is not assigned to workspace ${workspaceId}.`);
}

function methodNotAllowed(req: EmuRequest): GatewayError {
  return new GatewayError(405, "METHOD_NOT_ALLOWED", `${req.method} is not supported on ${req.path}.`);
}

interface ByName {
  kind: ResourceType;
  name: string;
  key: "user_name" | "group_name" | "service_principal_name";
}

function byNameOf(item: JsonObject): ByName | undefined {
  for (const [key, kind] of [
    ["user_name", "Users"],
    ["group_name", "Groups"],
    ["service_principal_name", "ServicePrincipals"],
  ] as const) {
    const v = item[key];
    if (typeof v === "string" && v !== "") return { kind, name: v, key };
  }
  return undefined;
}

function findByName(account: LevelView, who: ByName): AnyStored | undefined {
  const lower = who.name.toLowerCase();
  if (who.kind === "Users") return account.userByName(who.name);
  if (who.kind === "Groups") return account.list("Groups").find((g) => g.displayName.toLowerCase() === lower);
  return account.list("ServicePrincipals").find((sp) => sp.applicationId.toLowerCase() === lower);
}

/**
 * Workspace-level `POST /preview/permissionassignments` by name: USER only (ADMIN → the observed
 * 400 text, nothing applied); a name the account lacks, or a principal still invisible to the workspace, is a
 * per-item `error` inside the 200 body, and the other items are applied.
 */
function assignByName(core: EmulatorCore, req: EmuRequest, workspaceId: string): EmuResponse {
  const body = parseBody(req);
  const items = body.permission_assignments;
  if (!Array.isArray(items) || items.some((i) => !isJsonObject(i))) throw badRequest("permission_assignments must be a list of objects.");
  const requests = (items as JsonObject[]).map((item) => ({ who: byNameOf(item), values: permissionsField(item) }));
  if (requests.some((r) => r.values.includes("ADMIN"))) throw badRequest(TEXT_ADMIN_BY_NAME);
  const results: JsonObject[] = [];
  core.write(workspaceId, (tx) => {
    const account = tx.at("account");
    for (const r of requests) {
      const found = r.who ? findByName(account, r.who) : undefined;
      if (!r.who || !found) {
        const echo: JsonObject = r.who ? { [r.who.key]: r.who.name } : {};
        results.push({ error: `RESOURCE_DOES_NOT_EXIST: ${TEXT_NOT_IN_ACCOUNT}`, principal: echo });
        continue;
      }
      const permission = permissionOf(r.values);
      try {
        assign(core, tx.at("workspace"), account, found.id, permission, workspaceId);
      } catch (e) {
        if (!(e instanceof GatewayError)) throw e;
        results.push({ error: `${e.errorCode}: ${e.message}`, principal: principalOutput(r.who.kind, found) });
        continue;
      }
      results.push(assignmentOutput(account, found.id, permission));
    }
  });
  return ok({ permission_assignments: results });
}
