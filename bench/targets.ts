import type { LimitedResult, RunResult, TargetResult } from "./report";

/** The targets, each printed as met or not. */
export function evaluateTargets(runs: RunResult[], limited?: LimitedResult): TargetResult[] {
  const ours = runs.find((r) => r.label === "ours");
  const floor = runs.find((r) => r.label === "floor");
  if (!ours) return [];
  const phase = (r: RunResult | undefined, name: string) => r?.phases.find((p) => p.phase === name);
  const out: TargetResult[] = [];
  const perResource = (phase(ours, "up")?.requests ?? 0) / ours.resources;
  out.push({ name: "create: requests per created resource", value: perResource.toFixed(3), target: "<= 1.05", met: perResource <= 1.05 });
  const preview = phase(ours, "preview")?.requests ?? 0;
  out.push({ name: "no-change preview: requests", value: String(preview), target: "0", met: preview === 0 });
  const refresh = phase(ours, "refresh")?.requests ?? 0;
  const allowed = ours.shape.users + ours.shape.groups;
  out.push({
    name: "no-drift refresh: requests",
    value: `${refresh} (${ours.shape.users} users, ${ours.shape.groups} groups, ${ours.shape.memberships} memberships)`,
    target: `<= ${allowed} (one per user, one per group)`,
    met: refresh <= allowed,
  });
  for (const [name, limit] of [
    ["up", 1.3],
    ["preview", 1.5],
    ["refresh", 1.5],
  ] as const) {
    const o = phase(ours, name)?.seconds;
    const f = phase(floor, name)?.seconds;
    if (o === undefined || f === undefined) continue;
    out.push({ name: `${name}: wall time / floor`, value: (o / f).toFixed(2), target: `<= ${limit}`, met: o / f <= limit });
  }
  const groups = Math.max(1, ours.shape.groups);
  for (const name of ["up", "destroy"]) {
    const p = phase(ours, name);
    if (!p) continue;
    const perGroup = (p.byMethod.PATCH ?? 0) / groups;
    out.push({ name: `${name}: membership PATCHes per group (pairs)`, value: perGroup.toFixed(2), target: "<= 2", met: perGroup <= 2 });
  }
  const members = runs.find((r) => r.label === "members");
  for (const name of ["preview", "change"]) {
    const m = phase(members, name)?.seconds;
    const o = phase(ours, name)?.seconds;
    if (m === undefined || o === undefined) continue;
    out.push({ name: `${name}: GroupMembers / pairs wall time`, value: (m / o).toFixed(2), target: "<= 0.4", met: m / o <= 0.4 });
  }
  out.push({ name: "state bytes per resource", value: ours.stateBytesPerResource.toFixed(0), target: "<= 2048", met: ours.stateBytesPerResource <= 2048 });
  const failed = ours.phases.reduce((n, p) => n + p.failedRequests, 0);
  // The account-group probe: the up that creates the workspace groups asks the emulator's non-federated workspace once (404).
  const probes = ours.shape.groups > 0 ? 1 : 0;
  out.push({ name: "failed HTTP requests (no limits, no faults)", value: String(failed), target: String(probes), met: failed === probes });
  if (limited) {
    const worst = Math.min(...limited.byVerb.map((v) => v.achievedPerSecond / v.allowedPerSecond));
    out.push({ name: "rate limits on: achieved / allowed rate", value: worst.toFixed(2), target: ">= 0.90", met: worst >= 0.9 });
    out.push({ name: "rate limits on: failed operations", value: String(limited.failedOperations), target: "0", met: limited.failedOperations === 0 });
  }
  return out;
}
