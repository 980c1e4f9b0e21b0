import { sameSet } from "./check";
import { targetOf } from "./define";
import type { TargetInputs } from "./types";

/**
 * "Managed" fields, shared by every kind. An optional field the program leaves out is not managed here: it is
 * reported in the outputs as the server holds it, but never called a change or drift, and never written. A
 * field the program sets is enforced. Outputs record which optional fields the program set (`managed`), because
 * read() and delete() only ever see outputs.
 */
export interface Managed<F extends string> {
  /** Which optional fields the program sets; the others are reported but never changed or called drift. */
  managed: F[];
}

type Fields = Record<string, unknown>;
const fieldsOf = (o: object): Fields => o as Fields;

/** Fields whose value is a list of names: compared as sets, and `[]` when managed but absent on the server. */
const LIST_FIELDS: ReadonlySet<string> = new Set(["entitlements", "roles"]);

function sameValue(field: string, a: unknown, b: unknown): boolean {
  return LIST_FIELDS.has(field) ? sameSet(a as string[] | undefined, b as string[] | undefined) : a === b;
}

/** The optional fields that `values` (inputs, or outputs carrying `managed`) says the program sets. */
export function managedOf<F extends string>(values: object, optional: readonly F[]): F[] {
  const v = fieldsOf(values);
  if (Array.isArray(v.managed)) return v.managed as F[];
  return optional.filter((f) => v[f] !== undefined);
}

/**
 * What differs between the last known outputs and the new inputs: the `always` fields, and the optional fields
 * the program sets (one it leaves out is not managed here, so never a change).
 */
export function changedFields(olds: object, news: object, always: readonly string[], optional: readonly string[]): string[] {
  const o = fieldsOf(olds);
  const n = fieldsOf(news);
  const out = always.filter((f) => !sameValue(f, o[f], n[f]));
  for (const f of optional) if (n[f] !== undefined && !sameValue(f, o[f], n[f])) out.push(f);
  return out;
}

/** Outputs after an update: the old outputs with the program's values laid over them. */
export function overlay<O extends object, F extends string>(olds: O, news: object, optional: readonly F[]): O & Managed<F> {
  const set = Object.fromEntries(Object.entries(news).filter(([, v]) => v !== undefined));
  return { ...olds, ...set, managed: managedOf(news, optional) };
}

/**
 * The inputs the engine keeps after a refresh: the target, the `fixed` fields, and the server's values of the
 * managed optional fields. So drift found by a refresh shows as old → new in the next `pulumi preview --diff`.
 */
export function inputsAfterRefresh<I>(outs: TargetInputs & Managed<string>, fixed: readonly string[]): I {
  const o = fieldsOf(outs);
  const inputs: Fields = { ...targetOf(outs) };
  for (const f of fixed) if (o[f] !== undefined) inputs[f] = o[f];
  for (const f of outs.managed) {
    if (LIST_FIELDS.has(f)) inputs[f] = o[f] ?? [];
    else if (o[f] !== undefined) inputs[f] = o[f];
  }
  return inputs as I;
}
