// Credentials that are sent as they are: nothing to fetch, nothing to cache. Secrets live in #private fields, so
// that neither JSON.stringify nor util.inspect of a provider (or of a connection holding one) shows them.
import type { AuthProvider } from "./types";

export class BearerTokenAuth implements AuthProvider {
  readonly #token: string;

  constructor(
    token: string,
    readonly source: string,
  ) {
    this.#token = token;
  }

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({ Authorization: `Bearer ${this.#token}` });
  }
}

export class BasicAuth implements AuthProvider {
  readonly #header: string;

  constructor(
    username: string,
    password: string,
    readonly source: string,
  ) {
    this.#header = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  }

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({ Authorization: this.#header });
  }
}
