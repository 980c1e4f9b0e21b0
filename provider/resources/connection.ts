import type * as pulumi from "@pulumi/pulumi";
import { CONNECTION_SOURCE_KEYS, CONNECTION_TARGET_KEYS, SECRET_KEYS, envVarNameProblem, secretKeyReason } from "../lifecycle/connection";

/**
 * Where a resource's calls go (host, level, account) and where their credentials come from: a
 * ~/.databrickscfg profile, or the *names* of environment variables holding the secret. Never the secret itself:
 * every resource input, and the outputs that echo them, are stored in the Pulumi state.
 */
export interface DatabricksConnectionArgs {
  /** Workspace URL or account console URL; may be an output, e.g. an Azure workspace's `workspaceUrl`. */
  host?: pulumi.Input<string>;
  /** "workspace" (default, unless the host is an accounts. host) or "account". */
  level?: pulumi.Input<"workspace" | "account">;
  /** Required at account level. */
  accountId?: pulumi.Input<string>;
  /** Section of ~/.databrickscfg (or of `configFile`) holding host and credentials. */
  profile?: pulumi.Input<string>;
  /** Path of the Databricks config file; default ~/.databrickscfg. */
  configFile?: pulumi.Input<string>;
  /** Force one strategy: pat, basic, oauth-m2m, azure-msi, azure-client-secret, azure-cli, netrc. */
  authType?: pulumi.Input<string>;
  /** Name of the environment variable holding a token (a PAT or an Entra token), e.g. "WS2_TOKEN". */
  tokenEnvVar?: string;
  /** Names of the environment variables holding a service principal's OAuth client id and secret. */
  clientIdEnvVar?: string;
  clientSecretEnvVar?: string;
  /** ARM id of an Azure Databricks workspace (`workspace.id`): lets an Entra principal with Contributor in. */
  azureResourceId?: pulumi.Input<string>;
}

const ALLOWED = new Set<string>([...CONNECTION_TARGET_KEYS, ...CONNECTION_SOURCE_KEYS]);

/**
 * Pass one to any resource as `connection`; one program may hold several (two workspaces and an account).
 * A connection naming its own credentials (profile, tokenEnvVar, clientIdEnvVar/clientSecretEnvVar) uses only
 * those; one naming none uses the stack config, then the environment, then ~/.databrickscfg, ~/.netrc, Entra.
 * A plain object with the same fields works too; the provider checks it again.
 */
export class DatabricksConnection {
  readonly host?: pulumi.Input<string>;
  readonly level?: pulumi.Input<"workspace" | "account">;
  readonly accountId?: pulumi.Input<string>;
  readonly profile?: pulumi.Input<string>;
  readonly configFile?: pulumi.Input<string>;
  readonly authType?: pulumi.Input<string>;
  readonly tokenEnvVar?: string;
  readonly clientIdEnvVar?: string;
  readonly clientSecretEnvVar?: string;
  readonly azureResourceId?: pulumi.Input<string>;

  constructor(args: DatabricksConnectionArgs) {
    // Refuse secrets here, in the program, before anything reaches the engine (and its state or logs).
    for (const key of Object.keys(args)) {
      if (key in SECRET_KEYS) throw new TypeError(`DatabricksConnection: ${key}: ${secretKeyReason(key)}`);
      if (!ALLOWED.has(key)) throw new TypeError(`DatabricksConnection: '${key}' is not a connection setting. Use ${[...ALLOWED].join(", ")}.`);
    }
    for (const key of ["tokenEnvVar", "clientIdEnvVar", "clientSecretEnvVar"] as const) {
      const v = args[key];
      const problem = typeof v === "string" ? envVarNameProblem(v) : v === undefined ? undefined : "must be a string.";
      if (problem) throw new TypeError(`DatabricksConnection: ${key} ${problem}`);
    }
    // Only the keys given, so the input has no `undefined` members.
    for (const [key, value] of Object.entries(args)) if (value !== undefined) Object.assign(this, { [key]: value });
  }
}
