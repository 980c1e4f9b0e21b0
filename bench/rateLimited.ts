import * as path from "node:path";
import { CLASSIC_WORKSPACE, startEmulatorProcess } from "../scripts/emulatorProcess";
import { runStack } from "../scripts/stackProcess";
import type { LimitedResult } from "./report";

interface LoggedRequest {
  method: string;
  status: number;
  time: string;
  level?: string;
}

/** The emulator's published account-level limits (docs/databricks-api-notes.md), which it enforces with `--limits databricks`. */
const ALLOWED: Record<string, number> = { POST: 5, DELETE: 5, PATCH: 2 };

/**
 * With the Databricks rate limits on: create and then destroy N account-level users, with the client's pacing
 * on (its defaults). Achieved rate per verb is measured from the emulator's request log over the span from
 * the first to the last successful request of that verb, so engine start-up does not count against it.
 */
export async function rateLimitedRun(repo: string, users = 60): Promise<LimitedResult> {
  const emu = await startEmulatorProcess([...CLASSIC_WORKSPACE, "--limits", "databricks"]);
  const workDir = path.join(repo, "bench", ".work", `limited-${Date.now()}`);
  const program = path.join(repo, "dist", "test", "programs", "identities.js");
  const spec = {
    users: Object.fromEntries(
      Array.from({ length: users }, (_, i) => [`a${i}`, { userName: `limited-${i}@example.com`, level: "account", accountId: emu.accountId }]),
    ),
  };
  const env = { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.accountAdmin };
  const started = Date.now();
  let failedOperations = 0;
  try {
    for (const command of ["up", "destroy"]) {
      const run = await runStack(command, { workDir, stack: "limited", program, env, config: { spec: JSON.stringify(spec) }, flags: ["--parallel", "16"] });
      if (run.code !== 0) failedOperations += 1;
    }
    const log = (await (await fetch(`${emu.url}/__emulator/requests`)).json()) as { requests: LoggedRequest[] };
    const byVerb: LimitedResult["byVerb"] = [];
    for (const verb of ["POST", "DELETE"]) {
      const ok = log.requests.filter((r) => r.method === verb && r.status < 300).map((r) => Date.parse(r.time));
      if (ok.length < 2) continue;
      const span = (Math.max(...ok) - Math.min(...ok)) / 1000;
      byVerb.push({ verb, requests: ok.length, achievedPerSecond: (ok.length - 1) / span, allowedPerSecond: ALLOWED[verb] });
    }
    const throttled = log.requests.filter((r) => r.status === 429 || r.status === 500).length;
    const seconds = (Date.now() - started) / 1000;
    const refresh = await workspaceRefresh(emu.url, emu.tokens.admin, workDir, program);
    return { scenario: `${users} account-level users created and destroyed`, operations: users * 2, byVerb, throttled, failedOperations, seconds, refresh };
  } finally {
    await emu.stop();
  }
}

/**
 * What batched refresh reads are for: N workspace users refreshed under the workspace GET limit (255 a minute,
 * lists included; workspace writes have no published limit, so the setup is quick). Requests are counted from
 * the emulator's log; wall time is the refresh command's, engine start-up included.
 */
async function workspaceRefresh(url: string, token: string, workDir: string, program: string, users = 200): Promise<LimitedResult["refresh"]> {
  const spec = { users: Object.fromEntries(Array.from({ length: users }, (_, i) => [`w${i}`, { userName: `refresh-${i}@example.com` }])) };
  const opts = {
    workDir,
    stack: "refresh",
    program,
    env: { DATABRICKS_HOST: url, DATABRICKS_TOKEN: token },
    config: { spec: JSON.stringify(spec) },
    flags: ["--parallel", "16"],
  };
  const up = await runStack("up", opts);
  if (up.code !== 0) return { users, requests: 0, seconds: 0, failed: true, oneGetEachSeconds: users / (255 / 60) };
  const before = ((await (await fetch(`${url}/__emulator/requests`)).json()) as { requests: LoggedRequest[] }).requests.length;
  const started = Date.now();
  const run = await runStack("refresh", opts);
  const seconds = (Date.now() - started) / 1000;
  const after = ((await (await fetch(`${url}/__emulator/requests`)).json()) as { requests: LoggedRequest[] }).requests.length;
  await runStack("destroy", opts);
  return { users, requests: after - before, seconds, failed: run.code !== 0, oneGetEachSeconds: users / (255 / 60) };
}
