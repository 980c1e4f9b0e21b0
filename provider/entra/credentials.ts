// Which credential reads Microsoft Graph, from the same Azure settings the resources use for Azure Databricks
// (docs/guides/credentials.md, row 6): a client secret in ARM_CLIENT_ID/ARM_CLIENT_SECRET/ARM_TENANT_ID (or the
// AZURE_* names), a managed identity with ARM_USE_MSI, else the Azure CLI's login. A program may bring its own
// TokenCredential instead. @azure/identity is loaded only here, when a mirror runs.
import type { TokenCredential } from "@azure/identity";
import { MirrorArgumentError } from "./plan";

export interface GraphSettings {
  /** Graph's origin. Default: DATABRICKS_SCIM_GRAPH_URL, else https://graph.microsoft.com. */
  url?: string;
  /** Entra authority. Default: AZURE_AUTHORITY_HOST, else @azure/identity's (login.microsoftonline.com). */
  authorityHost?: string;
  /** Token scope. Default https://graph.microsoft.com/.default. */
  scope?: string;
  /** A credential of your own (e.g. a WorkloadIdentityCredential); replaces the environment's. */
  credential?: TokenCredential;
  /** Tenant, for the Azure CLI or when the environment has no ARM_TENANT_ID. */
  tenantId?: string;
}

export interface ResolvedGraphCredential {
  credential: TokenCredential;
  /** Where it came from, by name only. */
  source: string;
}

const MICROSOFT_AUTHORITIES = /(^|\.)(microsoftonline\.(com|us)|chinacloudapi\.cn|microsoftonline\.de)$/i;

function env(env: NodeJS.ProcessEnv, ...names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== "") return { name, value };
  }
  return undefined;
}

export function graphUrl(settings: GraphSettings, e: NodeJS.ProcessEnv = process.env): string {
  return settings.url ?? env(e, "DATABRICKS_SCIM_GRAPH_URL")?.value ?? "https://graph.microsoft.com";
}

export async function resolveGraphCredential(settings: GraphSettings, e: NodeJS.ProcessEnv = process.env): Promise<ResolvedGraphCredential> {
  if (settings.credential) return { credential: settings.credential, source: "the mirror's graph.credential" };
  const identity = await import("@azure/identity");
  const authorityHost = settings.authorityHost ?? env(e, "AZURE_AUTHORITY_HOST")?.value;
  const common: { authorityHost?: string; disableInstanceDiscovery?: boolean } = {};
  if (authorityHost) {
    common.authorityHost = authorityHost;
    // MSAL asks login.microsoftonline.com about any other authority unless told not to (a local emulator).
    if (!MICROSOFT_AUTHORITIES.test(new URL(authorityHost).hostname)) common.disableInstanceDiscovery = true;
  }
  const clientId = env(e, "ARM_CLIENT_ID", "AZURE_CLIENT_ID");
  const secret = env(e, "ARM_CLIENT_SECRET", "AZURE_CLIENT_SECRET");
  const tenant = settings.tenantId ? { name: "graph.tenantId", value: settings.tenantId } : env(e, "ARM_TENANT_ID", "AZURE_TENANT_ID");
  if (clientId && secret) {
    if (!tenant) throw new MirrorArgumentError(`graph: ${clientId.name} and ${secret.name} are set but no tenant: set ARM_TENANT_ID (or graph.tenantId).`);
    return {
      credential: new identity.ClientSecretCredential(tenant.value, clientId.value, secret.value, common),
      source: `client secret (${clientId.name}, ${secret.name}, ${tenant.name})`,
    };
  }
  const msi = env(e, "ARM_USE_MSI")?.value;
  if (msi && /^(1|t|true)$/i.test(msi)) {
    return {
      credential: clientId ? new identity.ManagedIdentityCredential({ ...common, clientId: clientId.value }) : new identity.ManagedIdentityCredential(common),
      source: clientId ? `managed identity (ARM_USE_MSI, ${clientId.name})` : "managed identity (ARM_USE_MSI)",
    };
  }
  return { credential: new identity.AzureCliCredential(tenant ? { tenantId: tenant.value } : {}), source: "the Azure CLI (az login)" };
}
