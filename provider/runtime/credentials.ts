import type { ConnectionSettings, ResolveOptions } from "../auth";
import { isIsolated } from "../lifecycle/connection";
import type { ConnectionSource, TargetInputs } from "../lifecycle/types";
import { CONFIG_NAMESPACE, type StackSettings } from "./settings";

/** What resolveConnection gets for one resource: the merged settings, the environment it may read, labels. */
export interface CredentialInputs {
  settings: ConnectionSettings;
  env: NodeJS.ProcessEnv;
  origins: NonNullable<ResolveOptions["settingsOrigins"]>;
  /** The settings taken from the stack configuration (ResolveOptions.fromStackConfig); none for an isolated connection. */
  fromStackConfig: (keyof ConnectionSettings)[];
}

/**
 * The ambient Databricks/Azure variables a connection with its own credentials must not see: a DATABRICKS_TOKEN
 * meant for the stack's default workspace would otherwise outrank (or fill in for) a second workspace's
 * profile, and be sent to that workspace.
 */
const AMBIENT = /^(DATABRICKS_|ARM_|AZURE_)/;

function withoutAmbient(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!AMBIENT.test(k)) out[k] = v;
  return out;
}

/**
 * Settings for one call, at call time (so a rotated secret is read by the very next operation):
 *  - a connection that names its credentials (profile, tokenEnvVar, clientIdEnvVar/clientSecretEnvVar) uses
 *    only those, plus the target: neither the stack config's credentials nor DATABRICKS_* are consulted;
 *  - otherwise the resource's target, then the stack config (`databricks-scim:*`), then the environment and
 *    the config files (provider/auth/README.md has the order), with authType/azureResourceId from the connection.
 */
export function credentialInputs(target: Partial<TargetInputs>, stack: StackSettings, env: NodeJS.ProcessEnv): CredentialInputs {
  const src: ConnectionSource | undefined = target.connection;
  if (isIsolated(src) && src) {
    const settings: ConnectionSettings = {
      host: target.host,
      level: target.level,
      accountId: target.accountId,
      workspaceId: target.hostWorkspaceId,
      profile: src.profile,
      configFile: src.configFile,
      authType: src.authType,
      azureResourceId: src.azureResourceId,
      token: src.tokenEnvVar ? env[src.tokenEnvVar] : undefined,
      clientId: src.clientIdEnvVar ? env[src.clientIdEnvVar] : undefined,
      clientSecret: src.clientSecretEnvVar ? env[src.clientSecretEnvVar] : undefined,
    };
    const origins: CredentialInputs["origins"] = hostOrigin(target, {});
    if (src.tokenEnvVar) origins.token = `${src.tokenEnvVar} from the environment (connection.tokenEnvVar)`;
    if (src.clientIdEnvVar) origins.clientId = `${src.clientIdEnvVar} from the environment (connection.clientIdEnvVar)`;
    if (src.clientSecretEnvVar) origins.clientSecret = `${src.clientSecretEnvVar} from the environment (connection.clientSecretEnvVar)`;
    return { settings, env: withoutAmbient(env), origins, fromStackConfig: [] };
  }
  const settings: ConnectionSettings = {
    host: target.host ?? stack.host,
    level: target.level ?? (stack.level as ConnectionSettings["level"]),
    accountId: target.accountId ?? stack.accountId,
    workspaceId: target.hostWorkspaceId ?? stack.workspaceId,
    token: stack.token,
    clientId: stack.clientId,
    clientSecret: stack.clientSecret,
    profile: stack.profile,
    configFile: stack.configFile,
    authType: src?.authType ?? stack.authType,
    azureResourceId: src?.azureResourceId,
    azureClientId: stack.azureClientId,
    azureClientSecret: stack.azureClientSecret,
    azureTenantId: stack.azureTenantId,
  };
  // Name the stack config key in messages ("databricks-scim:token from the stack configuration was rejected …"),
  // so a stale token saved with the last `pulumi up` is recognisable on destroy.
  // The same keys, typed, are what the stale-credential hint of lifecycle/define.ts decides on.
  const origins: CredentialInputs["origins"] = hostOrigin(target, stack);
  const fromStackConfig: (keyof ConnectionSettings)[] = [];
  for (const key of ["token", "clientId", "clientSecret", "profile", "configFile", "azureClientId", "azureClientSecret", "azureTenantId"] as const) {
    if (stack[key] === undefined) continue;
    origins[key] = `${CONFIG_NAMESPACE}:${key} from the stack configuration`;
    fromStackConfig.push(key);
  }
  return { settings, env, origins, fromStackConfig };
}

/** How messages name the host's origin when it is set explicitly (the environment and profiles name themselves). */
function hostOrigin(target: Partial<TargetInputs>, stack: StackSettings): CredentialInputs["origins"] {
  if (target.host !== undefined) return { host: HOST_OF_RESOURCE };
  if (stack.host !== undefined) return { host: `stack config ${CONFIG_NAMESPACE}:host` };
  return {};
}

/** A resource's own host: the program's `host` (or its connection's) at check, the one in state afterwards. */
export const HOST_OF_RESOURCE = "the host of the resource or its connection";

/** A stable description of a resource's credential source, for the client cache key. Names only. */
export function sourceKey(target: Partial<TargetInputs>): string {
  const src = target.connection;
  if (!src) return "default";
  return JSON.stringify(Object.entries(src).sort(([a], [b]) => a.localeCompare(b)));
}
