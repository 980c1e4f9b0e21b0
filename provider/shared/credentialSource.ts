// Where a credential's values came from, as a type, so that code deciding on it (the lifecycle's stale-credential
// hint) never reads the human `source` text. A leaf type: the client's AuthProvider and the shared bearer token
// both name it, and provider/auth fills it in from the layer each value came from.

/**
 * A program's connection, the stack configuration (saved in state by `pulumi up`, so stale on a plain destroy or
 * refresh after a rotation), the environment, a config profile, ~/.netrc, or the signed-in Azure CLI.
 */
export type CredentialSourceKind = "connection" | "stackConfig" | "environment" | "profile" | "netrc" | "azureCli";
