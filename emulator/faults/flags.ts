// CLI flags → FaultSettingsInput (the same shape the endpoint takes; merge.ts validates it), and each flag's
// `--help` text (faultFlagHelp).
import type { FlagHelp } from "../cliHelp";
import {
  defaultSettings,
  DATABRICKS_CONCURRENCY,
  RANDOM_FAULT_KINDS,
  type FaultSettingsInput,
  type LagOp,
  type LimitKey,
  type RandomFaultKind,
  type RateLimit,
} from "./settings";

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

const DEFAULTS = defaultSettings();

/** `--help` text of each fault flag (defaults read from settings.ts, so they cannot drift). */
export const faultFlagHelp: Record<keyof typeof faultFlagOptions, FlagHelp> = {
  limits: {
    value: "databricks|off",
    text:
      "Preset of rate limits and concurrency caps. databricks = the published limits (account GET 20/s, LIST 240/min, " +
      `PATCH 2/s, POST/PUT/DELETE 5/s; workspace GET and lists 255/min; ${DATABRICKS_CONCURRENCY.workspace} concurrent workspace requests). ` +
      "Default: off.",
  },
  limit: {
    value: "KEY=N/SECONDS[:BURST]|KEY=off",
    text:
      "One token bucket: N requests per SECONDS seconds, holding at most BURST (default N); off = unlimited. KEY is " +
      "workspace|account.GET|LIST|POST|PUT|PATCH|DELETE, e.g. account.PATCH=2/1. Repeatable; applied after --limits. Default: none.",
  },
  "retry-after-fraction": {
    value: "F",
    text: `Fraction (0..1) of 429 and injected 503 answers that carry Retry-After. Default: ${DEFAULTS.retryAfterFraction}.`,
  },
  concurrency: {
    value: "N",
    text:
      "Max SCIM requests in flight per workspace; the next one gets HTTP 500 REQUEST_LIMIT_EXCEEDED. 0 = no cap. " +
      `Default: ${DEFAULTS.concurrency.workspace} (${DATABRICKS_CONCURRENCY.workspace} with --limits databricks).`,
  },
  "account-concurrency": { value: "N", text: `As --concurrency, for the account API. Default: ${DEFAULTS.concurrency.account} (no cap).` },
  "fault-rate": {
    value: "R",
    text: "Probability (0..1) that a SCIM request gets a random fault, split evenly over --fault-kinds. Default: 0 (none).",
  },
  "fault-kinds": {
    value: "LIST",
    text:
      "Comma-separated kinds --fault-rate draws from: 5xx (error before applying), reset (connection reset, nothing applied), " +
      "lost (applied, then the connection drops; writes only), latency (delay), 429. " +
      `Default: all (${RANDOM_FAULT_KINDS.join(",")}).`,
  },
  "fault-statuses": { value: "LIST", text: `Statuses a 5xx fault picks from, uniformly. Default: ${DEFAULTS.errorStatuses.join(",")}.` },
  "latency-ms": {
    value: "N",
    text:
      "Delay in milliseconds. On its own (no --fault-rate drawing the latency kind) every SCIM request is delayed by N ms. " +
      `When --fault-rate draws latency, the delay of each latency fault. Default: 0 on its own, ${DEFAULTS.latency.fixedMs} for drawn faults.`,
  },
  "latency-jitter-ms": {
    value: "N",
    text:
      "Random extra delay in milliseconds, uniform in [0, N), added to --latency-ms. " +
      `Default: 0 on its own, ${DEFAULTS.latency.jitterMs} for drawn faults.`,
  },
  "lag-ms": {
    value: "N",
    text:
      "Read-after-write lag window in milliseconds: for N ms after a write of one of --lag-ops, GET by id and lists show the " +
      `object as it was before. Default: ${DEFAULTS.lag.windowMs} (off).`,
  },
  "lag-mode": {
    value: "fixed|random",
    text:
      "fixed: every read in the window is stale; random: a read t ms after the write is fresh with probability t/N (reads " +
      `are not monotonic). Default: ${DEFAULTS.lag.mode}.`,
  },
  "lag-ops": { value: "LIST", text: `Comma-separated writes that lag: create,rename,delete,update. Default: ${DEFAULTS.lag.ops.join(",")}.` },
  seed: { value: "N", text: "Seed (integer) for every random decision, so a run repeats. Default: unseeded (Math.random)." },
};

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
    // Latency asked for on its own delays every request (it used to set only the size of a drawn latency fault,
    // so without a --fault-rate drawing that kind it silently did nothing). The unset part is then 0, not the
    // drawn fault's 100 ms default: `--latency-ms 200` means 200 ms.
    const drawn = out.faultRate !== undefined && out.faultRate > 0 && (out.faultKinds === undefined || out.faultKinds.includes("latency"));
    if (!drawn) {
      out.rates = { latency: 1 };
      out.latency = { fixedMs: out.latency.fixedMs ?? 0, jitterMs: out.latency.jitterMs ?? 0 };
    }
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
