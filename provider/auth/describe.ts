// How attributes are shown in messages: names and origins, never a secret's value.
import { ATTRS, type Attrs, type Layer, type Value } from "./attributes";
import type { CredentialSourceKind } from "./types";

/** A setting that is no attribute but is worth printing (profile, config_file), with the variable that set it. */
export interface DebugExtra {
  name: string;
  value: string;
  env?: string;
}

/** "Config: host=https://x, token=***, profile=dev. Env: DATABRICKS_HOST, DATABRICKS_TOKEN" (secrets as ***). */
export function debugString(attrs: Attrs, extras: readonly DebugExtra[]): string {
  const parts: string[] = [];
  const envs: string[] = [];
  for (const def of ATTRS) {
    const v = attrs[def.name];
    if (!v) continue;
    parts.push(`${def.name}=${def.sensitive ? "***" : v.value}`);
    if (v.layer === "env" || v.layer === "azure-env") envs.push(v.origin);
  }
  for (const e of extras) {
    parts.push(`${e.name}=${e.value}`);
    if (e.env) envs.push(e.env);
  }
  let out = `Config: ${parts.join(", ")}`;
  if (envs.length) out += `. Env: ${envs.join(", ")}`;
  return out;
}

/** "DATABRICKS_TOKEN from the environment (pat)", "profile 'dev' in /home/u/.databrickscfg (oauth-m2m)". */
export function describeSource(values: readonly (Value | undefined)[], strategy: string): string {
  const present = values.filter((v): v is Value => v !== undefined);
  const parts: string[] = [];
  for (const o of new Set(present.filter((v) => v.layer === "explicit").map((v) => v.origin))) parts.push(o);
  const envs = present.filter((v) => v.layer === "env" || v.layer === "azure-env").map((v) => v.origin);
  if (envs.length) parts.push(`${[...new Set(envs)].join(", ")} from the environment`);
  for (const o of new Set(present.filter((v) => v.layer === "profile").map((v) => v.origin))) parts.push(o);
  return `${parts.join(" and ") || "defaults"} (${strategy})`;
}

const KIND_OF_LAYER: Record<Layer, CredentialSourceKind> = { explicit: "connection", env: "environment", "azure-env": "environment", profile: "profile" };

/** The typed counterpart of describeSource: the kind of every place the values came from (AuthProvider.sourceKinds). */
export function sourceKindsOf(values: readonly (Value | undefined)[]): CredentialSourceKind[] {
  const kinds = new Set<CredentialSourceKind>();
  for (const v of values) if (v) kinds.add(v.stackConfig ? "stackConfig" : KIND_OF_LAYER[v.layer]);
  return [...kinds];
}
