// provider/auth: where to call Databricks and as whom. No Pulumi here; see docs/guides/credentials.md for the resolution order.
export type { AuthProvider, CredentialSourceKind, Cloud, ConnectionSettings, Level, ResolvedConnection } from "./types";
export { resolveConnection, resolveConnectionAsync, SUPPORTED_AUTH_TYPES, DOCS_URL, type AuthType, type ResolveOptions } from "./resolve";
export { fetchHostMetadata, clearHostMetadataCache, parseHostMetadata, HOST_METADATA_PATH, type HostMetadata, type HostType } from "./hostMetadata";
export { CredentialError, type CredentialErrorCode } from "./errors";
export { normaliseHost, isAccountHost, cloudFromHost, isAzureHost, type NormalisedHost } from "./host";
export { OAuthM2MAuth, type OAuthM2MOptions } from "./oauthM2M";
export {
  AzureEntraAuth,
  createAzureCredential,
  AZURE_DATABRICKS_APP_ID,
  AZURE_DATABRICKS_SCOPE,
  AZURE_MANAGEMENT_SCOPE,
  type AzureCredentialFactory,
  type AzureCredentialOptions,
  type AzureCredentialRequest,
  type AzureEntraAuthOptions,
} from "./azure";
export { BearerTokenAuth, BasicAuth } from "./staticAuth";
export { parseNetrc, type NetrcEntry } from "./netrc";
