// Where to call: host, level, account id, workspace id and cloud from the merged attributes. A host may carry the
// account id (https://accounts.cloud.databricks.com/?a=<id>) and the workspace id (`?o=<id>`), which fill missing
// ones; so may the host's metadata (hostMetadata.ts), after every setting: what the user set always wins.
import type { Attrs, Value } from "./attributes";
import { DOCS_URL } from "./authType";
import { CredentialError } from "./errors";
import { cloudFromHost, isAccountHost, normaliseHost } from "./host";
import type { HostMetadata } from "./hostMetadata";
import type { Cloud, ConnectionSettings, Level } from "./types";

export interface Target {
  host: string;
  level: Level;
  accountId?: Value;
  /** Workspace level only: the workspace a unified host routes calls to (settings, `?o=`, else metadata). */
  workspaceId?: Value;
  /** The metadata's when read, else from the host name. */
  cloud: Cloud;
  cloudSource: "metadata" | "host";
}

/** The origin of values read from a host's metadata, for messages. */
export function metadataOrigin(host: string): string {
  return `the host metadata of ${host} (/.well-known/databricks-config)`;
}

/**
 * What resolveTarget would lack without metadata, as the host to ask (undefined: nothing is missing, make no
 * request): an account-level target without an account id, or a workspace-level one without a workspace id (a
 * unified host needs it to route the calls; only the host's metadata can say whether the host is one).
 */
export function metadataWanted(all: Attrs, level: ConnectionSettings["level"]): string | undefined {
  if (!all.host || (level !== undefined && level !== "workspace" && level !== "account")) return undefined;
  let n;
  try {
    n = normaliseHost(all.host.value, all.host.origin);
  } catch {
    return undefined;
  }
  const resolvedLevel = level ?? (isAccountHost(n.host) ? "account" : "workspace");
  if (resolvedLevel === "account") return !all.account_id && !n.accountId ? n.host : undefined;
  return !all.workspace_id && !n.workspaceId ? n.host : undefined;
}

export function resolveTarget(all: Attrs, level: ConnectionSettings["level"], authAttrsSet: boolean, debug: string, meta?: HostMetadata): Target {
  if (level !== undefined && level !== "workspace" && level !== "account") {
    throw new CredentialError("AUTH_INVALID_CONFIG", `connection settings: level ${JSON.stringify(level)} is not valid: use "workspace" or "account"`, "level");
  }
  if (!all.host) {
    const what = authAttrsSet ? "Credentials are set but no host is" : "Nothing is";
    throw new CredentialError(
      "AUTH_NOT_CONFIGURED",
      `default auth: cannot configure default credentials, please check ${DOCS_URL} to configure credentials for your preferred authentication method. ${debug}. ${what} configured: set host in the connection or stack config (databricks-scim:host), DATABRICKS_HOST, or a ~/.databrickscfg profile`,
      "host",
    );
  }
  const n = normaliseHost(all.host.value, all.host.origin);
  const fromHost = (value: string | undefined): Value | undefined => (value ? { value, layer: all.host!.layer, origin: all.host!.origin } : undefined);
  const fromMeta = (value: string | undefined): Value | undefined => (value ? { value, layer: all.host!.layer, origin: metadataOrigin(n.host) } : undefined);
  const resolvedLevel = level ?? (isAccountHost(n.host) || meta?.hostType === "account" ? "account" : "workspace");
  // The metadata's account id only where it is needed (account level): at workspace level it would only add an
  // account id to every resource's stored target.
  const accountId = all.account_id ?? fromHost(n.accountId) ?? (resolvedLevel === "account" ? fromMeta(meta?.accountId) : undefined);
  if (resolvedLevel === "account" && !accountId) {
    throw new CredentialError(
      "AUTH_INVALID_CONFIG",
      `account_id is required for the account-level host ${n.host}: set accountId in the connection or stack config (databricks-scim:accountId), DATABRICKS_ACCOUNT_ID, or account_id in the profile. ${debug}`,
      "accountId",
    );
  }
  const target: Target = {
    host: n.host,
    level: resolvedLevel,
    accountId,
    cloud: meta?.cloud ?? cloudFromHost(n.host),
    cloudSource: meta?.cloud ? "metadata" : "host",
  };
  if (resolvedLevel === "workspace") {
    // The metadata's workspace id only from a unified host: a workspace host names its workspace by itself, and
    // the header would only be stored in every resource's state for nothing.
    const workspaceId = all.workspace_id ?? fromHost(n.workspaceId) ?? (meta?.hostType === "unified" ? fromMeta(meta.workspaceId) : undefined);
    if (workspaceId && !/^\d+$/.test(workspaceId.value)) {
      throw new CredentialError(
        "AUTH_INVALID_CONFIG",
        `workspace_id ${JSON.stringify(workspaceId.value)} (from ${workspaceId.origin}) is not a workspace id: expected the numeric id of a workspace (the o= of its URL), e.g. 1234567890123456`,
      );
    }
    if (workspaceId) target.workspaceId = workspaceId;
  }
  return target;
}
