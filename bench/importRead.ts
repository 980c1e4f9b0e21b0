#!/usr/bin/env node
/**
 * How long databricks-scim-import takes to read a large estate under Databricks' published limits:
 *
 *   npm run build && node dist/bench/importRead.js [--users 10000] [--sps 1000] [--groups 5000] [--memberships 30000] [--level workspace|account|both]
 *
 * Seeds the emulator's state file directly (building 46,000 objects through the API would itself take hours at
 * those limits), restarts it with `--limits databricks`, runs the importer's own CLI at each level, and prints
 * the measured time next to the time the limits alone make unavoidable: workspace, every request (lists
 * included) is a GET under 255/min and members come with the group list; account, lists at 240/min and then
 * one GET per group (the list omits members) at 20/s.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { engineEnv, openStack, pulumiBinDir } from "../scripts/engine";
import { CLASSIC_WORKSPACE, startEmulatorProcess, type RunningEmulator } from "../scripts/emulatorProcess";
import { repoRoot } from "../scripts/repoRoot";

const REPO = repoRoot();
const PAGE = 100;

export interface Sizes {
  users: number;
  sps: number;
  groups: number;
  memberships: number;
}

/** The estate at one level of the emulator's state file, with ids that cannot clash with bootstrapped ones. */
export function seedLevel(level: Record<string, unknown[]>, s: Sizes, account: boolean, tag: string): void {
  const now = new Date().toISOString();
  const base = { entitlements: [] as string[], roles: [], created: now, lastModified: now };
  const id = (kind: number, i: number) => `${kind}${String(i).padStart(9, "0")}`;
  for (let i = 0; i < s.users; i++) {
    level.users!.push({
      ...base,
      id: id(7, i),
      userName: `bench-${tag}-${i}@example.com`,
      displayName: `User ${i}`,
      active: true,
      emails: [],
      ...(account ? {} : { entitlements: i % 3 === 0 ? ["workspace-access"] : [] }),
    });
  }
  for (let i = 0; i < s.sps; i++) {
    const hex = i.toString(16).padStart(12, "0");
    level.servicePrincipals!.push({ ...base, id: id(8, i), applicationId: `00000000-0000-4000-8000-${hex}`, displayName: `sp-${i}`, active: true });
  }
  const perGroup = Math.floor(s.memberships / s.groups);
  for (let g = 0; g < s.groups; g++) {
    const members = Array.from({ length: perGroup }, (_, k) => {
      const n = (g * perGroup + k) % (s.users + s.sps);
      return n < s.users ? { value: id(7, n), kind: "Users" } : { value: id(8, n - s.users), kind: "ServicePrincipals" };
    });
    level.groups!.push({ ...base, id: id(9, g), displayName: `bench-group-${g}`, members });
  }
}

function runImporter(
  emu: RunningEmulator,
  level: "workspace" | "account",
  out: string,
  stack?: { dir: string; name: string },
): Promise<{ code: number; ms: number; stdout: string; stderr: string }> {
  const args = [path.join(REPO, "dist", "provider", "import", "cli.js"), "--out", out, "--force", "--host", emu.url, "--level", level];
  if (level === "account") args.push("--account-id", emu.accountId);
  if (stack) args.push("--stack", stack.name, "--project-dir", stack.dir);
  const token = level === "account" ? emu.tokens.accountAdmin : emu.tokens.admin;
  const started = Date.now();
  const engine = stack ? engineEnv(stack.dir, pulumiBinDir()) : { PATH: process.env.PATH ?? "" };
  const child = spawn(process.execPath, args, {
    env: { ...engine, HOME: "/nonexistent", DATABRICKS_TOKEN: token },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    process.stderr.write(d);
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code: code ?? 1, ms: Date.now() - started, stdout, stderr })));
}

/** The time the published limits alone impose on the importer's requests (one probe, the lists, the group GETs). */
export function unavoidableSeconds(s: Sizes, level: "workspace" | "account"): { requests: number; seconds: number } {
  const lists = Math.ceil(s.users / PAGE) + Math.ceil(s.sps / PAGE) + Math.ceil(s.groups / PAGE);
  if (level === "workspace") return { requests: 1 + lists, seconds: ((1 + lists) * 60) / 255 };
  return { requests: 1 + lists + s.groups, seconds: ((1 + lists) * 60) / 240 + s.groups / 20 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: "string", default: "10000" },
      sps: { type: "string", default: "1000" },
      groups: { type: "string", default: "5000" },
      memberships: { type: "string", default: "30000" },
      level: { type: "string", default: "both" },
      /** Also write the state into a fresh local stack (times the take-over, not only the read). */
      stack: { type: "boolean", default: false },
    },
  });
  const sizes: Sizes = { users: Number(values.users), sps: Number(values.sps), groups: Number(values.groups), memberships: Number(values.memberships) };
  const work = path.join(REPO, "bench", ".work", `import-${Date.now()}`);
  fs.mkdirSync(work, { recursive: true });
  const stateFile = path.join(work, "emulator.json");
  // A first start writes the bootstrapped state (tokens, admins, users); then the estate is added to the file.
  await (await startEmulatorProcess([...CLASSIC_WORKSPACE, "--state", stateFile])).stop();
  const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as Record<string, Record<string, unknown[]>>;
  seedLevel(state.workspace!, sizes, false, "ws");
  seedLevel(state.account!, sizes, true, "acc");
  fs.writeFileSync(stateFile, JSON.stringify(state));
  fs.rmSync(`${stateFile}.journal`, { force: true });
  const emu = await startEmulatorProcess([...CLASSIC_WORKSPACE, "--state", stateFile, "--limits", "databricks"]);
  try {
    const levels = values.level === "both" ? (["workspace", "account"] as const) : [values.level as "workspace" | "account"];
    for (const level of levels) {
      let stack: { dir: string; name: string } | undefined;
      if (values.stack) {
        stack = { dir: path.join(work, `stack-${level}`), name: "bench" };
        fs.mkdirSync(stack.dir, { recursive: true });
        await openStack({ workDir: stack.dir, stackName: stack.name, program: async () => {} });
      }
      const r = await runImporter(emu, level, path.join(work, `${level}.ts`), stack);
      const floor = unavoidableSeconds(sizes, level);
      process.stdout.write(
        `${level}: ${sizes.users} users, ${sizes.sps} SPs, ${sizes.groups} groups, ${sizes.memberships} memberships: ` +
          `read in ${(r.ms / 1000).toFixed(1)} s (exit ${r.code}); the limits make ${floor.requests} requests take at least ` +
          `${floor.seconds.toFixed(1)} s\n  ${r.stdout.trim()}\n`,
      );
      if (r.code !== 0) process.stdout.write(`  ${r.stderr.trim().split("\n").slice(-3).join("\n  ")}\n`);
    }
  } finally {
    await emu.stop();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
