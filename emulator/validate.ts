// Body field readers. SCIM attribute names are case-insensitive (RFC 7643 §2.1), so lookups are too.
// Wrong JSON types are 400 invalidSyntax with the Databricks text (Java SDK issue #279: a bare string where a list of
// objects belongs gives exactly that).
import { invalidSyntax, invalidValue, ScimError } from "./errors";
import { isJsonObject, type ComplexValue, type JsonObject } from "./model";
import { KNOWN_ENTITLEMENTS } from "./schemas";

export function requireObject(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw invalidSyntax();
  return body;
}

/** Case-insensitive key lookup; `has` distinguishes "absent" from "null". */
export function field(obj: JsonObject, name: string): { has: boolean; value: unknown } {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return { has: true, value: obj[name] };
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return { has: true, value: obj[k] };
  return { has: false, value: undefined };
}

export function optString(obj: JsonObject, name: string): string | undefined {
  const { value } = field(obj, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidSyntax();
  return value;
}

export function optBoolean(obj: JsonObject, name: string): boolean | undefined {
  const { value } = field(obj, name);
  if (value === undefined || value === null) return undefined;
  return coerceActive(value);
}

/**
 * `active` arrives as JSON false, "false", or [{"value":"false"}] (TF and the Go SDK send the
 * latter two); all become a boolean.
 */
export function coerceActive(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    if (v === "true") return true;
    if (v === "false") return false;
  }
  if (Array.isArray(value) && value.length === 1 && isJsonObject(value[0])) return coerceActive(value[0].value);
  throw invalidValue(`Invalid value for active: ${JSON.stringify(value)}`);
}

/** A multi-valued complex attribute: an array of objects. A bare string (or array of strings) is invalidSyntax. */
export function complexList(value: unknown): ComplexValue[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  const out: ComplexValue[] = [];
  for (const item of list) {
    if (!isJsonObject(item)) throw invalidSyntax();
    const cv: ComplexValue = {};
    for (const key of ["value", "display", "$ref", "type"] as const) {
      const v = field(item, key).value;
      if (v === undefined || v === null) continue;
      if (typeof v !== "string") throw invalidSyntax();
      cv[key] = v;
    }
    const primary = field(item, "primary").value;
    if (typeof primary === "boolean") cv.primary = primary;
    out.push(cv);
  }
  return out;
}

/** Entitlement values: `[{}]` (TF's "none") and empty values drop out; duplicates collapse. */
export function entitlementValues(list: ComplexValue[], strict: boolean): string[] {
  const out: string[] = [];
  for (const e of list) {
    if (e.value === undefined || e.value === "") continue;
    if (strict && !KNOWN_ENTITLEMENTS.includes(e.value)) throw invalidValue(`Invalid entitlement value: ${e.value}`);
    if (!out.includes(e.value)) out.push(e.value);
  }
  return out;
}

/** Roles keep their value (and type/display/primary if sent); entries without a value are dropped. */
export function roleValues(list: ComplexValue[]): ComplexValue[] {
  const out: ComplexValue[] = [];
  for (const r of list) {
    if (r.value === undefined || r.value === "") continue;
    if (out.some((o) => o.value === r.value)) continue;
    const role: ComplexValue = { value: r.value };
    if (r.type !== undefined) role.type = r.type;
    if (r.display !== undefined) role.display = r.display;
    if (r.primary !== undefined) role.primary = r.primary;
    out.push(role);
  }
  return out;
}

/** Account objects have no entitlements (Databricks Go SDK models); saying so beats silently dropping them. */
export function accountEntitlementsError(scimType: "invalidValue" | "invalidPath"): ScimError {
  return new ScimError(400, "Entitlements are not supported on account-level resources.", scimType);
}

/** `name` = {givenName, familyName}; other sub-attributes are ignored. */
export function optName(obj: JsonObject): { givenName?: string; familyName?: string } | undefined {
  const { value } = field(obj, "name");
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw invalidSyntax();
  const out: { givenName?: string; familyName?: string } = {};
  const g = optString(value, "givenName");
  const f = optString(value, "familyName");
  if (g !== undefined) out.givenName = g;
  if (f !== undefined) out.familyName = f;
  return out;
}
