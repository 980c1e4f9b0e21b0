import { resolveConnection, resolveConnectionAsync, type ResolvedConnection } from "../auth";
import { ScimClient } from "../client";
import type { TargetResolver } from "../lifecycle/context";
import type { TargetInputs } from "../lifecycle/types";
import { credentialInputs, sourceKey } from "./credentials";
import { showNotice } from "./notice";
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

/**
 * As resolveFor, plus the host's metadata when it can fill what nothing else gives (an account id at account
 * level, a unified host's workspace id at workspace level): for callers that have no check to store it first
 * (databricks-scim-import).
 */
export function resolveForAsync(target: Partial<TargetInputs>, stack: StackSettings = stackSettings()): Promise<ResolvedConnection> {
  const { settings, env, origins } = credentialInputs(target, stack, process.env);
  return resolveConnectionAsync(settings, env, { settingsOrigins: origins });
}

/**
 * Where a target's calls go, resolved with the given stack configuration (the provider's, or a program's), at check
 * time: as resolveFor, plus the host's metadata for an account id nothing else gives (stored in the inputs, so
 * later calls resolve it without metadata). Each resolution remembers where its host came from, for the client
 * made later for the same target (see hostSourceFor).
 */
export function targetResolver(stack: StackSettings): TargetResolver {
  return {
    resolve: async (target) => {
      const { settings, env, origins } = credentialInputs(target, stack, process.env);
      const conn = await resolveConnectionAsync(settings, env, { settingsOrigins: origins });
      const hostWorkspaceId = conn.level === "workspace" ? conn.workspaceId : undefined;
      hostSources.set(clientKey({ ...target, host: conn.host, level: conn.level, accountId: conn.accountId, hostWorkspaceId }), conn.hostSource);
      const metadataCloud = conn.cloudSource === "metadata" ? conn.cloud : undefined;
      return { ...conn, ...(metadataCloud ? { metadataCloud } : {}) };
    },
    defaultAccountId: stack.accountId,
  };
}

/** What check found the host's source to be, per client key (check and create run in one provider process). */
const hostSources = new Map<string, string>();

/**
 * Where a target's host came from, for the client's messages ("cannot reach https://h (from DATABRICKS_HOST)").
 * A call's target carries the host as check resolved it (stored in the resource's inputs), so resolving it again
 * would only say "the host of the resource". Instead: what check recorded in this process (`up`, `preview`);
 * else (refresh and destroy run no check) where the current stack config, environment or profile would put the
 * host, when that is the same host; else the state it was read from.
 */
export function hostSourceFor(target: TargetInputs, stack: StackSettings = stackSettings()): string {
  const recorded = hostSources.get(clientKey(target));
  if (recorded) return recorded;
  try {
    const ambient = resolveFor({ ...target, host: undefined }, stack);
    if (ambient.host === target.host) return ambient.hostSource;
  } catch {
    // No other source names a host: it is known only from the state.
  }
  return "as recorded in the stack's state";
}

function clientKey(target: Partial<TargetInputs>): string {
  // The credential source is part of the key: two connections to one host may act as different principals.
  // So is a unified host's workspace: each is a place of its own.
  return `${target.level}|${target.host}|${target.accountId ?? ""}|${target.hostWorkspaceId ?? ""}|${sourceKey(target)}`;
}

/**
 * One client per (host, level, account) per provider process: every resource of a run shares its connection
 * pool, its concurrency cap and its pacing, which is what keeps a large `up` under Databricks' limits.
 */
const clients = new Map<string, ScimClient>();

export function clientFor(target: TargetInputs): ScimClient {
  const key = clientKey(target);
  let client = clients.get(key);
  if (!client) {
    client = newClient(resolveFor(target), hostSourceFor(target));
    clients.set(key, client);
    reportAtExit(client);
  }
  return client;
}

/**
 * A client for a resolved connection, with the test and benchmark knobs from the environment. Its messages name
 * the host's source, and a long wait on throttling or retries is shown to the user as it happens (./notice.ts).
 */
export function newClient(conn: ResolvedConnection, hostSource: string = conn.hostSource): ScimClient {
  return new ScimClient({
    host: conn.host,
    level: conn.level,
    accountId: conn.accountId,
    ...(conn.workspaceId ? { workspaceId: conn.workspaceId } : {}),
    auth: conn.auth,
    hostSource,
    onNotice: (message) => showNotice(message),
    ...clientTuningFromEnv(),
  });
}

/** Test and benchmark knobs; documented in the README. */
function clientTuningFromEnv(): { maxConcurrency?: number; rateLimits?: false } {
  const out: { maxConcurrency?: number; rateLimits?: false } = {};
  const c = Number(process.env.DATABRICKS_SCIM_MAX_CONCURRENCY);
  if (Number.isInteger(c) && c > 0) out.maxConcurrency = c;
  if (process.env.DATABRICKS_SCIM_PACING === "off") out.rateLimits = false;
  return out;
}
