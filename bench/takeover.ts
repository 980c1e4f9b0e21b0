#!/usr/bin/env node
/**
 * The take-over of a workspace as a user runs it, per `--identities` mode: databricks-scim-import --stack, then
 * `pulumi preview --expect-no-changes` and a first `pulumi up` of the program that calls the module (checkpoints
 * on, as the CLI defaults them; file backend; the emulator without limits), and the state's size:
 *
 *   npm run build && node dist/bench/takeover.js [--users 300,1000] [--modes resources,collection]
 *
 * The estate per size N: N users, N/100 service principals (with applicationIds: an Azure workspace), N/10
 * groups and 3N memberships (the issue 21 graph's ratios), seeded into the emulator's state file.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import ts from "typescript";
import { engineEnv, openStack, pulumiBinDir } from "../scripts/engine";
import { startEmulatorProcess, type RunningEmulator } from "../scripts/emulatorProcess";
import { repoRoot } from "../scripts/repoRoot";
import { seedLevel, type Sizes } from "./importRead";

const REPO = repoRoot();
/** Loads the compiled module the importer wrote (a user's program would import it). */
const load = createRequire(__filename);

function importer(emu: RunningEmulator, dir: string, mode: string): Promise<{ code: number; ms: number; stdout: string; stderr: string }> {
  const args = [path.join(REPO, "dist", "provider", "import", "cli.js"), "--out", path.join(dir, "identities.ts"), "--force", "--quiet"];
  args.push("--host", emu.url, "--identities", mode, "--stack", "bench", "--project-dir", dir);
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    env: { ...engineEnv(dir, pulumiBinDir()), HOME: "/nonexistent", DATABRICKS_TOKEN: emu.tokens.admin },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code: code ?? 1, ms: Date.now() - started, stdout, stderr })));
}

async function takeOver(n: number, mode: string, work: string): Promise<string> {
  const sizes: Sizes = { users: n, sps: Math.max(1, Math.floor(n / 100)), groups: Math.max(1, Math.floor(n / 10)), memberships: 3 * n };
  const dir = path.join(work, `${mode}-${n}`);
  fs.mkdirSync(dir, { recursive: true });
  const stateFile = path.join(dir, "emulator.json");
  await (await startEmulatorProcess(["--state", stateFile])).stop();
  const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as Record<string, Record<string, unknown[]>>;
  seedLevel(state.workspace!, sizes, false, "ws");
  fs.writeFileSync(stateFile, JSON.stringify(state));
  fs.rmSync(`${stateFile}.journal`, { force: true });
  const emu = await startEmulatorProcess(["--state", stateFile]);
  try {
    const env = { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin };
    const moduleJs = path.join(dir, "identities.js");
    const program = async () => {
      (load(moduleJs) as { default: () => unknown }).default();
    };
    const stack = await openStack({ workDir: dir, stackName: "bench", program, env });
    const imp = await importer(emu, dir, mode);
    if (imp.code !== 0) throw new Error(`import failed: ${imp.stderr}`);
    const src = fs.readFileSync(path.join(dir, "identities.ts"), "utf8");
    fs.writeFileSync(moduleJs, ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);
    let t = Date.now();
    const preview = await stack.preview({ expectNoChanges: true });
    const previewMs = Date.now() - t;
    t = Date.now();
    const up = await stack.up();
    const upMs = Date.now() - t;
    const bytes = JSON.stringify(await stack.exportStack()).length;
    const resources = Object.values(preview.changeSummary).reduce((a, b) => a + (b ?? 0), 0);
    const changes = Object.entries(up.summary.resourceChanges ?? {}).filter(([k]) => k !== "same");
    return (
      `| ${n} | ${mode} | ${resources} | ${(imp.ms / 1000).toFixed(1)} s | ${(previewMs / 1000).toFixed(1)} s | ${(upMs / 1000).toFixed(1)} s | ` +
      `${((imp.ms + previewMs) / 1000).toFixed(1)} s | ${(bytes / 1024).toFixed(0)} KB | ${changes.length ? JSON.stringify(changes) : "0 changes"} |`
    );
  } finally {
    await emu.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { users: { type: "string", default: "300,1000" }, modes: { type: "string", default: "resources,collection" } } });
  const work = path.join(REPO, "bench", ".work", `takeover-${Date.now()}`);
  fs.mkdirSync(work, { recursive: true });
  process.stdout.write(
    "| users | --identities | resources | import | preview | first up | import + preview | state | up |\n|---:|---|---:|---:|---:|---:|---:|---:|---|\n",
  );
  for (const n of values.users.split(",").map(Number)) {
    for (const mode of values.modes.split(",")) process.stdout.write(`${await takeOver(n, mode, work)}\n`);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
