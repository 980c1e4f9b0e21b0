/**
 * Real components for engine tests: the emulator as its own process on loopback, the real `pulumi` CLI driven
 * through dist/scripts/stack.js in a child process, and raw HTTP (not our client) to look at the server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { request } from "undici";

export const REPO = path.resolve(__dirname, "..", "..");
const NODE = path.join(REPO, "node_modules", ".bin", "node");

export interface EmulatorInfo {
  url: string;
  workspaceUrl: string;
  accountUrl: string;
  accountId: string;
  workspaceId: string;
  tokens: { admin: string; user: string; accountAdmin: string };
  pid: number;
}

export interface RunningEmulator extends EmulatorInfo {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `databricks-scim-emulator --port 0` and reads the JSON line it prints. */
export async function startEmulator(args: string[] = []): Promise<RunningEmulator> {
  const child = spawn(NODE, [path.join(REPO, "dist", "emulator", "cli.js"), "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const lines = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${stderr}`)));
  });
  const info = JSON.parse(first) as EmulatorInfo;
  return {
    ...info,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await done;
    },
  };
}

export interface StackRun {
  code: number;
  stdout: string;
  stderr: string;
  result: Record<string, unknown> | undefined;
}

export interface StackOptions {
  workDir: string;
  stack?: string;
  program?: string;
  env?: Record<string, string>;
  config?: Record<string, string>;
  secrets?: Record<string, string>;
  flags?: string[];
}

export const IDENTITIES_PROGRAM = path.join(REPO, "dist", "test", "programs", "identities.js");

/** A fresh work folder under the repository (the provider process resolves node_modules from it). */
export function workDir(name: string): string {
  const dir = path.join(REPO, "test", ".work", `${name}-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs one CLI operation through dist/scripts/stack.js; never throws on a failed operation. */
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
    opts.program ?? IDENTITIES_PROGRAM,
    "--result",
    resultFile,
    ...Object.entries(opts.config ?? {}).flatMap(([k, v]) => ["--config", `${k}=${v}`]),
    ...Object.entries(opts.secrets ?? {}).flatMap(([k, v]) => ["--secret", `${k}=${v}`]),
    ...(opts.flags ?? []),
  ];
  const child = spawn(NODE, args, {
    cwd: opts.workDir,
    env: { ...cleanEnv(), ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((resolve) => child.once("exit", (c) => resolve(c ?? 1)));
  const result = fs.existsSync(resultFile) ? (JSON.parse(fs.readFileSync(resultFile, "utf8")) as Record<string, unknown>) : undefined;
  return { code, stdout, stderr, result };
}

/** The test runner's environment minus anything Databricks, so a developer's own credentials never leak in. */
export function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(DATABRICKS_|ARM_|AZURE_|PULUMI_)/.test(k)) continue;
    out[k] = v;
  }
  return out;
}

/** Raw SCIM calls for assertions and for making drift "in the admin console". */
export async function scim<T = unknown>(
  emu: EmulatorInfo,
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  pathAndQuery: string,
  body?: unknown,
  base: string = emu.workspaceUrl,
): Promise<{ status: number; body: T }> {
  const res = await request(`${base}${pathAndQuery}`, {
    method,
    headers: {
      authorization: `Bearer ${base === emu.accountUrl ? emu.tokens.accountAdmin : emu.tokens.admin}`,
      "content-type": "application/scim+json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: (text ? JSON.parse(text) : undefined) as T };
}

export interface ListResponse<T> {
  totalResults: number;
  Resources?: T[];
}

/** Every item of a collection; `resource` may carry a query, e.g. "Users?attributes=userName". */
export async function listAll<T>(emu: EmulatorInfo, resource: string, base?: string): Promise<T[]> {
  const sep = resource.includes("?") ? "&" : "?";
  const r = await scim<ListResponse<T>>(emu, "GET", `/${resource}${sep}count=100&startIndex=1`, undefined, base);
  const out = r.body.Resources ?? [];
  let start = 1 + out.length;
  while (out.length < r.body.totalResults) {
    const page = await scim<ListResponse<T>>(emu, "GET", `/${resource}${sep}count=100&startIndex=${start}`, undefined, base);
    const items = page.body.Resources ?? [];
    if (items.length === 0) break;
    out.push(...items);
    start += items.length;
  }
  return out;
}
