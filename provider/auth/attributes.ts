// The attributes of Databricks unified auth that this package reads, and how one layer's values are collected.
// Each value remembers its layer and origin (a setting's name, an environment variable, a profile) so that
// messages can say where it came from; a secret's value is never shown (see describe.ts).
import { CredentialError } from "./errors";
import type { ConnectionSettings } from "./types";

/** The auth method families: attributes of two families in one layer are ambiguous. */
export type Family = "pat" | "basic" | "oauth" | "azure";

export type AttrName =
  | "host"
  | "account_id"
  | "workspace_id"
  | "token"
  | "username"
  | "password"
  | "client_id"
  | "client_secret"
  | "azure_workspace_resource_id"
  | "azure_client_id"
  | "azure_client_secret"
  | "azure_tenant_id"
  | "azure_use_msi"
  | "azure_environment"
  | "auth_type";

export interface AttrDef {
  name: AttrName;
  setting?: keyof ConnectionSettings;
  env: string;
  /** Lower-priority environment name read only when building an Azure credential (DefaultAzureCredential's). */
  azureEnv?: string;
  family?: Family;
  sensitive?: boolean;
  bool?: boolean;
}

/** The attributes this package reads, in the order the SDKs print them. */
export const ATTRS: readonly AttrDef[] = [
  { name: "host", setting: "host", env: "DATABRICKS_HOST" },
  { name: "account_id", setting: "accountId", env: "DATABRICKS_ACCOUNT_ID" },
  // A unified host's workspace (sent as X-Databricks-Workspace-Id on workspace calls); the SDKs' workspace_id.
  { name: "workspace_id", setting: "workspaceId", env: "DATABRICKS_WORKSPACE_ID" },
  { name: "token", setting: "token", env: "DATABRICKS_TOKEN", family: "pat", sensitive: true },
  { name: "username", setting: "username", env: "DATABRICKS_USERNAME", family: "basic" },
  { name: "password", setting: "password", env: "DATABRICKS_PASSWORD", family: "basic", sensitive: true },
  { name: "client_id", setting: "clientId", env: "DATABRICKS_CLIENT_ID", family: "oauth" },
  { name: "client_secret", setting: "clientSecret", env: "DATABRICKS_CLIENT_SECRET", family: "oauth", sensitive: true },
  { name: "azure_workspace_resource_id", setting: "azureResourceId", env: "DATABRICKS_AZURE_RESOURCE_ID", family: "azure" },
  { name: "azure_client_id", setting: "azureClientId", env: "ARM_CLIENT_ID", azureEnv: "AZURE_CLIENT_ID", family: "azure" },
  {
    name: "azure_client_secret",
    setting: "azureClientSecret",
    env: "ARM_CLIENT_SECRET",
    azureEnv: "AZURE_CLIENT_SECRET",
    family: "azure",
    sensitive: true,
  },
  { name: "azure_tenant_id", setting: "azureTenantId", env: "ARM_TENANT_ID", azureEnv: "AZURE_TENANT_ID", family: "azure" },
  { name: "azure_use_msi", setting: "azureUseMsi", env: "ARM_USE_MSI", family: "azure", bool: true },
  { name: "azure_environment", env: "ARM_ENVIRONMENT" },
  { name: "auth_type", setting: "authType", env: "DATABRICKS_AUTH_TYPE" },
];

/** explicit: connection settings; env: DATABRICKS_* / ARM_*; profile: the config file; azure-env: AZURE_*. */
export type Layer = "explicit" | "env" | "profile" | "azure-env";

export interface Value {
  value: string;
  layer: Layer;
  /** "connection settings", an environment variable name, or "profile 'x' in /path". */
  origin: string;
  /** An explicit setting that came from the stack configuration (ResolveOptions.fromStackConfig), not a connection. */
  stackConfig?: true;
}

export type Attrs = Partial<Record<AttrName, Value>>;

export function familyOf(name: AttrName): Family | undefined {
  return ATTRS.find((d) => d.name === name)?.family;
}

/** Go's strconv.ParseBool, which the SDK uses for ARM_USE_MSI. */
function parseBool(raw: string, origin: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(raw)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(raw)) return false;
  throw new CredentialError("AUTH_INVALID_CONFIG", `${origin}: ${JSON.stringify(raw)} is not a boolean (use true or false)`);
}

function put(into: Attrs, def: AttrDef, raw: string | boolean | undefined, layer: Layer, origin: string): void {
  if (raw === undefined) return;
  let value = typeof raw === "boolean" ? String(raw) : raw.trim();
  if (value === "") return;
  if (def.bool) {
    // A false flag is no setting at all (the Go SDK's IsZero), so it neither selects nor conflicts.
    if (!parseBool(value, origin)) return;
    value = "true";
  }
  into[def.name] = { value, layer, origin };
}

export function fromSettings(
  s: ConnectionSettings,
  origins: Partial<Record<keyof ConnectionSettings, string>> = {},
  fromStackConfig: readonly (keyof ConnectionSettings)[] = [],
): Attrs {
  const out: Attrs = {};
  for (const def of ATTRS) {
    if (!def.setting) continue;
    const raw = s[def.setting];
    if (typeof raw === "string" || typeof raw === "boolean") {
      put(out, def, raw, "explicit", origins[def.setting] ?? "connection settings");
      const v = out[def.name];
      if (v && fromStackConfig.includes(def.setting)) v.stackConfig = true;
    }
  }
  return out;
}

export function fromEnv(env: NodeJS.ProcessEnv): Attrs {
  const out: Attrs = {};
  for (const def of ATTRS) put(out, def, env[def.env], "env", def.env);
  return out;
}

/** DefaultAzureCredential's AZURE_* names: the lowest layer, read only for Azure credentials. */
export function fromAzureEnv(env: NodeJS.ProcessEnv): Attrs {
  const out: Attrs = {};
  for (const def of ATTRS) if (def.azureEnv) put(out, def, env[def.azureEnv], "azure-env", def.azureEnv);
  return out;
}

export function fromProfile(values: Readonly<Record<string, string | undefined>>, origin: string): Attrs {
  const out: Attrs = {};
  for (const def of ATTRS) put(out, def, values[def.name], "profile", origin);
  return out;
}

/** Each attribute from the first layer that has it. */
export function merge(...layers: Attrs[]): Attrs {
  const out: Attrs = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer) as [AttrName, Value][]) {
      if (!out[k]) out[k] = v;
    }
  }
  return out;
}

export function hasAuth(a: Attrs): boolean {
  return ATTRS.some((d) => d.family && a[d.name]);
}

/** The attributes of one layer, plus the attributes of no family (host, account) from any layer. */
export function onlyLayer(a: Attrs, layer: Layer): Attrs {
  const out: Attrs = {};
  for (const [k, v] of Object.entries(a) as [AttrName, Value][]) if (v.layer === layer || !familyOf(k)) out[k] = v;
  return out;
}
