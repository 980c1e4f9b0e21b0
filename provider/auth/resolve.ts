// resolveConnection: explicit settings + environment + ~/.databrickscfg + ~/.netrc → host, level and AuthProvider.
// Pure and cheap: it reads files but never the network, so it can run in a provider's `check`; tokens are fetched
// lazily by AuthProvider.headers(). docs/guides/credentials.md gives the order for users.
//
// Two steps, one file each:
//  1. layers.ts collects each attribute from the first layer that has it: explicit settings (the program's
//     connection merged with the stack configuration by the caller), the environment (DATABRICKS_*, ARM_*), a
//     config profile (profile / DATABRICKS_CONFIG_PROFILE, else [__settings__] default_profile, else DEFAULT, in
//     configFile / DATABRICKS_CONFIG_FILE / ~/.databrickscfg; skipped when no profile is named and host or an
//     auth attribute is already set), and, for Azure credentials only, AZURE_*.
//  2. chain.ts picks the strategy (strategies/*.ts, one per method), in the Go SDK's order.
// resolveConnectionAsync adds the one network read the SDKs make before resolving: the host's metadata
// (hostMetadata.ts), only when it can fill something missing (an account-level target's account id, a
// workspace-level target's workspace id), and then its cloud too; everything else is resolveConnection's.
import * as os from "node:os";
import type { Dispatcher } from "undici";
import { hasAuth } from "./attributes";
import { parseAuthType } from "./authType";
import type { AzureCredentialFactory, AzureCredentialOptions } from "./azure";
import { chooseCredential } from "./chain";
import { debugString } from "./describe";
import { isAzureHost } from "./host";
import { fetchHostMetadata, type HostMetadata } from "./hostMetadata";
import { readLayers } from "./layers";
import { metadataOrigin, metadataWanted, resolveTarget } from "./target";
import type { ConnectionSettings, ResolvedConnection } from "./types";

export { DOCS_URL, SUPPORTED_AUTH_TYPES, type AuthType } from "./authType";

export interface ResolveOptions {
  /** Home directory for ~/.databrickscfg and ~/.netrc; default env.HOME / env.USERPROFILE / os.homedir(). */
  homeDir?: string;
  /** Test seam / custom credential: builds the Entra credential instead of @azure/identity. */
  azureCredentialFactory?: AzureCredentialFactory;
  /** Passed to @azure/identity (authorityHost, disableInstanceDiscovery, tlsOptions). */
  azureCredentialOptions?: AzureCredentialOptions;
  /**
   * Where each explicit setting came from, for messages: e.g. `{ token: "databricks-scim:token from the stack
   * configuration" }`. Default "connection settings". Never a value, only a name.
   */
  settingsOrigins?: Partial<Record<keyof ConnectionSettings, string>>;
  /**
   * The explicit settings that came from the stack configuration rather than a program's connection: their
   * credentials get the "stackConfig" AuthProvider.sourceKinds (the caller merged both into `settings`).
   */
  fromStackConfig?: readonly (keyof ConnectionSettings)[];
  /** undici dispatcher for the OAuth token requests (e.g. an EnvHttpProxyAgent); default undici's global one. */
  dispatcher?: Dispatcher;
  /** The host's metadata, fetched by resolveConnectionAsync: fills the account id, workspace id and cloud when unset. */
  hostMetadata?: HostMetadata;
  /** resolveConnectionAsync: give up on the metadata after this many ms (default 5000). */
  hostMetadataTimeoutMs?: number;
}

export function resolveConnection(settings: ConnectionSettings, env: NodeJS.ProcessEnv = process.env, opts: ResolveOptions = {}): ResolvedConnection {
  const homeDir = opts.homeDir ?? env.HOME ?? env.USERPROFILE ?? os.homedir();
  const layers = readLayers(settings, env, homeDir, opts.settingsOrigins, opts.fromStackConfig);
  const debug = (a = layers.all): string => debugString(a, layers.extras);

  const authType = parseAuthType(layers.all.auth_type);
  const target = resolveTarget(layers.all, settings.level, hasAuth(layers.all) || authType !== undefined, debug(), opts.hostMetadata);
  const accountId = target.accountId?.value;
  const auth = chooseCredential({
    layers,
    authType: authType && { name: authType, from: layers.all.auth_type! },
    ctx: {
      host: target.host,
      level: target.level,
      accountId,
      env,
      homeDir,
      azureCredentialFactory: opts.azureCredentialFactory,
      azureCredentialOptions: opts.azureCredentialOptions,
      dispatcher: opts.dispatcher,
    },
    azureHost: isAzureHost(target.host),
    debug,
  });
  // resolveTarget has thrown unless some layer set the host.
  const hostSource = `from ${layers.all.host?.origin ?? "connection settings"}`;
  const out: ResolvedConnection = { host: target.host, level: target.level, accountId, cloud: target.cloud, cloudSource: target.cloudSource, auth, hostSource };
  if (target.accountId?.origin === metadataOrigin(target.host)) out.accountIdSource = target.accountId.origin;
  if (target.workspaceId !== undefined) {
    out.workspaceId = target.workspaceId.value;
    if (target.workspaceId.origin === metadataOrigin(target.host)) out.workspaceIdSource = target.workspaceId.origin;
  }
  return out;
}

/**
 * resolveConnection, after reading the host's metadata when it can supply something missing: an account-level
 * target (explicit level, or an accounts.* host) with no account id anywhere, or a workspace-level one with no
 * workspace id anywhere (whether the host is a unified one only its metadata says). Best effort: no metadata (a
 * 404, an error, a timeout) leaves resolveConnection's own answer, the "account_id is required" error included.
 * Nothing set by the user is ever replaced, and a target that lacks nothing makes no request.
 */
export async function resolveConnectionAsync(
  settings: ConnectionSettings,
  env: NodeJS.ProcessEnv = process.env,
  opts: ResolveOptions = {},
): Promise<ResolvedConnection> {
  if (opts.hostMetadata === undefined) {
    const homeDir = opts.homeDir ?? env.HOME ?? env.USERPROFILE ?? os.homedir();
    let probe: string | undefined;
    try {
      probe = metadataWanted(readLayers(settings, env, homeDir, opts.settingsOrigins, opts.fromStackConfig).all, settings.level);
    } catch {
      probe = undefined; // resolveConnection reports what is wrong with the settings
    }
    if (probe !== undefined) {
      const meta = await fetchHostMetadata(probe, { timeoutMs: opts.hostMetadataTimeoutMs, dispatcher: opts.dispatcher });
      if (meta) return resolveConnection(settings, env, { ...opts, hostMetadata: meta });
    }
  }
  return resolveConnection(settings, env, opts);
}
