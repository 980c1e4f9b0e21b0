/**
 * What the soak declares, generated from a few numbers so that the program (./program.ts) and the checker
 * (./check.ts) agree without passing hundreds of names around. Deterministic: the same shape, the same names.
 */
import type { Entitlement } from "../../provider/client/types";

export interface SoakShape {
  users: number;
  groups: number;
  servicePrincipals: number;
  /** GroupMembership resources (pairs), spread over the groups that are not authoritative. */
  memberships: number;
  /** Of the groups, how many get an authoritative GroupMembers list instead of GroupMembership pairs. */
  authoritativeGroups: number;
  /** Members per authoritative group. */
  membersPerList: number;
}

export const DEFAULT_SHAPE: SoakShape = {
  users: 300,
  groups: 40,
  servicePrincipals: 40,
  memberships: 600,
  authoritativeGroups: 4,
  membersPerList: 10,
};

/** Principal names in the plan: `u<i>`, `sp<i>`, `g<i>` (resource names), with their server-side keys. */
export type MemberRef = { kind: "user" | "servicePrincipal" | "group"; index: number };

export interface UserPlan {
  name: string;
  userName: string;
  displayName: string;
  entitlements?: Entitlement[];
}
export interface GroupPlan {
  name: string;
  displayName: string;
}
export interface SpPlan {
  name: string;
  displayName: string;
  entitlements?: Entitlement[];
}
export interface MembershipPlan {
  name: string;
  group: number;
  member: MemberRef;
}
export interface ListPlan {
  name: string;
  group: number;
  members: MemberRef[];
}

export interface SoakPlan {
  users: UserPlan[];
  groups: GroupPlan[];
  servicePrincipals: SpPlan[];
  memberships: MembershipPlan[];
  lists: ListPlan[];
}

export function userName(i: number): string {
  return `soak-user-${i}@example.com`;
}

export function plan(shape: SoakShape): SoakPlan {
  const users: UserPlan[] = Array.from({ length: shape.users }, (_, i) => ({
    name: `u${i}`,
    userName: userName(i),
    displayName: `Soak User ${i}`,
    ...(i % 5 === 0 ? { entitlements: ["databricks-sql-access", "workspace-access"] } : {}),
  }));
  const groups: GroupPlan[] = Array.from({ length: shape.groups }, (_, g) => ({ name: `g${g}`, displayName: `soak-group-${g}` }));
  const servicePrincipals: SpPlan[] = Array.from({ length: shape.servicePrincipals }, (_, s) => ({
    name: `sp${s}`,
    displayName: `soak-sp-${s}`,
    ...(s % 4 === 0 ? { entitlements: ["workspace-access"] } : {}),
  }));

  const authoritative = Math.min(shape.authoritativeGroups, shape.groups);
  const pairGroups = shape.groups - authoritative; // groups 0 .. pairGroups-1 take GroupMembership pairs
  const lists: ListPlan[] = [];
  for (let a = 0; a < authoritative; a++) {
    const group = pairGroups + a;
    const members: MemberRef[] = [];
    for (let j = 0; j < Math.min(shape.membersPerList, shape.users); j++) members.push({ kind: "user", index: (a * 31 + j) % shape.users });
    // One service principal in each list, so lists mix principal kinds.
    if (shape.servicePrincipals > 0) members.push({ kind: "servicePrincipal", index: a % shape.servicePrincipals });
    lists.push({ name: `list${a}`, group, members: dedupe(members) });
  }

  const memberships: MembershipPlan[] = [];
  const seen = new Set<string>();
  const add = (group: number, member: MemberRef): void => {
    const key = `${group}|${member.kind}${member.index}`;
    if (seen.has(key) || memberships.length >= shape.memberships) return;
    seen.add(key);
    memberships.push({ name: `m${memberships.length}`, group, member });
  };
  if (pairGroups > 0) {
    // A little nesting: groups 1..3 inside group 0 (never a cycle: only higher into lower).
    for (let g = 1; g < Math.min(4, pairGroups); g++) add(0, { kind: "group", index: g });
    // Every 10th pair a service principal, the rest users, spread so that each pair is distinct.
    for (let k = 0; memberships.length < shape.memberships && k < shape.memberships * 4; k++) {
      const group = k % pairGroups;
      const round = Math.floor(k / pairGroups);
      const sp = shape.servicePrincipals > 0 && k % 10 === 9;
      add(
        group,
        sp
          ? { kind: "servicePrincipal", index: (group + round) % shape.servicePrincipals }
          : { kind: "user", index: (group * 7 + round) % Math.max(1, shape.users) },
      );
    }
  }
  return { users, groups, servicePrincipals, memberships, lists };
}

function dedupe(refs: MemberRef[]): MemberRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.kind}${r.index}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
