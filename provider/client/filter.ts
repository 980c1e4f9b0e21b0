// SCIM filter builder (RFC 7644 §3.4.2.2; Databricks documents only eq, ne, co, sw, and, or).
//
// Values always go out as JSON literals: strings double-quoted with `"` and `\` (and control characters)
// escaped by JSON.stringify, which is exactly the RFC's compValue grammar. Attribute paths are validated against
// the attrPath grammar, so neither a value nor an attribute name supplied by a user can change the expression's
// structure. Parentheses are added only where precedence needs them (Databricks "only supports simple
// expressions", so `a and b and c` stays flat).

import { InvalidArgumentError } from "./errors";

const kFilter = Symbol.for("pulumi-databricks-scim.client.filter");

type Kind = "attr" | "and" | "or" | "not" | "valuePath" | "raw";

/** An immutable, already-escaped filter expression. Build with the functions below; `String(f)` gives the text. */
export class Filter {
  /** Number of attribute expressions in it (Databricks rejects more than 200 nodes with 400 INVALID_FILTER). */
  readonly nodes: number;
  /** @internal */
  readonly kind: Kind;
  readonly expression: string;

  /** @internal use the builder functions */
  constructor(kind: Kind, expression: string, nodes: number) {
    this.kind = kind;
    this.expression = expression;
    this.nodes = nodes;
    Object.freeze(this);
  }

  toString(): string {
    return this.expression;
  }

  static [Symbol.hasInstance](instance: unknown): boolean {
    return typeof instance === "object" && instance !== null && (instance as Record<symbol, unknown>)[kFilter] === true;
  }

  get [kFilter](): true {
    return true;
  }
}

export type FilterValue = string | number | boolean | null;
export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";

// attrPath = [URI ":"] ATTRNAME *1subAttr ; ATTRNAME = ALPHA *(nameChar) ; nameChar = "-" / "_" / DIGIT / ALPHA
// ($ allowed for `$ref`). A URN prefix may contain dots and colons but no spaces, quotes or brackets.
const ATTR_PATH = /^(?:urn:[A-Za-z0-9.:_-]+:)?(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)(?:\.(?:[A-Za-z][A-Za-z0-9_-]*|\$ref))?$/;

function checkAttr(attr: string): string {
  if (typeof attr !== "string" || !ATTR_PATH.test(attr)) {
    throw new InvalidArgumentError(`invalid SCIM attribute path in filter: ${JSON.stringify(attr)}`);
  }
  return attr;
}

/** Renders a value as a SCIM compValue (JSON literal). */
export function quote(value: FilterValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InvalidArgumentError(`filter value must be finite, got ${value}`);
    return String(value);
  }
  if (typeof value === "boolean" || value === null) return String(value);
  throw new InvalidArgumentError(`unsupported filter value type: ${typeof value}`);
}

export function compare(attr: string, op: CompareOp, value: FilterValue): Filter {
  return new Filter("attr", `${checkAttr(attr)} ${op} ${quote(value)}`, 1);
}

export const eq = (attr: string, value: FilterValue): Filter => compare(attr, "eq", value);
export const ne = (attr: string, value: FilterValue): Filter => compare(attr, "ne", value);
export const co = (attr: string, value: string): Filter => compare(attr, "co", value);
export const sw = (attr: string, value: string): Filter => compare(attr, "sw", value);
export const ew = (attr: string, value: string): Filter => compare(attr, "ew", value);
export const gt = (attr: string, value: FilterValue): Filter => compare(attr, "gt", value);
export const ge = (attr: string, value: FilterValue): Filter => compare(attr, "ge", value);
export const lt = (attr: string, value: FilterValue): Filter => compare(attr, "lt", value);
export const le = (attr: string, value: FilterValue): Filter => compare(attr, "le", value);
/** `attr pr` (attribute present). */
export const pr = (attr: string): Filter => new Filter("attr", `${checkAttr(attr)} pr`, 1);

function logical(op: "and" | "or", parts: Filter[]): Filter {
  if (parts.length === 0) throw new InvalidArgumentError(`${op}() needs at least one filter`);
  for (const p of parts) {
    if (!(p instanceof Filter)) throw new InvalidArgumentError(`${op}() takes Filter values, not raw strings`);
  }
  if (parts.length === 1) return parts[0]!;
  const rendered = parts.map((p) => {
    // Same operator: associative, stays flat. `and` inside `or` binds tighter: no parens needed.
    // `or` inside `and`, raw text (unknown structure) → parenthesise.
    if (p.kind === op || p.kind === "attr" || p.kind === "not" || p.kind === "valuePath") return p.expression;
    if (op === "or" && p.kind === "and") return p.expression;
    return `(${p.expression})`;
  });
  return new Filter(
    op,
    rendered.join(` ${op} `),
    parts.reduce((n, p) => n + p.nodes, 0),
  );
}

export const and = (...parts: Filter[]): Filter => logical("and", parts);
export const or = (...parts: Filter[]): Filter => logical("or", parts);
export const not = (f: Filter): Filter => new Filter("not", `not (${f.expression})`, f.nodes);

/** `attr[inner]`, e.g. `valuePath("members", eq("value", id))` → `members[value eq "id"]`. */
export function valuePath(attr: string, inner: Filter): Filter {
  return new Filter("valuePath", `${checkAttr(attr)}[${inner.expression}]`, inner.nodes);
}

/**
 * An expression passed through verbatim. Only for text that did not come from a user (e.g. a filter the program
 * author wrote by hand); the builder functions are the safe way.
 */
export function rawFilter(expression: string): Filter {
  if (typeof expression !== "string" || expression.trim() === "") throw new InvalidArgumentError("empty filter");
  return new Filter("raw", expression, 1);
}

/** `attr eq v1 or attr eq v2 …`, for batched lookups. */
export function anyOf(attr: string, values: readonly FilterValue[]): Filter {
  return or(...values.map((v) => eq(attr, v)));
}
