/**
 * The module-level mutable bindings under provider/: what a module keeps for the life of the process.
 *
 *   node_modules/.bin/node --no-warnings scripts/module-state.ts   (Node 24 strips the types)
 *   node dist/scripts/module-state.js                              (after npm run build)
 *
 * Prints one line per binding ("provider/runtime/session.ts:141 let current: ProviderSession | undefined;") and the
 * count. A binding is a top-level `let`/`var`, or a top-level `const` whose value is made empty to be filled
 * (`new Map()`, `new Set()`, `new WeakMap()`, `[]`, `{}`, or any `new X()` without arguments: an object made to
 * hold state). Constant tables (`const KEYS = ["host", …]`, `new Set([…])`) are not state. The rule this measures
 * (issue 20 item 2): what lives for the whole provider process lives in one place, the provider session
 * (provider/runtime/session.ts); test/unit/runtime/moduleState.test.ts enforces it for runtime and lifecycle.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export interface ModuleBinding {
  /** Relative to the repository, with forward slashes. */
  file: string;
  line: number;
  /** The declaration's first line, trimmed. */
  text: string;
}

/** The repository: the nearest folder up from the working directory that has provider/ (as scripts/import-graph.ts finds it). */
function repoRoot(start = process.cwd()): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "provider")) && fs.existsSync(path.join(dir, "emulator"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no provider/ and emulator/ above ${start}`);
  }
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

function isEmptyContainer(init: ts.Expression | undefined): boolean {
  if (!init) return false;
  let e = init;
  while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  // `new Map()` and the like, and an object made to hold state (`new WaveQueue()`): any `new` without arguments.
  if (ts.isNewExpression(e)) return (e.arguments?.length ?? 0) === 0;
  if (ts.isArrayLiteralExpression(e)) return e.elements.length === 0;
  if (ts.isObjectLiteralExpression(e)) return e.properties.length === 0;
  return false;
}

/** The module-level mutable bindings of one source text. */
export function bindingsOf(file: string, text: string): ModuleBinding[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2023, true);
  const out: ModuleBinding[] = [];
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const list = statement.declarationList;
    const mutable = (list.flags & ts.NodeFlags.Let) !== 0 || (list.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let)) === 0;
    for (const d of list.declarations) {
      if (!mutable && !isEmptyContainer(d.initializer)) continue;
      const line = sf.getLineAndCharacterOfPosition(d.getStart(sf)).line + 1;
      out.push({ file, line, text: (statement.getText(sf).split("\n")[0] ?? "").trim() });
    }
  }
  return out;
}

/** Every such binding under `tree` (default provider/), in file order. */
export function moduleBindings(root: string = repoRoot(), tree = "provider"): ModuleBinding[] {
  const out: ModuleBinding[] = [];
  for (const full of sourceFiles(path.join(root, tree)).sort()) {
    const rel = path.relative(root, full).split(path.sep).join("/");
    out.push(...bindingsOf(rel, fs.readFileSync(full, "utf8")));
  }
  return out;
}

// Run as a script (not when a test imports it).
if (/module-state\.(ts|js)$/.test(process.argv[1] ?? "")) {
  const found = moduleBindings();
  for (const b of found) console.log(`${b.file}:${b.line} ${b.text}`);
  console.log(`${found.length} module-level mutable bindings under provider/`);
}
