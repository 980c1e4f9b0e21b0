// What lives for the whole provider process lives in one place (issue 20 item 2): the provider session
// (provider/runtime/session.ts) owns every store of provider/runtime, and reads the environment once; lifecycles
// hold no module state and never read process.env, so a test hands them a context instead of mutating globals.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { bindingsOf, moduleBindings } from "../../../scripts/module-state";

const ROOT = path.resolve(__dirname, "../../..");

/** The one binding the rule allows: the process's session itself, made on first use. */
const ALLOWED = ["provider/runtime/session.ts let current: ProviderSession | undefined;"];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith(".ts") ? [full] : [];
  });
}

/** Each `process.env` the code reads (comments and strings do not count), as file:line. */
function processEnvReads(dir: string): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, dir))) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2023, true);
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "process" && n.name.text === "env") {
        out.push(`${path.relative(ROOT, file).split(path.sep).join("/")}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

describe("the provider session owns the process's state", () => {
  it("provider/runtime and provider/lifecycle keep no module-level mutable binding but the session's", () => {
    const found = [...moduleBindings(ROOT, "provider/runtime"), ...moduleBindings(ROOT, "provider/lifecycle")].map((b) => `${b.file} ${b.text}`);
    expect(found).toEqual(ALLOWED);
  });

  it("lifecycles never read process.env, and in provider/runtime only the session does", () => {
    expect(processEnvReads("provider/lifecycle")).toEqual([]);
    expect(processEnvReads("provider/runtime").map((at) => at.replace(/:\d+$/, ""))).toEqual(["provider/runtime/session.ts"]);
  });

  it("the count sees what a store looks like (so the rules above can fail)", () => {
    const text = [
      "let count = 0;",
      "const byId = new Map<string, number>();",
      "const seen: string[] = [];",
      "const KEYS = ['host', 'token'];",
      "const ALLOWED = new Set(['a']);",
      "export class Store { private readonly m = new Map(); }",
      "function f() { let local = 1; return local; }",
    ].join("\n");
    expect(bindingsOf("x.ts", text).map((b) => b.line)).toEqual([1, 2, 3]);
  });
});
