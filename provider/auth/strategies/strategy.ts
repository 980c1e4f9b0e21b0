// One way of turning attributes into an AuthProvider. The chain (../chain.ts) tries strategies in order, as the
// Databricks Go SDK's default credentials do: the first whose attributes are present is built.
import type { Dispatcher } from "undici";
import type { AttrName, Attrs, Family } from "../attributes";
import type { AuthType } from "../authType";
import type { AzureCredentialFactory, AzureCredentialOptions } from "../azure";
import { isAzureHost } from "../host";
import type { AuthProvider, Level } from "../types";

/** What every strategy may use besides the attributes: where it calls, and the resolver's options. */
export interface StrategyContext {
  host: string;
  level: Level;
  accountId?: string;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  azureCredentialFactory?: AzureCredentialFactory;
  azureCredentialOptions?: AzureCredentialOptions;
  dispatcher?: Dispatcher;
}

/** A strategy that cannot be built from the attributes, and why (names attributes only, never a value). */
export interface Unmet {
  unmet: string;
}

export interface Strategy {
  readonly name: AuthType;
  /** The attribute family that selects it (see ../family.ts); none for strategies that use ambient sources. */
  readonly family?: Family;
  /** True when the attributes that select this strategy are present; otherwise why not, for the chain's error. */
  applies(a: Attrs, ctx: StrategyContext): true | string;
  /** The provider, or what is missing. Called when the strategy applies, or directly when authType forces it. */
  build(a: Attrs, ctx: StrategyContext): AuthProvider | Unmet;
}

export function isUnmet(r: AuthProvider | Unmet): r is Unmet {
  return "unmet" in r;
}

/** Undefined when every name is set, else `needs a and b; not set: b`. */
export function missing(a: Attrs, ...names: AttrName[]): Unmet | undefined {
  const absent = names.filter((n) => !a[n]);
  return absent.length ? { unmet: `needs ${names.join(" and ")}; not set: ${absent.join(", ")}` } : undefined;
}

/** `true` when any of the names is set, else `not set: a, b`. */
export function anySet(a: Attrs, ...names: AttrName[]): true | string {
  return names.some((n) => a[n]) ? true : `not set: ${names.join(", ")}`;
}

/** Undefined on an Azure Databricks host, else why azure strategies do not apply. */
export function notAzure(ctx: StrategyContext): string | undefined {
  return isAzureHost(ctx.host) ? undefined : `applies only to Azure Databricks hosts (*.azuredatabricks.net), not ${ctx.host}`;
}
