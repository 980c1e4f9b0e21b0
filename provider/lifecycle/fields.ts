import type { ComplexValue, PatchOperation } from "../client/types";
import { type Checker, isUnknown } from "./check";
import { entitlementOps, fromComplex, toComplex } from "./entitlements";
import type { Field, FieldInputs, Fields } from "./fieldTypes";
import { changedFields, managedOf, overlay, type Managed } from "./managed";
import { roleOps } from "./roles";
import type { DeletionPolicy } from "./types";

export type { Field, FieldInputs, Fields, ReportedKey } from "./fieldTypes";
export { outputKeys } from "./fieldTypes";

/** What is derived from a kind's field table (./fieldTypes.ts describes the table). */

type Values = Record<string, unknown>;
const valuesOf = (o: object): Values => o as Values;
const isList = (f: Field) => f.type === "entitlements" || f.type === "roles";
/** Optional: left out, the field is not managed (a flag is no server value to leave alone: see FieldType). */
const isOptional = (f: Field) => !f.required && f.default === undefined && f.type !== "flag";

/** The optional fields, in table order: the ones `managed` tracks. */
export function optionalFields(fields: Fields): string[] {
  return Object.entries(fields)
    .filter(([, f]) => isOptional(f))
    .map(([k]) => k);
}

/** The fields kept as they are in the inputs after a refresh (required, defaulted, flags). */
export function fixedFields(fields: Fields): string[] {
  return Object.entries(fields)
    .filter(([, f]) => !isOptional(f))
    .map(([k]) => k);
}

/** The attributes refresh asks for: the top-level attribute of each reported field, in table order. */
export function readAttributes(fields: Fields, when: { level: string; managed: readonly string[] } = { level: "workspace", managed: [] }): string {
  const attrs: string[] = [];
  for (const [k, f] of Object.entries(fields)) {
    if (!f.path || !(f.reported || (f.reportedWhenManaged && when.level === "workspace" && when.managed.includes(k)))) continue;
    const top = f.path.split(".")[0] as string;
    if (!attrs.includes(top)) attrs.push(top);
  }
  return attrs.join(",");
}

/**
 * Every attribute a kind's table reports at a level, whether a program manages it or not: for the reads that take
 * a whole object without knowing which resource will use it (the one group read a run shares, the importer).
 * Entitlements exist only in workspaces, so they are not asked for at account level.
 */
export function allReportedAttributes(fields: Fields, level: string): string {
  const attrs: string[] = [];
  for (const f of Object.values(fields)) {
    if (!f.path || !(f.reported || f.reportedWhenManaged) || (f.type === "entitlements" && level !== "workspace")) continue;
    const top = f.path.split(".")[0] as string;
    if (!attrs.includes(top)) attrs.push(top);
  }
  return attrs.join(",");
}

/**
 * What the server holds for every field the table reports, normalised as the resources store it (lower-case where
 * the field says, entitlement and role lists sorted and deduplicated, entitlements only in workspaces, a boolean
 * the server omits at its default). Unlike `reportedValues` it does not ask which fields a program manages: the
 * importer uses it to write the program.
 */
export function serverValues(fields: Fields, level: string, server: object): Values {
  const out: Values = {};
  for (const [k, f] of Object.entries(fields)) {
    if (!f.path || !(f.reported || f.reportedWhenManaged)) continue;
    const v = getPath(server, f.path);
    if (f.type === "entitlements") {
      if (level === "workspace") out[k] = fromComplex(v as ComplexValue[] | undefined);
    } else if (f.type === "roles") {
      out[k] = fromComplex<string>(v as ComplexValue[] | undefined);
    } else if (f.type === "boolean") {
      out[k] = v ?? f.default;
    } else if (v !== undefined) {
      out[k] = typeof v === "string" && f.normalise === "lowercase" ? v.toLowerCase() : v;
    }
  }
  return out;
}

/**
 * Validates and normalises every field the table can judge (not the `customCheck` ones). The result holds only
 * values that are set, defaults filled; a required field that failed is "" (the failure is in `c`).
 */
export function checkFields<F extends Fields>(c: Checker, news: Values, fields: F, level: string): FieldInputs<F> {
  const out: Values = {};
  for (const [k, f] of Object.entries(fields)) {
    if (f.customCheck) continue;
    let v: unknown;
    switch (f.type) {
      case "string":
        v = f.required ? c.requiredString(news, k, f.hint ?? "") : c.optionalString(news, k, f.hint ?? "");
        if (typeof v === "string" && !isUnknown(v) && f.normalise === "lowercase") v = v.trim().toLowerCase();
        if (v === undefined && f.required) v = "";
        break;
      case "boolean":
        v = c.boolean(news, k, f.default === true);
        break;
      case "deletionPolicy":
        v = c.oneOf(news, k, ["delete", "deactivate"] as const, (f.default as DeletionPolicy | undefined) ?? "delete");
        break;
      case "entitlements":
        v = c.entitlements(news, level);
        break;
      case "roles":
        v = c.roles(news, level);
        break;
      case "flag":
        if (c.boolean(news, k, false) !== true) break;
        if (f.workspaceOnly && level === "account") c.fail(k, f.workspaceOnly);
        else v = true;
        break;
    }
    if (v !== undefined) out[k] = v;
  }
  return out as FieldInputs<F>;
}

/** The POST body: every field with a SCIM path that the inputs set (lists only when not empty). */
export function createBody<T>(fields: Fields, inputs: object, schema: string): T {
  const body: Values = { schemas: [schema] };
  const v = valuesOf(inputs);
  for (const [k, f] of Object.entries(fields)) {
    if (!f.path || v[k] === undefined) continue;
    if (isList(f)) {
      if ((v[k] as string[]).length > 0) body[f.path] = toComplex(v[k] as string[]);
    } else {
      setPath(body, f.path, v[k]);
    }
  }
  return body as T;
}

/**
 * PATCH operations taking the server from `olds` (last known) to `news`, and nothing else: one `replace` per
 * scalar field the program sets and that differs (fields that force a replacement never change in place), in
 * table order, then entitlement and role deltas when the program manages them.
 */
export function patchOps(fields: Fields, olds: object, news: object): PatchOperation[] {
  const o = valuesOf(olds);
  const n = valuesOf(news);
  const ops: PatchOperation[] = [];
  for (const [k, f] of Object.entries(fields)) {
    if (!f.path || f.forceNew || isList(f)) continue;
    if (n[k] !== undefined && n[k] !== o[k]) ops.push({ op: "replace", path: f.path, value: n[k] });
  }
  const list = (k: string): string[] => (o[k] as string[] | undefined) ?? [];
  for (const [k, f] of Object.entries(fields)) {
    if (!f.path || n[k] === undefined) continue;
    if (f.type === "entitlements") ops.push(...entitlementOps(list(k), n[k] as string[]));
    if (f.type === "roles") ops.push(...roleOps(list(k), n[k] as string[]));
  }
  return ops;
}

/**
 * The fields' part of the outputs: what the server reports (optional fields only when it has them; entitlements
 * only in workspaces, where they exist), the state-only fields from `base`, and which optional fields the
 * program manages.
 */
export function reportedValues<F extends Fields>(fields: F, base: object & { level: string }, server: object): FieldInputs<F> & Managed<string> {
  const b = valuesOf(base);
  const managed = managedOf(base, optionalFields(fields));
  const out: Values = {};
  for (const [k, f] of Object.entries(fields)) {
    const shown = f.reported || (f.reportedWhenManaged && managed.includes(k));
    if (!f.path || !shown) {
      if (!f.path && b[k] !== undefined) out[k] = b[k]; // lives in state only (onDelete, adopt)
      continue;
    }
    const v = getPath(server, f.path);
    if (f.type === "entitlements") {
      if (base.level === "workspace") out[k] = fromComplex(v as ComplexValue[] | undefined);
    } else if (f.type === "roles") {
      out[k] = fromComplex<string>(v as ComplexValue[] | undefined);
    } else if (f.type === "boolean") {
      out[k] = v ?? f.default ?? b[k];
    } else if (v !== undefined) {
      out[k] = typeof v === "string" && f.normalise === "lowercase" ? v.toLowerCase() : v;
    } else if (f.required && b[k] !== undefined) {
      out[k] = b[k];
    }
  }
  out.managed = managed;
  return out as FieldInputs<F> & Managed<string>;
}

/**
 * A kind's diff from its table: fields that force a replacement and differ (an optional one only when set), and
 * the fields that change in place (optional ones only when the program sets them; create-only ones never; a flag
 * when it is turned on or off).
 */
export function fieldDiff(fields: Fields, olds: object, news: object): { replaces: string[]; changed: string[] } {
  const o = valuesOf(olds);
  const n = valuesOf(news);
  const replaces: string[] = [];
  const always: string[] = [];
  const optional: string[] = [];
  const flags: string[] = [];
  for (const [k, f] of Object.entries(fields)) {
    if (f.createOnly) continue;
    if (f.type === "flag") {
      if (Boolean(o[k]) !== Boolean(n[k])) flags.push(k);
    } else if (f.forceNew) {
      if ((!isOptional(f) || n[k] !== undefined) && n[k] !== o[k]) replaces.push(k);
    } else if (isOptional(f)) {
      optional.push(k);
    } else {
      always.push(k);
    }
  }
  return { replaces, changed: [...changedFields(olds, news, always, optional), ...flags] };
}

/**
 * Outputs after an update: the old outputs with the program's values laid over them (see `overlay`), and a flag
 * the program turned off gone from them (news, after check, holds a flag only when it is on).
 */
export function overlayFields<O extends object>(fields: Fields, olds: O, news: object): O & Managed<string> {
  const outs = overlay(olds, news, optionalFields(fields));
  const n = valuesOf(news);
  for (const [k, f] of Object.entries(fields)) if (f.type === "flag" && n[k] === undefined) delete valuesOf(outs)[k];
  return outs;
}

/** Sets `value` at a dotted SCIM path ("name.givenName"), making the objects on the way. */
export function setPath(target: Values, path: string, value: unknown): void {
  const parts = path.split(".");
  let at = target;
  for (const p of parts.slice(0, -1)) {
    at[p] ??= {};
    at = at[p] as Values;
  }
  at[parts.at(-1) as string] = value;
}

function getPath(source: object, path: string): unknown {
  let at: unknown = source;
  for (const p of path.split(".")) at = at === null || typeof at !== "object" ? undefined : (at as Values)[p];
  return at;
}
