// Host normalisation and classification (provider/auth/README.md, Host).
import { CredentialError } from "./errors";
import type { Cloud } from "./types";

export interface NormalisedHost {
  /** scheme + host (+ non-default port), no path, no query, no trailing slash. */
  host: string;
  /** From `?a=` / `?account_id=` in the given URL (Go SDK): fills account_id when it is not set. */
  accountId?: string;
  /** From `?o=` / `?workspace_id=` / `?w=`. */
  workspaceId?: string;
}

/**
 * Go SDK rules: prefix `https://` when there is no scheme, keep scheme + host (+ port) only: path, query, fragment
 * and trailing `/` are dropped; the default port of the scheme disappears (WHATWG URL), host is lower-cased.
 * `origin` names where the value came from, for the error message.
 */
export function normaliseHost(raw: string, origin = "host"): NormalisedHost {
  const trimmed = raw.trim();
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CredentialError(
      "AUTH_INVALID_CONFIG",
      `invalid Databricks host ${JSON.stringify(raw)} (from ${origin}): expected a URL such as https://adb-1234567890123456.7.azuredatabricks.net`,
      "host",
    );
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") {
    throw new CredentialError(
      "AUTH_INVALID_CONFIG",
      `invalid Databricks host ${JSON.stringify(raw)} (from ${origin}): only http(s) URLs with a host name are supported`,
      "host",
    );
  }
  const out: NormalisedHost = { host: `${url.protocol}//${url.host}` };
  const q = url.searchParams;
  const accountId = q.get("a") ?? q.get("account_id");
  if (accountId) out.accountId = accountId;
  const workspaceId = q.get("o") ?? q.get("workspace_id") ?? q.get("w");
  if (workspaceId) out.workspaceId = workspaceId;
  return out;
}

function hostname(host: string): string {
  try {
    return new URL(host).hostname.toLowerCase();
  } catch {
    return host.toLowerCase();
  }
}

/** `https://accounts.` or `https://accounts-dod.` → an account console. Expects a normalised host. */
export function isAccountHost(host: string): boolean {
  return host.startsWith("https://accounts.") || host.startsWith("https://accounts-dod.");
}

const AZURE_SUFFIXES = [".azuredatabricks.net", ".databricks.azure.us", ".databricks.azure.cn"];

export function cloudFromHost(host: string): Cloud {
  const name = hostname(host);
  if (AZURE_SUFFIXES.some((s) => name.endsWith(s))) return "azure";
  if (name.endsWith(".gcp.databricks.com")) return "gcp";
  return "aws";
}

export function isAzureHost(host: string): boolean {
  return cloudFromHost(host) === "azure";
}

/** Microsoft Entra authority for the Azure cloud the host is in (ARM_ENVIRONMENT wins when set). */
export function azureAuthorityFor(host: string, armEnvironment?: string): string | undefined {
  const envName = armEnvironment?.trim().toUpperCase();
  if (envName === "USGOVERNMENT") return "https://login.microsoftonline.us";
  if (envName === "CHINA") return "https://login.chinacloudapi.cn";
  if (envName === "PUBLIC") return "https://login.microsoftonline.com";
  const name = hostname(host);
  if (name.endsWith(".databricks.azure.us")) return "https://login.microsoftonline.us";
  if (name.endsWith(".databricks.azure.cn")) return "https://login.chinacloudapi.cn";
  // Public cloud: leave it to @azure/identity (AZURE_AUTHORITY_HOST, else login.microsoftonline.com).
  return undefined;
}

/** The bare host name a .netrc `machine` line is matched against. */
export function netrcMachineName(host: string): string {
  return hostname(host);
}
