/**
 * Compares what the server holds (the emulator's /__emulator/dump, committed state, no lag) with what the soak
 * program declares: duplicates, missing and extra objects, and differences in the fields and members declared.
 */
import { plan, type MemberRef, type SoakPlan, type SoakShape } from "./shape";

interface Complex {
  value?: string;
}
interface DumpPrincipal {
  id: string;
  userName?: string;
  displayName?: string;
  active?: boolean;
  entitlements?: Complex[];
  members?: Complex[];
}
export interface DumpLevel {
  Users: DumpPrincipal[];
  Groups: DumpPrincipal[];
  ServicePrincipals: DumpPrincipal[];
}

export interface CheckResult {
  /** Keys (userName, group or SP displayName) held by more than one object. */
  duplicates: string[];
  missing: string[];
  /** Objects that were not there before the run and that the program does not declare. */
  extra: string[];
  /** "<key>: <field> is X, declared Y". */
  differences: string[];
}

type Kind = keyof DumpLevel;

function keyOf(kind: Kind, o: DumpPrincipal): string {
  return kind === "Users" ? `user ${(o.userName ?? "").toLowerCase()}` : `${kind === "Groups" ? "group" : "service principal"} ${o.displayName ?? ""}`;
}

const values = (list: Complex[] | undefined): string[] => (list ?? []).map((c) => c.value ?? "").sort();

export function checkAgainstPlan(shape: SoakShape, before: DumpLevel, after: DumpLevel): CheckResult {
  const p: SoakPlan = plan(shape);
  const preexisting = new Set([...before.Users, ...before.Groups, ...before.ServicePrincipals].map((o) => o.id));
  const result: CheckResult = { duplicates: [], missing: [], extra: [], differences: [] };

  const declared = new Map<string, { kind: Kind; displayName: string; entitlements?: string[] }>();
  for (const u of p.users) declared.set(`user ${u.userName}`, { kind: "Users", displayName: u.displayName, entitlements: u.entitlements });
  for (const g of p.groups) declared.set(`group ${g.displayName}`, { kind: "Groups", displayName: g.displayName });
  for (const s of p.servicePrincipals)
    declared.set(`service principal ${s.displayName}`, { kind: "ServicePrincipals", displayName: s.displayName, entitlements: s.entitlements });

  const byKey = new Map<string, DumpPrincipal[]>();
  for (const kind of ["Users", "Groups", "ServicePrincipals"] as const) {
    for (const o of after[kind]) {
      const key = keyOf(kind, o);
      if (!declared.has(key)) {
        if (!preexisting.has(o.id)) result.extra.push(`${key} (id ${o.id})`);
        continue;
      }
      byKey.set(key, [...(byKey.get(key) ?? []), o]);
    }
  }
  const idOf = new Map<string, string>();
  for (const [key, want] of declared) {
    const found = byKey.get(key) ?? [];
    if (found.length === 0) {
      result.missing.push(key);
      continue;
    }
    if (found.length > 1) result.duplicates.push(`${key} ×${found.length} (ids ${found.map((o) => o.id).join(", ")})`);
    const o = found[0]!;
    idOf.set(key, o.id);
    if (o.displayName !== want.displayName)
      result.differences.push(`${key}: displayName is ${JSON.stringify(o.displayName)}, declared ${JSON.stringify(want.displayName)}`);
    if (want.kind !== "Groups" && o.active === false) result.differences.push(`${key}: active is false, declared true`);
    if (want.entitlements && values(o.entitlements).join(",") !== [...want.entitlements].sort().join(",")) {
      result.differences.push(`${key}: entitlements are [${values(o.entitlements).join(", ")}], declared [${want.entitlements.join(", ")}]`);
    }
  }

  // Members: each declared group holds exactly its declared members (nothing else adds members to soak groups).
  const refKey = (r: MemberRef): string =>
    r.kind === "user"
      ? `user ${p.users[r.index]!.userName}`
      : r.kind === "group"
        ? `group ${p.groups[r.index]!.displayName}`
        : `service principal ${p.servicePrincipals[r.index]!.displayName}`;
  const wantMembers = new Map<number, string[]>();
  for (const m of p.memberships) wantMembers.set(m.group, [...(wantMembers.get(m.group) ?? []), refKey(m.member)]);
  for (const l of p.lists) wantMembers.set(l.group, l.members.map(refKey));
  const keyById = new Map([...idOf].map(([k, id]) => [id, k]));
  p.groups.forEach((g, index) => {
    const key = `group ${g.displayName}`;
    const o = (byKey.get(key) ?? [])[0];
    if (!o) return;
    const have = values(o.members)
      .map((id) => keyById.get(id) ?? `id ${id}`)
      .sort();
    const want = [...(wantMembers.get(index) ?? [])].sort();
    const missingMembers = want.filter((k) => !have.includes(k));
    const extraMembers = have.filter((k) => !want.includes(k));
    if (missingMembers.length) result.differences.push(`${key}: members missing: ${missingMembers.join(", ")}`);
    if (extraMembers.length) result.differences.push(`${key}: members not declared: ${extraMembers.join(", ")}`);
  });
  return result;
}
