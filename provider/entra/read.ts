// Reads every mirrored root from Graph: one paged transitiveMembers walk per flatten root, a walk of direct
// members through the tree (each group read once, a few at a time) per nested root.
import type { EntraDirectory, EntraGroupRef } from "./directory";
import type { RootRead } from "./plan";
import type { EntraGroup, EntraMember } from "./types";

export interface RootRequest {
  entraGroup: EntraGroupRef;
  mode: "flatten" | "nested";
  name?: string;
  entitlements?: string[];
  roles?: string[];
  adoptUnmanaged?: boolean;
}

const WALK_CONCURRENCY = 4;

export async function readRoots(dir: EntraDirectory, requests: RootRequest[]): Promise<RootRead[]> {
  const membersCache = new Map<string, Promise<EntraMember[]>>();
  const membersOf = (g: EntraGroup): Promise<EntraMember[]> => {
    let p = membersCache.get(g.id);
    if (!p) {
      p = dir.members(g);
      membersCache.set(g.id, p);
    }
    return p;
  };
  const out: RootRead[] = [];
  for (const req of requests) {
    const root = await dir.group(req.entraGroup);
    const { entraGroup: _ref, ...rest } = req;
    if (req.mode === "flatten") {
      out.push({ ...rest, mode: "flatten", root, members: await dir.transitiveMembers(root) });
    } else {
      out.push({ ...rest, mode: "nested", root, tree: await walk(root, membersOf) });
    }
  }
  return out;
}

async function walk(
  root: EntraGroup,
  membersOf: (g: EntraGroup) => Promise<EntraMember[]>,
): Promise<Map<string, { group: EntraGroup; members: EntraMember[] }>> {
  const tree = new Map<string, { group: EntraGroup; members: EntraMember[] }>();
  let frontier: EntraGroup[] = [root];
  const seen = new Set([root.id]);
  while (frontier.length > 0) {
    const next: EntraGroup[] = [];
    for (let i = 0; i < frontier.length; i += WALK_CONCURRENCY) {
      const batch = frontier.slice(i, i + WALK_CONCURRENCY);
      const results = await Promise.all(batch.map(membersOf));
      batch.forEach((group, j) => {
        const members = results[j] as EntraMember[];
        tree.set(group.id, { group, members });
        for (const m of members) {
          if (m.kind === "group" && !seen.has(m.id)) {
            seen.add(m.id);
            next.push(m);
          }
        }
      });
    }
    frontier = next;
  }
  return tree;
}
