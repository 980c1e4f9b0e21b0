/**
 * The folder import graph of provider/ and emulator/, and whether it has a cycle.
 *
 *   node_modules/.bin/node --no-warnings scripts/import-graph.ts   (Node 24 strips the types)
 *   node dist/scripts/import-graph.js                              (after npm run build)
 *
 * Prints one line per folder edge ("provider/lifecycle -> provider/client  9 imports"), marking edges made of
 * `import type` only, then either "no cycle" (exit 0) or each cycle found (exit 1). A folder is provider/<name>
 * (files directly in provider/ are "provider", the package's entry points) or emulator. Relative imports,
 * re-exports, `import()` and require() of this package by name (the shims load provider/runtime that way) count.
 * The layer rules this guards (README, Layout): resources → lifecycle → client; runtime → lifecycle; shims →
 * runtime; auth → client types only; the emulator → provider only as `import type`.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository: the nearest folder up from the working directory that has provider/ and emulator/. */
function repoRoot(start = process.cwd()): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "provider")) && fs.existsSync(path.join(dir, "emulator"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no provider/ and emulator/ above ${start}`);
  }
}
const ROOT = repoRoot();
const TREES = ["provider", "emulator"];
const PACKAGE = "pulumi-databricks-scim/dist/";

interface Edge {
  count: number;
  /** Every import behind the edge is `import type` / `export type`. */
  typeOnly: boolean;
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

/** provider/<name>, "provider" for the package's entry files, or the top folder (emulator). */
function folderOf(file: string): string | undefined {
  const parts = path.relative(ROOT, file).split(path.sep);
  if (!TREES.includes(parts[0] ?? "")) return undefined;
  if (parts[0] === "provider") return parts.length > 2 ? `provider/${parts[1]}` : "provider";
  return parts[0];
}

/** Each specifier a file imports, with whether that import is type-only. */
function importsOf(text: string): { spec: string; typeOnly: boolean }[] {
  const out: { spec: string; typeOnly: boolean }[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/g;
  for (let m = statement.exec(text); m; m = statement.exec(text)) out.push({ spec: m[3] as string, typeOnly: m[2] !== undefined });
  const call = /\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g;
  for (let m = call.exec(text); m; m = call.exec(text)) out.push({ spec: m[1] as string, typeOnly: false });
  return out;
}

function resolve(from: string, spec: string): string | undefined {
  if (spec.startsWith(PACKAGE)) return path.join(ROOT, spec.slice(PACKAGE.length).replace(/\.js$/, ""));
  if (!spec.startsWith(".")) return undefined;
  return path.resolve(path.dirname(from), spec);
}

function graph(): Map<string, Map<string, Edge>> {
  const edges = new Map<string, Map<string, Edge>>();
  for (const tree of TREES) {
    for (const file of sourceFiles(path.join(ROOT, tree))) {
      const from = folderOf(file);
      if (!from) continue;
      for (const { spec, typeOnly } of importsOf(fs.readFileSync(file, "utf8"))) {
        const target = resolve(file, spec);
        // A folder import ("../client") resolves to its index file, inside that folder.
        const to = target && folderOf(fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, "index.ts") : `${target}.ts`);
        if (!to || to === from) continue;
        const out = edges.get(from) ?? new Map<string, Edge>();
        edges.set(from, out);
        const edge = out.get(to) ?? { count: 0, typeOnly: true };
        edge.count += 1;
        edge.typeOnly &&= typeOnly;
        out.set(to, edge);
      }
    }
  }
  return edges;
}

/** Every elementary cycle would be overkill: one cycle per strongly connected set of folders says enough. */
function cycles(edges: Map<string, Map<string, Edge>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

const edges = graph();
for (const from of [...edges.keys()].sort()) {
  for (const [to, e] of [...(edges.get(from) ?? [])].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${from.padEnd(20)} -> ${to.padEnd(20)} ${String(e.count).padStart(3)} import${e.count === 1 ? "" : "s"}${e.typeOnly ? " (types only)" : ""}`);
  }
}
const found = cycles(edges);
if (found.length === 0) {
  console.log("no cycle");
} else {
  for (const c of found) console.log(`cycle: ${c.join(" -> ")}`);
  process.exitCode = 1;
}
