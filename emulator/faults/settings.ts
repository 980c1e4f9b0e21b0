// Fault-injection settings: one JSON shape for `options.faults` / `--config`, the CLI flags (flags.ts) and the
// runtime endpoint `/__emulator/faults`. Everything defaults to OFF so ordinary tests see a perfect server.
import type { Level } from "../model";

/** Rate-limited request classes: GET = by id (and /Me), LIST = GET on a collection. */
export type LimitVerb = "GET" | "LIST" | "POST" | "PUT" | "PATCH" | "DELETE";
export type LimitKey = `${Level}.${LimitVerb}`;

/**
 * Token bucket: `requests` per `perSeconds`, refilled continuously, holding at most `burst` tokens (default:
 * `requests`, i.e. one full window may arrive at once: 20 GETs in the same millisecond pass, the 21st waits).
 */
export interface RateLimit {
  requests: number;
  perSeconds: number;
  burst?: number;
}

/** Kinds drawn at random per request. `lost` is only drawn for writes (for a read it would equal `reset`). */
export type RandomFaultKind = "5xx" | "reset" | "lost" | "latency" | "429";
export const RANDOM_FAULT_KINDS: readonly RandomFaultKind[] = ["5xx", "reset", "lost", "latency", "429"];

/** Which writes lag behind for reads: create, group rename, delete, any other change. */
export type LagOp = "create" | "rename" | "delete" | "update";
export const LAG_OPS: readonly LagOp[] = ["create", "rename", "delete", "update"];

export interface FaultSettings {
  /** RNG seed for every random decision (null: Math.random). Setting it re-seeds. */
  seed: number | null;
  /** Derived on output: "databricks" / "off" when rateLimits+concurrency equal that preset, else "custom". */
  limits: "databricks" | "off" | "custom";
  /** Every key present; null = unlimited. LIST falls back to the GET bucket of its level when null. */
  rateLimits: Record<LimitKey, RateLimit | null>;
  /** Fraction of 429 (and injected 503) responses that carry `Retry-After` (may be missing: Python SDK PR #391). */
  retryAfterFraction: number;
  /** Max in-flight SCIM requests per level; 0 = no cap. The 5th concurrent workspace request gets the 500. */
  concurrency: Record<Level, number>;
  /** Per-request probability of each random fault. 5xx/reset/lost/429 exclude each other (sum ≤ 1); latency is drawn independently. */
  rates: Record<RandomFaultKind, number>;
  /** Statuses a "5xx" fault picks from, uniformly. */
  errorStatuses: number[];
  /** Added delay of a "latency" fault: fixedMs + uniform [0, jitterMs). */
  latency: { fixedMs: number; jitterMs: number };
  /**
   * Read-after-write lag: for `windowMs` after a write of one of `ops`, GET by id and lists show the object as
   * it was before. "fixed": every read in the window is stale; "random": a read at t ms after the write is
   * fresh with probability t/windowMs, decided per read, so reads are not monotonic (as databrickslabs/ucx found).
   */
  lag: { windowMs: number; mode: "fixed" | "random"; ops: LagOp[] };
}

/** What the endpoint/config accept: any subset; nested objects merge key by key. */
export interface FaultSettingsInput {
  seed?: number | null;
  /** Preset applied first (rateLimits + concurrency), then the explicit keys below override it. */
  limits?: "databricks" | "off";
  rateLimits?: Partial<Record<LimitKey, RateLimit | null>>;
  retryAfterFraction?: number;
  concurrency?: Partial<Record<Level, number>>;
  rates?: Partial<Record<RandomFaultKind, number>>;
  /** Shorthand (as the CLI): `faultRate` split evenly over `faultKinds` (default all kinds); unlisted kinds → 0. */
  faultRate?: number;
  faultKinds?: RandomFaultKind[];
  errorStatuses?: number[];
  latency?: Partial<FaultSettings["latency"]>;
  lag?: Partial<FaultSettings["lag"]>;
}

const NO_LIMITS: Record<LimitKey, RateLimit | null> = {
  "workspace.GET": null,
  "workspace.LIST": null,
  "workspace.POST": null,
  "workspace.PUT": null,
  "workspace.PATCH": null,
  "workspace.DELETE": null,
  "account.GET": null,
  "account.LIST": null,
  "account.POST": null,
  "account.PUT": null,
  "account.PATCH": null,
  "account.DELETE": null,
};

/**
 * docs/databricks-api-notes.md (third-party summaries of Databricks' limits page, unverified): account GET 20/s, LIST 240/min,
 * PATCH 2/s, POST/PUT/DELETE 5/s (each verb its own bucket); workspace GET 255/min including lists (so
 * workspace.LIST stays null and shares the GET bucket); no published workspace write limits.
 */
export const DATABRICKS_LIMITS: Record<LimitKey, RateLimit | null> = {
  ...NO_LIMITS,
  "workspace.GET": { requests: 255, perSeconds: 60 },
  "account.GET": { requests: 20, perSeconds: 1 },
  "account.LIST": { requests: 240, perSeconds: 60 },
  "account.PATCH": { requests: 2, perSeconds: 1 },
  "account.POST": { requests: 5, perSeconds: 1 },
  "account.PUT": { requests: 5, perSeconds: 1 },
  "account.DELETE": { requests: 5, perSeconds: 1 },
};

/** Observed: 4 concurrent SCIM requests per workspace (Databricks Go SDK PR #721); no account figure is known. */
export const DATABRICKS_CONCURRENCY: Record<Level, number> = { workspace: 4, account: 0 };

export function defaultSettings(): FaultSettings {
  return {
    seed: null,
    limits: "off",
    rateLimits: { ...NO_LIMITS },
    retryAfterFraction: 0.5,
    concurrency: { workspace: 0, account: 0 },
    rates: { "5xx": 0, reset: 0, lost: 0, latency: 0, "429": 0 },
    errorStatuses: [500, 502, 503, 504],
    latency: { fixedMs: 100, jitterMs: 100 },
    lag: { windowMs: 0, mode: "fixed", ops: ["create", "rename", "delete"] },
  };
}

export function presetLimits(preset: "databricks" | "off"): Pick<FaultSettings, "rateLimits" | "concurrency"> {
  return preset === "databricks"
    ? { rateLimits: structuredClone(DATABRICKS_LIMITS), concurrency: { ...DATABRICKS_CONCURRENCY } }
    : { rateLimits: { ...NO_LIMITS }, concurrency: { workspace: 0, account: 0 } };
}

export function limitKeys(): LimitKey[] {
  return Object.keys(NO_LIMITS) as LimitKey[];
}
