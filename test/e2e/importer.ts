/**
 * databricks-scim-import as a user runs it, for the take-over tests (brownfield*.test.ts): its own process with
 * the engine's environment, and the user's program that calls the generated module, compiled as a user's build would.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { engineEnv, pulumiBinDir } from "../../scripts/engine";
import { cleanEnv } from "../../scripts/stackProcess";
import { REPO, type RunningEmulator } from "./harness";

export interface ImporterRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The importer in `dir` (PATH, PULUMI_HOME and the backend as the engine has them), reading `emu` as its admin. */
export function runImporter(dir: string, emu: RunningEmulator, args: string[], env: Record<string, string> = {}): Promise<ImporterRun> {
  const base = engineEnv(dir, pulumiBinDir(), { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin });
  const child = spawn(path.join(REPO, "node_modules", ".bin", "node"), [path.join(REPO, "dist", "provider", "import", "cli.js"), ...args], {
    cwd: dir,
    env: { ...cleanEnv(), ...base, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code: code ?? 1, stdout, stderr })));
}

/** The user's program: calls the generated module `moduleFile` (in `dir`); returns the program's path. */
export function programCalling(dir: string, moduleFile: string): string {
  const js = ts.transpileModule(fs.readFileSync(moduleFile, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const compiled = moduleFile.replace(/\.ts$/, ".js");
  fs.writeFileSync(compiled, js);
  const program = path.join(dir, "program.js");
  fs.writeFileSync(program, `exports.default = async () => { require(${JSON.stringify(compiled)}).default(); };\n`);
  for (const k of Object.keys(require.cache)) if (k.startsWith(dir)) delete require.cache[k];
  return program;
}
