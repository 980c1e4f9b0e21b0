/**
 * Runs one Pulumi operation through dist/scripts/stack.js in a child process (the real CLI underneath), so
 * the Pulumi runtime runs in a plain Node process whatever the caller is (a test runner, a benchmark).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "./repoRoot";

const REPO = repoRoot();

export interface StackRun {
  code: number;
  stdout: string;
  stderr: string;
  result: Record<string, unknown> | undefined;
}

export interface StackOptions {
  workDir: string;
  stack?: string;
  /** A compiled program module whose default export is the Pulumi program. */
  program: string;
  env?: Record<string, string>;
  config?: Record<string, string>;
  secrets?: Record<string, string>;
  flags?: string[];
  /** Hands over the child process as soon as it runs (tests that interrupt a run kill its process tree). */
  onSpawn?: (child: ChildProcess) => void;
}

/** The caller's environment minus anything Databricks or Pulumi, so nobody's own credentials leak in. */
export function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(DATABRICKS_|ARM_|AZURE_|PULUMI_)/.test(k)) continue;
    out[k] = v;
  }
  return out;
}

/** Never throws on a failed operation: the exit code and the CLI's output are in the result. */
export async function runStack(command: string, opts: StackOptions): Promise<StackRun> {
  const resultFile = path.join(opts.workDir, `result-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const args = [
    path.join(REPO, "dist", "scripts", "stack.js"),
    command,
    "--dir",
    opts.workDir,
    "--stack",
    opts.stack ?? "test",
    "--program",
    opts.program,
    "--result",
    resultFile,
    ...Object.entries(opts.config ?? {}).flatMap(([k, v]) => ["--config", `${k}=${v}`]),
    ...Object.entries(opts.secrets ?? {}).flatMap(([k, v]) => ["--secret", `${k}=${v}`]),
    ...(opts.flags ?? []),
  ];
  fs.mkdirSync(opts.workDir, { recursive: true });
  const child = spawn(path.join(REPO, "node_modules", ".bin", "node"), args, {
    cwd: opts.workDir,
    env: { ...cleanEnv(), ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  opts.onSpawn?.(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  // A child killed by a signal has no exit code: report 128 + signal number, as a shell does (137 for SIGKILL).
  const code = await new Promise<number>((resolve) =>
    child.once("exit", (c, signal) => resolve(c ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1))),
  );
  let result: Record<string, unknown> | undefined;
  if (fs.existsSync(resultFile)) {
    result = JSON.parse(fs.readFileSync(resultFile, "utf8")) as Record<string, unknown>;
    fs.rmSync(resultFile);
  }
  return { code, stdout, stderr, result };
}
