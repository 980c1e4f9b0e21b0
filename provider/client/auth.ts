// The credential seam between the client and whatever finds credentials (env vars, ~/.databrickscfg, OAuth M2M,
// Entra, …; implemented in provider/auth against this interface). The client calls `headers()` before every HTTP
// attempt, so a provider may cache and refresh tokens as it sees fit.
import { BearerTokenAuth } from "../shared/bearerToken";
import type { CredentialSourceKind } from "../shared/credentialSource";

export { BearerTokenAuth } from "../shared/bearerToken";
export type { CredentialSourceKind } from "../shared/credentialSource";

export interface AuthProvider {
  /**
   * Human description of where the credential came from, e.g. "DATABRICKS_TOKEN from the environment" or
   * "profile DEFAULT in ~/.databrickscfg (pat)". Used in AuthError messages. Must never contain the secret.
   */
  readonly source: string;
  /** The kinds of every place the credential's values came from; unknown (no hint depends on it) when omitted. */
  readonly sourceKinds?: readonly CredentialSourceKind[];
  /** Headers to add to a request, e.g. `{ Authorization: "Bearer …" }`. Called once per HTTP attempt. */
  headers(): Promise<Record<string, string>>;
  /**
   * Called once when the server answers 401/403, so that the next `headers()` fetches a fresh token; the client
   * then retries the request once. Providers without refreshable credentials omit it (no retry then).
   */
  invalidate?(): void;
}

/** A fixed bearer token; the same as `new BearerTokenAuth(token, source)`. */
export function staticToken(token: string, source: string): AuthProvider {
  return new BearerTokenAuth(token, source);
}
