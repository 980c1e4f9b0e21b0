// resolveConnection: explicit settings + environment + ~/.databrickscfg + ~/.netrc → host, level and AuthProvider.
// Pure and cheap: it reads files but never the network, so it can run in a provider's `check`; tokens are fetched
// lazily by AuthProvider.headers(). The README's Credentials section gives the order for users.
//
// Two steps, one file each:
//  1. layers.ts collects each attribute from the first layer that has it: explicit settings (the program's
//     connection merged with the stack configuration by the caller), the environment (DATABRICKS_*, ARM_*), a
//     config profile (profile / DATABRICKS_CONFIG_PROFILE, else [__settings__] default_profile, else DEFAULT, in
//     configFile / DATABRICKS_CONFIG_FILE / ~/.databrickscfg; skipped when no profile is named and host or an
//     auth attribute is already set), and, for Azure credentials only, AZURE_*.
//  2. chain.ts picks the strategy (strategies/*.ts, one per method), in the Go SDK's order.
import * as os from "node:os";
import type { Dispatcher } from "undici";
import { hasAuth } from "./attributes";
import { parseAuthType } from "./authType";
import type { AzureCredentialFactory, AzureCredentialOptions } from "./azure";
import { chooseCredential } from "./chain";
import { debugString } from "./describe";
import { isAzureHost } from "./host";
import { readLayers } from "./layers";
import { resolveTarget } from "./target";
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
  /** undici dispatcher for the OAuth token requests (e.g. an EnvHttpProxyAgent); default undici's global one. */
  dispatcher?: Dispatcher;
}

export function resolveConnection(settings: ConnectionSettings, env: NodeJS.ProcessEnv = process.env, opts: ResolveOptions = {}): ResolvedConnection {
  const homeDir = opts.homeDir ?? env.HOME ?? env.USERPROFILE ?? os.homedir();
  const layers = readLayers(settings, env, homeDir, opts.settingsOrigins);
  const debug = (a = layers.all): string => debugString(a, layers.extras);

  const authType = parseAuthType(layers.all.auth_type);
  const target = resolveTarget(layers.all, settings.level, hasAuth(layers.all) || authType !== undefined, debug());
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
  return { host: target.host, level: target.level, accountId, cloud: target.cloud, auth, hostSource };
}
