// Which workspace a workspace-level request is for. Each workspace has its own host, here its own port
// (`EmuRequest.workspaceId`, set by server.ts); the main port serves the primary workspace and, as Databricks'
// unified hosts do, any workspace named by `X-Databricks-Workspace-Id` (legacy `X-Databricks-Org-Id`),
// as the SDKs send it. Account calls never carry the header and ignore it.
import type { EmulatorCore } from "../core";
import { GatewayError } from "../errors";
import type { EmuRequest } from "../pipeline";

function header(req: EmuRequest): string | undefined {
  const raw = req.headers["x-databricks-workspace-id"] ?? req.headers["x-databricks-org-id"];
  const v = Array.isArray(raw) ? raw[0] : raw;
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

/** The workspace id, or the error to answer if the request turns out to be workspace-level. */
export function selectWorkspace(core: EmulatorCore, req: EmuRequest): string | GatewayError {
  const named = header(req);
  if (req.workspaceId !== undefined) {
    if (named !== undefined && named !== req.workspaceId) {
      return new GatewayError(400, "INVALID_PARAMETER_VALUE", `Workspace ${named} does not match the workspace of this host (${req.workspaceId}).`);
    }
    return req.workspaceId;
  }
  if (named === undefined) return core.identity.workspaceId;
  // 403, not 404, as for a wrong account id (scim.ts): clients that drop state on 404 would otherwise forget
  // every resource of a misconfigured workspace id.
  if (!core.state.workspaces.has(named)) return new GatewayError(403, "PERMISSION_DENIED", `Caller is not authorized to access workspace ${named}.`);
  return named;
}
