import type { ComplexValue, Entitlement, PatchOperation } from "../client/types";

/** Entitlements and roles travel as `[{ "value": "<name>" }]`; we keep them as sorted lists of names. */
export function toComplex(names: readonly string[]): ComplexValue[] {
  return names.map((value) => ({ value }));
}

export function fromComplex<T extends string = Entitlement>(values: ComplexValue[] | undefined): T[] {
  const names = new Set<string>();
  for (const v of values ?? []) if (v.value) names.add(v.value);
  return [...names].sort() as T[];
}

/**
 * The PATCH operations that turn `current` into `desired`: one `add` for what is missing and one `remove` for
 * what is extra. Deltas rather than a whole-list `replace` (or the `[{}]` clear form), so that a PATCH touches
 * only what differs from what we last read, and a `remove` is only ever sent for values we saw: Databricks
 * answers 400 invalidPath to a `remove` on a principal that has no entitlements.
 */
export function entitlementOps(current: readonly string[], desired: readonly string[]): PatchOperation[] {
  const { add, remove } = listDelta(current, desired);
  const ops: PatchOperation[] = [];
  if (add.length) ops.push({ op: "add", path: "entitlements", value: toComplex(add) });
  if (remove.length) ops.push({ op: "remove", path: "entitlements", value: toComplex(remove) });
  return ops;
}

/** What `desired` has that `current` lacks (add), and the reverse (remove). */
export function listDelta(current: readonly string[], desired: readonly string[]): { add: string[]; remove: string[] } {
  const have = new Set(current);
  const want = new Set(desired);
  return { add: [...want].filter((v) => !have.has(v)), remove: [...have].filter((v) => !want.has(v)) };
}
