// A fixed bearer token (a PAT, a netrc `login token` entry, or a pre-fetched OAuth token): nothing to fetch, nothing
// to refresh. One class for the client's `staticToken` and provider/auth's pat and netrc strategies; it satisfies
// the client's AuthProvider interface structurally. The token lives in a #private field, so neither JSON.stringify
// nor util.inspect of the provider (or of a connection holding one) shows it.
import type { CredentialSourceKind } from "./credentialSource";

export class BearerTokenAuth {
  readonly #token: string;

  constructor(
    token: string,
    readonly source: string,
    readonly sourceKinds?: readonly CredentialSourceKind[],
  ) {
    if (typeof token !== "string" || token.trim() === "") {
      // Mention the source, never the (empty or not) value.
      throw new TypeError(`${source}: the token is empty`);
    }
    this.#token = token;
  }

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({ Authorization: `Bearer ${this.#token}` });
  }
}
