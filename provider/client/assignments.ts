// Workspace permission assignments: which account principals may use a workspace, as USER or ADMIN.
//
// Two APIs reach the same assignments (docs/guides/workspaces-and-the-account.md):
//  - account level (account admin): /api/2.0/accounts/{account_id}/workspaces/{workspace_id}/permissionassignments
//  - workspace level (workspace admin, the workspace of the host): /api/2.0/preview/permissionassignments
// Both take the account-level SCIM id of the principal in the path. A PUT replaces the principal's whole
// permission set (ADMIN wins over USER, unknown values are ignored, an empty set deletes the assignment), so a
// permission change is one PUT; a DELETE removes every permission. Lists come in one page.

import { BadRequestError, InvalidArgumentError, InvalidResponseError } from "./errors";
import type { CallOptions } from "./resources";
import type { Transport } from "./transport";

export type WorkspacePermission = "USER" | "ADMIN";
export const WORKSPACE_PERMISSIONS: readonly WorkspacePermission[] = ["USER", "ADMIN"];

/** The principal as an assignment names it (only one of the three names is set, by kind). */
export interface AssignedPrincipal {
  principal_id?: number;
  display_name?: string;
  user_name?: string;
  group_name?: string;
  /** Service principals: their application id. */
  service_principal_name?: string;
}

export interface PermissionAssignment {
  permissions?: string[];
  principal?: AssignedPrincipal;
  /** Set by some servers inside a 2xx answer instead of failing the request. */
  error?: string;
}

/** Assignments use plain JSON, as the Databricks SDKs send it (not the SCIM media type). */
const JSON_TYPE = "application/json";

function checkNumericId(what: string, id: string): string {
  if (typeof id !== "string" || !/^\d+$/.test(id)) throw new InvalidArgumentError(`${what} must be a numeric id, got ${JSON.stringify(id)}`);
  return id;
}

export class AssignmentsApi {
  readonly #t: Transport;
  readonly #prefix: string;
  readonly #accountId?: string;

  /** @internal constructed by ScimClient; `accountId` set means the account API. */
  constructor(transport: Transport, prefix: string, accountId: string | undefined) {
    this.#t = transport;
    this.#prefix = prefix;
    this.#accountId = accountId;
  }

  /** Which API this client speaks: the account's (any workspace by id) or the host workspace's own. */
  get level(): "account" | "workspace" {
    return this.#accountId === undefined ? "workspace" : "account";
  }

  /** The collection path. `workspaceId` is required at account level and ignored at workspace level. */
  #collection(workspaceId: string | undefined): string {
    if (this.#accountId === undefined) return `${this.#prefix}/api/2.0/preview/permissionassignments`;
    if (workspaceId === undefined) throw new InvalidArgumentError("workspaceId is required for the account assignment API");
    return `${this.#prefix}/api/2.0/accounts/${encodeURIComponent(this.#accountId)}/workspaces/${checkNumericId("workspaceId", workspaceId)}/permissionassignments`;
  }

  /**
   * PUT: create the assignment or replace its permissions. A 2xx answer that carries an `error` (some servers
   * report a refusal that way) is a BadRequestError, never a silent success.
   */
  async put(
    workspaceId: string | undefined,
    principalId: string,
    permissions: readonly WorkspacePermission[],
    opts: CallOptions = {},
  ): Promise<PermissionAssignment> {
    const path = `${this.#collection(workspaceId)}/principals/${checkNumericId("principalId", principalId)}`;
    const res = await this.#t.send({ method: "PUT", path, body: { permissions }, bucket: "PUT", contentType: JSON_TYPE, signal: opts.signal });
    const body = (res.body ?? {}) as PermissionAssignment;
    if (typeof body !== "object" || Array.isArray(body)) {
      throw new InvalidResponseError({ method: "PUT", path, status: res.status, reason: "expected a PermissionAssignment object" });
    }
    if (typeof body.error === "string" && body.error !== "") {
      throw new BadRequestError({ method: "PUT", path, status: res.status, detail: body.error, origin: this.#t.origin });
    }
    return body;
  }

  /** Every direct assignment of the workspace (one page; a missing key means none). */
  async list(workspaceId: string | undefined, opts: CallOptions = {}): Promise<PermissionAssignment[]> {
    const path = this.#collection(workspaceId);
    const res = await this.#t.send({ method: "GET", path, bucket: "LIST", signal: opts.signal });
    const items = (res.body as { permission_assignments?: unknown } | undefined)?.permission_assignments;
    if (items === undefined) return [];
    if (!Array.isArray(items)) throw new InvalidResponseError({ method: "GET", path, status: res.status, reason: "permission_assignments is not a list" });
    return items as PermissionAssignment[];
  }

  /** The principal's direct assignment, or undefined when it has none (read from the list: there is no GET by id). */
  async find(workspaceId: string | undefined, principalId: string, opts: CallOptions = {}): Promise<PermissionAssignment | undefined> {
    const all = await this.list(workspaceId, opts);
    return all.find((a) => String(a.principal?.principal_id ?? "") === principalId);
  }

  /** DELETE every permission of the principal in the workspace. 404 (not assigned) → NotFoundError. */
  async delete(workspaceId: string | undefined, principalId: string, opts: CallOptions = {}): Promise<void> {
    const path = `${this.#collection(workspaceId)}/principals/${checkNumericId("principalId", principalId)}`;
    await this.#t.send({ method: "DELETE", path, bucket: "DELETE", signal: opts.signal });
  }
}

/** The permission a server's set amounts to: ADMIN wins over USER; undefined when neither is there. */
export function effectivePermission(permissions: readonly string[] | undefined): WorkspacePermission | undefined {
  if (permissions?.includes("ADMIN")) return "ADMIN";
  if (permissions?.includes("USER")) return "USER";
  return undefined;
}
