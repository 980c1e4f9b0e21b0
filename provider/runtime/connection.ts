import { resolveConnection, type ResolvedConnection } from "../auth";
import { ScimClient } from "../client";
import type { TargetResolver } from "../lifecycle/context";
import type { TargetInputs } from "../lifecycle/types";
import { credentialInputs, sourceKey } from "./credentials";
import { stackSettings, type StackSettings } from "./settings";
import { reportAtExit } from "./statsReport";

/**
 * Resolves where and as whom to call, at call time: a resource's own target (host, level, accountId, as stored
 * in its state) and its connection's credential source first, then the stack configuration, then the
 * environment and the Databricks config files (./credentials.ts; provider/auth documents the order). Nothing
 * here is captured by the serialized provider or written to state.
 */
export function resolveFor(target: Partial<TargetInputs>, stack: StackSettings = stackSettings()): ResolvedConnection {
  const { settings, env, origins } = credentialInputs(target, stack, process.env);
  return resolveConnection(settings, env, { settingsOrigins: origins });
}

/** Where a target's calls go, resolved with the given stack configuration (the provider's, or a program's). */
export function targetResolver(stack: StackSettings): TargetResolver {
  return { resolve: (target) => resolveFor(target, stack), defaultAccountId: stack.accountId };
}

/**
 * One client per (host, level, account) per provider process: every resource of a run shares its connection
 * pool, its concurrency cap and its pacing, which is what keeps a large `up` under Databricks' limits.
 */
const clients = new Map<string, ScimClient>();

export function clientFor(target: TargetInputs): ScimClient {
  // The credential source is part of the key: two connections to one host may act as different principals.
  const key = `${target.level}|${target.host}|${target.accountId ?? ""}|${sourceKey(target)}`;
  let client = clients.get(key);
  if (!client) {
    client = newClient(resolveFor(target));
    clients.set(key, client);
    reportAtExit(client);
  }
  return client;
}

/** A client for a resolved connection, with the test and benchmark knobs from the environment. */
export function newClient(conn: ResolvedConnection): ScimClient {
  return new ScimClient({ host: conn.host, level: conn.level, accountId: conn.accountId, auth: conn.auth, ...clientTuningFromEnv() });
}

/** Test and benchmark knobs; documented in the README. */
function clientTuningFromEnv(): { maxConcurrency?: number; rateLimits?: false } {
  const out: { maxConcurrency?: number; rateLimits?: false } = {};
  const c = Number(process.env.DATABRICKS_SCIM_MAX_CONCURRENCY);
  if (Number.isInteger(c) && c > 0) out.maxConcurrency = c;
  if (process.env.DATABRICKS_SCIM_PACING === "off") out.rateLimits = false;
  return out;
}
