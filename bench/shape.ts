/**
 * The benchmark's resource graph, generated deterministically from a few numbers so the real program and the
 * no-op floor declare exactly the same resources.
 */
export interface Shape {
  users: number;
  groups: number;
  memberships: number;
  /** Fraction of users and groups whose displayName changes in the "change" phase (0 in the others). */
  changed: number;
}

export const userName = (i: number): string => `bench-user-${i}@example.com`;
export const groupName = (g: number): string => `bench-group-${g}`;

export function displayName(kind: "User" | "Group", i: number, count: number, changed: number): string {
  const isChanged = i < Math.floor(count * changed);
  return `${kind} ${i}${isChanged ? " (renamed)" : ""}`;
}

/** Membership k pairs user k mod U with a distinct group per round, so every (group, user) pair is unique. */
export function membershipPair(k: number, shape: Shape): { user: number; group: number } {
  const user = k % shape.users;
  const round = Math.floor(k / shape.users);
  return { user, group: (user + round * 7) % shape.groups };
}

export function checkShape(shape: Shape): void {
  if (shape.memberships > 0 && shape.groups === 0) throw new Error("memberships need at least one group");
  if (shape.groups > 0 && Math.ceil(shape.memberships / Math.max(1, shape.users)) * 7 > shape.groups * 7) {
    throw new Error("too many memberships per user for the number of groups");
  }
}
