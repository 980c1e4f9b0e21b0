// resolveConnection: explicit settings + environment + ~/.databrickscfg + ~/.netrc → host, level and AuthProvider.
// Pure and cheap: it reads files but never the network, so it can run in a provider's `check`; tokens are fetched
// lazily by AuthProvider.headers(). Reference: ../../../shared/spec/databricks-auth.md.
//
// ┌──── Order: each attribute takes the first value found; the credential comes from the first step that applies ───┐
// │ step                 │ what                                                                                     │
// ├──────────────────────┼──────────────────────────────────────────────────────────────────────────────────────────┤
// │ 1 explicit settings  │ ConnectionSettings (program connection object merged with stack config by the caller)    │
// │ 2 environment        │ DATABRICKS_HOST, DATABRICKS_ACCOUNT_ID, DATABRICKS_TOKEN, DATABRICKS_USERNAME/PASSWORD,  │
// │                      │ DATABRICKS_CLIENT_ID/SECRET, DATABRICKS_AZURE_RESOURCE_ID, ARM_CLIENT_ID/SECRET,         │
// │                      │ ARM_TENANT_ID, ARM_USE_MSI, ARM_ENVIRONMENT, DATABRICKS_AUTH_TYPE                        │
// │ 3 config profile     │ profile / DATABRICKS_CONFIG_PROFILE, else [__settings__] default_profile, else DEFAULT   │
// │                      │ (silently skipped if missing) in configFile / DATABRICKS_CONFIG_FILE / ~/.databrickscfg. │
// │                      │ Skipped when no profile is named and host or an auth attribute is already set (spec §1). │
// │ 4 ~/.netrc           │ only when steps 1-3 set no auth attribute: `machine <host name>` (NETRC overrides path)  │
// │ 5 Azure, ambient     │ only for Azure hosts, when 1-4 gave nothing: AZURE_CLIENT_ID/SECRET/TENANT_ID            │
// │                      │ (ClientSecretCredential), else the Azure CLI (AzureCliCredential)                        │
// └──────────────────────┴──────────────────────────────────────────────────────────────────────────────────────────┘
// Strategies over the attributes of steps 1-3, in the Go SDK's order: pat (host+token), basic (host+username+password),
// oauth-m2m (client_id+client_secret), azure-msi (Azure host + azure_use_msi), azure-client-secret (Azure host +
// azure client id/secret/tenant), azure-cli (Azure host). authType forces one strategy (then every layer's attributes
// are merged and only that strategy's are used); "netrc" is accepted as an authType of this package.
//
// Ambiguity (spec §2 "validate: more than one authorization method configured"): without authType, the highest of
// the layers 1-3 that sets any auth attribute decides the method; if that layer names attributes of two methods it
// is an error. A lower layer may fill a missing attribute of the same method (explicit clientId + env
// DATABRICKS_CLIENT_SECRET) but its attributes of other methods are ignored: a connection's explicit token is not
// overruled by an ambient DATABRICKS_CLIENT_ID. (The Go SDK merges all layers first and so would fail there.)
// ARM_* variables count only for Azure hosts: they are commonly set for the Azure resource provider, and azure
// methods cannot apply to AWS/GCP hosts anyway.
import * as os from "node:os";
import type { Dispatcher } from "undici";
import { AzureEntraAuth, type AzureCredentialFactory, type AzureCredentialOptions, type AzureCredentialRequest } from "./azure";
import { expandHome, readConfigFile, type ProfileValues } from "./configFile";
import { AuthError } from "./errors";
import { azureAuthorityFor, cloudFromHost, isAccountHost, isAzureHost, netrcMachineName, normaliseHost } from "./host";
import { findNetrcEntry, netrcPath } from "./netrc";
import { OAuthM2MAuth } from "./oauthM2M";
import { BasicAuth, BearerTokenAuth } from "./staticAuth";
import type { AuthProvider, ConnectionSettings, Level, ResolvedConnection } from "./types";

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

export const DOCS_URL = "https://docs.databricks.com/en/dev-tools/auth.html#databricks-client-unified-authentication";

type Group = "pat" | "basic" | "oauth" | "azure";
type AttrName =
  | "host"
  | "account_id"
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

interface AttrDef {
  name: AttrName;
  setting?: keyof ConnectionSettings;
  env: string;
  /** Lower-priority environment name read only when building an Azure credential (DefaultAzureCredential's). */
  azureEnv?: string;
  group?: Group;
  sensitive?: boolean;
  bool?: boolean;
}

/** The attributes (spec §1) this package reads, in the order the SDKs print them. */
const ATTRS: readonly AttrDef[] = [
  { name: "host", setting: "host", env: "DATABRICKS_HOST" },
  { name: "account_id", setting: "accountId", env: "DATABRICKS_ACCOUNT_ID" },
  { name: "token", setting: "token", env: "DATABRICKS_TOKEN", group: "pat", sensitive: true },
  { name: "username", setting: "username", env: "DATABRICKS_USERNAME", group: "basic" },
  { name: "password", setting: "password", env: "DATABRICKS_PASSWORD", group: "basic", sensitive: true },
  { name: "client_id", setting: "clientId", env: "DATABRICKS_CLIENT_ID", group: "oauth" },
  { name: "client_secret", setting: "clientSecret", env: "DATABRICKS_CLIENT_SECRET", group: "oauth", sensitive: true },
  { name: "azure_workspace_resource_id", setting: "azureResourceId", env: "DATABRICKS_AZURE_RESOURCE_ID", group: "azure" },
  { name: "azure_client_id", setting: "azureClientId", env: "ARM_CLIENT_ID", azureEnv: "AZURE_CLIENT_ID", group: "azure" },
  {
    name: "azure_client_secret",
    setting: "azureClientSecret",
    env: "ARM_CLIENT_SECRET",
    azureEnv: "AZURE_CLIENT_SECRET",
    group: "azure",
    sensitive: true,
  },
  { name: "azure_tenant_id", setting: "azureTenantId", env: "ARM_TENANT_ID", azureEnv: "AZURE_TENANT_ID", group: "azure" },
  { name: "azure_use_msi", setting: "azureUseMsi", env: "ARM_USE_MSI", group: "azure", bool: true },
  { name: "azure_environment", env: "ARM_ENVIRONMENT" },
  { name: "auth_type", setting: "authType", env: "DATABRICKS_AUTH_TYPE" },
];

const SENSITIVE = new Set<string>(ATTRS.filter((a) => a.sensitive).map((a) => a.name));

type Layer = "explicit" | "env" | "profile" | "azure-env";

interface Value {
  value: string;
  layer: Layer;
  /** "connection settings", an environment variable name, or "profile 'x' in /path". */
  origin: string;
}

type Attrs = Partial<Record<AttrName, Value>>;

/** The strategies this package implements, in the order they are tried. */
export const SUPPORTED_AUTH_TYPES = [
  "pat",
  "basic",
  "oauth-m2m",
  "azure-msi",
  "azure-client-secret",
  "azure-cli",
  "netrc",
] as const;
export type AuthType = (typeof SUPPORTED_AUTH_TYPES)[number];

/** Names the SDKs know (spec §2) that this package does not implement. */
const SDK_ONLY_AUTH_TYPES = new Set([
  "databricks-cli",
  "metadata-service",
  "github-oidc",
  "azure-devops-oidc",
  "env-oidc",
  "file-oidc",
  "github-oidc-azure",
  "google-credentials",
  "google-id",
  "external-browser",
  "runtime",
  "runtime-oauth",
  "model-serving",
]);

/** Go's strconv.ParseBool, which the SDK uses for ARM_USE_MSI. */
function parseBool(raw: string, origin: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(raw)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(raw)) return false;
  throw new AuthError("AUTH_INVALID_CONFIG", `${origin}: ${JSON.stringify(raw)} is not a boolean (use true or false)`);
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

function fromSettings(s: ConnectionSettings, origins: ResolveOptions["settingsOrigins"] = {}): Attrs {
  const out: Attrs = {};
  for (const def of ATTRS) {
    if (!def.setting) continue;
    const raw = s[def.setting];
    if (typeof raw === "string" || typeof raw === "boolean") {
      put(out, def, raw, "explicit", origins[def.setting] ?? "connection settings");
    }
  }
  return out;
}

function fromEnv(env: NodeJS.ProcessEnv): Attrs {
  const out: Attrs = {};
  for (const def of ATTRS) put(out, def, env[def.env], "env", def.env);
  return out;
}

function fromProfile(values: ProfileValues, origin: string): Attrs {
  const out: Attrs = {};
  for (const def of ATTRS) put(out, def, values[def.name], "profile", origin);
  return out;
}

function merge(...layers: Attrs[]): Attrs {
  const out: Attrs = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer) as [AttrName, Value][]) {
      if (!out[k]) out[k] = v;
    }
  }
  return out;
}

function hasAuth(a: Attrs): boolean {
  return ATTRS.some((d) => d.group && a[d.name]);
}

/** "Config: host=https://x, token=***, profile=dev. Env: DATABRICKS_HOST, DATABRICKS_TOKEN" (secrets as ***). */
function debugString(attrs: Attrs, extra: { name: string; value: string; env?: string }[]): string {
  const parts: string[] = [];
  const envs: string[] = [];
  for (const def of ATTRS) {
    const v = attrs[def.name];
    if (!v) continue;
    parts.push(`${def.name}=${SENSITIVE.has(def.name) ? "***" : v.value}`);
    if (v.layer === "env" || v.layer === "azure-env") envs.push(v.origin);
  }
  for (const e of extra) {
    parts.push(`${e.name}=${e.value}`);
    if (e.env) envs.push(e.env);
  }
  let out = `Config: ${parts.join(", ")}`;
  if (envs.length) out += `. Env: ${envs.join(", ")}`;
  return out;
}

/** "DATABRICKS_TOKEN from the environment (pat)", "profile 'dev' in /home/u/.databrickscfg (oauth-m2m)". */
function describeSource(values: (Value | undefined)[], strategy: string): string {
  const present = values.filter((v): v is Value => v !== undefined);
  const parts: string[] = [];
  for (const o of new Set(present.filter((v) => v.layer === "explicit").map((v) => v.origin))) parts.push(o);
  const envs = present.filter((v) => v.layer === "env" || v.layer === "azure-env").map((v) => v.origin);
  if (envs.length) parts.push(`${[...new Set(envs)].join(", ")} from the environment`);
  for (const o of new Set(present.filter((v) => v.layer === "profile").map((v) => v.origin))) parts.push(o);
  return `${parts.join(" and ") || "defaults"} (${strategy})`;
}

export function resolveConnection(
  settings: ConnectionSettings,
  env: NodeJS.ProcessEnv = process.env,
  opts: ResolveOptions = {},
): ResolvedConnection {
  const homeDir = opts.homeDir ?? env.HOME ?? env.USERPROFILE ?? os.homedir();

  // ── layers 1 and 2 ────────────────────────────────────────────────────────────────────────────────────────────
  const explicit = fromSettings(settings, opts.settingsOrigins);
  const envAttrs = fromEnv(env);

  const profileSetting = nonEmpty(settings.profile)
    ? { name: settings.profile!.trim(), env: undefined }
    : nonEmpty(env.DATABRICKS_CONFIG_PROFILE)
      ? { name: env.DATABRICKS_CONFIG_PROFILE!.trim(), env: "DATABRICKS_CONFIG_PROFILE" }
      : undefined;
  const configFileSetting = nonEmpty(settings.configFile)
    ? { path: settings.configFile!.trim(), env: undefined }
    : nonEmpty(env.DATABRICKS_CONFIG_FILE)
      ? { path: env.DATABRICKS_CONFIG_FILE!.trim(), env: "DATABRICKS_CONFIG_FILE" }
      : undefined;
  const configPath = expandHome(configFileSetting?.path ?? "~/.databrickscfg", homeDir);
  const debugExtras = (): { name: string; value: string; env?: string }[] => {
    const out: { name: string; value: string; env?: string }[] = [];
    if (profileSetting) out.push({ name: "profile", value: profileSetting.name, env: profileSetting.env });
    if (configFileSetting) out.push({ name: "config_file", value: configFileSetting.path, env: configFileSetting.env });
    return out;
  };

  // ── layer 3: the config profile ───────────────────────────────────────────────────────────────────────────────
  let profileAttrs: Attrs = {};
  const above = merge(explicit, envAttrs);
  // Spec §1: the file is skipped when no profile is named and host or an auth attribute is already set. ARM_*
  // variables count here only when the host is known to be Azure (they are often set for another tool).
  const aboveHostAzure = above.host !== undefined && isAzureHost(normaliseHost(above.host.value, above.host.origin).host);
  const skipFile =
    !profileSetting &&
    (above.host !== undefined ||
      ATTRS.some((d) => d.group && above[d.name] && !(d.group === "azure" && above[d.name]!.layer === "env" && !aboveHostAzure)));
  if (!skipFile) {
    const file = readConfigFile(configPath);
    if (!file && profileSetting) {
      throw new AuthError(
        "AUTH_PROFILE_NOT_FOUND",
        `resolve: ${configPath} has no ${profileSetting.name} profile configured (the file does not exist). ${debugString(above, debugExtras())}. Create the profile (databricks auth login / configure) or point DATABRICKS_CONFIG_FILE at the right file`,
      );
    }
    if (file) {
      const fromSettingsSection = file.sections.get("__settings__")?.default_profile?.trim();
      const name = profileSetting?.name ?? (fromSettingsSection || "DEFAULT");
      const named = profileSetting !== undefined || !!fromSettingsSection;
      const section = file.sections.get(name);
      if (!section && named) {
        const known = [...file.sections.keys()].filter((s) => s !== "__settings__");
        throw new AuthError(
          "AUTH_PROFILE_NOT_FOUND",
          `resolve: ${configPath} has no ${name} profile configured. ${debugString(above, debugExtras())}. ${
            known.length ? `Profiles in the file: ${known.join(", ")}` : "The file has no profiles"
          }; fix the profile name or add a [${name}] section`,
        );
      }
      if (section) profileAttrs = fromProfile(section, `profile '${name}' in ${configPath}`);
    }
  }

  const all = merge(explicit, envAttrs, profileAttrs);
  const debug = (a: Attrs = all): string => debugString(a, debugExtras());

  // ── host, account, level, cloud ───────────────────────────────────────────────────────────────────────────────
  let host: string | undefined;
  let accountId = all.account_id;
  if (all.host) {
    const n = normaliseHost(all.host.value, all.host.origin);
    host = n.host;
    if (!accountId && n.accountId) accountId = { value: n.accountId, layer: all.host.layer, origin: all.host.origin };
  }
  let level: Level | undefined;
  if (settings.level !== undefined) {
    if (settings.level !== "workspace" && settings.level !== "account") {
      throw new AuthError(
        "AUTH_INVALID_CONFIG",
        `connection settings: level ${JSON.stringify(settings.level)} is not valid: use "workspace" or "account"`,
      );
    }
    level = settings.level;
  }

  const authTypeValue = all.auth_type;
  let authType: AuthType | undefined;
  if (authTypeValue) {
    const name = authTypeValue.value;
    if ((SUPPORTED_AUTH_TYPES as readonly string[]).includes(name)) {
      authType = name as AuthType;
    } else if (SDK_ONLY_AUTH_TYPES.has(name)) {
      throw new AuthError(
        "AUTH_UNKNOWN_AUTH_TYPE",
        `auth type "${name}" (from ${authTypeValue.origin}) is not supported by pulumi-databricks-scim; supported: ${SUPPORTED_AUTH_TYPES.join(", ")}`,
      );
    } else {
      throw new AuthError(
        "AUTH_UNKNOWN_AUTH_TYPE",
        `auth type "${name}" not found, please check ${DOCS_URL} for a list of supported auth types (from ${authTypeValue.origin}; this package supports ${SUPPORTED_AUTH_TYPES.join(", ")})`,
      );
    }
  }

  if (!host) {
    const what = hasAuth(all) || authType ? "credentials are set but no host is" : "nothing is";
    throw new AuthError(
      "AUTH_NOT_CONFIGURED",
      `default auth: cannot configure default credentials, please check ${DOCS_URL} to configure credentials for your preferred authentication method. ${debug()}. ${
        what[0]!.toUpperCase() + what.slice(1)
      } configured: set host in the connection or stack config (databricks-scim:host), DATABRICKS_HOST, or a ~/.databrickscfg profile`,
    );
  }
  const h: string = host;
  level ??= isAccountHost(h) ? "account" : "workspace";
  const cloud = cloudFromHost(h);
  const azureHost = isAzureHost(h);
  if (level === "account" && !accountId) {
    throw new AuthError(
      "AUTH_INVALID_CONFIG",
      `account_id is required for the account-level host ${h}: set accountId in the connection or stack config (databricks-scim:accountId), DATABRICKS_ACCOUNT_ID, or account_id in the profile. ${debug()}`,
    );
  }

  // Azure credentials may also come from DefaultAzureCredential's AZURE_* names, lowest of all.
  const azureEnvAttrs: Attrs = {};
  for (const def of ATTRS) if (def.azureEnv) put(azureEnvAttrs, def, env[def.azureEnv], "azure-env", def.azureEnv);

  const ctx: BuildContext = { host: h, level, accountId: accountId?.value, env, homeDir, opts, debug };

  // ── authType forces one strategy ──────────────────────────────────────────────────────────────────────────────
  if (authType) {
    const attrs = merge(all, azureEnvAttrs);
    const built = buildStrategy(authType, attrs, ctx);
    if (typeof built === "string") {
      throw new AuthError(
        "AUTH_INVALID_CONFIG",
        `default auth: ${authType} (auth type from ${authTypeValue!.origin}): ${built}. ${debug()}`,
      );
    }
    return { host: h, level, accountId: accountId?.value, cloud, auth: built };
  }

  // ── which method: the highest layer with auth attributes decides ─────────────────────────────────────────────
  const groupsOf = (a: Attrs, layer: Layer): Set<Group> => {
    const g = new Set<Group>();
    for (const def of ATTRS) {
      if (!def.group || !a[def.name]) continue;
      if (def.group === "azure" && layer === "env" && !azureHost) continue; // ambient ARM_* for another tool
      g.add(def.group);
    }
    return g;
  };
  let owner: Group | undefined;
  for (const [layerAttrs, layer] of [
    [explicit, "explicit"],
    [envAttrs, "env"],
    [profileAttrs, "profile"],
  ] as const) {
    const groups = groupsOf(layerAttrs, layer);
    if (groups.size > 1) {
      const names = [...groups].sort();
      throw new AuthError(
        "AUTH_AMBIGUOUS",
        `validate: more than one authorization method configured: ${names.join(" and ")}. ${debug(onlyLayer(all, layer))}. Remove all but one, or set authType (DATABRICKS_AUTH_TYPE, auth_type in the profile) to one of ${SUPPORTED_AUTH_TYPES.join(", ")}`,
      );
    }
    if (groups.size === 1) {
      owner = [...groups][0];
      break;
    }
  }

  if (owner) {
    // Attributes of the owning method (from any layer), plus host/account; other methods' attributes are dropped.
    const attrs: Attrs = {};
    for (const def of ATTRS) {
      if (def.group && def.group !== owner) continue;
      const v = all[def.name] ?? (owner === "azure" ? azureEnvAttrs[def.name] : undefined);
      if (v) attrs[def.name] = v;
    }
    const candidates: AuthType[] =
      owner === "pat"
        ? ["pat"]
        : owner === "basic"
          ? ["basic"]
          : owner === "oauth"
            ? ["oauth-m2m"]
            : attrs.azure_use_msi
              ? ["azure-msi"]
              : attrs.azure_client_secret
                ? ["azure-client-secret"] // reports a missing client id / tenant rather than quietly using the CLI
                : ["azure-cli"];
    const built = buildStrategy(candidates[0]!, attrs, ctx);
    if (typeof built !== "string") return { host: h, level, accountId: accountId?.value, cloud, auth: built };
    throw notConfigured(debug(attrs), `${candidates[0]}: ${built}`);
  }

  // ── step 4: ~/.netrc ──────────────────────────────────────────────────────────────────────────────────────────
  const netrc = buildStrategy("netrc", {}, ctx);
  if (typeof netrc !== "string") return { host: h, level, accountId: accountId?.value, cloud, auth: netrc };

  // ── step 5: Azure, ambient ────────────────────────────────────────────────────────────────────────────────────
  if (azureHost) {
    const viaEnv = buildStrategy("azure-client-secret", { ...azureEnvAttrs }, ctx);
    if (typeof viaEnv !== "string") return { host: h, level, accountId: accountId?.value, cloud, auth: viaEnv };
    const cli = buildStrategy("azure-cli", all, ctx);
    if (typeof cli !== "string") return { host: h, level, accountId: accountId?.value, cloud, auth: cli };
  }

  throw notConfigured(debug(), undefined);
}

function nonEmpty(s: string | undefined): boolean {
  return typeof s === "string" && s.trim() !== "";
}

function onlyLayer(a: Attrs, layer: Layer): Attrs {
  const out: Attrs = {};
  for (const [k, v] of Object.entries(a) as [AttrName, Value][]) if (v.layer === layer || !ATTRS.find((d) => d.name === k)?.group) out[k] = v;
  return out;
}

function notConfigured(debug: string, why: string | undefined): AuthError {
  return new AuthError(
    "AUTH_NOT_CONFIGURED",
    `default auth: cannot configure default credentials, please check ${DOCS_URL} to configure credentials for your preferred authentication method. ${debug}${
      why ? `. ${why}` : ". Set a token (DATABRICKS_TOKEN), a service principal's OAuth secret (DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET), or a ~/.databrickscfg profile (DATABRICKS_CONFIG_PROFILE)"
    }`,
  );
}

interface BuildContext {
  host: string;
  level: Level;
  accountId?: string;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  opts: ResolveOptions;
  debug: (a?: Attrs) => string;
}

/** An AuthProvider, or why this strategy does not apply (no secret in that text: it names attributes only). */
function buildStrategy(type: AuthType, a: Attrs, ctx: BuildContext): AuthProvider | string {
  const need = (...names: AttrName[]): string | undefined => {
    const missing = names.filter((n) => !a[n]);
    return missing.length ? `needs ${names.join(" and ")}; not set: ${missing.join(", ")}` : undefined;
  };
  const azureOnly = (): string | undefined =>
    isAzureHost(ctx.host) ? undefined : `applies only to Azure Databricks hosts (*.azuredatabricks.net), not ${ctx.host}`;
  const azure = (req: AzureCredentialRequest, values: (Value | undefined)[]): AuthProvider => {
    const authorityHost =
      ctx.opts.azureCredentialOptions?.authorityHost ?? azureAuthorityFor(ctx.host, a.azure_environment?.value);
    return new AzureEntraAuth({
      request: req,
      source: req.kind === "azure-cli" && values.every((v) => v === undefined) ? "the Azure CLI (azure-cli)" : describeSource(values, req.kind),
      resourceId: ctx.level === "workspace" ? a.azure_workspace_resource_id?.value : undefined,
      credentialFactory: ctx.opts.azureCredentialFactory,
      credentialOptions: { ...ctx.opts.azureCredentialOptions, ...(authorityHost ? { authorityHost } : {}) },
    });
  };

  switch (type) {
    case "pat": {
      const missing = need("token");
      if (missing) return missing;
      return new BearerTokenAuth(a.token!.value, describeSource([a.token], "pat"));
    }
    case "basic": {
      const missing = need("username", "password");
      if (missing) return missing;
      return new BasicAuth(a.username!.value, a.password!.value, describeSource([a.username, a.password], "basic"));
    }
    case "oauth-m2m": {
      const missing = need("client_id", "client_secret");
      if (missing) return missing;
      return new OAuthM2MAuth({
        host: ctx.host,
        level: ctx.level,
        accountId: ctx.accountId,
        clientId: a.client_id!.value,
        clientSecret: a.client_secret!.value,
        source: describeSource([a.client_id, a.client_secret], "oauth-m2m"),
        dispatcher: ctx.opts.dispatcher,
      });
    }
    case "azure-msi": {
      const bad = azureOnly() ?? need("azure_use_msi");
      if (bad) return bad;
      return azure({ kind: "azure-msi", clientId: a.azure_client_id?.value }, [a.azure_use_msi, a.azure_client_id]);
    }
    case "azure-client-secret": {
      const bad = azureOnly() ?? need("azure_client_id", "azure_client_secret", "azure_tenant_id");
      if (bad) return bad;
      return azure(
        {
          kind: "azure-client-secret",
          tenantId: a.azure_tenant_id!.value,
          clientId: a.azure_client_id!.value,
          clientSecret: a.azure_client_secret!.value,
        },
        [a.azure_client_id, a.azure_client_secret, a.azure_tenant_id],
      );
    }
    case "azure-cli": {
      const bad = azureOnly();
      if (bad) return bad;
      return azure({ kind: "azure-cli", tenantId: a.azure_tenant_id?.value }, [a.azure_tenant_id]);
    }
    case "netrc": {
      // The docs' form is `login token` / `password <PAT>`, used by `curl -n` as HTTP Basic with user "token".
      // Databricks accepts that, but we send such an entry as `Bearer <PAT>`: the same wire form as the pat
      // strategy, the one every Databricks API (account console included) documents. Any other login is sent
      // as Basic login:password, as curl would.
      const file = netrcPath(ctx.env, ctx.homeDir);
      const machine = netrcMachineName(ctx.host);
      const entry = findNetrcEntry(file, machine);
      if (!entry?.password) return `no machine ${machine} with a password in ${file}`;
      const source = `machine ${machine} in ${file} (netrc)`;
      if (!entry.login || entry.login === "token") return new BearerTokenAuth(entry.password, source);
      return new BasicAuth(entry.login, entry.password, source);
    }
  }
}
