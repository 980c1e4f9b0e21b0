// Who is in which Databricks group: a pure function of what was read from Graph and what the program asked for,
// so the rules (one user per person, nested names, cycles, name clashes) are tested without any network.
import { databricksUserName, type UserNameSource } from "./userName";
import type { EntraGroup, EntraMember, EntraServicePrincipal, EntraUser } from "./types";
import { DatabricksScimError } from "../shared/packageError";

export type MirrorMode = "flatten" | "nested";

/** One mirrored root as read: its transitive members (flatten) or every group of its tree with its direct members. */
export type RootRead =
  | { mode: "flatten"; root: EntraGroup; name?: string; entitlements?: string[]; roles?: string[]; adoptUnmanaged?: boolean; members: EntraMember[] }
  | {
      mode: "nested";
      root: EntraGroup;
      name?: string;
      entitlements?: string[];
      roles?: string[];
      adoptUnmanaged?: boolean;
      /** Every group of the tree (the root included) → its direct members. */
      tree: Map<string, { group: EntraGroup; members: EntraMember[] }>;
    };

export interface PlanOptions {
  userName: UserNameSource;
  /** Prefix of the Databricks names of nested (non-root) groups. */
  nestedGroupPrefix: string;
}

export interface PlannedUser {
  entraId: string;
  userName: string;
  displayName?: string;
  active: boolean;
}
export interface PlannedServicePrincipal {
  entraId: string;
  applicationId: string;
  displayName?: string;
  active: boolean;
}
export type MemberKey = { kind: "user" | "servicePrincipal" | "group"; key: string };
export interface PlannedGroup {
  /** Stable across Entra renames: the resource names are built from it. */
  key: string;
  entraId: string;
  displayName: string;
  /** Entra's display name, for messages. */
  entraName: string;
  root: boolean;
  entitlements?: string[];
  roles?: string[];
  adoptUnmanaged: boolean;
  members: MemberKey[];
}
export interface MirrorPlan {
  users: Map<string, PlannedUser>;
  servicePrincipals: Map<string, PlannedServicePrincipal>;
  groups: Map<string, PlannedGroup>;
  warnings: string[];
}

/** The groups to mirror cannot be planned as given (a cycle, a name clash, an unsupported member). */
export class MirrorPlanError extends DatabricksScimError {
  readonly code = "MIRROR_PLAN";
  override readonly name = "MirrorPlanError";
}

/** An argument of mirrorEntraGroups (or a Graph setting) that cannot work; the message names it and the fix. */
export class MirrorArgumentError extends DatabricksScimError {
  readonly code = "MIRROR_ARGUMENT";
  override readonly name = "MirrorArgumentError";
}

export function planMirror(reads: RootRead[], opts: PlanOptions): MirrorPlan {
  const plan: MirrorPlan = { users: new Map(), servicePrincipals: new Map(), groups: new Map(), warnings: [] };
  const byUserName = new Map<string, string>();
  const skipped = new Set<string>();

  const addPrincipal = (m: EntraUser | EntraServicePrincipal): MemberKey | undefined => {
    if (m.kind === "servicePrincipal") {
      if (!plan.servicePrincipals.has(m.id)) {
        plan.servicePrincipals.set(m.id, {
          entraId: m.id,
          applicationId: (m.appId as string).toLowerCase(),
          displayName: m.displayName,
          active: m.accountEnabled !== false,
        });
      }
      return { kind: "servicePrincipal", key: m.id };
    }
    if (skipped.has(m.id)) return undefined;
    if (!plan.users.has(m.id)) {
      const mapped = databricksUserName(m, opts.userName);
      if ("skip" in mapped) {
        skipped.add(m.id);
        plan.warnings.push(`${mapped.skip}; left out of every mirrored group`);
        return undefined;
      }
      const other = byUserName.get(mapped.userName);
      if (other !== undefined) {
        throw new MirrorPlanError(
          `userName: Entra users ${other} and ${m.id} both map to Databricks userName '${mapped.userName}'. ` +
            `Databricks keys users by userName: fix one of them in Entra, or map userNames from the other source (userName: "mail" or "userPrincipalName").`,
        );
      }
      byUserName.set(mapped.userName, m.id);
      plan.users.set(m.id, { entraId: m.id, userName: mapped.userName, displayName: m.displayName, active: m.accountEnabled !== false });
    }
    return { kind: "user", key: m.id };
  };

  const principalsOf = (members: EntraMember[]): MemberKey[] => {
    const out: MemberKey[] = [];
    for (const m of members) {
      if (m.kind === "user" || m.kind === "servicePrincipal") {
        const k = addPrincipal(m);
        if (k) out.push(k);
      }
    }
    return out;
  };

  // Roots first, so that a root's name and entitlements win over the defaults of the same group met nested.
  for (const r of reads) {
    const key = r.mode === "flatten" ? `flat-${r.root.id}` : `group-${r.root.id}`;
    const existing = plan.groups.get(key);
    if (existing?.root) {
      throw new MirrorPlanError(`groups: Entra group '${r.root.displayName ?? r.root.id}' (${r.root.id}) is listed twice in ${r.mode} mode; list it once.`);
    }
    plan.groups.set(key, {
      key,
      entraId: r.root.id,
      displayName: r.name ?? r.root.displayName ?? r.root.id,
      entraName: r.root.displayName ?? r.root.id,
      root: true,
      entitlements: r.entitlements,
      roles: r.roles,
      adoptUnmanaged: r.adoptUnmanaged ?? false,
      members: [],
    });
  }
  for (const r of reads) {
    if (r.mode === "flatten") {
      (plan.groups.get(`flat-${r.root.id}`) as PlannedGroup).members = principalsOf(r.members);
      continue;
    }
    for (const { group, members } of r.tree.values()) {
      const key = `group-${group.id}`;
      let g = plan.groups.get(key);
      if (!g) {
        g = {
          key,
          entraId: group.id,
          displayName: `${opts.nestedGroupPrefix}${group.displayName ?? group.id}`,
          entraName: group.displayName ?? group.id,
          root: false,
          adoptUnmanaged: false,
          members: [],
        };
        plan.groups.set(key, g);
      }
      if (g.members.length > 0) continue; // a subtree shared by two mirrored trees: read once, the same members
      const childGroups: MemberKey[] = members.filter((m) => m.kind === "group").map((m) => ({ kind: "group", key: `group-${m.id}` }));
      g.members = [...principalsOf(members), ...childGroups];
    }
  }
  checkNames(plan);
  checkCycles(plan);
  return plan;
}

function checkNames(plan: MirrorPlan): void {
  const seen = new Map<string, PlannedGroup>();
  for (const g of plan.groups.values()) {
    const k = g.displayName.toLowerCase();
    const other = seen.get(k);
    if (other) {
      throw new MirrorPlanError(
        `groups: Entra groups '${other.entraName}' (${other.entraId}) and '${g.entraName}' (${g.entraId}) would both be the Databricks group '${g.displayName}'. ` +
          `Give a root its own name, or set nestedGroupPrefix.`,
      );
    }
    seen.set(k, g);
  }
}

/** Entra allows nesting loops; Databricks group membership must not have them. */
function checkCycles(plan: MirrorPlan): void {
  const state = new Map<string, "open" | "done">();
  const visit = (key: string, path: string[]): void => {
    const s = state.get(key);
    if (s === "done") return;
    const g = plan.groups.get(key);
    if (!g) return;
    if (s === "open") {
      const loop = [...path.slice(path.indexOf(key)), key].map((k) => plan.groups.get(k)?.entraName ?? k);
      throw new MirrorPlanError(
        `groups: the Entra groups nest in a loop (${loop.join(" → ")}); Databricks cannot hold that. Break the loop in Entra, or mirror in flatten mode.`,
      );
    }
    state.set(key, "open");
    for (const m of g.members) if (m.kind === "group") visit(m.key, [...path, key]);
    state.set(key, "done");
  };
  for (const key of plan.groups.keys()) visit(key, []);
}
