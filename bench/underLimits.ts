import * as fs from "node:fs";
import * as path from "node:path";
import { CLASSIC_WORKSPACE, emulatorStats, startEmulatorProcess } from "../scripts/emulatorProcess";
import { runStack } from "../scripts/stackProcess";
import { membershipPair, type Shape } from "./shape";

/**
 * The default graph under the Databricks limits (emulator `--limits databricks`), through the real engine, with
 * the package's default settings: up, an up that renames 5% of the identities, destroy. For each phase it
 * prints wall time, requests by verb and the rate-limit floor: for each verb, the fewest requests the API needs
 * for the phase divided by the verb's published rate; the floor is the largest of them (verbs are limited
 * separately), and `wall / floor` says how close the run came to it. The models (bench/models.ts): one
 * GroupMembership per pair, one GroupMembers per group, and the compact model (one ScimUsers, and a ScimGroup and a
 * GroupMembers per group), which also runs a no-drift refresh (its target: within 1.2x of its GET floor).
 */

/** Published requests per second by level and verb (README "Rate limits and pacing"); none for workspace writes. */
const RATES: Record<"workspace" | "account", Record<string, number>> = {
  account: { GET: 20, POST: 5, PUT: 5, DELETE: 5, PATCH: 2 },
  workspace: { GET: 255 / 60 },
};

export type Level = "workspace" | "account";
const PHASES = ["up", "refresh", "change", "destroy"] as const;
export type LimitedPhaseName = (typeof PHASES)[number];
export type LimitedModel = "pairs" | "members" | "compact";
/** Users a filtered LIST reads at once on refresh (`id eq "…" or …`, provider/runtime). */
export const USERS_PER_LIST = 50;

/** The phases a model runs under the limits: refresh only for the compact model (the one its target is about). */
export const phasesOf = (model: LimitedModel): LimitedPhaseName[] => PHASES.filter((p) => p !== "refresh" || model === "compact");

export interface LimitedPhase {
  model: LimitedModel;
  phase: LimitedPhaseName;
  seconds: number;
  byMethod: Record<string, number>;
  throttled: number;
  failed: boolean;
  /** verb → fewest requests the API needs for the phase. */
  minimum: Record<string, number>;
  /** Seconds; 0 when no verb the phase needs has a published limit. */
  floorSeconds: number;
  floorVerb: string;
}

/**
 * The fewest requests per verb: one POST per identity, one PATCH per 100 members of a group, one per rename; a
 * no-drift refresh one filtered LIST per 50 users and one GET per group (which returns its members).
 */
export function minimumRequests(shape: Shape, phase: LimitedPhaseName): Record<string, number> {
  const perGroup = new Map<number, number>();
  for (let k = 0; k < shape.memberships; k++) {
    const g = membershipPair(k, shape).group;
    perGroup.set(g, (perGroup.get(g) ?? 0) + 1);
  }
  const identities = shape.users + shape.groups;
  if (phase === "up") return { POST: identities, PATCH: [...perGroup.values()].reduce((n, m) => n + Math.ceil(m / 100), 0) };
  // Deleting a user or group drops its memberships: destroy needs one DELETE per identity and nothing else.
  if (phase === "destroy") return { DELETE: identities };
  if (phase === "refresh") return { GET: Math.ceil(shape.users / USERS_PER_LIST) + shape.groups };
  return { PATCH: Math.floor(shape.users * 0.05) + Math.floor(shape.groups * 0.05) };
}

export function rateFloor(level: Level, minimum: Record<string, number>): { seconds: number; verb: string } {
  let best = { seconds: 0, verb: "—" };
  for (const [verb, n] of Object.entries(minimum)) {
    const rate = RATES[level][verb];
    if (rate !== undefined && n / rate > best.seconds) best = { seconds: n / rate, verb };
  }
  return best;
}

/** `engine`: the variant's environment and flags (none for the headline: checkpoints on, the CLI's default --parallel). */
export async function underLimits(
  repo: string,
  program: string,
  shape: Shape,
  level: Level,
  engine: { env: Record<string, string>; flags: string[] } = { env: {}, flags: [] },
  models: readonly LimitedModel[] = ["pairs", "members", "compact"],
): Promise<LimitedPhase[]> {
  const out: LimitedPhase[] = [];
  for (const model of models) {
    const emu = await startEmulatorProcess([...CLASSIC_WORKSPACE, "--limits", "databricks", "--max-page-size", "100"]);
    const workDir = path.join(repo, "bench", ".work", `limits-${level}-${model}-${Date.now()}`);
    const env = {
      ...engine.env,
      DATABRICKS_HOST: emu.url,
      DATABRICKS_TOKEN: level === "account" ? emu.tokens.accountAdmin : emu.tokens.admin,
    };
    try {
      for (const phase of phasesOf(model)) {
        const bench = {
          ...shape,
          changed: phase === "change" ? 0.05 : 0,
          members: model === "members",
          compact: model === "compact",
          level,
          accountId: emu.accountId,
        };
        await emulatorStats(emu.url, true);
        const started = process.hrtime.bigint();
        const run = await runStack(phase === "change" ? "up" : phase, {
          workDir,
          stack: "limits",
          program,
          env,
          config: { bench: JSON.stringify(bench) },
          flags: engine.flags,
        });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const stats = await emulatorStats(emu.url);
        const throttled = (stats.byStatus["429"] ?? 0) + (stats.byStatus["500"] ?? 0) + (stats.byStatus["503"] ?? 0);
        const minimum = minimumRequests(shape, phase);
        const floor = rateFloor(level, minimum);
        const r: LimitedPhase = {
          model,
          phase,
          seconds,
          byMethod: stats.byMethod,
          throttled,
          failed: run.code !== 0,
          minimum,
          floorSeconds: floor.seconds,
          floorVerb: floor.verb,
        };
        out.push(r);
        process.stdout.write(
          `  limits ${level} ${model.padEnd(7)} ${phase.padEnd(8)} ${seconds.toFixed(1).padStart(7)} s  ${JSON.stringify(stats.byMethod)}  floor ${floor.seconds.toFixed(1)} s (${floor.verb})${run.code !== 0 ? "  FAILED" : ""}\n`,
        );
        if (run.code !== 0) {
          process.stdout.write(`${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}\n`);
          break;
        }
      }
    } finally {
      await emu.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  return out;
}

const methods = (m: Record<string, number>): string =>
  Object.entries(m)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "—";

export interface LimitsTarget {
  name: string;
  value: string;
  target: string;
  met: boolean;
}

/** The targets under the limits; `noopUpSeconds` is the no-op floor's up for the workspace target. */
/** A ratio to 2 decimals, or 3 where 2 would print a miss as the goal itself (1.2513 against 1.25). */
export function ratioText(ratio: number, limit: number): string {
  const two = ratio.toFixed(2);
  return ratio > limit && Number(two) <= limit ? ratio.toFixed(3) : two;
}

export function limitsTargets(level: Level, shape: Shape, phases: LimitedPhase[], noopUpSeconds?: number): LimitsTarget[] {
  const t: LimitsTarget[] = [];
  const pairs = phases.filter((p) => p.model === "pairs");
  for (const p of pairs) {
    if (p.floorSeconds > 0) {
      const ratio = p.seconds / p.floorSeconds;
      t.push({ name: `${level} pairs ${p.phase}: wall / rate-limit floor`, value: ratio.toFixed(2), target: "<= 1.25", met: ratio <= 1.25 });
    }
  }
  if (level === "workspace" && noopUpSeconds) {
    const up = pairs.find((p) => p.phase === "up");
    if (up)
      t.push({
        name: "workspace pairs up: wall / no-op floor",
        value: (up.seconds / noopUpSeconds).toFixed(2),
        target: "<= 1.5",
        met: up.seconds / noopUpSeconds <= 1.5,
      });
  }
  for (const phase of ["up", "destroy"] as const) {
    const p = pairs.find((x) => x.phase === phase);
    if (!p) continue;
    const perGroup = (p.byMethod.PATCH ?? 0) / Math.max(1, shape.groups);
    t.push({ name: `${level} pairs ${phase}: membership PATCHes per group`, value: perGroup.toFixed(2), target: "<= 2", met: perGroup <= 2 });
  }
  // Issue 21: the compact model within 1.25x of the rate-limit floor on up, change and destroy (where a verb it
  // needs is published), and its no-drift refresh within 1.2x of its GET floor under the workspace's 255 GET/min.
  // At account level (20 GET/s) the refresh's GET floor is a few seconds, less than the engine's own pass over
  // the stack: its row stays in the table, as a figure, not a target.
  for (const p of phases.filter((x) => x.model === "compact" && x.floorSeconds > 0 && (x.phase !== "refresh" || level === "workspace"))) {
    const ratio = p.seconds / p.floorSeconds;
    const limit = p.phase === "refresh" ? 1.2 : 1.25;
    const floorName = p.phase === "refresh" ? `GET floor (${p.minimum.GET} GETs at ${level === "workspace" ? "255/min" : "20/s"})` : "rate-limit floor";
    t.push({
      name: `${level} compact ${p.phase}: wall / ${floorName}`,
      value: ratioText(ratio, limit),
      target: `<= ${limit}`,
      met: !p.failed && ratio <= limit,
    });
  }
  const failed = phases.filter((p) => p.failed).length;
  t.push({ name: `${level}: failed operations`, value: String(failed), target: "0", met: failed === 0 });
  return t;
}

const MODEL_NAMES: Record<LimitedModel, string> = { pairs: "GroupMembership pairs", members: "GroupMembers", compact: "compact (ScimUsers + GroupMembers)" };

export function renderLimits(level: Level, shape: Shape, phases: LimitedPhase[], targets: LimitsTarget[]): string {
  const lines = [
    `Under the Databricks limits, ${level} level (${level === "account" ? "GET 20/s, POST/PUT/DELETE 5/s, PATCH 2/s" : "GET 255/min; writes unpublished, 4 concurrent"}): ` +
      `${shape.users} users, ${shape.groups} groups, ${shape.memberships} memberships, default settings.`,
    "",
    "| model | phase | wall (s) | requests by verb | throttled (retried) | API minimum | rate-limit floor (s) | wall / floor |",
    "|---|---|---:|---|---:|---|---:|---:|",
  ];
  for (const p of phases) {
    const ratio = p.floorSeconds > 0 ? (p.seconds / p.floorSeconds).toFixed(2) : "—";
    lines.push(
      `| ${MODEL_NAMES[p.model]} | ${p.phase}${p.failed ? " (FAILED)" : ""} | ${p.seconds.toFixed(1)} | ${methods(p.byMethod)} | ${p.throttled} | ${methods(p.minimum)} | ${p.floorSeconds.toFixed(1)} (${p.floorVerb}) | ${ratio} |`,
    );
  }
  lines.push("", "| target | measured | goal | met |", "|---|---|---|---|");
  for (const t of targets) lines.push(`| ${t.name} | ${t.value} | ${t.target} | ${t.met ? "yes" : "**no**"} |`);
  return lines.join("\n");
}
