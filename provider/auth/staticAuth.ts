// Credentials that are sent as they are: nothing to fetch, nothing to cache. Secrets live in #private fields, so
// that neither JSON.stringify nor util.inspect of a provider (or of a connection holding one) shows them. The
// bearer form is shared with the client (provider/shared: one class for every fixed token); Basic exists only here.
import type { AuthProvider, CredentialSourceKind } from "./types";

export { BearerTokenAuth } from "../shared/bearerToken";

export class BasicAuth implements AuthProvider {
  readonly #header: string;

  constructor(
    username: string,
    password: string,
    readonly source: string,
    readonly sourceKinds?: readonly CredentialSourceKind[],
  ) {
    this.#header = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  }

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({ Authorization: this.#header });
  }
}
