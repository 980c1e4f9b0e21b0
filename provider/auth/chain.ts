// Choosing the credential strategy from the layered attributes, as the Go SDK's default credentials do: try the
// strategies in order and build the first that applies.
//  - authType forces one strategy: it is built from every layer's attributes, or its missing inputs are an error.
//  - Otherwise, if a layer names a method family (family.ts), only that family's strategies are tried, with that
//    family's attributes; the first that applies must build, or what it misses is the error.
//  - Otherwise (no layer names a method) the whole chain is tried on ambient sources (~/.netrc, AZURE_*, the Azure
//    CLI); one that applies but cannot be built is passed over, as the Go SDK passes over incomplete methods.
// When nothing applies, the error lists each strategy tried and why it did not apply.
import { merge, type Attrs, type Value } from "./attributes";
import { DOCS_URL, type AuthType } from "./authType";
import { CredentialError } from "./errors";
import { attributesOf, requestedFamily } from "./family";
import type { Layers } from "./layers";
import { DEFAULT_CHAIN, strategyNamed, type Strategy, type StrategyContext } from "./strategies";
import { isUnmet } from "./strategies/strategy";
import type { AuthProvider } from "./types";

export type ChainResult =
  | { kind: "built"; strategy: AuthType; auth: AuthProvider }
  | { kind: "unmet"; strategy: AuthType; reason: string }
  | { kind: "none"; tried: { strategy: AuthType; reason: string }[] };

/**
 * Tries `chain` in order on `a`: the first strategy that applies is built. With `passOverUnmet`, one that applies
 * but cannot be built is recorded and the next is tried; without, it ends the search.
 */
export function runChain(chain: readonly Strategy[], a: Attrs, ctx: StrategyContext, passOverUnmet = false): ChainResult {
  const tried: { strategy: AuthType; reason: string }[] = [];
  for (const s of chain) {
    const applies = s.applies(a, ctx);
    if (applies !== true) {
      tried.push({ strategy: s.name, reason: applies });
      continue;
    }
    const built = s.build(a, ctx);
    if (!isUnmet(built)) return { kind: "built", strategy: s.name, auth: built };
    if (!passOverUnmet) return { kind: "unmet", strategy: s.name, reason: built.unmet };
    tried.push({ strategy: s.name, reason: built.unmet });
  }
  return { kind: "none", tried };
}

/** "Tried: pat (not set: token), basic (not set: username, password), ..." */
export function describeTried(tried: readonly { strategy: AuthType; reason: string }[]): string {
  return `Tried: ${tried.map((t) => `${t.strategy} (${t.reason})`).join(", ")}`;
}

const NOT_CONFIGURED = `default auth: cannot configure default credentials, please check ${DOCS_URL} to configure credentials for your preferred authentication method`;
const HOW_TO =
  "Set a token (DATABRICKS_TOKEN), a service principal's OAuth secret (DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET), or a ~/.databrickscfg profile (DATABRICKS_CONFIG_PROFILE)";

export interface ChooseInput {
  layers: Layers;
  authType?: { name: AuthType; from: Value };
  ctx: StrategyContext;
  azureHost: boolean;
  /** "Config: ... Env: ..." for these attributes. */
  debug: (a: Attrs) => string;
}

export function chooseCredential({ layers, authType, ctx, azureHost, debug }: ChooseInput): AuthProvider {
  if (authType) {
    const built = strategyNamed(authType.name).build(merge(layers.all, layers.azureEnv), ctx);
    if (!isUnmet(built)) return built;
    throw new CredentialError(
      "AUTH_INVALID_CONFIG",
      `default auth: ${authType.name} (auth type from ${authType.from.origin}): ${built.unmet}. ${debug(layers.all)}`,
    );
  }

  const family = requestedFamily(layers, azureHost);
  if (family) {
    const attrs = attributesOf(family, layers);
    const r = runChain(
      DEFAULT_CHAIN.filter((s) => s.family === family),
      attrs,
      ctx,
    );
    if (r.kind === "built") return r.auth;
    const why = r.kind === "unmet" ? `${r.strategy}: ${r.reason}` : describeTried(r.tried);
    throw new CredentialError("AUTH_NOT_CONFIGURED", `${NOT_CONFIGURED}. ${debug(attrs)}. ${why}`);
  }

  const r = runChain(DEFAULT_CHAIN, merge(layers.all, layers.azureEnv), ctx, true);
  if (r.kind === "built") return r.auth;
  const tried = r.kind === "none" ? r.tried : [];
  throw new CredentialError("AUTH_NOT_CONFIGURED", `${NOT_CONFIGURED}. ${debug(layers.all)}. ${HOW_TO}. ${describeTried(tried)}`);
}
