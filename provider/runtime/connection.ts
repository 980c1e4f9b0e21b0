import { resolveConnection, resolveConnectionAsync, type ResolvedConnection } from "../auth";
import { ScimClient } from "../client";
import type { TargetResolver } from "../lifecycle/context";
import type { TargetInputs } from "../lifecycle/types";
import { credentialInputs, sourceKey } from "./credentials";
import { showNotice } from "./notice";
import type { ProcessSettings, StackSettings } from "./settings";

/**
 * Resolves where and as whom to call, at call time: a resource's own target (host, level, accountId, as stored
 * in its state) and its connection's credential source first, then the stack configuration, then the
 * environment and the Databricks config files (./credentials.ts; provider/auth documents the order). Nothing
 * here is captured by the serialized provider or written to state.
 */
export function resolveFor(target: Partial<TargetInputs>, stack: StackSettings, env: NodeJS.ProcessEnv): ResolvedConnection {
  const { settings, env: seen, origins, fromStackConfig } = credentialInputs(target, stack, env);
  return resolveConnection(settings, seen, { settingsOrigins: origins, fromStackConfig });
}

/**
 * As resolveFor, plus the host's metadata when it can fill what nothing else gives (an account id at account
 * level, a unified host's workspace id at workspace level): for callers that have no check to store it first
 * (databricks-scim-import).
 */
export function resolveForAsync(target: Partial<TargetInputs>, stack: StackSettings, env: NodeJS.ProcessEnv): Promise<ResolvedConnection> {
  const { settings, env: seen, origins, fromStackConfig } = credentialInputs(target, stack, env);
  return resolveConnectionAsync(settings, seen, { settingsOrigins: origins, fromStackConfig });
}

function clientKey(target: Partial<TargetInputs>): string {
  // The credential source is part of the key: two connections to one host may act as different principals.
  // So is a unified host's workspace: each is a place of its own.
  return `${target.level}|${target.host}|${target.accountId ?? ""}|${target.hostWorkspaceId ?? ""}|${sourceKey(target)}`;
}

/**
 * The connections of one process (the provider session's, ./session.ts, or a program's lookups): where each
 * target's host came from, and one client per (host, level, account, credential source), so that every resource
 * of a run shares its connection pool, its concurrency cap and its pacing, which is what keeps a large `up` under
 * Databricks' limits.
 */
export class Connections {
  /** What check found the host's source to be, per client key (check and create run in one provider process). */
  private readonly hostSources = new Map<string, string>();
  private readonly clients = new Map<string, ScimClient>();

  constructor(
    private readonly settings: Pick<ProcessSettings, "env" | "clientTuning">,
    /** Called with each client made (the session's stats report). */
    private readonly onClient: (client: ScimClient) => void = () => undefined,
  ) {}

  resolveFor(target: Partial<TargetInputs>, stack: StackSettings): ResolvedConnection {
    return resolveFor(target, stack, this.settings.env);
  }

  /** resolveFor plus the host's metadata (see resolveForAsync), for callers with no check (the importer). */
  resolveForAsync(target: Partial<TargetInputs>, stack: StackSettings): Promise<ResolvedConnection> {
    return resolveForAsync(target, stack, this.settings.env);
  }

  /**
   * Where a target's calls go, resolved with the given stack configuration (the provider's, or a program's), at
   * check time: as resolveFor, plus the host's metadata for an account id nothing else gives (stored in the inputs,
   * so later calls resolve it without metadata). Each resolution remembers where its host came from, for the
   * client made later for the same target (see hostSourceFor).
   */
  targetResolver(stack: StackSettings): TargetResolver {
    const env = this.settings.env;
    return {
      resolve: async (target) => {
        const { settings, env: seen, origins, fromStackConfig } = credentialInputs(target, stack, env);
        const conn = await resolveConnectionAsync(settings, seen, { settingsOrigins: origins, fromStackConfig });
        const hostWorkspaceId = conn.level === "workspace" ? conn.workspaceId : undefined;
        this.hostSources.set(clientKey({ ...target, host: conn.host, level: conn.level, accountId: conn.accountId, hostWorkspaceId }), conn.hostSource);
        const metadataCloud = conn.cloudSource === "metadata" ? conn.cloud : undefined;
        return { ...conn, ...(metadataCloud ? { metadataCloud } : {}) };
      },
      defaultAccountId: stack.accountId ?? (env.DATABRICKS_ACCOUNT_ID || undefined),
      hasEnvVar: (name) => !!env[name],
    };
  }

  /**
   * Where a target's host came from, for the client's messages ("cannot reach https://h (from DATABRICKS_HOST)").
   * A call's target carries the host as check resolved it (stored in the resource's inputs), so resolving it again
   * would only say "the host of the resource". Instead: what check recorded in this process (`up`, `preview`);
   * else (refresh and destroy run no check) where the current stack config, environment or profile would put the
   * host, when that is the same host; else the state it was read from.
   */
  hostSourceFor(target: TargetInputs, stack: StackSettings): string {
    const recorded = this.hostSources.get(clientKey(target));
    if (recorded) return recorded;
    try {
      const ambient = this.resolveFor({ ...target, host: undefined }, stack);
      if (ambient.host === target.host) return ambient.hostSource;
    } catch {
      // No other source names a host: it is known only from the state.
    }
    return "as recorded in the stack's state";
  }

  /** The client of this target and credential source, made on first use. */
  clientFor(target: TargetInputs, stack: StackSettings): ScimClient {
    const key = clientKey(target);
    let client = this.clients.get(key);
    if (!client) {
      client = this.newClient(this.resolveFor(target, stack), this.hostSourceFor(target, stack));
      this.clients.set(key, client);
      this.onClient(client);
    }
    return client;
  }

  /**
   * A client for a resolved connection, with the test and benchmark knobs from the environment. Its messages name
   * the host's source, and a long wait on throttling or retries is shown to the user as it happens (./notice.ts).
   */
  newClient(conn: ResolvedConnection, hostSource: string = conn.hostSource): ScimClient {
    return new ScimClient({
      host: conn.host,
      level: conn.level,
      accountId: conn.accountId,
      ...(conn.workspaceId ? { workspaceId: conn.workspaceId } : {}),
      auth: conn.auth,
      hostSource,
      onNotice: (message) => showNotice(message),
      ...this.settings.clientTuning,
    });
  }
}
