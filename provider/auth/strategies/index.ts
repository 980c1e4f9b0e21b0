// The strategies in the order they are tried, as the Go SDK's default auth chain orders them (pat, basic,
// oauth-m2m, then the specific azure methods before the Azure CLI), with this package's netrc before the azure
// ones: a ~/.netrc entry for the host is more specific than whoever is signed in to the Azure CLI.
import type { AuthType } from "../authType";
import { azureCli } from "./azureCli";
import { azureClientSecret } from "./azureClientSecret";
import { azureMsi } from "./azureMsi";
import { basic } from "./basic";
import { netrc } from "./netrc";
import { oauthM2M } from "./oauthM2M";
import { pat } from "./pat";
import type { Strategy } from "./strategy";

export const DEFAULT_CHAIN: readonly Strategy[] = [pat, basic, oauthM2M, netrc, azureMsi, azureClientSecret, azureCli];

export function strategyNamed(name: AuthType): Strategy {
  const s = DEFAULT_CHAIN.find((x) => x.name === name);
  // plain Error: an invariant (SUPPORTED_AUTH_TYPES and DEFAULT_CHAIN name the same set), nothing a user can fix.
  if (!s) throw new Error(`no strategy ${name}`);
  return s;
}

export type { Strategy, StrategyContext, Unmet } from "./strategy";
