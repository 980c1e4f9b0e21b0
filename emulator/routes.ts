// URL → SCIM route. Workspace: /api/2.0/preview/scim/v2/{Users|Groups|ServicePrincipals|Me}[/{id}];
// account: /api/2.0/accounts/{account_id}/scim/v2/{Users|Groups|ServicePrincipals}[/{id}], also under
// /api/2.1/accounts/… (newer docs and IdP connector guides). No /Me at account level.
// Workspace-host proxy of account SCIM: /api/2.0/account/scim/v2/{Users|Groups}[/{id}] (emulator/README.md,
// "Workspaces and identity federation"): the account's objects, reached from a workspace host.
import type { Level, ResourceType } from "./model";

export interface ScimRoute {
  level: Level;
  /** The workspace a workspace-level call is for (set by the handler from the host, see federation/host.ts). */
  workspaceId: string;
  accountId?: string;
  resource: ResourceType | "Me";
  id?: string;
  /** Prefix up to and including /scim/v2, e.g. /api/2.0/preview/scim/v2 (for Location headers). */
  base: string;
  /** The path without its leading "/api", as Databricks quotes it in 403 texts. */
  pathAfterApi: string;
  /** Set on the workspace-host proxy of account SCIM: account objects (level "account"), workspace caller. */
  proxy?: true;
}

const WORKSPACE = /^(\/api\/2\.0\/preview\/scim\/v2)\/(Users|Groups|ServicePrincipals|Me)(?:\/([^/]+))?\/?$/;
const ACCOUNT = /^(\/api\/2\.[01]\/accounts\/([^/]+)\/scim\/v2)\/(Users|Groups|ServicePrincipals)(?:\/([^/]+))?\/?$/;
const PROXY = /^(\/api\/2\.0\/account\/scim\/v2)\/(Users|Groups)(?:\/([^/]+))?\/?$/;

function decode(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function matchRoute(path: string): Omit<ScimRoute, "workspaceId"> | undefined {
  const pathAfterApi = path.replace(/^\/api/, "");
  const ws = WORKSPACE.exec(path);
  if (ws) {
    const resource = ws[2] as ResourceType | "Me";
    if (resource === "Me" && ws[3] !== undefined) return undefined;
    const route: Omit<ScimRoute, "workspaceId"> = { level: "workspace", resource, base: ws[1] as string, pathAfterApi };
    const id = decode(ws[3]);
    if (id !== undefined) route.id = id;
    return route;
  }
  const acc = ACCOUNT.exec(path);
  if (acc) {
    const route: Omit<ScimRoute, "workspaceId"> = {
      level: "account",
      accountId: decode(acc[2]) as string,
      resource: acc[3] as ResourceType,
      base: acc[1] as string,
      pathAfterApi,
    };
    const id = decode(acc[4]);
    if (id !== undefined) route.id = id;
    return route;
  }
  const proxy = PROXY.exec(path);
  if (proxy) {
    const route: Omit<ScimRoute, "workspaceId"> = { level: "account", resource: proxy[2] as ResourceType, base: proxy[1] as string, pathAfterApi, proxy: true };
    const id = decode(proxy[3]);
    if (id !== undefined) route.id = id;
    return route;
  }
  return undefined;
}
