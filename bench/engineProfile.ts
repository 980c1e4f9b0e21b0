/**
 * Where the engine's CPU goes: `npm run bench -- --profile DIR` runs every phase's `pulumi` with the CLI's own
 * `--profiling` flag (Go CPU profiles), through a wrapper directory put in place of the cached CLI's (the
 * Automation API the benchmark drives has no way to pass that flag), then sums each profile into the parts of
 * the engine's checkpoint loop (backend/snapshot.go's `saveSnapshot`, run once per step with checkpoints on)
 * with `go tool pprof`. It answers one question with numbers: how much of a phase is the engine rewriting the
 * state, which no provider can make cheaper except by having fewer resources or fewer bytes in each.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The parts of a profile summed, by the function whose cumulative time is that part (pprof regexp, anchored),
 * with the table column each is shown in. The parts after the first are within it.
 */
export const PARTS: readonly { column: string; name: string; fn: string }[] = [
  { column: "checkpoint loop", name: "saveSnapshot", fn: "pkg/v3/backend\\.\\(\\*SnapshotManager\\)\\.saveSnapshot" },
  { column: "serialize", name: "serialize the snapshot (SerializeDeployment)", fn: "resource/stack\\.SerializeDeploymentWithMetadata" },
  { column: "verify", name: "verify its integrity (VerifyIntegrity)", fn: "stack/snapshot\\.VerifyIntegrity" },
  { column: "normalize URNs", name: "normalize URN references", fn: "deploy\\.\\(\\*Snapshot\\)\\.NormalizeURNReferences" },
  { column: "encode JSON", name: "file backend: encode JSON", fn: "backend/diy\\.compactJSONMarshaler\\.Marshal" },
  { column: "write file", name: "file backend: write the file (with its MD5)", fn: "backend/diy\\.\\(\\*wrappedBucket\\)\\.WriteAll" },
  { column: "copy to .bak", name: "file backend: copy the old file to .bak", fn: "backend/diy\\.\\(\\*wrappedBucket\\)\\.Copy" },
];

/** The commands profiled: the ones whose run is a phase of the benchmark. */
const PROFILED = ["up", "preview", "refresh", "destroy"];

/**
 * A directory holding a `pulumi` that runs the real one (in `realBinDir`) with `--profiling DIR/<tag>` for the
 * profiled commands of a run tagged with SCIM_PROFILE_TAG in its environment (the tag names the profile), and links to the real
 * directory's other files (the dynamic-provider plugin the engine looks for next to `pulumi`).
 */
export function profilingBinDir(realBinDir: string, outDir: string): string {
  const bin = path.join(outDir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  for (const f of fs.readdirSync(realBinDir)) {
    const link = path.join(bin, f);
    if (f !== "pulumi" && !fs.existsSync(link)) fs.symlinkSync(path.join(realBinDir, f), link);
  }
  const real = path.join(realBinDir, "pulumi");
  // The Automation API puts the command first (`up --yes --skip-preview ...`).
  const script = [
    "#!/usr/bin/env bash",
    "# Written by bench/engineProfile.ts: the real pulumi, with Go CPU profiles of the benchmark's phases.",
    // Only runs tagged by the benchmark (a phase of a model), not its warm-up or its `stack export`.
    `if [ -n "\${SCIM_PROFILE_TAG:-}" ]; then case "\${1:-}" in ${PROFILED.join("|")}) exec "${real}" --profiling "${outDir}/$SCIM_PROFILE_TAG" "$@";; esac; fi`,
    `exec "${real}" "$@"`,
    "",
  ].join("\n");
  fs.writeFileSync(path.join(bin, "pulumi"), script, { mode: 0o755 });
  return bin;
}

export interface ProfileSummary {
  tag: string;
  /** CPU seconds sampled in the whole profile. */
  totalSeconds: number;
  /** Cumulative CPU seconds of each part, in the order of PARTS. */
  parts: number[];
}

/** Seconds from pprof's "12.3s" / "450ms" / "0". */
export function seconds(text: string): number {
  const m = /^([\d.]+)(ms|s|us|µs|ns)?$/.exec(text);
  if (!m) return 0;
  const v = Number(m[1]);
  return m[2] === "ms" ? v / 1e3 : m[2] === "us" || m[2] === "µs" ? v / 1e6 : m[2] === "ns" ? v / 1e9 : v;
}

/** Sums one CPU profile with `go tool pprof -top -cum` against the binary that wrote it. */
export function summarize(profile: string, pulumiBinary: string, tag: string): ProfileSummary {
  const top = execFileSync("go", ["tool", "pprof", "-top", "-cum", "-nodecount=100000", pulumiBinary, profile], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    maxBuffer: 64 * 1024 * 1024,
  });
  return parseTop(top, tag);
}

/** The parts of PARTS out of `go tool pprof -top -cum` text. */
export function parseTop(top: string, tag: string): ProfileSummary {
  const total = /Total samples = ([\d.]+(?:ms|s|us|µs|ns)?)/.exec(top);
  const rows = top.split("\n").map((l) => l.trim().split(/\s+/));
  const parts = PARTS.map(({ fn }) => {
    const re = new RegExp(`${fn}$`);
    // Columns: flat flat% sum% cum cum% name; a function has one row, with its whole cumulative time.
    const row = rows.find((r) => r.length >= 6 && re.test(r.slice(5).join(" ")));
    return row ? seconds(row[3]) : 0;
  });
  return { tag, totalSeconds: total ? seconds(total[1]) : 0, parts };
}

/** Every profile DIR holds (one per profiled command run, tagged), summed, in the order they ran. */
export function summarizeDir(outDir: string, pulumiBinary: string): ProfileSummary[] {
  return fs
    .readdirSync(outDir)
    .filter((f) => f.endsWith(".cpu"))
    .sort((a, b) => fs.statSync(path.join(outDir, a)).mtimeMs - fs.statSync(path.join(outDir, b)).mtimeMs) // in the order they ran
    .map((f) => summarize(path.join(outDir, f), pulumiBinary, f.replace(/\.\d+\.cpu$/, "")));
}

/** A markdown table: a row per profiled run, a column per part, as CPU seconds and share of the run's engine CPU. */
export function renderProfiles(summaries: ProfileSummary[]): string {
  if (summaries.length === 0) return "No engine profile was written.\n";
  const pct = (v: number, of: number): string => (of > 0 ? `${((100 * v) / of).toFixed(0)}%` : "—");
  const head = `| run (model-phase) | engine CPU | ${PARTS.map((p) => p.column).join(" | ")} |`;
  const rule = `|---|---:|${PARTS.map(() => "---:").join("|")}|`;
  const rows = summaries.map(
    (s) => `| ${s.tag} | ${s.totalSeconds.toFixed(1)} s | ${s.parts.map((v) => `${v.toFixed(1)} s (${pct(v, s.totalSeconds)})`).join(" | ")} |`,
  );
  const legend = PARTS.map((p) => `${p.column}: ${p.name}`).join("; ");
  return [head, rule, ...rows].join("\n") + `\n\nColumns: ${legend}. The parts after the first are within it.\n`;
}
