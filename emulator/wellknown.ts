// Host metadata: `GET /.well-known/databricks-config`, which current Databricks SDKs (Go, Python) fetch without a
// token before anything else, to learn a host's account id, workspace id, cloud, kind and OIDC root. They read
// `oidc_endpoint` (the OIDC root: they append /.well-known/oauth-authorization-server, after replacing an
// `{account_id}` placeholder), `account_id`, `workspace_id`, `cloud` (case-insensitive AWS|AZURE|GCP) and
// `host_type` (workspace|account|unified); a failed fetch makes them warn and fall back to the user's settings.
//
// Served with no token on every host, consistent with what the emulator issues elsewhere:
//  - a workspace's own port: a workspace host: that workspace's id, OIDC root `{host}/oidc` (its discovery and
//    token endpoint are oauth.ts's workspace ones, on that same port);
//  - the main port: it serves the account API and, by X-Databricks-Workspace-Id, every workspace (federation/
//    host.ts), as a unified host does: `host_type` "unified", the account's OIDC root
//    `{host}/oidc/accounts/{account_id}` (where oauth.ts issues account tokens, which auth.ts then also accepts
//    for workspace calls on this port), and the primary workspace's id (what a call without the header reaches).
// The OIDC documents themselves (and their 404 when OAuth is off) are oauth.ts's.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { IncomingMessage } from "node:http";
import type { Cloud } from "./options";

export type HostType = "workspace" | "account" | "unified";

/** The JSON body, with the SDKs' field names. */
export interface HostMetadata {
  oidc_endpoint: string;
  account_id: string;
  workspace_id?: string;
  cloud: "AWS" | "AZURE" | "GCP";
  host_type: HostType;
}

export interface WellKnownHost {
  cloud: Cloud;
  identity: { accountId: string; workspaceId: string };
}

export const HOST_METADATA_PATH = "/.well-known/databricks-config";

const CLOUD_NAMES: Record<Cloud, HostMetadata["cloud"]> = { aws: "AWS", azure: "AZURE", gcp: "GCP" };

/** The metadata of one host: `workspaceId` is the workspace bound to its port, undefined on the main port. */
export function hostMetadata(core: WellKnownHost, origin: string, workspaceId: string | undefined): HostMetadata {
  const cloud = CLOUD_NAMES[core.cloud];
  const accountId = core.identity.accountId;
  if (workspaceId !== undefined) {
    return { oidc_endpoint: `${origin}/oidc`, account_id: accountId, workspace_id: workspaceId, cloud, host_type: "workspace" };
  }
  return {
    oidc_endpoint: `${origin}/oidc/accounts/${accountId}`,
    account_id: accountId,
    workspace_id: core.identity.workspaceId,
    cloud,
    host_type: "unified",
  };
}

/**
 * Registers the route ahead of the catch-all SCIM handler, so it needs no token and is not counted in the SCIM
 * stats (as the OIDC discovery documents). `boundWorkspace`: the workspace whose port a request came in on.
 */
export function registerWellKnown(app: FastifyInstance, core: WellKnownHost, boundWorkspace: (raw: IncomingMessage) => string | undefined): void {
  const origin = (req: FastifyRequest) => `http://${req.headers.host ?? "localhost"}`;
  app.get(HOST_METADATA_PATH, async (req, reply) => {
    return reply.header("cache-control", "no-store").send(hostMetadata(core, origin(req), boundWorkspace(req.raw)));
  });
}
