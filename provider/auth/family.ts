// Which auth method family the layers ask for, when no authType forces a strategy.
//
// Without authType, the highest of the layers (explicit, environment, profile) that sets any auth attribute decides
// the family; if that layer names attributes of two families it is an error (the SDKs' "validate: more than one
// authorization method configured"). A lower layer may fill a missing attribute of the same family (explicit
// clientId + env DATABRICKS_CLIENT_SECRET) but its attributes of other families are ignored: a connection's
// explicit token is not overruled by an ambient DATABRICKS_CLIENT_ID. (The Go SDK merges all layers first and so
// would fail there.) ARM_* variables count only for Azure hosts: they are commonly set for the Azure resource
// provider, and azure methods cannot apply to AWS/GCP hosts anyway.
import { ATTRS, onlyLayer, type Attrs, type Family, type Layer } from "./attributes";
import { SUPPORTED_AUTH_TYPES } from "./authType";
import { debugString } from "./describe";
import { CredentialError } from "./errors";
import type { Layers } from "./layers";

function familiesOf(a: Attrs, layer: Layer, azureHost: boolean): Set<Family> {
  const out = new Set<Family>();
  for (const def of ATTRS) {
    if (!def.family || !a[def.name]) continue;
    if (def.family === "azure" && layer === "env" && !azureHost) continue; // ambient ARM_* for another tool
    out.add(def.family);
  }
  return out;
}

/** The family the highest layer with auth attributes names, or undefined when no layer names any. */
export function requestedFamily(layers: Layers, azureHost: boolean): Family | undefined {
  for (const [attrs, layer] of [
    [layers.explicit, "explicit"],
    [layers.env, "env"],
    [layers.profile, "profile"],
  ] as const) {
    const families = familiesOf(attrs, layer, azureHost);
    if (families.size > 1) {
      throw new CredentialError(
        "AUTH_AMBIGUOUS",
        `validate: more than one authorization method configured: ${[...families].sort().join(" and ")}. ${debugString(onlyLayer(layers.all, layer), layers.extras)}. Remove all but one, or set authType (DATABRICKS_AUTH_TYPE, auth_type in the profile) to one of ${SUPPORTED_AUTH_TYPES.join(", ")}`,
      );
    }
    if (families.size === 1) return [...families][0];
  }
  return undefined;
}

/** The attributes of one family (from any layer, AZURE_* last for azure), plus those of no family; others dropped. */
export function attributesOf(family: Family, layers: Layers): Attrs {
  const out: Attrs = {};
  for (const def of ATTRS) {
    if (def.family && def.family !== family) continue;
    const v = layers.all[def.name] ?? (family === "azure" ? layers.azureEnv[def.name] : undefined);
    if (v) out[def.name] = v;
  }
  return out;
}
