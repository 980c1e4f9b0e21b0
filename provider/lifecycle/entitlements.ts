import type { ComplexValue, Entitlement, PatchOperation } from "../client/types";

/** Entitlements travel as `[{ "value": "<name>" }]`; we keep them as a sorted list of names. */
export function toComplex(names: readonly string[]): ComplexValue[] {
  return names.map((value) => ({ value }));
}

export function fromComplex(values: ComplexValue[] | undefined): Entitlement[] {
  const names = new Set<string>();
  for (const v of values ?? []) if (v.value) names.add(v.value);
  return [...names].sort() as Entitlement[];
}

/**
 * The PATCH operations that turn `current` into `desired`: one `add` for what is missing and one `remove` for
 * what is extra. Deltas rather than a whole-list `replace` (or the `[{}]` clear form), so that a PATCH touches
 * only what differs from what we last read, and a `remove` is only ever sent for values we saw: Databricks
 * answers 400 invalidPath to a `remove` on a principal that has no entitlements.
 */
export function entitlementOps(current: readonly string[], desired: readonly string[]): PatchOperation[] {
  const have = new Set(current);
  const want = new Set(desired);
  const add = [...want].filter((e) => !have.has(e));
  const remove = [...have].filter((e) => !want.has(e));
  const ops: PatchOperation[] = [];
  if (add.length) ops.push({ op: "add", path: "entitlements", value: toComplex(add) });
  if (remove.length) ops.push({ op: "remove", path: "entitlements", value: toComplex(remove) });
  return ops;
}
