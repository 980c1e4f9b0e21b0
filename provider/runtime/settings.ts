import * as path from "node:path";
import { CONFIG_NAMESPACE } from "../lifecycle/types";

/**
 * The stack configuration the engine hands to the provider (`configure`), kept by the provider session
 * (./session.ts) for the life of the provider process. Only names and values of this package's keys
 * (`databricks-scim:*`) are kept; they are read at call time and never written to state. Keep `configure` to storing values: the engine may call other methods
 * before it has finished (Pulumi's dynamic-provider host caches a provider before awaiting its `configure`).
 */
export interface StackSettings {
  host?: string;
  token?: string;
  accountId?: string;
  /** A unified host's workspace (X-Databricks-Workspace-Id), like DATABRICKS_WORKSPACE_ID. */
  workspaceId?: string;
  level?: string;
  clientId?: string;
  clientSecret?: string;
  profile?: string;
  configFile?: string;
  authType?: string;
  azureClientId?: string;
  azureClientSecret?: string;
  azureTenantId?: string;
}

export { CONFIG_NAMESPACE };
const KEYS: (keyof StackSettings)[] = [
  "host",
  "token",
  "accountId",
  "workspaceId",
  "level",
  "clientId",
  "clientSecret",
  "profile",
  "configFile",
  "authType",
  "azureClientId",
  "azureClientSecret",
  "azureTenantId",
];

/** This package's keys from a config that is read by full key (`databricks-scim:host`). */
export function readStackSettings(config: { get(key: string): string | undefined }): StackSettings {
  const next: StackSettings = {};
  for (const key of KEYS) {
    const value = config.get(`${CONFIG_NAMESPACE}:${key}`);
    if (value !== undefined && value !== "") next[key] = value;
  }
  return next;
}

/**
 * What the provider process takes from its environment, read once when its session is made (./session.ts): the
 * test and benchmark knobs the README documents, where the create journal lives, and the environment itself,
 * which credential resolution reads at call time (provider/auth: DATABRICKS_*, ARM_*, HOME for the config file).
 * Nothing else under provider/runtime or provider/lifecycle reads process.env.
 */
export interface ProcessSettings {
  /** For credential resolution and a connection's tokenEnvVar/clientIdEnvVar/clientSecretEnvVar. */
  readonly env: NodeJS.ProcessEnv;
  /** DATABRICKS_SCIM_LAG_BOUND_MS (./readLag.ts). */
  readonly lagBoundMs: number;
  /** DATABRICKS_SCIM_ASSIGNMENT_WAIT_MS (lifecycle/workspaceAssignment.ts). */
  readonly assignmentWaitMs: number;
  /** DATABRICKS_SCIM_JOURNAL, else the project folder's; undefined when "off" (./createJournal.ts). */
  readonly journalFile: string | undefined;
  /** PULUMI_PROJECT, which the engine gives the provider process: part of every journal key. */
  readonly project: string;
  /** DATABRICKS_SCIM_MAX_CONCURRENCY and DATABRICKS_SCIM_PACING=off. */
  readonly clientTuning: { maxConcurrency?: number; rateLimits?: false };
  /** DATABRICKS_SCIM_STATS_FILE (./statsReport.ts). */
  readonly statsFile: string | undefined;
}

/** The ~60 s that Databricks' reads were seen to lag behind its writes (./readLag.ts). */
export const DEFAULT_LAG_BOUND_MS = 60_000;
/** What UCX waits for a new workspace or principal to accept assignments. */
export const DEFAULT_ASSIGNMENT_WAIT_MS = 120_000;

export function processSettings(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): ProcessSettings {
  return {
    env,
    lagBoundMs: lagBoundMs(env),
    assignmentWaitMs: assignmentWaitMs(env),
    journalFile: journalFile(env, cwd),
    project: env.PULUMI_PROJECT ?? "",
    clientTuning: clientTuning(env),
    statsFile: env.DATABRICKS_SCIM_STATS_FILE || undefined,
  };
}

export function lagBoundMs(env: NodeJS.ProcessEnv): number {
  const v = Number(env.DATABRICKS_SCIM_LAG_BOUND_MS);
  return Number.isFinite(v) && v >= 0 && env.DATABRICKS_SCIM_LAG_BOUND_MS !== "" ? v : DEFAULT_LAG_BOUND_MS;
}

function assignmentWaitMs(env: NodeJS.ProcessEnv): number {
  const raw = env.DATABRICKS_SCIM_ASSIGNMENT_WAIT_MS;
  const v = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(v) && v >= 0 ? v : DEFAULT_ASSIGNMENT_WAIT_MS;
}

/** The create journal's file: `.pulumi-databricks-scim/creates.jsonl` in the project folder (the provider's cwd). */
export function journalFile(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string | undefined {
  const v = env.DATABRICKS_SCIM_JOURNAL;
  if (v === "off") return undefined;
  return v && v !== "" ? v : path.join(cwd, ".pulumi-databricks-scim", "creates.jsonl");
}

/** Test and benchmark knobs; documented in the README. */
function clientTuning(env: NodeJS.ProcessEnv): { maxConcurrency?: number; rateLimits?: false } {
  const out: { maxConcurrency?: number; rateLimits?: false } = {};
  const c = Number(env.DATABRICKS_SCIM_MAX_CONCURRENCY);
  if (Number.isInteger(c) && c > 0) out.maxConcurrency = c;
  if (env.DATABRICKS_SCIM_PACING === "off") out.rateLimits = false;
  return out;
}
