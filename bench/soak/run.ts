#!/usr/bin/env node
/**
 * `npm run soak -- [--users 300 --groups 40 --sps 40 --memberships 600] [--fault-rate 0.2]
 *                  [--fault-kinds 5xx,reset,lost,latency,429] [--lag-ms 3000] [--seed 1] [--no-limits]`
 *
 * Provisions the soak program (./program.ts) through the real engine against the emulator with Databricks'
 * limits on and random faults injected, then, with faults off, compares the server with the program exactly
 * (./check.ts) and runs `pulumi preview --expect-no-changes`. Prints what happened; exits 1 if anything is off.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { defaultRateLimits } from "../../provider/client";
import { CLASSIC_WORKSPACE, emulatorStats, startEmulatorProcess, type RunningEmulator } from "../../scripts/emulatorProcess";
import { repoRoot } from "../../scripts/repoRoot";
import { runStack, type StackRun } from "../../scripts/stackProcess";
import { checkAgainstPlan, type CheckResult, type DumpLevel } from "./check";
import { plan, type SoakShape } from "./shape";
import { readProviderStats, type ProviderStats } from "./stats";

const REPO = repoRoot();
const PROGRAM = path.join(REPO, "dist", "bench", "soak", "program.js");

interface Options {
  shape: SoakShape;
  faultRate: number;
  faultKinds: string;
  lagMs: number;
  seed: number;
  limits: boolean;
  parallel?: string;
  lagBoundMs?: string;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      users: { type: "string", default: "300" },
      groups: { type: "string", default: "40" },
      sps: { type: "string", default: "40" },
      memberships: { type: "string", default: "600" },
      lists: { type: "string", default: "4" },
      "list-size": { type: "string", default: "10" },
      "fault-rate": { type: "string", default: "0.2" },
      "fault-kinds": { type: "string", default: "5xx,reset,lost,latency,429" },
      "lag-ms": { type: "string", default: "3000" },
      seed: { type: "string", default: "1" },
      "no-limits": { type: "boolean", default: false },
      parallel: { type: "string" },
      "lag-bound-ms": { type: "string" },
    },
  });
  const n = (k: keyof typeof values): number => {
    const v = Number(values[k]);
    if (!Number.isFinite(v) || v < 0) throw new Error(`--${k} must be a number >= 0, got ${String(values[k])}`);
    return v;
  };
  return {
    shape: {
      users: n("users"),
      groups: n("groups"),
      servicePrincipals: n("sps"),
      memberships: n("memberships"),
      authoritativeGroups: n("lists"),
      membersPerList: n("list-size"),
    },
    faultRate: n("fault-rate"),
    faultKinds: values["fault-kinds"] as string,
    lagMs: n("lag-ms"),
    seed: n("seed"),
    limits: !values["no-limits"],
    parallel: values.parallel,
    lagBoundMs: values["lag-bound-ms"],
  };
}

async function dump(emu: RunningEmulator): Promise<DumpLevel> {
  return ((await (await fetch(`${emu.url}/__emulator/dump`)).json()) as { workspace: DumpLevel }).workspace;
}

function fail(what: string, run: StackRun): never {
  process.stderr.write(`${what} failed (exit ${run.code}):\n${run.stdout.slice(-6000)}\n${run.stderr.slice(-4000)}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const o = options();
  const p = plan(o.shape);
  const emuArgs = [
    ...CLASSIC_WORKSPACE,
    ...(o.limits ? ["--limits", "databricks"] : []),
    ...(o.faultRate > 0 ? ["--fault-rate", String(o.faultRate), "--fault-kinds", o.faultKinds] : []),
    ...(o.lagMs > 0 ? ["--lag-ms", String(o.lagMs)] : []),
    "--seed",
    String(o.seed),
  ];
  const emu = await startEmulatorProcess(emuArgs);
  const workDir = path.join(REPO, "bench", ".work", `soak-${Date.now()}`);
  fs.mkdirSync(workDir, { recursive: true });
  const statsFile = path.join(workDir, "provider-stats.jsonl");
  const env: Record<string, string> = {
    DATABRICKS_HOST: emu.url,
    DATABRICKS_TOKEN: emu.tokens.admin,
    DATABRICKS_SCIM_STATS_FILE: statsFile,
    ...(o.lagBoundMs ? { DATABRICKS_SCIM_LAG_BOUND_MS: o.lagBoundMs } : {}),
  };
  const stack = {
    workDir,
    stack: "soak",
    program: PROGRAM,
    env,
    config: { soak: JSON.stringify(o.shape) },
    flags: o.parallel ? ["--parallel", o.parallel] : [],
  };
  try {
    const listMembers = p.lists.reduce((n, l) => n + l.members.length, 0);
    process.stdout.write(
      `soak: ${p.users.length} users, ${p.groups.length} groups, ${p.servicePrincipals.length} service principals, ` +
        `${p.memberships.length} GroupMembership + ${p.lists.length} GroupMembers (${listMembers} members)\n` +
        `emulator: ${emuArgs.join(" ")}\n`,
    );
    const before = await dump(emu);
    await emulatorStats(emu.url, true);
    const t0 = performance.now();
    const up = await runStack("up", stack);
    const upSeconds = (performance.now() - t0) / 1000;
    const emuStats = await emulatorStats(emu.url);
    const faultSettings = (await (await fetch(`${emu.url}/__emulator/faults`)).json()) as {
      rateLimits: Record<string, { requests: number; perSeconds: number } | null>;
    };
    // Faults off for the checks: they read committed state, and the preview must not be disturbed.
    await fetch(`${emu.url}/__emulator/faults`, { method: "DELETE" });
    const providers = readProviderStats(statsFile);
    if (up.code !== 0) {
      report(o, p.users.length + p.groups.length + p.servicePrincipals.length, upSeconds, emuStats, providers, undefined, undefined, faultSettings.rateLimits);
      fail("pulumi up", up);
    }
    const check = checkAgainstPlan(o.shape, before, await dump(emu));
    const preview = await runStack("preview", { ...stack, flags: [...stack.flags, "--expect-no-changes"] });
    const ok = report(
      o,
      p.users.length + p.groups.length + p.servicePrincipals.length,
      upSeconds,
      emuStats,
      providers,
      check,
      preview,
      faultSettings.rateLimits,
    );
    if (preview.code !== 0) fail("pulumi preview --expect-no-changes", preview);
    if (!ok) process.exit(1);
    fs.rmSync(workDir, { recursive: true, force: true });
  } finally {
    await emu.stop();
  }
}

function report(
  o: Options,
  identities: number,
  upSeconds: number,
  emu: Awaited<ReturnType<typeof emulatorStats>>,
  providers: ProviderStats,
  check: CheckResult | undefined,
  preview: StackRun | undefined,
  emulatorLimits: Record<string, { requests: number; perSeconds: number } | null>,
): boolean {
  const line = (k: string, v: string): void => void process.stdout.write(`  ${k.padEnd(28)} ${v}\n`);
  const faults = emu.faults ?? {};
  const injected = ["5xx", "reset", "lost", "429", "500-limit"].reduce((n, k) => n + (faults[k] ?? 0), 0);
  process.stdout.write(`\nresults\n`);
  line("identities", `${identities} (+ ${plan(o.shape).memberships.length} memberships, ${plan(o.shape).lists.length} member lists)`);
  line("pulumi up", `${upSeconds.toFixed(1)} s`);
  line("requests (server)", `${emu.total}  ${JSON.stringify(emu.byMethod)}`);
  line("answers (server)", JSON.stringify(emu.byStatus));
  line("faults injected", `${injected} failed answers ${JSON.stringify(faults)}`);
  line(
    "client (provider process)",
    `${providers.requests} requests, ${providers.retries} retries, ${providers.throttled} throttled answers, ` +
      `${providers.failures} errors handed to the lifecycles (lost POST answers, 404s while the lag lasts, 409s of our own POSTs), ` +
      `${(providers.waitedMs / 1000).toFixed(0)} s waited in pacing and backoff (summed over concurrent requests)`,
  );
  // Achieved rate per verb over the up's wall time, against the emulator's limit or, where it has none, the
  // published limit the client paces itself to.
  const clientLimits = defaultRateLimits("workspace");
  for (const [verb, count] of Object.entries(emu.byMethod)) {
    const lim = emulatorLimits[`workspace.${verb}`];
    const allowed = lim ? lim.requests / lim.perSeconds : (clientLimits[verb as keyof typeof clientLimits] as number | undefined);
    const rate = count / upSeconds;
    line(`rate ${verb}`, `${rate.toFixed(2)}/s${allowed ? ` of ${allowed.toFixed(2)}/s allowed (${((100 * rate) / allowed).toFixed(0)}%)` : ""}`);
  }
  if (!check || !preview) return false;
  line("duplicates", `${check.duplicates.length}${check.duplicates.length ? `: ${check.duplicates.slice(0, 10).join("; ")}` : ""}`);
  line("missing", `${check.missing.length}${check.missing.length ? `: ${check.missing.slice(0, 10).join("; ")}` : ""}`);
  line("extra", `${check.extra.length}${check.extra.length ? `: ${check.extra.slice(0, 10).join("; ")}` : ""}`);
  line("differences", `${check.differences.length}${check.differences.length ? `: ${check.differences.slice(0, 10).join("; ")}` : ""}`);
  line("preview --expect-no-changes", preview.code === 0 ? "no changes" : "CHANGES (failed)");
  return check.duplicates.length + check.missing.length + check.extra.length + check.differences.length === 0 && preview.code === 0;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
