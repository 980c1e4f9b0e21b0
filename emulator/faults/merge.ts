// Apply a FaultSettingsInput (from JSON: the endpoint, --config, or flags) to the current settings, checking
// every value, so a typo in a test's fault config fails loudly instead of silently injecting nothing.
import type { Level } from "../model";
import {
  LAG_OPS,
  limitKeys,
  presetLimits,
  RANDOM_FAULT_KINDS,
  type FaultSettings,
  type FaultSettingsInput,
  type LagOp,
  type LimitKey,
  type RandomFaultKind,
  type RateLimit,
} from "./settings";

export class FaultSettingsError extends Error {}

function fail(message: string): never {
  throw new FaultSettingsError(message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(name: string, v: unknown, min: number, max = Infinity, integer = false): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    fail(`${name} must be ${integer ? "an integer" : "a number"} in [${min}, ${max}]`);
  }
  return v;
}

function onlyKeys(name: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(`${name}: unknown key "${k}" (allowed: ${allowed.join(", ")})`);
}

function rateLimit(name: string, v: unknown): RateLimit | null {
  if (v === null) return null;
  if (!isObject(v)) fail(`${name} must be null or {requests, perSeconds, burst?}`);
  onlyKeys(name, v, ["requests", "perSeconds", "burst"]);
  const out: RateLimit = { requests: num(`${name}.requests`, v.requests, 1, Infinity, true), perSeconds: num(`${name}.perSeconds`, v.perSeconds, 0.001) };
  if (v.burst !== undefined) out.burst = num(`${name}.burst`, v.burst, 1, Infinity, true);
  return out;
}

function kinds(name: string, v: unknown): RandomFaultKind[] {
  if (!Array.isArray(v) || v.some((k) => !RANDOM_FAULT_KINDS.includes(k as RandomFaultKind))) {
    fail(`${name} must be a list of ${RANDOM_FAULT_KINDS.join(", ")}`);
  }
  return v as RandomFaultKind[];
}

const TOP_KEYS = [
  "seed",
  "limits",
  "rateLimits",
  "retryAfterFraction",
  "concurrency",
  "rates",
  "faultRate",
  "faultKinds",
  "errorStatuses",
  "latency",
  "lag",
] as const;

/** A new settings object: `current` with `input` applied. Throws FaultSettingsError on anything invalid. */
export function mergeSettings(current: FaultSettings, input: unknown): FaultSettings {
  if (!isObject(input)) fail("fault settings must be a JSON object");
  onlyKeys("faults", input, TOP_KEYS);
  const i = input as FaultSettingsInput & Record<string, unknown>;
  const next: FaultSettings = structuredClone(current);

  if (i.seed !== undefined) next.seed = i.seed === null ? null : num("seed", i.seed, 0, 2 ** 32 - 1, true);
  if (i.limits !== undefined) {
    if (i.limits !== "databricks" && i.limits !== "off") fail(`limits must be "databricks" or "off"`);
    Object.assign(next, presetLimits(i.limits));
  }
  if (i.rateLimits !== undefined) {
    if (!isObject(i.rateLimits)) fail("rateLimits must be an object keyed by <level>.<verb>");
    onlyKeys("rateLimits", i.rateLimits, limitKeys());
    for (const [k, v] of Object.entries(i.rateLimits)) next.rateLimits[k as LimitKey] = rateLimit(`rateLimits.${k}`, v);
  }
  if (i.retryAfterFraction !== undefined) next.retryAfterFraction = num("retryAfterFraction", i.retryAfterFraction, 0, 1);
  if (i.concurrency !== undefined) {
    if (!isObject(i.concurrency)) fail("concurrency must be {workspace?, account?}");
    onlyKeys("concurrency", i.concurrency, ["workspace", "account"]);
    for (const [k, v] of Object.entries(i.concurrency)) next.concurrency[k as Level] = num(`concurrency.${k}`, v, 0, Infinity, true);
  }
  if (i.faultRate !== undefined || i.faultKinds !== undefined) {
    const rate = num("faultRate", i.faultRate ?? 0, 0, 1);
    const chosen = i.faultKinds === undefined ? RANDOM_FAULT_KINDS : kinds("faultKinds", i.faultKinds);
    for (const k of RANDOM_FAULT_KINDS) next.rates[k] = chosen.includes(k) ? rate / chosen.length : 0;
  }
  if (i.rates !== undefined) {
    if (!isObject(i.rates)) fail("rates must be an object keyed by fault kind");
    onlyKeys("rates", i.rates, RANDOM_FAULT_KINDS);
    for (const [k, v] of Object.entries(i.rates)) next.rates[k as RandomFaultKind] = num(`rates.${k}`, v, 0, 1);
  }
  const exclusive = next.rates["5xx"] + next.rates.reset + next.rates.lost + next.rates["429"];
  if (exclusive > 1 + 1e-9) fail("rates of 5xx, reset, lost and 429 must add up to at most 1");
  if (i.errorStatuses !== undefined) {
    if (!Array.isArray(i.errorStatuses) || i.errorStatuses.length === 0) fail("errorStatuses must be a non-empty list");
    next.errorStatuses = i.errorStatuses.map((s, n) => num(`errorStatuses[${n}]`, s, 500, 599, true));
  }
  if (i.latency !== undefined) {
    if (!isObject(i.latency)) fail("latency must be {fixedMs?, jitterMs?}");
    onlyKeys("latency", i.latency, ["fixedMs", "jitterMs"]);
    if (i.latency.fixedMs !== undefined) next.latency.fixedMs = num("latency.fixedMs", i.latency.fixedMs, 0, 600_000);
    if (i.latency.jitterMs !== undefined) next.latency.jitterMs = num("latency.jitterMs", i.latency.jitterMs, 0, 600_000);
  }
  if (i.lag !== undefined) {
    if (!isObject(i.lag)) fail("lag must be {windowMs?, mode?, ops?}");
    onlyKeys("lag", i.lag, ["windowMs", "mode", "ops"]);
    if (i.lag.windowMs !== undefined) next.lag.windowMs = num("lag.windowMs", i.lag.windowMs, 0, 600_000);
    if (i.lag.mode !== undefined) {
      if (i.lag.mode !== "fixed" && i.lag.mode !== "random") fail(`lag.mode must be "fixed" or "random"`);
      next.lag.mode = i.lag.mode;
    }
    if (i.lag.ops !== undefined) {
      if (!Array.isArray(i.lag.ops) || i.lag.ops.some((o) => !LAG_OPS.includes(o as LagOp))) fail(`lag.ops must be a list of ${LAG_OPS.join(", ")}`);
      next.lag.ops = [...new Set(i.lag.ops)];
    }
  }
  next.limits = describeLimits(next);
  return next;
}

/** "databricks"/"off" when limits equal that preset exactly, else "custom". */
function describeLimits(s: FaultSettings): FaultSettings["limits"] {
  const mine = JSON.stringify({ rateLimits: s.rateLimits, concurrency: s.concurrency });
  for (const preset of ["databricks", "off"] as const) {
    if (JSON.stringify(presetLimits(preset)) === mine) return preset;
  }
  return "custom";
}
