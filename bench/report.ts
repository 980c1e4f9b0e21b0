import type { BackendCounts } from "./backend";
import { ROLES, type ProcessRole } from "./probe";
import type { Shape } from "./shape";

export interface PhaseResult {
  phase: string;
  seconds: number;
  requests: number;
  byMethod: Record<string, number>;
  failedRequests: number;
  peakMb: number;
  /** CPU seconds by process during the phase (bench/probe.ts). */
  cpuSeconds: Record<ProcessRole, number>;
  /** `--backend azblob`: what the Blob service (Azurite) answered for this stack during the phase. */
  stateBackend?: BackendCounts;
}

export interface RunResult {
  label: string;
  shape: Shape;
  resources: number;
  /** As `pulumi stack export` writes the state after `up`, divided by `resources`. */
  stateBytesPerResource: number;
  /** The same export by resource type (bench/stateBytes.ts). */
  stateByKind?: { kind: string; count: number; perResource: number }[];
  /** The same state unindented: what the file backend rewrites after every step, per resource. */
  checkpointBytesPerResource?: number;
  /** `--backend azblob`: the stack's checkpoint blob after `up`, in bytes, as the Blob service lists it. */
  storedCheckpointBytes?: number;
  phases: PhaseResult[];
}

export interface LimitedResult {
  scenario: string;
  operations: number;
  byVerb: { verb: string; requests: number; achievedPerSecond: number; allowedPerSecond: number }[];
  throttled: number;
  failedOperations: number;
  seconds: number;
  /** A no-drift refresh of workspace users under the workspace GET limit (255 a minute, lists included). */
  refresh?: { users: number; requests: number; seconds: number; failed: boolean; oneGetEachSeconds: number };
}

export interface TargetResult {
  name: string;
  value: string;
  target: string;
  met: boolean;
}

/** "engine 20.1, program 15.3, provider 3.2, emulator 1.0" */
export function cpuLine(cpu: Record<ProcessRole, number>): string {
  return ROLES.map((r) => `${r} ${(cpu[r] ?? 0).toFixed(1)}`).join(", ");
}

const methods = (m: Record<string, number>): string =>
  Object.entries(m)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "—";

export function renderTable(runs: RunResult[], targets: TargetResult[], limited?: LimitedResult): string {
  const floor = runs.find((r) => r.label === "floor");
  const ours = runs.find((r) => r.label === "ours");
  const members = runs.find((r) => r.label === "members");
  const compact = runs.find((r) => r.label === "compact");
  const lines: string[] = [];
  const s = runs[0]?.shape;
  if (s)
    lines.push(
      `Graph: ${s.users} users, ${s.groups} groups, ${s.memberships} memberships (${runs.map((r) => `${r.label} ${r.resources}`).join(", ")} resources).`,
      "",
    );
  if (compact) lines.push(...compactTable(compact, ours, members), "");
  if (ours || floor) lines.push(...pairsTable(ours, floor));
  if (members) {
    lines.push(
      "",
      `The same memberships as one GroupMembers per group (${members.resources} resources instead of ${ours?.resources ?? "—"}), beside the pairs:`,
      "",
    );
    lines.push("| phase | GroupMembers (s) | GroupMembership pairs (s) | GroupMembers / pairs | HTTP requests | by method |", "|---|---:|---:|---:|---:|---|");
    for (const p of members.phases) {
      const o = ours?.phases.find((x) => x.phase === p.phase);
      lines.push(
        `| ${p.phase} | ${p.seconds.toFixed(1)} | ${o ? o.seconds.toFixed(1) : "—"} | ${o ? (p.seconds / o.seconds).toFixed(2) : "—"} | ${p.requests} | ${methods(p.byMethod)} |`,
      );
    }
  }
  if (ours || floor) {
    const byKind = (r: RunResult | undefined) => (r?.stateByKind ?? []).map((k) => `${k.kind} ${k.perResource}`).join(", ");
    lines.push(
      "",
      `State (as \`pulumi stack export\` writes it, after up): ${ours?.stateBytesPerResource.toFixed(0) ?? "—"} bytes per resource (${byKind(ours)}); ` +
        `floor: ${floor?.stateBytesPerResource.toFixed(0) ?? "—"}. Unindented, as the file backend rewrites it after each step: ` +
        `${ours?.checkpointBytesPerResource?.toFixed(0) ?? "—"} bytes per resource.`,
    );
  }
  if (limited) {
    lines.push(
      "",
      `Rate limits on (${limited.scenario}): ${limited.operations} operations in ${limited.seconds.toFixed(1)} s, ${limited.throttled} throttled answers retried, ${limited.failedOperations} failed operations.`,
      "",
    );
    lines.push("| verb | requests | achieved / s | allowed / s | fraction |", "|---|---:|---:|---:|---:|");
    for (const v of limited.byVerb) {
      lines.push(
        `| ${v.verb} | ${v.requests} | ${v.achievedPerSecond.toFixed(2)} | ${v.allowedPerSecond} | ${(v.achievedPerSecond / v.allowedPerSecond).toFixed(2)} |`,
      );
    }
    const r = limited.refresh;
    if (r) {
      lines.push(
        "",
        `Refresh of ${r.users} workspace users under the workspace GET limit (255 a minute, lists included): ${r.requests} requests in ${r.seconds.toFixed(1)} s` +
          `${r.failed ? " (FAILED)" : ""}; one GET per user would need at least ${r.oneGetEachSeconds.toFixed(0)} s of the limit alone.`,
      );
    }
  }
  if (targets.length > 0) {
    lines.push("", "| target | measured | goal | met |", "|---|---|---|---|");
    for (const t of targets) lines.push(`| ${t.name} | ${t.value} | ${t.target} | ${t.met ? "yes" : "**no**"} |`);
  }
  return lines.join("\n");
}

/** The pairs model against the no-op floor, phase by phase, and the CPU of each process. */
function pairsTable(ours: RunResult | undefined, floor: RunResult | undefined): string[] {
  const lines = ["| phase | ours (s) | floor (s) | ours / floor | HTTP requests | by method | provider peak MB |", "|---|---:|---:|---:|---:|---|---:|"];
  for (const p of ours?.phases ?? floor?.phases ?? []) {
    const o = ours?.phases.find((x) => x.phase === p.phase);
    const f = floor?.phases.find((x) => x.phase === p.phase);
    const ratio = o && f ? (o.seconds / f.seconds).toFixed(2) : "—";
    lines.push(
      `| ${p.phase} | ${o ? o.seconds.toFixed(1) : "—"} | ${f ? f.seconds.toFixed(1) : "—"} | ${ratio} | ${o?.requests ?? "—"} | ${o ? methods(o.byMethod) : "—"} | ${o ? o.peakMb.toFixed(0) : "—"} |`,
    );
  }
  lines.push("", "CPU seconds by process (2-core machines share the cores, so CPU added anywhere adds wall time):", "");
  lines.push(`| phase | ${ROLES.map((r) => `${r} ours / floor`).join(" | ")} |`, `|---|${ROLES.map(() => "---:").join("|")}|`);
  for (const p of ours?.phases ?? floor?.phases ?? []) {
    const o = ours?.phases.find((x) => x.phase === p.phase);
    const f = floor?.phases.find((x) => x.phase === p.phase);
    const cpu = (x: PhaseResult | undefined, r: ProcessRole) => (x ? (x.cpuSeconds?.[r] ?? 0).toFixed(1) : "—");
    lines.push(`| ${p.phase} | ${ROLES.map((r) => `${cpu(o, r)} / ${cpu(f, r)}`).join(" | ")} |`);
  }
  return lines;
}

/** The recommended compact model (one ScimUsers, a ScimGroup and a GroupMembers per group), beside the others of the run. */
export function compactTable(compact: RunResult, ours: RunResult | undefined, members: RunResult | undefined): string[] {
  const lines = [
    `The compact model: one ScimUsers of every user, one ScimGroup and one GroupMembers per group (${compact.resources} resources):`,
    "",
    "| phase | compact (s) | pairs (s) | GroupMembers (s) | HTTP requests | by method | provider peak MB | CPU s |",
    "|---|---:|---:|---:|---:|---|---:|---|",
  ];
  const sec = (r: RunResult | undefined, phase: string) => {
    const p = r?.phases.find((x) => x.phase === phase);
    return p ? p.seconds.toFixed(1) : "—";
  };
  for (const p of compact.phases) {
    lines.push(
      `| ${p.phase} | ${p.seconds.toFixed(1)} | ${sec(ours, p.phase)} | ${sec(members, p.phase)} | ${p.requests} | ${methods(p.byMethod)} | ${p.peakMb.toFixed(0)} | ${cpuLine(p.cpuSeconds)} |`,
    );
  }
  const byKind = (compact.stateByKind ?? []).map((k) => `${k.kind} ${k.count} × ${k.perResource}`).join(", ");
  lines.push(
    "",
    `Compact state (as \`pulumi stack export\` writes it, after up): ${compact.stateBytesPerResource.toFixed(0)} bytes per resource (${byKind}); ` +
      `unindented, as the file backend rewrites it after each step: ${compact.checkpointBytesPerResource?.toFixed(0) ?? "—"} bytes per resource.`,
  );
  return lines;
}

/** A grouped bar chart (seconds per phase, ours vs floor) as a standalone SVG. */
export function renderChart(runs: RunResult[]): string {
  const phases = runs[0]?.phases.map((p) => p.phase) ?? [];
  const max = Math.max(1, ...runs.flatMap((r) => r.phases.map((p) => p.seconds)));
  const W = 640;
  const H = 320;
  const left = 50;
  const bottom = 40;
  const groupW = (W - left - 20) / Math.max(1, phases.length);
  const barW = (groupW - 20) / Math.max(1, runs.length);
  const colors = ["#9aa5b1", "#1f77b4"];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="16">Wall time per phase (s): ${runs.map((r, i) => `<tspan fill="${colors[i % 2]}">■ ${r.label}</tspan>`).join(" ")}</text>`,
  ];
  phases.forEach((phase, gi) => {
    runs.forEach((r, ri) => {
      const sec = r.phases[gi]?.seconds ?? 0;
      const h = ((H - bottom - 30) * sec) / max;
      const x = left + gi * groupW + 10 + ri * barW;
      const y = H - bottom - h;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barW - 4).toFixed(1)}" height="${h.toFixed(1)}" fill="${colors[ri % 2]}"/>`);
      parts.push(`<text x="${(x + barW / 2 - 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle">${sec.toFixed(1)}</text>`);
    });
    parts.push(`<text x="${(left + gi * groupW + groupW / 2).toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle">${phase}</text>`);
  });
  parts.push(`<line x1="${left}" y1="${H - bottom}" x2="${W - 10}" y2="${H - bottom}" stroke="black"/>`, "</svg>");
  return parts.join("\n");
}
