import { type Checker, isUnknown } from "./check";
import type { MembershipRegistry } from "./context";
import type { MembershipKind, TargetInputs } from "./types";

/**
 * The check-time part shared by GroupMembership and GroupMembers: record what this resource declares in the
 * process-wide registry and turn a conflict with another resource (mixing, loops) into a check failure.
 *
 * `resourceName` is passed by the resource classes (in `scope`) only for these messages; it is not kept in the
 * inputs, so renaming a resource (with an alias) never shows up as a change.
 */
export function declareInCheck(
  registry: MembershipRegistry,
  c: Checker,
  kind: MembershipKind,
  news: Record<string, unknown>,
  target: TargetInputs | undefined,
  groupId: string | undefined,
  memberIds: readonly string[],
): void {
  // During a preview the group (or the host) may be an output not known yet: the update's check catches it then.
  if (c.failures.length > 0 || !target || !groupId || isUnknown(groupId)) return;
  if (isUnknown(target.host) || isUnknown(target.level) || isUnknown(target.accountId)) return;
  const resourceName = typeof news.resourceName === "string" && news.resourceName !== "" ? news.resourceName : "(unnamed)";
  const conflict = registry.declare({
    kind,
    resourceName,
    target: { host: target.host, level: target.level, ...(target.accountId ? { accountId: target.accountId } : {}) },
    groupId,
    memberIds: memberIds.filter((m) => !isUnknown(m)),
  });
  if (conflict) c.fail(conflict.property, conflict.reason);
}

/**
 * The inputs as the resource classes register them, flattened: host, level, accountId, connection and
 * resourceName arrive in one `scope` object (resources/principalRef.ts says why), and everything after check
 * (state, diff, create, delete) sees them as top-level fields, as before. A field set at top level wins.
 *
 * At a known workspace level an accountId that is an output not known yet (during a preview) is dropped: the
 * workspace API does not use it, and kept as unknown it would show every such membership as replaced
 * ("[diff: +accountId]") in each preview, as it did when memberships took the group's outputs.
 */
export function unscope(news: Record<string, unknown>): Record<string, unknown> {
  const { scope, ...rest } = news;
  if (scope === null || typeof scope !== "object" || Array.isArray(scope)) return rest;
  const out: Record<string, unknown> = { ...rest };
  for (const [k, v] of Object.entries(scope as Record<string, unknown>)) if (out[k] === undefined && v !== undefined) out[k] = v;
  if (out.level === "workspace" && isUnknown(out.accountId)) delete out.accountId;
  return out;
}

/** Databricks ids are numeric strings: order them as numbers, so state and diffs read naturally. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
