import { CONFIG_NAMESPACE } from "../lifecycle/types";

/**
 * The stack configuration the engine hands to the provider (`configure`), kept for the life of the provider
 * process. Only names and values of this package's keys (`databricks-scim:*`) are kept; they are read at call
 * time and never written to state. Keep `configure` to storing values: the engine may call other methods
 * before it has finished (Pulumi's dynamic-provider host caches a provider before awaiting its `configure`).
 */
export interface StackSettings {
  host?: string;
  token?: string;
  accountId?: string;
  /** A unified host's workspace (X-Databricks-Workspace-Id), like DATABRICKS_WORKSPACE_ID. */
  workspaceId?: string;
  level?: string;
  clientId?: string;
  clientSecret?: string;
  profile?: string;
  configFile?: string;
  authType?: string;
  azureClientId?: string;
  azureClientSecret?: string;
  azureTenantId?: string;
}

export { CONFIG_NAMESPACE };
const KEYS: (keyof StackSettings)[] = [
  "host",
  "token",
  "accountId",
  "workspaceId",
  "level",
  "clientId",
  "clientSecret",
  "profile",
  "configFile",
  "authType",
  "azureClientId",
  "azureClientSecret",
  "azureTenantId",
];

let current: StackSettings = {};

export function setStackSettings(config: { get(key: string): string | undefined }): void {
  current = readStackSettings(config);
}

/** This package's keys from a config that is read by full key (`databricks-scim:host`). */
export function readStackSettings(config: { get(key: string): string | undefined }): StackSettings {
  const next: StackSettings = {};
  for (const key of KEYS) {
    const value = config.get(`${CONFIG_NAMESPACE}:${key}`);
    if (value !== undefined && value !== "") next[key] = value;
  }
  return next;
}

export function stackSettings(): StackSettings {
  return current;
}
