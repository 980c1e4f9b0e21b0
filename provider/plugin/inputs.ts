import { UNKNOWN } from "../lifecycle/check";
import type { ResourceKind } from "../lifecycle/types";

/**
 * The plugin's inputs (flat, as the schema declares them) in the shape the lifecycles' check takes from the
 * dynamic resource classes, which add what a class knows and a provider cannot be told otherwise:
 *  - the resource's name, for the messages of the membership, assignment and shadow-group rules (`scope` or
 *    `declaration`; the plugin reads it from the URN, so a Python program passes nothing extra);
 *  - GroupMembers' `members` map (label → id), which the class registers as `memberIds` plus `memberNames`.
 * Top-level fields win over `scope` (lifecycle/membershipCheck.ts unscope), so host, level and the rest stay flat.
 */
export function registeredInputs(kind: ResourceKind, resourceName: string, news: Record<string, unknown>): Record<string, unknown> {
  switch (kind) {
    case "group":
      return { ...news, declaration: { resourceName } };
    case "groupMembership":
    case "workspaceAssignment":
    case "workspaceEntitlements":
      return { ...news, scope: { resourceName } };
    case "groupMembers": {
      const { members, ...rest } = news;
      if (members === UNKNOWN) return { ...rest, memberIds: UNKNOWN, scope: { resourceName, memberNames: [] } };
      if (members === undefined || members === null || typeof members !== "object" || Array.isArray(members)) {
        // Left to check, which names the field: `memberIds` is what it validates.
        return { ...rest, ...(Array.isArray(members) ? { memberIds: members } : {}), scope: { resourceName } };
      }
      const entries = Object.entries(members as Record<string, unknown>);
      return { ...rest, memberIds: entries.map(([, id]) => id), scope: { resourceName, memberNames: entries.map(([label]) => label) } };
    }
    default:
      return news;
  }
}

/** The resource's name: the last part of its URN (`urn:pulumi:stack::project::type::name`). */
export function nameOfUrn(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}
