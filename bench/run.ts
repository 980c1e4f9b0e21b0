#!/usr/bin/env node
/**
 * `npm run bench -- [--users 1000 --groups 100 --memberships 3000] [--quick] [--limits] [--phases up,preview] [--out bench/results]
 *                  [--parallel N] [--skip-checkpoints] [--models floor,pairs,members,compact] [--incumbent]
 *                  [--backend file|azblob]`
 *
 * Runs the same resource graph twice through the real engine, phase by phase in turn: with this package against
 * the emulator (no faults, no rate limits, the client's default pacing as a user runs it), and with a provider that does nothing
 * (the floor).
 * For each phase (up from empty, preview with no change, refresh with no drift, an up that renames 5% of the
 * identities, destroy) it measures wall time, the HTTP requests the emulator counted (by method), state bytes
 * per resource, and the provider process's peak memory; then prints each target as met or not.
 * `--limits` adds a run with the Databricks rate limits switched on in the emulator.
 * `--under-limits workspace|account` runs instead the default graph under the Databricks limits of that level
 * (bench/underLimits.ts): up, a 5% change and destroy, each against its rate-limit floor, for both membership
 * models. `--incumbent` also runs the tuned incumbent (OpenTofu + terraform-provider-databricks, bench/incumbent.ts;
 * needs TFA_ROOT and ANCHOR_DIR) on the same graph after our models, prints its phases beside ours with the ratios
 * ours / incumbent, and holds the compact targets to its figures from this run. `--quick` shrinks the graph, and its results go to bench/.work/quick (not kept in git) unless `--out`.
 *
 * The headline is what a user gets: the CLI's checkpoints on (the file backend rewrites the state after every
 * step), the CLI's default `--parallel` (4 per core: 8 on the 2-core machines these run on) and the package's
 * default settings. `--parallel N` and `--skip-checkpoints` (PULUMI_SKIP_CHECKPOINTS=true, which no user has set
 * by default) are variants: their results are labelled so and written under their own names.
 * `--models LIST` picks the models that run (bench/models.ts): `--models compact` runs a large graph in the
 * recommended compact model alone; results of a run given `--models` are written under a name that says which.
 * `--backend azblob` keeps the stacks' state in Azure Blob storage instead of the file backend (bench/backend.ts:
 * Azurite on loopback, the CLI's azblob:// URL, one container per stack), as Azure teams keep it; it counts the
 * blob requests of every phase (each checkpoint is an upload) and its results are written under `-azblob` names.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { CLASSIC_WORKSPACE, emulatorStats, startEmulatorProcess, type RunningEmulator } from "../scripts/emulatorProcess";
import { repoRoot } from "../scripts/repoRoot";
import { runStack, type StackRun } from "../scripts/stackProcess";
import { ProcessProbe } from "./probe";
import { cpuLine, renderChart, renderTable, type RunResult } from "./report";
import { checkShape, type Shape } from "./shape";
import { evaluateTargets, issue21Targets, renderIssue21 } from "./targets";
import { rateLimitedRun } from "./rateLimited";
import { limitsTargets, renderLimits, underLimits, type Level, type LimitedModel } from "./underLimits";
import { incumbentFigures, incumbentPaths, renderIncumbent, runIncumbent, type IncumbentRun } from "./incumbent";
import { parseModels, resourcesOf, runnerLabel, type Model, type RunnerLabel } from "./models";
import { checkpointBytes, exportBytes, stateBreakdown } from "./stateBytes";
import { AzuriteBackend, containerFor, parseBackend, redact, renderBackend, type BackendKind } from "./backend";
import { profilingBinDir, renderProfiles, summarizeDir } from "./engineProfile";
import { pulumiBinDir } from "../scripts/engine";

const REPO = repoRoot();
const PROGRAM = path.join(REPO, "dist", "bench", "program.js");
const PHASES = ["up", "preview", "refresh", "change", "destroy"] as const;
export type Phase = (typeof PHASES)[number];

/** One of the two stacks the benchmark drives: ours against the emulator, or the floor. */
interface Runner {
  /** floor: the no-op provider; ours: the pairs model; members: one GroupMembers per group; compact: ScimUsers + GroupMembers. */
  label: RunnerLabel;
  shape: Shape;
  workDir: string;
  env: Record<string, string>;
  emu: RunningEmulator | undefined;
  result: RunResult;
}

/** How the engine runs: the CLI's defaults unless a variant flag was given (then labelled as such). */
export interface EngineVariant {
  /** PULUMI_SKIP_CHECKPOINTS=true: the state is written once at the end instead of after every step. */
  skipCheckpoints: boolean;
  /** `--parallel N`; undefined: the CLI's default (4 per core). */
  parallel: number | undefined;
}

let variant: EngineVariant = { skipCheckpoints: false, parallel: undefined };
/** `--backend azblob`: the running Azurite the stacks keep their state in; undefined: the file backend. */
let blob: AzuriteBackend | undefined;
/** `--profile DIR`: the stand-in CLI directory that writes Go CPU profiles of each phase into DIR (bench/engineProfile.ts). */
let profiling: { dir: string; binDir: string; realBinDir: string } | undefined;

/** A runner's environment for the stacks of `workDir`: with `--backend azblob`, its container's URL and key. */
async function stackEnv(r: Runner, workDir: string): Promise<Record<string, string>> {
  return blob ? { ...r.env, ...(await blob.envFor(workDir)) } : r.env;
}

/** The CLI's output for an error message, with the account key taken out (it is never printed). */
const tail = (text: string, n: number): string => redact(text.slice(-n));

/** The suffix of result files for a backend: "" for the file backend (the headline), "-azblob" else. */
export const backendStamp = (kind: BackendKind): string => (kind === "file" ? "" : `-${kind}`);

/** "" for the headline (CLI defaults), else e.g. "skip-checkpoints, --parallel 16". */
export function variantLabel(v: EngineVariant): string {
  return [v.skipCheckpoints ? "skip-checkpoints" : "", v.parallel !== undefined ? `--parallel ${v.parallel}` : ""].filter(Boolean).join(", ");
}

export function engineFlags(v: EngineVariant): string[] {
  return v.parallel !== undefined ? ["--parallel", String(v.parallel)] : [];
}

export function engineEnvOf(v: EngineVariant): Record<string, string> {
  return v.skipCheckpoints ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {};
}

function newRunner(label: Runner["label"], shape: Shape, emu: RunningEmulator | undefined): Runner {
  const engine = { ...engineEnvOf(variant), ...(profiling ? { SCIM_PULUMI_BIN_DIR: profiling.binDir } : {}) };
  const env: Record<string, string> = emu
    ? { ...engine, DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin }
    : { ...engine, DATABRICKS_HOST: "http://127.0.0.1:9", DATABRICKS_TOKEN: "floor-has-no-server" };
  const resources = resourcesOf(label, shape);
  return {
    label,
    shape,
    workDir: path.join(REPO, "bench", ".work", `${label}-${Date.now()}`),
    env,
    emu,
    result: { label, shape, resources, stateBytesPerResource: 0, phases: [] },
  };
}

async function runPhase(r: Runner, phase: Phase): Promise<void> {
  const model = modelFlags(r.label);
  const config = { bench: JSON.stringify({ ...r.shape, changed: phase === "change" ? 0.05 : 0, ...model }) };
  const command = phase === "change" ? "up" : phase;
  const emu = r.emu;
  if (emu) await emulatorStats(emu.url, true);
  const env = { ...(await stackEnv(r, r.workDir)), ...(profiling ? { SCIM_PROFILE_TAG: `${r.label}-${phase}` } : {}) };
  if (blob) await blob.takeCounts(r.workDir); // from here on: this phase's blob requests
  const probe = new ProcessProbe(emu?.process.pid);
  probe.start();
  const started = process.hrtime.bigint();
  const run: StackRun = await runStack(command, { workDir: r.workDir, stack: "bench", program: PROGRAM, env, config, flags: engineFlags(variant) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { providerPeakMb: peakMb, cpuSeconds } = probe.stop();
  if (run.code !== 0) throw new Error(`${r.label} ${phase} failed:\n${tail(run.stdout, 3000)}\n${tail(run.stderr, 3000)}`);
  const stats = emu ? await emulatorStats(emu.url) : undefined;
  const stateBackend = blob ? await blob.takeCounts(r.workDir) : undefined;
  if (phase === "up") await measureState(r, env);
  r.result.phases.push({
    phase,
    seconds,
    requests: stats?.total ?? 0,
    byMethod: stats?.byMethod ?? {},
    failedRequests: Object.entries(stats?.byStatus ?? {}).reduce((n, [s, c]) => (Number(s) >= 400 ? n + c : n), 0),
    peakMb,
    cpuSeconds,
    ...(stateBackend ? { stateBackend } : {}),
  });
  const blobPart = stateBackend
    ? `  blob: ${stateBackend.requests} requests, ${stateBackend.uploads} uploads (${stateBackend.checkpointUploads} checkpoint, ${stateBackend.backupUploads} .bak)`
    : "";
  process.stdout.write(
    `  ${r.label.padEnd(6)} ${phase.padEnd(8)} ${seconds.toFixed(1).padStart(7)} s  ${String(stats?.total ?? 0).padStart(6)} requests  ${peakMb.toFixed(0)} MB  CPU s: ${cpuLine(cpuSeconds)}${blobPart}\n`,
  );
}

/**
 * Each phase runs on the floor's stack and then on ours, back to back, so that a ratio compares two runs made
 * under the same conditions (a noisy neighbour moved whole-run floors by 15% between runs made minutes apart).
 */
async function runInterleaved(runners: Runner[], phases: readonly Phase[]): Promise<RunResult[]> {
  // Warm-up, not measured: a small up and destroy of each stack, so the first measured phase (the floor's, as it
  // goes first) does not also pay for a cold file cache, the CLI's and plugins' first start and the like.
  for (const r of runners) {
    const warm = { ...r, workDir: `${r.workDir}-warmup`, shape: { users: 5, groups: 2, memberships: 5, changed: 0 } };
    for (const command of ["up", "destroy"]) {
      const config = { bench: JSON.stringify({ ...warm.shape, ...modelFlags(r.label) }) };
      const env = await stackEnv(r, warm.workDir);
      const run = await runStack(command, { workDir: warm.workDir, stack: "bench", program: PROGRAM, env, config });
      if (run.code !== 0) throw new Error(`${r.label} warm-up ${command} failed:\n${tail(run.stdout, 3000)}\n${tail(run.stderr, 3000)}`);
    }
    fs.rmSync(warm.workDir, { recursive: true, force: true });
  }
  for (const phase of phases) for (const r of runners) await runPhase(r, phase);
  for (const r of runners) fs.rmSync(r.workDir, { recursive: true, force: true });
  return runners.map((r) => r.result);
}

const containerOf = (r: Runner): string => containerFor(r.workDir);

/** The program's model switches (bench/program.ts) for a runner. */
const modelFlags = (label: RunnerLabel) => ({ floor: label === "floor", members: label === "members", compact: label === "compact" });

/** State bytes per resource as `pulumi stack export` writes them (the issue's measure), and by kind. */
async function measureState(r: Runner, env: Record<string, string>): Promise<void> {
  const run = await runStack("export", { workDir: r.workDir, stack: "bench", program: PROGRAM, env });
  if (run.code !== 0 || !run.result) throw new Error(`${r.label} export failed:\n${tail(run.stderr, 2000)}`);
  if (blob) {
    // The checkpoint blob as stored; the export's requests are left out of the next phase's counts.
    const checkpoint = (await blob.listBlobs(containerOf(r))).find((b) => /^\.pulumi\/stacks\/[^/]+\/bench\.json$/.test(b.name));
    r.result.storedCheckpointBytes = checkpoint?.bytes;
    await blob.takeCounts(r.workDir);
  }
  r.result.stateBytesPerResource = exportBytes(run.result) / Math.max(1, r.result.resources);
  r.result.checkpointBytesPerResource = checkpointBytes(run.result) / Math.max(1, r.result.resources);
  r.result.stateByKind = stateBreakdown((run.result as { deployment: Parameters<typeof stateBreakdown>[0] }).deployment).map((k) => ({
    kind: k.kind,
    count: k.count,
    perResource: k.perResource,
  }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: "string" },
      groups: { type: "string" },
      memberships: { type: "string" },
      quick: { type: "boolean", default: false },
      limits: { type: "boolean", default: false },
      out: { type: "string" },
      "under-limits": { type: "string" },
      "skip-floor": { type: "boolean", default: false },
      /** Leave out the GroupMembers model (one GroupMembers per group) that runs beside the pairs. */
      "skip-members": { type: "boolean", default: false },
      /** The models that run, e.g. `compact` or `compact,pairs,floor` (default: floor,pairs,members,compact). */
      models: { type: "string" },
      /** A prefix of the phases, e.g. `up` or `up,preview` (each needs the ones before it). */
      phases: { type: "string", default: PHASES.join(",") },
      /** Variant: `--parallel N` instead of the CLI's default. */
      parallel: { type: "string" },
      /** Variant: PULUMI_SKIP_CHECKPOINTS=true (the state written once at the end). Labelled, never the headline. */
      "skip-checkpoints": { type: "boolean", default: false },
      /** The tuned incumbent on the same graph, after our models (bench/incumbent.ts; TFA_ROOT, ANCHOR_DIR). */
      incumbent: { type: "boolean", default: false },
      /** Where the stacks keep their state: file (the CLI's file backend) or azblob (Azure Blob storage in Azurite). */
      backend: { type: "string", default: "file" },
      /** Go CPU profiles of the CLI in each phase, written to DIR and summed by part of the checkpoint loop (needs `go`). */
      profile: { type: "string" },
    },
  });
  const backendKind = parseBackend(values.backend);
  if (backendKind === "azblob" && (values["under-limits"] !== undefined || values.limits)) {
    throw new Error("--backend azblob runs the five phases of the default benchmark; leave out --limits and --under-limits");
  }
  variant = { skipCheckpoints: values["skip-checkpoints"], parallel: values.parallel !== undefined ? Number(values.parallel) : undefined };
  if (variant.parallel !== undefined && !(Number.isInteger(variant.parallel) && variant.parallel > 0)) {
    throw new Error(`--parallel must be a positive integer, not '${values.parallel}'`);
  }
  if (values.profile !== undefined) {
    const dir = path.resolve(values.profile);
    fs.mkdirSync(dir, { recursive: true });
    const realBinDir = pulumiBinDir();
    profiling = { dir, realBinDir, binDir: profilingBinDir(realBinDir, dir) };
  }
  const label = variantLabel(variant);
  const base: Shape = values.quick ? { users: 100, groups: 10, memberships: 300, changed: 0 } : { users: 1000, groups: 100, memberships: 3000, changed: 0 };
  const shape: Shape = {
    users: values.users ? Number(values.users) : base.users,
    groups: values.groups ? Number(values.groups) : base.groups,
    memberships: values.memberships ? Number(values.memberships) : base.memberships,
    changed: 0,
  };
  checkShape(shape);
  const engineLine =
    (label ? `VARIANT (not what users get): ${label}` : "checkpoints on, the CLI's default --parallel, package defaults (what users get)") +
    (backendKind === "azblob" ? "; state in Azure Blob storage (Azurite on loopback, the CLI's azblob:// backend)" : "") +
    (profiling ? "; the CLI run with --profiling (Go CPU profiles)" : "");
  console.log(`bench: ${shape.users} users, ${shape.groups} groups, ${shape.memberships} memberships; ${engineLine} (${new Date().toISOString()})`);
  const out = values.out ?? path.join(REPO, "bench", ...(values.quick ? [".work", "quick"] : ["results"]));
  const models = parseModels(values.models, { skipFloor: values["skip-floor"], skipMembers: values["skip-members"] });
  const modelsPart = (values.models !== undefined ? `-${models.join("-")}` : "") + (values.incumbent ? "-incumbent" : "");
  const stamp = `${shape.users}u-${shape.groups}g-${shape.memberships}m${modelsPart}${label ? `-${label.replace(/[^a-z0-9]+/g, "-").replace(/-+$/, "")}` : ""}${backendStamp(backendKind)}${profiling ? "-profiled" : ""}`;
  const level = values["under-limits"];
  if (level !== undefined) {
    if (level !== "workspace" && level !== "account") throw new Error(`--under-limits must be workspace or account, not '${level}'`);
    return limitsMain(shape, level, out, stamp, engineLine, values.models !== undefined ? models : undefined);
  }

  const phases = values.phases.split(",").map((p) => p.trim());
  if (!phases.every((p, i) => p === PHASES[i])) throw new Error(`--phases must be a prefix of ${PHASES.join(",")}`);
  // Checked before our models run, so a missing harness fails in a second, not after the whole run.
  if (values.incumbent) incumbentPaths();
  // Each model but the floor gets an emulator of its own: every stack declares the same user and group names.
  const emus: RunningEmulator[] = [];
  let runs: RunResult[];
  const blobDir = path.join(REPO, "bench", ".work", `azurite-${Date.now()}`);
  try {
    if (backendKind === "azblob") {
      blob = await AzuriteBackend.start(REPO, blobDir);
      console.log(`  state backend: Azurite Blob service on ${blob.host}:${blob.port} (data in ${path.relative(REPO, blobDir)})`);
    }
    const runners: Runner[] = [];
    for (const model of models) {
      const emu = model === "floor" ? undefined : await startEmulatorProcess([...CLASSIC_WORKSPACE, "--max-page-size", "100"]);
      if (emu) emus.push(emu);
      runners.push(newRunner(runnerLabel(model), shape, emu));
    }
    runs = await runInterleaved(runners, phases as Phase[]);
  } finally {
    for (const emu of emus) await emu.stop();
    if (blob) {
      await blob.stop();
      fs.rmSync(blobDir, { recursive: true, force: true });
    }
  }
  const limited = values.limits ? await rateLimitedRun(REPO) : undefined;
  let incumbent: IncumbentRun | undefined;
  if (values.incumbent) {
    console.log("  incumbent: tuned OpenTofu + terraform-provider-databricks on the same graph (bench/incumbent.ts)");
    incumbent = await runIncumbent(REPO, shape, CLASSIC_WORKSPACE);
    for (const p of incumbent.phases)
      console.log(`  incumbent ${p.ours.padEnd(8)} ${p.seconds.toFixed(1).padStart(7)} s  ${String(p.requests).padStart(6)} requests (${p.phase})`);
  }

  const targets = evaluateTargets(runs, limited);
  const issue21 = issue21Targets(runs, variant, incumbent ? incumbentFigures(incumbent) : undefined);
  const incumbentPart = incumbent ? `\n\n${renderIncumbent(incumbent, runs)}` : "";
  const backendPart = backendKind === "azblob" ? `\n\n${renderBackend(runs)}` : "";
  const profilePart = profiling
    ? `\n\nWhere the engine's CPU went (Go CPU profiles of the CLI, \`--profile\`; the checkpoint loop runs once per step):\n\n${renderProfiles(summarizeDir(profiling.dir, path.join(profiling.realBinDir, "pulumi")))}`
    : "";
  const table = `Engine: ${engineLine}.\n\n${renderTable(runs, targets, limited)}${backendPart}${incumbentPart}${profilePart}\n\n${renderIssue21(issue21)}`;
  console.log(`\n${table}`);
  fs.mkdirSync(out, { recursive: true });
  const command = `node dist/bench/run.js ${process.argv.slice(2).join(" ")}`.trim();
  fs.writeFileSync(path.join(out, `results-${stamp}.md`), `# Benchmark ${stamp}\n\n${new Date().toISOString()}; \`${command}\`\n\n${table}\n`);
  fs.writeFileSync(
    path.join(out, `results-${stamp}.json`),
    JSON.stringify({ command, variant, backend: backendKind, runs, limited, incumbent, targets, issue21 }, null, 2),
  );
  fs.writeFileSync(path.join(out, `chart-${stamp}.svg`), renderChart(runs));
  console.log(`\nwritten: ${path.relative(REPO, out)}/results-${stamp}.{md,json}, chart-${stamp}.svg`);
}

/** The limits phase; at workspace level the no-op floor's up is measured too (its target compares to it). */
async function limitsMain(shape: Shape, level: Level, out: string, stamp: string, engineLine: string, models?: Model[]): Promise<void> {
  let noopUp: number | undefined;
  const limited = (models ?? ["pairs", "members", "compact"]).filter((m): m is LimitedModel => m !== "floor");
  if (level === "workspace" && (models === undefined || models.includes("floor"))) {
    const floor = newRunner("floor", shape, undefined);
    await runPhase(floor, "up");
    noopUp = floor.result.phases[0]?.seconds;
    await runPhase(floor, "destroy");
    fs.rmSync(floor.workDir, { recursive: true, force: true });
  }
  const phases = await underLimits(REPO, PROGRAM, shape, level, { env: engineEnvOf(variant), flags: engineFlags(variant) }, limited);
  const targets = limitsTargets(level, shape, phases, noopUp);
  const table =
    `Engine: ${engineLine}.\n\n` +
    renderLimits(level, shape, phases, targets) +
    (noopUp ? `\n\nNo-op floor up (same graph, no provider work): ${noopUp.toFixed(1)} s.` : "");
  console.log(`\n${table}`);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, `limits-${level}-${stamp}.md`),
    `# Under the Databricks limits, ${level} level, ${stamp}\n\n${new Date().toISOString()}\n\n${table}\n`,
  );
  fs.writeFileSync(path.join(out, `limits-${level}-${stamp}.json`), JSON.stringify({ level, shape, phases, targets, noopUp }, null, 2));
  console.log(`\nwritten: ${path.relative(REPO, out)}/limits-${level}-${stamp}.{md,json}`);
}

main().catch((err: unknown) => {
  console.error((err as Error).message ?? err);
  process.exit(1);
});
