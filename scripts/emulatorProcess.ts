/**
 * The emulator as its own process (real HTTP on loopback), for tests, the quickstart and benchmarks:
 * starts `dist/emulator/cli.js` and reads the one JSON line it prints.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "./repoRoot";
import * as readline from "node:readline";

const REPO = repoRoot();

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

/**
 * The emulator's defaults before issue 22 (AWS, one workspace without identity federation), for benchmarks whose
 * published numbers were measured so and programs that create service principals the AWS way (generated
 * applicationId). The defaults are now Azure and a federated workspace, as most users run.
 */
export const CLASSIC_WORKSPACE: readonly string[] = ["--cloud", "aws", "--no-federation"];

export async function startEmulatorProcess(args: string[] = []): Promise<RunningEmulator> {
  const hasPort = args.includes("--port");
  const child = spawn(process.execPath, [path.join(REPO, "dist", "emulator", "cli.js"), ...(hasPort ? [] : ["--port", "0"]), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the emulator exited with code ${code}: ${stderr.trim()}`)));
  });
  const info = JSON.parse(first) as EmulatorInfo;
  return {
    ...info,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await done;
    },
  };
}

/** The emulator's own request counters (GET /__emulator/stats). */
export interface EmulatorStats {
  total: number;
  byMethod: Record<string, number>;
  byStatus: Record<string, number>;
  byResource: Record<string, number>;
  faults?: Record<string, number>;
}

export async function emulatorStats(url: string, reset = false): Promise<EmulatorStats> {
  const stats = (await (await fetch(`${url}/__emulator/stats`)).json()) as EmulatorStats;
  if (reset) await fetch(`${url}/__emulator/reset-stats`, { method: "POST" });
  return stats;
}
