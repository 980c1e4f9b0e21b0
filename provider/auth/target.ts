// Where to call: host, level and account id from the merged attributes. A host may carry the account id
// (https://accounts.cloud.databricks.com/...accounts/<id>), which fills a missing account_id.
import type { Attrs, Value } from "./attributes";
import { DOCS_URL } from "./authType";
import { CredentialError } from "./errors";
import { cloudFromHost, isAccountHost, normaliseHost } from "./host";
import type { Cloud, ConnectionSettings, Level } from "./types";

export interface Target {
  host: string;
  level: Level;
  accountId?: Value;
  cloud: Cloud;
}

export function resolveTarget(all: Attrs, level: ConnectionSettings["level"], authAttrsSet: boolean, debug: string): Target {
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
  const accountId = all.account_id ?? (n.accountId ? { value: n.accountId, layer: all.host.layer, origin: all.host.origin } : undefined);
  const resolvedLevel = level ?? (isAccountHost(n.host) ? "account" : "workspace");
  if (resolvedLevel === "account" && !accountId) {
    throw new CredentialError(
      "AUTH_INVALID_CONFIG",
      `account_id is required for the account-level host ${n.host}: set accountId in the connection or stack config (databricks-scim:accountId), DATABRICKS_ACCOUNT_ID, or account_id in the profile. ${debug}`,
      "accountId",
    );
  }
  return { host: n.host, level: resolvedLevel, accountId, cloud: cloudFromHost(n.host) };
}
