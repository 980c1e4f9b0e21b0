/**
 * What the plugin's language tests (Python, Go, YAML) share: running a program binary that writes its result as
 * JSON, and reading back from the emulator what each program declares (users, the eng group's members, the
 * workspace's assignments, an account user).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import { pluginBinDir } from "../../scripts/pluginBin";
import { cleanEnv } from "../../scripts/stackProcess";
import { REPO, listAll, scim, type RunningEmulator } from "../e2e/harness";

export interface ProgramRun {
  code: number;
  stderr: string;
  result: { output: string; error?: string; summary?: Record<string, number>; changeSummary?: Record<string, number>; outputs?: Record<string, unknown> };
}

/**
 * Runs `bin args… --result FILE` in `dir` with a clean environment: the plugin, the repository's node and the CLI
 * on PATH, the emulator's host, tokens and ids as SCIM_* variables. The program writes its result to FILE.
 */
export function runProgram(
  bin: string,
  args: string[],
  o: { dir: string; emu: RunningEmulator; cliBin: string; env?: Record<string, string> },
): Promise<ProgramRun> {
  const result = path.join(o.dir, `result-${Date.now()}.json`);
  const child = spawn(bin, [...args, "--result", result], {
    cwd: o.dir,
    env: {
      ...cleanEnv(),
      PATH: [pluginBinDir(o.dir), path.join(REPO, "node_modules", ".bin"), o.cliBin, process.env.PATH ?? ""].join(path.delimiter),
      PULUMI_SCIM_CLI_ROOT: path.dirname(o.cliBin),
      SCIM_HOST: o.emu.url,
      SCIM_TOKEN: o.emu.tokens.admin,
      SCIM_ACCOUNT_TOKEN: o.emu.tokens.accountAdmin,
      SCIM_ACCOUNT_ID: o.emu.accountId,
      SCIM_WORKSPACE_ID: o.emu.workspaceId,
      ...o.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout.on("data", () => undefined);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      const parsed = fs.existsSync(result) ? (JSON.parse(fs.readFileSync(result, "utf8")) as ProgramRun["result"]) : { output: "" };
      resolve({ code: code ?? 1, stderr, result: parsed });
    }),
  );
}

export function expectOk(r: ProgramRun): void {
  expect(r.code, `${r.result.output}\n${r.result.error ?? ""}\n${r.stderr}`).toBe(0);
}

export type EmulatorUser = { id: string; displayName?: string; entitlements?: { value: string }[] };

/** The workspace's users by userName. */
export async function usersOf(emu: RunningEmulator): Promise<Map<string, EmulatorUser>> {
  const all = await listAll<EmulatorUser & { userName: string }>(emu, "Users?attributes=userName,displayName,entitlements");
  return new Map(all.map((u) => [u.userName, u]));
}

/** The userNames (or ids, for a member that is no user) of the workspace group `eng`, sorted; [] without the group. */
export async function engMembersOf(emu: RunningEmulator): Promise<string[]> {
  const groups = await listAll<{ id: string; displayName: string }>(emu, "Groups?attributes=displayName");
  const eng = groups.find((g) => g.displayName === "eng");
  if (!eng) return [];
  const g = await scim<{ members?: { value: string }[] }>(emu, "GET", `/Groups/${eng.id}`);
  const names = new Map([...(await usersOf(emu))].map(([name, u]) => [u.id, name]));
  return (g.body.members ?? []).map((m) => names.get(m.value) ?? m.value).sort();
}

/** principal id → permissions in the emulator's workspace, as the account API lists them. */
export async function assignmentsOf(emu: RunningEmulator): Promise<Record<string, string[]>> {
  const r = await fetch(`${emu.url}/api/2.0/accounts/${emu.accountId}/workspaces/${emu.workspaceId}/permissionassignments`, {
    headers: { authorization: `Bearer ${emu.tokens.accountAdmin}` },
  });
  const body = (await r.json()) as { permission_assignments?: { principal?: { principal_id?: number }; permissions?: string[] }[] };
  return Object.fromEntries((body.permission_assignments ?? []).map((a) => [String(a.principal?.principal_id), [...(a.permissions ?? [])].sort()]));
}

/** The account-level id of `userName`, if the account has that user. */
export async function accountUserIdOf(emu: RunningEmulator, userName: string): Promise<string | undefined> {
  const all = await listAll<{ id: string; userName: string }>(emu, "Users?attributes=userName", emu.accountUrl);
  return all.find((u) => u.userName === userName)?.id;
}
