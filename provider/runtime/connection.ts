import { resolveConnection, type ConnectionSettings, type ResolvedConnection } from "../auth";
import { ScimClient } from "../client";
import type { TargetInputs } from "../lifecycle/types";
import { stackSettings } from "./settings";

/**
 * Resolves where and as whom to call, at call time: a resource's own target (host, level, accountId, as stored
 * in its state) first, then the stack configuration, then the environment and the Databricks config files
 * (provider/auth documents the order). Nothing here is captured by the serialized provider or written to state.
 */
export function resolveFor(target: Partial<TargetInputs>): ResolvedConnection {
  const stack = stackSettings();
  const settings: ConnectionSettings = {
    host: target.host ?? stack.host,
    level: target.level ?? (stack.level as ConnectionSettings["level"]),
    accountId: target.accountId ?? stack.accountId,
    token: stack.token,
    clientId: stack.clientId,
    clientSecret: stack.clientSecret,
    profile: stack.profile,
    configFile: stack.configFile,
    authType: stack.authType,
    azureClientId: stack.azureClientId,
    azureClientSecret: stack.azureClientSecret,
    azureTenantId: stack.azureTenantId,
  };
  return resolveConnection(settings, process.env);
}

/**
 * One client per (host, level, account) per provider process: every resource of a run shares its connection
 * pool, its concurrency cap and its pacing, which is what keeps a large `up` under Databricks' limits.
 */
const clients = new Map<string, ScimClient>();

export function clientFor(target: TargetInputs): ScimClient {
  const key = `${target.level}|${target.host}|${target.accountId ?? ""}`;
  let client = clients.get(key);
  if (!client) {
    const conn = resolveFor(target);
    client = new ScimClient({
      host: conn.host,
      level: conn.level,
      accountId: conn.accountId,
      auth: conn.auth,
      ...clientTuningFromEnv(),
    });
    clients.set(key, client);
  }
  return client;
}

/** Test and benchmark knobs; documented in the README. */
function clientTuningFromEnv(): { maxConcurrency?: number; rateLimits?: false } {
  const out: { maxConcurrency?: number; rateLimits?: false } = {};
  const c = Number(process.env.DATABRICKS_SCIM_MAX_CONCURRENCY);
  if (Number.isInteger(c) && c > 0) out.maxConcurrency = c;
  if (process.env.DATABRICKS_SCIM_PACING === "off") out.rateLimits = false;
  return out;
}
