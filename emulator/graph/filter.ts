// OData `$filter` on directory objects, as Graph serves it: `eq`, `in` and `startsWith` work by default on the
// properties that Microsoft's "advanced query capabilities" tables mark so; `ne`, `not`, `endsWith` and
// comparisons with `null` need the advanced query parameters (header `ConsistencyLevel: eventual` and
// `$count=true`), else 400 Request_UnsupportedQuery naming the operator. `in` takes at most 15 values by
// default (Graph: "Too many child clauses … Max allowed: 15"), more in an advanced query. String comparisons are
// case-insensitive, as directory string comparisons are. `and` binds tighter than `or`; parentheses group.
import { badRequest, unsupportedQuery } from "./errors";
import { KNOWN_PROPERTIES, type DirectoryObject, type ObjectKind, type PropertyValue } from "./model";

type Literal = string | boolean | null;

export type FilterNode =
  | { op: "and" | "or"; left: FilterNode; right: FilterNode }
  | { op: "not"; operand: FilterNode }
  | { op: "eq" | "ne"; property: string; value: Literal }
  | { op: "in"; property: string; values: Literal[] }
  | { op: "startsWith" | "endsWith"; property: string; value: string };

/** Per kind: the filterable properties and whether `startsWith` works on each by default (eq and in always do). */
const FILTERABLE: Record<ObjectKind, Record<string, { startsWith: boolean }>> = {
  group: {
    id: { startsWith: false },
    displayName: { startsWith: true },
    mail: { startsWith: true },
    mailNickname: { startsWith: true },
    securityEnabled: { startsWith: false },
    mailEnabled: { startsWith: false },
    description: { startsWith: true },
  },
  user: {
    id: { startsWith: false },
    displayName: { startsWith: true },
    userPrincipalName: { startsWith: true },
    mail: { startsWith: true },
    mailNickname: { startsWith: true },
    givenName: { startsWith: true },
    surname: { startsWith: true },
    jobTitle: { startsWith: false },
    accountEnabled: { startsWith: false },
    userType: { startsWith: false },
  },
  servicePrincipal: {
    id: { startsWith: false },
    appId: { startsWith: false },
    displayName: { startsWith: true },
    accountEnabled: { startsWith: false },
    servicePrincipalType: { startsWith: false },
  },
  device: { id: { startsWith: false }, deviceId: { startsWith: false }, displayName: { startsWith: true }, accountEnabled: { startsWith: false } },
  orgContact: { id: { startsWith: false }, displayName: { startsWith: true }, mail: { startsWith: true } },
};
/** `endsWith` is documented only for these, and only in advanced queries. */
const ENDS_WITH = new Set(["mail", "userPrincipalName"]);
const BOOLEAN = new Set(["securityEnabled", "mailEnabled", "accountEnabled"]);
export const MAX_IN_VALUES = 15;

/** What a filter is parsed against: the kinds it may match and the resource name Graph's messages use. */
export interface FilterScope {
  kinds: ObjectKind[];
  /** "Group", "User", … or "DirectoryObject" for member collections. */
  resource: string;
}

// ---- tokenizer ----
type Token = { t: "ident"; v: string } | { t: "string"; v: string } | { t: "(" } | { t: ")" } | { t: "," };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "(" || ch === ")" || ch === ",") {
      out.push({ t: ch });
      i++;
    } else if (ch === "'") {
      let v = "";
      i++;
      for (;;) {
        if (i >= text.length) throw badRequest(`Invalid filter clause: unterminated string literal in '${text}'.`);
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += text[i];
        i++;
      }
      out.push({ t: "string", v });
    } else {
      const m = /^[A-Za-z0-9_.\-@/:]+/.exec(text.slice(i));
      if (!m) throw badRequest(`Invalid filter clause: syntax error at position ${i} in '${text}'.`);
      out.push({ t: "ident", v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

// ---- parser ----
class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
    private readonly scope: FilterScope,
  ) {}

  parse(): FilterNode {
    const node = this.or();
    if (this.pos < this.tokens.length) throw this.syntax();
    return node;
  }

  private syntax(): Error {
    return badRequest(`Invalid filter clause: syntax error at position ${this.pos} in '${this.text}'.`);
  }

  private peekWord(): string | undefined {
    const tok = this.tokens[this.pos];
    return tok?.t === "ident" ? tok.v.toLowerCase() : undefined;
  }

  private expect(t: "(" | ")" | ","): void {
    if (this.tokens[this.pos]?.t !== t) throw this.syntax();
    this.pos++;
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.peekWord() === "or") {
      this.pos++;
      left = { op: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.peekWord() === "and") {
      this.pos++;
      left = { op: "and", left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    if (this.peekWord() === "not") {
      this.pos++;
      return { op: "not", operand: this.unary() };
    }
    if (this.tokens[this.pos]?.t === "(") {
      this.pos++;
      const inner = this.or();
      this.expect(")");
      return inner;
    }
    return this.clause();
  }

  private clause(): FilterNode {
    const word = this.peekWord();
    if (word === "startswith" || word === "endswith") {
      this.pos++;
      this.expect("(");
      const property = this.property();
      this.expect(",");
      const value = this.literal();
      this.expect(")");
      if (typeof value !== "string") throw badRequest(`The function '${word}' needs a string literal as its second argument.`);
      return { op: word === "startswith" ? "startsWith" : "endsWith", property, value };
    }
    const property = this.property();
    const op = this.peekWord();
    this.pos++;
    if (op === "eq" || op === "ne") return { op, property, value: this.literal() };
    if (op === "in") {
      this.expect("(");
      const values = [this.literal()];
      while (this.tokens[this.pos]?.t === ",") {
        this.pos++;
        values.push(this.literal());
      }
      this.expect(")");
      return { op: "in", property, values };
    }
    throw unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${property}' of resource '${this.scope.resource}'.`);
  }

  /** A property name, matched case-insensitively to Graph's spelling; one not filterable here is refused. */
  private property(): string {
    const tok = this.tokens[this.pos];
    if (tok?.t !== "ident") throw this.syntax();
    this.pos++;
    for (const kind of this.scope.kinds) {
      const name = Object.keys(FILTERABLE[kind]).find((p) => p.toLowerCase() === tok.v.toLowerCase());
      if (name) return name;
    }
    throw unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${tok.v}' of resource '${this.scope.resource}'.`);
  }

  private literal(): Literal {
    const tok = this.tokens[this.pos];
    this.pos++;
    if (tok?.t === "string") return tok.v;
    if (tok?.t === "ident") {
      const w = tok.v.toLowerCase();
      if (w === "true") return true;
      if (w === "false") return false;
      if (w === "null") return null;
    }
    throw badRequest(`Invalid filter clause: a literal was expected at position ${this.pos - 1} in '${this.text}'.`);
  }
}

/**
 * Parses `$filter` and checks it as Graph does: each operator on each property by default or only in an
 * advanced query (`advanced` = ConsistencyLevel: eventual + $count=true).
 */
export function parseFilter(text: string, scope: FilterScope, advanced: boolean): FilterNode {
  const node = new Parser(tokenize(text), text, scope).parse();
  check(node, scope, advanced);
  return node;
}

function needsAdvanced(operator: string): Error {
  return unsupportedQuery(
    `Operator '${operator}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
  );
}

function check(node: FilterNode, scope: FilterScope, advanced: boolean): void {
  const unsupported = (property: string): Error =>
    unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${property}' of resource '${scope.resource}'.`);
  const typed = (property: string, value: Literal, operator: string): void => {
    if (value === null) {
      if (!advanced) throw needsAdvanced(`${operator} null`);
      return;
    }
    const wantBoolean = BOOLEAN.has(property);
    if (wantBoolean !== (typeof value === "boolean")) {
      const [a, b] = wantBoolean ? ["Edm.Boolean", "Edm.String"] : ["Edm.String", "Edm.Boolean"];
      throw badRequest(
        `A binary operator with incompatible types was detected. Found operand types '${a}' and '${b}' for operator kind '${operator === "ne" ? "NotEqual" : "Equal"}'.`,
      );
    }
  };
  switch (node.op) {
    case "and":
    case "or":
      check(node.left, scope, advanced);
      check(node.right, scope, advanced);
      return;
    case "not":
      if (!advanced) throw needsAdvanced("not");
      check(node.operand, scope, advanced);
      return;
    case "eq":
      typed(node.property, node.value, "eq");
      return;
    case "ne":
      if (!advanced) throw needsAdvanced("ne");
      typed(node.property, node.value, "ne");
      return;
    case "in":
      for (const v of node.values) typed(node.property, v, "in");
      if (!advanced && node.values.length > MAX_IN_VALUES) {
        throw unsupportedQuery(
          `Too many child clauses specified in search filter expression containing 'OR' operators: ${node.values.length}. Max allowed: ${MAX_IN_VALUES}.`,
        );
      }
      return;
    case "startsWith":
      if (!scope.kinds.some((k) => FILTERABLE[k][node.property]?.startsWith)) throw unsupported(node.property);
      return;
    case "endsWith":
      if (!ENDS_WITH.has(node.property)) throw unsupported(node.property);
      if (!advanced) throw needsAdvanced("endsWith");
      return;
  }
}

function norm(v: PropertyValue | undefined | Literal): PropertyValue | undefined {
  return typeof v === "string" ? v.toLowerCase() : v;
}

/** Whether an object matches; a property its kind lacks matches nothing (as in member collections of mixed kinds). */
export function matches(obj: DirectoryObject, node: FilterNode | undefined): boolean {
  if (!node) return true;
  switch (node.op) {
    case "and":
      return matches(obj, node.left) && matches(obj, node.right);
    case "or":
      return matches(obj, node.left) || matches(obj, node.right);
    case "not":
      return !matches(obj, node.operand);
    default:
      break;
  }
  if (!(node.property in FILTERABLE[obj.kind])) return false;
  const raw = node.property === "id" ? obj.id : obj.props[node.property];
  // An unset property reads as the value it renders as (accountEnabled true, …).
  const value = raw === undefined ? KNOWN_PROPERTIES[obj.kind][node.property] : raw;
  switch (node.op) {
    case "eq":
      return norm(value) === norm(node.value);
    case "ne":
      return norm(value) !== norm(node.value);
    case "in":
      return node.values.some((v) => norm(v) === norm(value));
    case "startsWith":
      return typeof value === "string" && value.toLowerCase().startsWith(node.value.toLowerCase());
    case "endsWith":
      return typeof value === "string" && value.toLowerCase().endsWith(node.value.toLowerCase());
  }
}
