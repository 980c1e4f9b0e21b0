// CLI flags → FaultSettingsInput (the same shape the endpoint takes; merge.ts validates it).
//   --limits databricks|off            --limit KEY=N/SECONDS[:BURST] | KEY=off   (repeatable; KEY e.g. account.PATCH)
//   --retry-after-fraction F           --concurrency N (workspace)   --account-concurrency N
//   --fault-rate R --fault-kinds 5xx,reset,lost,latency,429   --fault-statuses 500,502,503,504
//   --latency-ms N --latency-jitter-ms N   --lag-ms N --lag-mode fixed|random --lag-ops create,rename,delete,update
//   --seed N
import type { FaultSettingsInput, LagOp, LimitKey, RandomFaultKind, RateLimit } from "./settings";

export const faultFlagOptions = {
  limits: { type: "string" },
  limit: { type: "string", multiple: true },
  "retry-after-fraction": { type: "string" },
  concurrency: { type: "string" },
  "account-concurrency": { type: "string" },
  "fault-rate": { type: "string" },
  "fault-kinds": { type: "string" },
  "fault-statuses": { type: "string" },
  "latency-ms": { type: "string" },
  "latency-jitter-ms": { type: "string" },
  "lag-ms": { type: "string" },
  "lag-mode": { type: "string" },
  "lag-ops": { type: "string" },
  seed: { type: "string" },
} as const;

export type FaultFlagValues = { [K in keyof typeof faultFlagOptions]?: (typeof faultFlagOptions)[K] extends { multiple: true } ? string[] : string };

export const FAULT_USAGE =
  "[--limits databricks|off] [--limit KEY=N/SECONDS[:BURST]|KEY=off]... [--retry-after-fraction F] [--concurrency N] " +
  "[--account-concurrency N] [--fault-rate R] [--fault-kinds 5xx,reset,lost,latency,429] [--fault-statuses 500,503] " +
  "[--latency-ms N] [--latency-jitter-ms N] [--lag-ms N] [--lag-mode fixed|random] [--lag-ops create,rename,delete,update] [--seed N]";

function number(flag: string, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n)) throw new Error(`--${flag} must be a number`);
  return n;
}

function list(raw: string): string[] {
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function parseLimit(raw: string): [LimitKey, RateLimit | null] {
  const m = /^([a-z]+\.[A-Z]+)=(?:(off)|(\d+)\/(\d+(?:\.\d+)?)(?::(\d+))?)$/.exec(raw.trim());
  if (!m) throw new Error(`--limit ${raw}: expected KEY=N/SECONDS[:BURST] or KEY=off, e.g. account.PATCH=2/1`);
  const key = m[1] as LimitKey;
  if (m[2]) return [key, null];
  const limit: RateLimit = { requests: Number(m[3]), perSeconds: Number(m[4]) };
  if (m[5] !== undefined) limit.burst = Number(m[5]);
  return [key, limit];
}

/** Undefined when no fault flag was given. */
export function faultInputFromFlags(v: FaultFlagValues): FaultSettingsInput | undefined {
  const out: FaultSettingsInput = {};
  if (v.limits !== undefined) {
    if (v.limits !== "databricks" && v.limits !== "off") throw new Error("--limits must be databricks or off");
    out.limits = v.limits;
  }
  if (v.limit) out.rateLimits = Object.fromEntries(v.limit.map(parseLimit));
  if (v["retry-after-fraction"] !== undefined) out.retryAfterFraction = number("retry-after-fraction", v["retry-after-fraction"]);
  if (v.concurrency !== undefined || v["account-concurrency"] !== undefined) {
    out.concurrency = {};
    if (v.concurrency !== undefined) out.concurrency.workspace = number("concurrency", v.concurrency);
    if (v["account-concurrency"] !== undefined) out.concurrency.account = number("account-concurrency", v["account-concurrency"]);
  }
  if (v["fault-rate"] !== undefined) out.faultRate = number("fault-rate", v["fault-rate"]);
  if (v["fault-kinds"] !== undefined) out.faultKinds = list(v["fault-kinds"]) as RandomFaultKind[];
  if (v["fault-statuses"] !== undefined) out.errorStatuses = list(v["fault-statuses"]).map((s) => number("fault-statuses", s));
  if (v["latency-ms"] !== undefined || v["latency-jitter-ms"] !== undefined) {
    out.latency = {};
    if (v["latency-ms"] !== undefined) out.latency.fixedMs = number("latency-ms", v["latency-ms"]);
    if (v["latency-jitter-ms"] !== undefined) out.latency.jitterMs = number("latency-jitter-ms", v["latency-jitter-ms"]);
  }
  if (v["lag-ms"] !== undefined || v["lag-mode"] !== undefined || v["lag-ops"] !== undefined) {
    out.lag = {};
    if (v["lag-ms"] !== undefined) out.lag.windowMs = number("lag-ms", v["lag-ms"]);
    if (v["lag-mode"] !== undefined) out.lag.mode = v["lag-mode"] as "fixed" | "random";
    if (v["lag-ops"] !== undefined) out.lag.ops = list(v["lag-ops"]) as LagOp[];
  }
  if (v.seed !== undefined) out.seed = number("seed", v.seed);
  return Object.keys(out).length > 0 ? out : undefined;
}
