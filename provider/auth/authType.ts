// authType (DATABRICKS_AUTH_TYPE, auth_type in a profile): the names of the strategies, and the SDKs' other names.
import type { Value } from "./attributes";
import { CredentialError } from "./errors";

export const DOCS_URL = "https://docs.databricks.com/en/dev-tools/auth.html#databricks-client-unified-authentication";

/** The strategies this package implements (strategies/index.ts tries them in its own order). */
export const SUPPORTED_AUTH_TYPES = ["pat", "basic", "oauth-m2m", "azure-msi", "azure-client-secret", "azure-cli", "netrc"] as const;
export type AuthType = (typeof SUPPORTED_AUTH_TYPES)[number];

/** Names the Databricks SDKs know that this package does not implement. */
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

function isAuthType(name: string): name is AuthType {
  return (SUPPORTED_AUTH_TYPES as readonly string[]).includes(name);
}

/** The forced strategy, if any; an unknown name is an error naming where it was set. */
export function parseAuthType(v: Value | undefined): AuthType | undefined {
  if (!v) return undefined;
  const name = v.value;
  if (isAuthType(name)) return name;
  const supported = SUPPORTED_AUTH_TYPES.join(", ");
  throw new CredentialError(
    "AUTH_UNKNOWN_AUTH_TYPE",
    SDK_ONLY_AUTH_TYPES.has(name)
      ? `auth type "${name}" (from ${v.origin}) is not supported by pulumi-databricks-scim; supported: ${supported}`
      : `auth type "${name}" not found, please check ${DOCS_URL} for a list of supported auth types (from ${v.origin}; this package supports ${supported})`,
  );
}
