// Public types of provider/auth. This folder knows nothing of Pulumi: it turns settings, the environment and the
// Databricks config files into a host and an AuthProvider (see README.md in this folder).

/** The credential seam the SCIM client calls before each request; one definition, in provider/client/auth.ts. */
export type { AuthProvider, CredentialSourceKind } from "../client/auth";
import type { AuthProvider } from "../client/auth";

export type Level = "workspace" | "account";
export type Cloud = "aws" | "azure" | "gcp";

/**
 * Explicit settings: a connection object in the program or the stack configuration (the caller merges those two,
 * explicit first). Every field is optional; missing ones come from the environment and the config files.
 */
export interface ConnectionSettings {
  host?: string;
  accountId?: string;
  /**
   * The workspace of a unified host (one host for the account and its workspaces), numeric: sent as
   * X-Databricks-Workspace-Id on workspace calls. Unset: `?o=` in the host, else the host's metadata names it.
   */
  workspaceId?: string;
  /** pat: a personal access token (or any bearer token Databricks accepts). */
  token?: string;
  /** basic: HTTP Basic (deprecated by Databricks for workspaces; kept because the unified auth has it). */
  username?: string;
  password?: string;
  /** oauth-m2m: a Databricks service principal's OAuth secret. */
  clientId?: string;
  clientSecret?: string;
  /** Section of the config file to load (like DATABRICKS_CONFIG_PROFILE). */
  profile?: string;
  /** Path of the config file (like DATABRICKS_CONFIG_FILE), default ~/.databrickscfg. */
  configFile?: string;
  /** azure-client-secret / azure-msi: a Microsoft Entra app or managed identity. */
  azureClientId?: string;
  azureClientSecret?: string;
  azureTenantId?: string;
  azureUseMsi?: boolean;
  /** ARM id of the workspace; when known, Azure requests carry the headers that admit a new principal. */
  azureResourceId?: string;
  /** Force one strategy: pat, basic, oauth-m2m, azure-msi, azure-client-secret, azure-cli, netrc. */
  authType?: string;
  /** Override the account/workspace detection from the host. */
  level?: Level;
}

export interface ResolvedConnection {
  /** Normalised: `https://` added when no scheme, scheme + host (+ port) only, no trailing slash. */
  host: string;
  level: Level;
  accountId?: string;
  /** Set when the account id came from the host's metadata (resolveConnectionAsync): where, for messages. */
  accountIdSource?: string;
  /**
   * Workspace level only: the workspace calls are routed to by X-Databricks-Workspace-Id. What the user set
   * (workspaceId, DATABRICKS_WORKSPACE_ID, workspace_id in the profile, `?o=` in the host), else the id a unified
   * host's metadata names. Undefined on a workspace host with nothing set (the host already names its workspace).
   */
  workspaceId?: string;
  /** Set when the workspace id came from the host's metadata: where, for messages. */
  workspaceIdSource?: string;
  /** The host's metadata `cloud` when it was read, else from the host name (host.ts). */
  cloud: Cloud;
  /** "metadata" when `cloud` came from the host's metadata, "host" when from the host name. */
  cloudSource: "metadata" | "host";
  auth: AuthProvider;
  /**
   * Where the host came from, for messages: "from DATABRICKS_HOST", "from profile 'dev' in
   * /home/u/.databrickscfg", or "from " + the explicit setting's origin (ResolveOptions.settingsOrigins.host,
   * default "connection settings"). Names a source, never a credential.
   */
  hostSource: string;
}
