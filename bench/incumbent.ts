/**
 * The incumbent side by side (issue 21): OpenTofu with terraform-provider-databricks, tuned as ../shared/anchor's
 * README says (one resource block per resource from its gen-tuned.py, `rate_limit = 1000` requests/s,
 * `-parallelism=10`), run by that harness's run-tf.sh on the benchmark's graph, in the same benchmark run, against
 * an emulator of its own started with the same flags as ours. Nothing of the harness lives in this repository:
 * `--incumbent` needs TFA_ROOT (the harness's work folder, with bin/tofu and the provider mirror built as its
 * README says) and ANCHOR_DIR (the harness's scripts) in the environment.
 *
 * The incumbent's phases map onto ours as issue 21's table does: apply ↔ up, `plan -refresh=false` ↔ preview,
 * `plan` ↔ refresh, the 5% change ↔ change, destroy ↔ destroy.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunResult } from "./report";
import type { Shape } from "./shape";

/** The benchmark's phases (bench/run.ts), which the incumbent's are mapped onto. */
export type OurPhase = "up" | "preview" | "refresh" | "change" | "destroy";
/** run-tf.sh's phase names, in the order it runs them. */
export type IncumbentPhaseName = "apply" | "plan" | "plan-norefresh" | "change" | "destroy";

export const PHASE_OF: Record<IncumbentPhaseName, OurPhase> = {
  apply: "up",
  plan: "refresh",
  "plan-norefresh": "preview",
  change: "change",
  destroy: "destroy",
};

/** What the incumbent did in one phase, as run-tf.sh's summary.txt line gives it. */
export interface IncumbentPhase {
  phase: IncumbentPhaseName;
  /** Our phase this compares to. */
  ours: OurPhase;
  /** The tofu command's exit code (plan runs with -detailed-exitcode: 0 no change, 2 changes). */
  rc: number;
  seconds: number;
  /** User + system CPU seconds of tofu and its children (GNU time). */
  cpuSeconds: number;
  /** CPU seconds by process name as the harness's sampler saw them (e.g. tofu, terraform-provi). */
  cpuByProcess: Record<string, number>;
  maxRssKb: number;
  requests: number;
  byMethod: Record<string, number>;
  byStatus: Record<string, number>;
}

export interface IncumbentSummary {
  phases: IncumbentPhase[];
  /** terraform.tfstate after apply. */
  stateBytes: number | undefined;
  resources: number | undefined;
}

/** One incumbent run in this benchmark run. */
export interface IncumbentRun extends IncumbentSummary {
  label: string;
  shape: Shape;
  config: { tuned: true; rateLimit: number; parallelism: number; emulatorFlags: string[] };
  /** 1-minute load average before and after (os.loadavg), for the reader of a noisy figure. */
  load: { before: number; after: number };
  /** Where run-tf.sh left its logs (outside the repository). */
  resultsDir: string;
}

/** `/usr/bin/time -v`'s elapsed wall clock, `m:ss.cc` or `h:mm:ss`, in seconds. */
export function parseWall(text: string): number {
  const parts = text.trim().split(":");
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === "" || !/^\d+(\.\d+)?$/.test(p))) {
    throw new Error(`incumbent summary: wall time '${text}' is not m:ss.cc or h:mm:ss`);
  }
  return parts.reduce((total, p) => total * 60 + Number(p), 0);
}

const PHASE_LINE = /^(apply|plan|plan-norefresh|change|destroy) rc=(\d+) wall=(\S+) cpu_s=([\d.]+) \[([^\]]*)\] maxrss_kb=(\d+) requests=(\{.*\})\s*$/;
const STATE_LINE = /^state bytes after apply: (\d*) for (\d+) resources/;

/**
 * Parses run-tf.sh's summary.txt: one line per phase (`apply rc=0 wall=0:21.50 cpu_s=30.1 [(tofu)=12.0
 * (terraform-provi)=15.0 ] maxrss_kb=… requests={"total":…,"byMethod":{…},"byStatus":{…},"faults":{…}}`) and the
 * state line. Throws on a phase line it cannot read, naming it, rather than report a figure it did not find.
 */
export function parseSummary(text: string): IncumbentSummary {
  const phases: IncumbentPhase[] = [];
  let stateBytes: number | undefined;
  let resources: number | undefined;
  for (const line of text.split("\n")) {
    const state = STATE_LINE.exec(line);
    if (state) {
      stateBytes = state[1] ? Number(state[1]) : undefined;
      resources = Number(state[2]);
      continue;
    }
    if (!/^(apply|plan|plan-norefresh|change|destroy) /.test(line)) continue;
    const m = PHASE_LINE.exec(line);
    if (!m) throw new Error(`incumbent summary: cannot read the phase line '${line.slice(0, 200)}'`);
    const [, name, rc, wall, cpu, perProcess, rss, json] = m as unknown as [string, IncumbentPhaseName, string, string, string, string, string, string];
    const cpuByProcess: Record<string, number> = {};
    for (const item of perProcess.trim().split(/\s+/).filter(Boolean)) {
      const eq = item.lastIndexOf("=");
      if (eq < 1) throw new Error(`incumbent summary: per-process CPU '${item}' in the ${name} line is not name=seconds`);
      cpuByProcess[item.slice(0, eq).replace(/^\((.*)\)$/, "$1")] = Number(item.slice(eq + 1));
    }
    let requests: { total?: unknown; byMethod?: unknown; byStatus?: unknown };
    try {
      requests = JSON.parse(json) as typeof requests;
    } catch {
      throw new Error(`incumbent summary: the requests of the ${name} line are not JSON: ${json.slice(0, 200)}`);
    }
    if (typeof requests.total !== "number")
      throw new Error(`incumbent summary: the ${name} line has no request total (is the emulator's /__emulator/stats answering?)`);
    phases.push({
      phase: name,
      ours: PHASE_OF[name],
      rc: Number(rc),
      seconds: parseWall(wall),
      cpuSeconds: Number(cpu),
      cpuByProcess,
      maxRssKb: Number(rss),
      requests: requests.total,
      byMethod: (requests.byMethod ?? {}) as Record<string, number>,
      byStatus: (requests.byStatus ?? {}) as Record<string, number>,
    });
  }
  return { phases, stateBytes, resources };
}

/** TFA_ROOT and ANCHOR_DIR from the environment, checked; the error names both and what each must hold. */
export function incumbentPaths(env: NodeJS.ProcessEnv = process.env): { tfaRoot: string; anchorDir: string } {
  const tfaRoot = env.TFA_ROOT;
  const anchorDir = env.ANCHOR_DIR;
  const how =
    "--incumbent needs TFA_ROOT (the incumbent harness's work folder, with bin/tofu, the provider in mirror/ and tofurc, built as " +
    "../shared/anchor/README.md says) and ANCHOR_DIR (the harness's scripts, e.g. ../shared/anchor) in the environment";
  const missing: string[] = [];
  if (!tfaRoot) missing.push("TFA_ROOT is not set");
  else {
    for (const f of ["bin/tofu", "tofurc"]) if (!fs.existsSync(path.join(tfaRoot, f))) missing.push(`TFA_ROOT=${tfaRoot} has no ${f}`);
  }
  if (!anchorDir) missing.push("ANCHOR_DIR is not set");
  else {
    for (const f of ["run-tf.sh", "gen-tuned.py"]) if (!fs.existsSync(path.join(anchorDir, f))) missing.push(`ANCHOR_DIR=${anchorDir} has no ${f}`);
  }
  if (missing.length > 0 || !tfaRoot || !anchorDir) throw new Error(`${how}: ${missing.join("; ")}`);
  return { tfaRoot, anchorDir };
}

/** The tuned configuration the anchor README gives: rate_limit 1000 requests/s, -parallelism=10. */
export const TUNED = { rateLimit: 1000, parallelism: 10 } as const;

function run(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string; stdoutFile?: string }): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "pipe"] });
    const out = opts.stdoutFile ? fs.createWriteStream(opts.stdoutFile) : undefined;
    let output = "";
    child.stdout.on("data", (d: Buffer) => (out ? out.write(d) : (output += d.toString())));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      out?.end();
      resolve({ code: code ?? 1, output });
    });
  });
}

/**
 * Runs the tuned incumbent on `shape` (all five phases), against an emulator the harness starts from `repo`'s
 * dist with `emulatorFlags` (give the ones our stacks' emulators get), and returns its parsed summary.
 */
export async function runIncumbent(repo: string, shape: Shape, emulatorFlags: readonly string[], label?: string): Promise<IncumbentRun> {
  const { tfaRoot, anchorDir } = incumbentPaths();
  const name = label ?? `bench-${shape.users}u-${shape.groups}g-${shape.memberships}m`;
  const config = path.join(tfaRoot, "work", `tuned-${shape.users}-${shape.groups}-${shape.memberships}.tf`);
  fs.mkdirSync(path.dirname(config), { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // The emulator run-tf.sh starts needs the Node this repository runs on (engines >= 22.19).
    PATH: [path.join(repo, "node_modules", ".bin"), process.env.PATH ?? ""].join(path.delimiter),
    TFA_ROOT: tfaRoot,
    PROJECT: repo,
    CONFIG: config,
  };
  const gen = await run("python3", [path.join(anchorDir, "gen-tuned.py"), String(shape.users), String(shape.groups), String(shape.memberships)], {
    env,
    cwd: tfaRoot,
    stdoutFile: config,
  });
  if (gen.code !== 0) throw new Error(`incumbent: gen-tuned.py failed (exit ${gen.code}): ${gen.output.slice(-2000)}`);
  const before = os.loadavg()[0] as number;
  const args = [path.join(anchorDir, "run-tf.sh"), name, String(shape.users), String(shape.groups), String(shape.memberships)];
  args.push(String(TUNED.parallelism), String(TUNED.rateLimit), ...emulatorFlags);
  const tf = await run("bash", args, { env, cwd: tfaRoot });
  const after = os.loadavg()[0] as number;
  const resultsDir = path.join(tfaRoot, "results", name);
  const summaryFile = path.join(resultsDir, "summary.txt");
  if (tf.code !== 0 || !fs.existsSync(summaryFile)) {
    throw new Error(`incumbent: run-tf.sh ${args.slice(1).join(" ")} failed (exit ${tf.code}); its output:\n${tf.output.slice(-3000)}`);
  }
  const summary = parseSummary(fs.readFileSync(summaryFile, "utf8"));
  const failed = summary.phases.filter((p) => !(p.rc === 0 || (p.phase.startsWith("plan") && p.rc === 2)));
  if (failed.length > 0) {
    throw new Error(`incumbent: ${failed.map((p) => `${p.phase} exited ${p.rc}`).join(", ")}; see ${resultsDir}/<phase>.log`);
  }
  if (summary.phases.length !== 5) throw new Error(`incumbent: ${summaryFile} has ${summary.phases.length} phase lines, not 5`);
  return {
    ...summary,
    label: name,
    shape,
    config: { tuned: true, rateLimit: TUNED.rateLimit, parallelism: TUNED.parallelism, emulatorFlags: [...emulatorFlags] },
    load: { before, after },
    resultsDir,
  };
}

/** The incumbent's wall time for one of our phases, or undefined when it did not run it. */
export function incumbentSeconds(inc: IncumbentSummary | undefined, phase: OurPhase | string): number | undefined {
  return inc?.phases.find((p) => p.ours === phase)?.seconds;
}

/**
 * The incumbent's times as issue 21's targets take them (bench/targets.ts `IncumbentFigures`): the compact model's
 * up, preview, change and destroy are held to these when the run measured the incumbent beside it.
 */
export function incumbentFigures(inc: IncumbentRun): { seconds: Record<"up" | "preview" | "change" | "destroy", number>; source: string } {
  const s = (p: OurPhase): number => {
    const v = incumbentSeconds(inc, p);
    if (v === undefined) throw new Error(`incumbent: no ${p} phase in ${inc.resultsDir}/summary.txt`);
    return v;
  };
  return {
    seconds: { up: s("up"), preview: s("preview"), change: s("change"), destroy: s("destroy") },
    source: `incumbent measured in this run (tuned, rate_limit ${inc.config.rateLimit}, -parallelism=${inc.config.parallelism}; load ${inc.load.before.toFixed(1)} → ${inc.load.after.toFixed(1)})`,
  };
}

const TOFU_COMMAND: Record<IncumbentPhaseName, string> = {
  apply: "apply",
  plan: "plan",
  "plan-norefresh": "plan -refresh=false",
  change: "apply (5% renamed)",
  destroy: "destroy",
};

const methods = (m: Record<string, number>): string =>
  Object.entries(m)
    .filter(([, v]) => v > 0)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "—";

/** A ratio ours / incumbent, or — when either side is missing. */
export function ratio(ours: number | undefined, incumbent: number | undefined): string {
  return ours === undefined || incumbent === undefined || incumbent <= 0 ? "—" : (ours / incumbent).toFixed(2);
}

/** The incumbent's phases beside each model of ours that ran (the floor left out), with ours / incumbent. */
export function renderIncumbent(inc: IncumbentRun, runs: RunResult[]): string {
  const models = runs.filter((r) => r.label !== "floor");
  const seconds = (r: RunResult, phase: string) => r.phases.find((p) => p.phase === phase)?.seconds;
  const lines = [
    `Incumbent, same run: OpenTofu + terraform-provider-databricks, tuned (one block per resource, rate_limit ${inc.config.rateLimit}, ` +
      `-parallelism=${inc.config.parallelism}), own emulator (${inc.config.emulatorFlags.join(" ") || "default flags"}, --max-page-size 100); ` +
      `load ${inc.load.before.toFixed(1)} before, ${inc.load.after.toFixed(1)} after; logs in ${inc.resultsDir}.`,
    "",
    `| phase | incumbent command | incumbent (s) | incumbent requests | ${models.map((r) => `${r.label} (s) | ${r.label} / incumbent`).join(" | ")} |`,
    `|---|---|---:|---|${models.map(() => "---:|---:").join("|")}|`,
  ];
  for (const p of inc.phases) {
    const cells = models.map((r) => {
      const o = seconds(r, p.ours);
      return `${o === undefined ? "—" : o.toFixed(1)} | ${ratio(o, p.seconds)}`;
    });
    lines.push(`| ${p.ours} | ${TOFU_COMMAND[p.phase]} | ${p.seconds.toFixed(1)} | ${methods(p.byMethod)} | ${cells.join(" | ")} |`);
  }
  // Totals, not per resource: the models declare different numbers of resources for the same organisation.
  const incBytes = inc.stateBytes;
  const stateCells = models.map((r) => {
    const total = r.stateBytesPerResource * r.resources;
    return `${(total / 1e6).toFixed(2)} MB | ${ratio(total, incBytes)}`;
  });
  const incCell = incBytes === undefined ? "—" : `${(incBytes / 1e6).toFixed(2)} MB`;
  lines.push(`| state after up (stack export / terraform.tfstate) | — | ${incCell} | — | ${stateCells.join(" | ")} |`);
  lines.push("");
  lines.push(
    "Incumbent CPU seconds (tofu and its provider, GNU time): " +
      inc.phases
        .map(
          (p) =>
            `${p.ours} ${p.cpuSeconds.toFixed(1)} (${
              Object.entries(p.cpuByProcess)
                .map(([k, v]) => `${k} ${v.toFixed(1)}`)
                .join(", ") || "—"
            })`,
        )
        .join("; ") +
      ".",
  );
  return lines.join("\n");
}
