// Group membership. Stored only on groups (Databricks: membership is written on the Group); `groups` on users,
// service principals and groups is derived here, transitively through nested groups, with type
// "direct"/"indirect" (as Terraform's exporter reads them).
import type { ComplexValue } from "./model";
import type { LevelView } from "./store";

/** principal id → ids of the groups that list it directly as a member. */
export type ParentIndex = ReadonlyMap<string, readonly string[]>;

export function buildParentIndex(view: LevelView): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const g of view.list("Groups")) {
    for (const m of g.members) {
      const list = index.get(m.value);
      if (list) list.push(g.id);
      else index.set(m.value, [g.id]);
    }
  }
  return index;
}

export interface GroupEdge {
  groupId: string;
  type: "direct" | "indirect";
}

/**
 * All groups a principal belongs to. Direct wins over indirect when both apply; breadth-first with a visited
 * set so that membership cycles (which the emulator does not forbid, (U)) cannot loop.
 */
export function transitiveGroups(principalId: string, index: ParentIndex): GroupEdge[] {
  const direct = [...new Set(index.get(principalId) ?? [])].sort(compareIds);
  const seen = new Set<string>(direct);
  const result: GroupEdge[] = direct.map((groupId) => ({ groupId, type: "direct" }));
  const queue = [...direct];
  const indirect: string[] = [];
  while (queue.length > 0) {
    const g = queue.shift() as string;
    for (const parent of index.get(g) ?? []) {
      if (seen.has(parent) || parent === principalId) continue;
      seen.add(parent);
      indirect.push(parent);
      queue.push(parent);
    }
  }
  indirect.sort(compareIds);
  for (const groupId of indirect) result.push({ groupId, type: "indirect" });
  return result;
}

export function renderGroupEdges(edges: GroupEdge[], view: LevelView): ComplexValue[] {
  const out: ComplexValue[] = [];
  for (const e of edges) {
    const g = view.get("Groups", e.groupId);
    if (!g) continue;
    out.push({ display: g.displayName, type: e.type, value: g.id, $ref: `Groups/${g.id}` });
  }
  return out;
}

/** Numeric ids compare numerically (length first), so "9" < "10"; stable default order (none documented). */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
