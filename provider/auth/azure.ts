// Microsoft Entra tokens for Azure Databricks through @azure/identity (provider/auth/README.md). @azure/identity
// is loaded only when the first token is needed, so resolving a connection stays cheap.
import type { TokenCredential, TokenCredentialOptions } from "@azure/identity";
import { CredentialError, describeForeignError } from "./errors";
import { TokenCache, type AccessTokenValue } from "./tokenCache";
import type { AuthProvider, CredentialSourceKind } from "./types";

/** Azure Databricks first-party app id, the same in every Azure cloud. */
export const AZURE_DATABRICKS_APP_ID = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d";
export const AZURE_DATABRICKS_SCOPE = `${AZURE_DATABRICKS_APP_ID}/.default`;
export const AZURE_MANAGEMENT_SCOPE = "https://management.core.windows.net//.default";

export type AzureCredentialRequest =
  | { kind: "azure-client-secret"; tenantId: string; clientId: string; clientSecret: string }
  | { kind: "azure-msi"; clientId?: string }
  | { kind: "azure-cli"; tenantId?: string };

/** Options passed through to @azure/identity (authority, TLS for a local fake authority, ...). */
export interface AzureCredentialOptions {
  /** Entra authority, e.g. https://login.microsoftonline.us; must be https. Default: AZURE_AUTHORITY_HOST, else public. */
  authorityHost?: string;
  /** Skip Entra instance discovery (needed for a non-Microsoft authority such as a local fake). */
  disableInstanceDiscovery?: boolean;
  /** Extra TLS settings, e.g. `{ ca }` trusting a local test authority's certificate. */
  tlsOptions?: TokenCredentialOptions["tlsOptions"];
}

export type AzureCredentialFactory = (req: AzureCredentialRequest) => TokenCredential | Promise<TokenCredential>;

/** The real factory: ClientSecretCredential, ManagedIdentityCredential or AzureCliCredential. */
export async function createAzureCredential(req: AzureCredentialRequest, options: AzureCredentialOptions = {}): Promise<TokenCredential> {
  const identity = await import("@azure/identity");
  const common: TokenCredentialOptions & { disableInstanceDiscovery?: boolean } = {};
  if (options.authorityHost) common.authorityHost = options.authorityHost;
  if (options.tlsOptions) common.tlsOptions = options.tlsOptions;
  if (options.disableInstanceDiscovery) common.disableInstanceDiscovery = true;
  switch (req.kind) {
    case "azure-client-secret":
      return new identity.ClientSecretCredential(req.tenantId, req.clientId, req.clientSecret, common);
    case "azure-msi":
      return req.clientId ? new identity.ManagedIdentityCredential({ ...common, clientId: req.clientId }) : new identity.ManagedIdentityCredential(common);
    case "azure-cli":
      return new identity.AzureCliCredential(req.tenantId ? { tenantId: req.tenantId } : {});
  }
}

export interface AzureEntraAuthOptions {
  request: AzureCredentialRequest;
  source: string;
  /** Where the credentials came from, as types (AuthProvider.sourceKinds). */
  sourceKinds?: readonly CredentialSourceKind[];
  /** ARM id of the workspace: adds X-Databricks-Azure-Workspace-Resource-Id and the management token header. */
  resourceId?: string;
  /** Test seam / custom credential: replaces createAzureCredential. */
  credentialFactory?: AzureCredentialFactory;
  credentialOptions?: AzureCredentialOptions;
  /** Refresh this long before expiry; never less than 40 s (Azure Databricks rejects tokens within 30 s of expiry). */
  earlyRefreshMs?: number;
  now?: () => number;
}

const AZURE_MIN_EARLY_MS = 40_000;

export class AzureEntraAuth implements AuthProvider {
  readonly source: string;
  readonly sourceKinds?: readonly CredentialSourceKind[];
  // #private: keeps the secret and the cached tokens out of JSON.stringify / util.inspect of the provider.
  readonly #opts: AzureEntraAuthOptions;
  #credential?: Promise<TokenCredential>;
  readonly #databricks: TokenCache;
  readonly #management?: TokenCache;

  constructor(opts: AzureEntraAuthOptions) {
    this.#opts = opts;
    this.source = opts.source;
    this.sourceKinds = opts.sourceKinds;
    const early = Math.max(opts.earlyRefreshMs ?? 60_000, AZURE_MIN_EARLY_MS);
    this.#databricks = new TokenCache(() => this.#fetch(AZURE_DATABRICKS_SCOPE), { earlyRefreshMs: early, now: opts.now });
    if (opts.resourceId) {
      this.#management = new TokenCache(() => this.#fetch(AZURE_MANAGEMENT_SCOPE), { earlyRefreshMs: early, now: opts.now });
    }
  }

  get kind(): AzureCredentialRequest["kind"] {
    return this.#opts.request.kind;
  }

  async headers(): Promise<Record<string, string>> {
    const t = await this.#databricks.get();
    const h: Record<string, string> = { Authorization: `${t.type} ${t.token}` };
    if (this.#opts.resourceId && this.#management) {
      h["X-Databricks-Azure-Workspace-Resource-Id"] = this.#opts.resourceId;
      try {
        const m = await this.#management.get();
        h["X-Databricks-Azure-SP-Management-Token"] = m.token;
      } catch (e) {
        // azure-cli: the management token is best effort; for the others it is part of the method.
        if (this.#opts.request.kind !== "azure-cli") throw e;
      }
    }
    return h;
  }

  invalidate(): void {
    this.#databricks.invalidate();
    this.#management?.invalidate();
  }

  #secrets(): string[] {
    return this.#opts.request.kind === "azure-client-secret" ? [this.#opts.request.clientSecret] : [];
  }

  #getCredential(): Promise<TokenCredential> {
    if (!this.#credential) {
      const factory = this.#opts.credentialFactory ?? ((r) => createAzureCredential(r, this.#opts.credentialOptions));
      const p = Promise.resolve().then(() => factory(this.#opts.request));
      this.#credential = p;
      p.catch(() => {
        if (this.#credential === p) this.#credential = undefined;
      });
    }
    return this.#credential;
  }

  async #fetch(scope: string): Promise<AccessTokenValue> {
    let token;
    try {
      const cred = await this.#getCredential();
      token = await cred.getToken(scope);
    } catch (e) {
      throw new CredentialError(
        "AUTH_AZURE",
        `default auth: ${this.#opts.request.kind}: cannot get a Microsoft Entra token for ${scope} (credentials: ${this.source}): ${describeForeignError(e, this.#secrets())}. ${fixHint(this.#opts.request.kind)}`,
      );
    }
    if (!token || !token.token) {
      throw new CredentialError(
        "AUTH_AZURE",
        `default auth: ${this.#opts.request.kind}: @azure/identity returned no token for ${scope} (credentials: ${this.source})`,
      );
    }
    return {
      token: token.token,
      type: token.tokenType ?? "Bearer",
      expiresAt: token.expiresOnTimestamp,
      refreshAfter: token.refreshAfterTimestamp,
    };
  }
}

function fixHint(kind: AzureCredentialRequest["kind"]): string {
  switch (kind) {
    case "azure-client-secret":
      return "Check the tenant, client id and secret of the Entra application (ARM_TENANT_ID, ARM_CLIENT_ID, ARM_CLIENT_SECRET)";
    case "azure-msi":
      return "Managed identity works only on an Azure host with an identity assigned; set ARM_CLIENT_ID for a user-assigned one";
    case "azure-cli":
      return "Run `az login` (and `az account set`), or configure a token or service principal instead";
  }
}
