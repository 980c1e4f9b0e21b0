import { membershipPair, type Shape } from "./shape";

/**
 * The models the benchmark can run (bench/program.ts), as `--models` names them:
 * - floor: the pairs graph with a provider that does nothing (the engine's own cost);
 * - pairs: one ScimUser per user, one ScimGroup per group, one GroupMembership per pair;
 * - members: the same users and groups, one GroupMembers per group;
 * - compact: the recommended compact model: one ScimUsers of every user, one ScimGroup and one GroupMembers
 *   (members from `people.idOf(userName)`) per group.
 */
export const MODELS = ["floor", "pairs", "members", "compact"] as const;
export type Model = (typeof MODELS)[number];
/** The label a model's results carry (the pairs model is "ours", as in every results file before `--models`). */
export type RunnerLabel = "floor" | "ours" | "members" | "compact";

/** What runs without `--models`: every model. */
export const DEFAULT_MODELS: readonly Model[] = MODELS;

export const runnerLabel = (m: Model): RunnerLabel => (m === "pairs" ? "ours" : m);

/**
 * `--models LIST` (comma-separated, in any order; run in the order of MODELS), or the default less what
 * `--skip-floor` / `--skip-members` leave out. Unknown names, an empty list and repeats are refused.
 */
export function parseModels(list: string | undefined, skip: { skipFloor?: boolean; skipMembers?: boolean } = {}): Model[] {
  if (list === undefined) return DEFAULT_MODELS.filter((m) => !(skip.skipFloor && m === "floor") && !(skip.skipMembers && m === "members"));
  if (skip.skipFloor || skip.skipMembers) throw new Error("--models: give the models to run, without --skip-floor or --skip-members");
  const names = list.split(",").map((n) => n.trim());
  const picked = new Set<Model>();
  for (const n of names) {
    if (!(MODELS as readonly string[]).includes(n))
      throw new Error(`--models: '${n}' is not a model; choose from ${MODELS.join(", ")} (e.g. --models compact)`);
    if (picked.has(n as Model)) throw new Error(`--models: '${n}' is named twice`);
    picked.add(n as Model);
  }
  return MODELS.filter((m) => picked.has(m));
}

/** How many GroupMembers a model declares: one per group that has a member. */
export function groupsWithMembers(shape: Shape): number {
  const groups = new Set<number>();
  for (let k = 0; k < shape.memberships; k++) groups.add(membershipPair(k, shape).group);
  return groups.size;
}

/** How many resources a model's stack holds (the provider resources the engine keeps aside). */
export function resourcesOf(label: RunnerLabel, shape: Shape): number {
  if (label === "compact") return (shape.users > 0 ? 1 : 0) + shape.groups + groupsWithMembers(shape);
  if (label === "members") return shape.users + shape.groups + groupsWithMembers(shape);
  return shape.users + shape.groups + shape.memberships;
}
