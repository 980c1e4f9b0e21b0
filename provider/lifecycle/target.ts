import { type Checker, isUnknown } from "./check";
import { CredentialError, type TargetSetting } from "../client";
import { type CheckedConnection, checkConnection, isIsolated } from "./connection";
import type { TargetResolver } from "./context";
import type { TargetInputs } from "./types";

const ACCOUNT_ID_REQUIRED =
  "is required at account level. Set accountId on the resource, `pulumi config set databricks-scim:accountId <uuid>`, or DATABRICKS_ACCOUNT_ID.";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The lower-case host name of a host URL ("" when it is not a URL, e.g. unknown during a preview). */
export function hostnameOf(host: string): string {
  try {
    return new URL(host).hostname.toLowerCase();
  } catch {
    return "";
  }
}

/** This machine (a local emulator or a tunnel): plain http is allowed, and the cloud is unknown. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(hostnameOf(host));
}

/**
 * Validates and resolves the target of a resource at check time: host (explicit, else stack config, else
 * environment or ~/.databrickscfg, as `targets` resolves them), level and account id, and that some credential
 * source applies. No network, except the one best-effort read of the host's metadata that `targets` makes for an
 * account-level target without an account id (provider/auth/hostMetadata.ts).
 * The resolved values are stored in the resource's inputs, so a later change of environment never silently
 * points existing resources at another workspace: it shows up as a replacement in the preview instead.
 */
/** What check learnt about the target besides what it stores: the cloud, when the host's metadata named it. */
export interface TargetSeen {
  cloud?: "aws" | "azure" | "gcp";
}

export async function checkTarget(
  c: Checker,
  news: Record<string, unknown>,
  targets: TargetResolver,
  seen: TargetSeen = {},
): Promise<TargetInputs | undefined> {
  // A connection object (./connection.ts) supplies the target when the resource does not, and the credential source.
  const before = c.failures.length;
  const conn = checkConnection(c, news.connection, targets.hasEnvVar);
  // A connection refused field by field is the cause: resolving without the refused fields would only add a
  // second failure with advice for another source (e.g. "Set DATABRICKS_TOKEN" for a connection's tokenEnvVar).
  const connectionRefused = c.failures.length > before;
  const connection = conn.source ? { connection: conn.source } : {};
  const host = news.host ?? conn.host;
  const level = news.level ?? conn.level;
  const accountId = news.accountId ?? conn.accountId;
  if (conn.unknown || isUnknown(host) || isUnknown(level) || isUnknown(accountId)) {
    // A host that is an output of another resource (a workspace being created) is unknown during preview.
    // No `accountId: undefined` key: check's inputs go back to the engine as a protobuf Struct, which refuses
    // undefined ("Unexpected struct type").
    return {
      host: host as string,
      level: (level ?? "workspace") as TargetInputs["level"],
      ...(accountId !== undefined ? { accountId: accountId as string } : {}),
      ...connection,
    };
  }
  if (host !== undefined && typeof host !== "string") {
    c.fail("host", 'expected a URL string such as "https://adb-1234567890123456.7.azuredatabricks.net".');
    return undefined;
  }
  if (level !== undefined && level !== "workspace" && level !== "account") {
    c.fail("level", `'${String(level)}' is not a level. Use "workspace" (a workspace's SCIM API) or "account" (the account console's).`);
    return undefined;
  }
  if (accountId !== undefined && (typeof accountId !== "string" || accountId.trim() === "")) {
    c.fail("accountId", "expected the account's UUID, as shown in the account console.");
    return undefined;
  }
  // No account id set anywhere: the host's metadata may still name it (a unified or account host), so resolve.
  const accountIdUnset = level === "account" && !(accountId ?? targets.defaultAccountId);
  if (connectionRefused) return undefined;
  let resolved;
  try {
    resolved = await targets.resolve({ host, level, accountId, ...connection });
  } catch (e) {
    if (accountIdUnset && e instanceof CredentialError && e.setting === "accountId") {
      c.fail("accountId", `${ACCOUNT_ID_REQUIRED} (The host's /.well-known/databricks-config did not name one.)`);
      return undefined;
    }
    const { property, reason } = attributeFailure(e, news, conn);
    c.fail(property, reason);
    return undefined;
  }
  const url = new URL(resolved.host);
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) {
    const from = resolved.hostSource ? ` (${resolved.hostSource})` : "";
    c.fail(
      inputOf("host", news, conn),
      `'${resolved.host}'${from} uses plain http to a host that is not this machine; tokens would travel unencrypted. Use https://${url.host}.`,
    );
    return undefined;
  }
  if (resolved.level === "account" && !resolved.accountId) {
    c.fail(inputOf("accountId", news, conn), ACCOUNT_ID_REQUIRED);
    return undefined;
  }
  if (resolved.metadataCloud) seen.cloud = resolved.metadataCloud;
  return {
    host: resolved.host,
    level: resolved.level,
    ...(resolved.accountId ? { accountId: resolved.accountId } : {}),
    ...(resolved.level === "workspace" && resolved.workspaceId ? { hostWorkspaceId: resolved.workspaceId } : {}),
    ...connection,
  };
}

/**
 * Which input a resolution failure is reported against. Pulumi prints a failure on a property as `property
 * <name> value {<the registered value>} has a problem`, so a property is named only when the program set it:
 *  - a target setting at fault (a host that is not a URL, an account id missing) set on the resource or its
 *    connection: that input;
 *  - credentials a connection names (profile, tokenEnvVar, …): `connection`;
 *  - anything else comes from the stack configuration, the environment or a profile, which are no input of the
 *    resource: no property (Pulumi prints `resource '<name>' has a problem: …`), and the message names the
 *    source (the "Config: … Env: …" part of the credential message).
 */
function attributeFailure(e: unknown, news: Record<string, unknown>, conn: CheckedConnection): { property: string; reason: string } {
  const message = (e as Error).message;
  const setting = e instanceof CredentialError ? e.setting : undefined;
  if (setting) {
    return { property: inputOf(setting, news, conn), reason: `no usable Databricks ${setting === "host" ? "host" : "target"}: ${message}` };
  }
  return { property: isIsolated(conn.source) ? "connection" : "", reason: `no usable Databricks credentials: ${message}` };
}

/** The input that sets a target setting: the resource's own, else its connection's, else none (""). */
function inputOf(setting: TargetSetting, news: Record<string, unknown>, conn: CheckedConnection): string {
  return news[setting] !== undefined ? setting : conn[setting] !== undefined ? "connection" : "";
}

/** Fields of the target that, when changed, move the principal somewhere else: a replacement. */
export function targetReplaces(olds: Partial<TargetInputs>, news: Partial<TargetInputs>): string[] {
  const out: string[] = [];
  if (olds.host !== news.host) out.push("host");
  if ((olds.level ?? "workspace") !== (news.level ?? "workspace")) out.push("level");
  if ((olds.accountId ?? "") !== (news.accountId ?? "")) out.push("accountId");
  // Another workspace of a unified host is another place. Only when both name one: state written before the
  // workspace id was learned has none, and a metadata read that failed this time must not replace everything.
  if (olds.hostWorkspaceId !== undefined && news.hostWorkspaceId !== undefined && olds.hostWorkspaceId !== news.hostWorkspaceId) {
    out.push("hostWorkspaceId");
  }
  return out;
}

/** The SCIM collection URL of a target, e.g. `https://host/api/2.0/preview/scim/v2/Groups`. */
export function scimCollectionUrl(target: TargetInputs, collection: "Users" | "Groups" | "ServicePrincipals"): string {
  const base = target.level === "account" ? `/api/2.0/accounts/${encodeURIComponent(target.accountId ?? "")}/scim/v2` : "/api/2.0/preview/scim/v2";
  return `${target.host}${base}/${collection}`;
}
