// Where to call: host, level and account id from the merged attributes. A host may carry the account id
// (https://accounts.cloud.databricks.com/...accounts/<id>), which fills a missing account_id; so may the host's
// metadata (hostMetadata.ts), after every setting: what the user set always wins.
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
  /** From the host's metadata only (a unified host's workspace); there is no setting for it. */
  workspaceId?: string;
  cloud: Cloud;
}

/** The origin of values read from a host's metadata, for messages. */
export function metadataOrigin(host: string): string {
  return `the host metadata of ${host} (/.well-known/databricks-config)`;
}

/** What resolveTarget would find without metadata: whether an account-level target lacks its account id. */
export function accountIdMissing(all: Attrs, level: ConnectionSettings["level"]): string | undefined {
  if (!all.host || (level !== undefined && level !== "workspace" && level !== "account")) return undefined;
  let n;
  try {
    n = normaliseHost(all.host.value, all.host.origin);
  } catch {
    return undefined;
  }
  const resolvedLevel = level ?? (isAccountHost(n.host) ? "account" : "workspace");
  return resolvedLevel === "account" && !all.account_id && !n.accountId ? n.host : undefined;
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
  const fromMeta = meta?.accountId ? { value: meta.accountId, layer: all.host.layer, origin: metadataOrigin(n.host) } : undefined;
  const accountId = all.account_id ?? (n.accountId ? { value: n.accountId, layer: all.host.layer, origin: all.host.origin } : fromMeta);
  const resolvedLevel = level ?? (isAccountHost(n.host) || meta?.hostType === "account" ? "account" : "workspace");
  if (resolvedLevel === "account" && !accountId) {
    throw new CredentialError(
      "AUTH_INVALID_CONFIG",
      `account_id is required for the account-level host ${n.host}: set accountId in the connection or stack config (databricks-scim:accountId), DATABRICKS_ACCOUNT_ID, or account_id in the profile. ${debug}`,
      "accountId",
    );
  }
  const target: Target = { host: n.host, level: resolvedLevel, accountId, cloud: cloudFromHost(n.host) };
  const workspaceId = meta?.workspaceId;
  if (workspaceId !== undefined) target.workspaceId = workspaceId;
  return target;
}
