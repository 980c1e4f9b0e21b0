import type { ComplexValue } from "../client/types";
import { isUnknown } from "./check";
import { compareIds } from "./membershipCheck";

/**
 * GroupMembers keeps its members as a map, readable name → SCIM id, so that the engine, which diffs a list by
 * position and a map by key, shows who joins or leaves (`+ "carol@example.com": "7001"`) instead of a shifted
 * position of an id (`~ [1]: "946315039678254" => "171442399612472"`). The name is only a label: which members
 * the group has is decided by the ids alone (a changed label is no change).
 *
 * Labels: a user's userName (lower-case, as Databricks stores it); `sp:<applicationId>` (or `sp:<displayName>`
 * when the applicationId is Databricks' to generate); `group:<displayName>`; a SCIM id given as such keys by
 * itself. Members found on the server that the state does not know (added in the console, by an IdP connector)
 * are labelled from the group's own answer, which names each member's kind (`$ref`) and display name:
 * `user:<displayName>`, `sp:<displayName>`, `group:<displayName>`.
 */
export type MemberKind = "user" | "servicePrincipal" | "group";

/** The label of a member declared in the program, from its natural name. */
export function memberLabel(kind: MemberKind, name: string): string {
  const n = name.trim();
  if (kind === "user") return n.toLowerCase();
  return `${kind === "group" ? "group" : "sp"}:${n}`;
}

/** The label of a member as a group's GET lists it (`{"value", "display", "$ref": "Users/<id>"}`). */
export function serverLabel(m: ComplexValue): string | undefined {
  if (typeof m.display !== "string" || m.display.trim() === "") return undefined;
  const ref = typeof m.$ref === "string" ? m.$ref : "";
  const kind = ref.startsWith("Users/") ? "user" : ref.startsWith("ServicePrincipals/") ? "sp" : ref.startsWith("Groups/") ? "group" : undefined;
  return kind ? `${kind}:${m.display.trim()}` : undefined;
}

/**
 * Label → id for (id, label) pairs. A missing label keys the member by its id; a label taken by another member
 * (two service principals may share a displayName) gets the id appended, so every member keeps its own key.
 */
export function keyMembers(pairs: readonly { id: string; label?: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  pairs.forEach(({ id, label }, i) => {
    const fallback = isUnknown(id) ? `(new member ${i + 1})` : id;
    const base = label && label.trim() !== "" ? label.trim() : fallback;
    const key = base in out ? `${base} (${fallback})` : base;
    out[key] = id;
  });
  return out;
}

/** The ids of a member map, sorted as the state has always listed them; unknown placeholders last. */
export function idsOfMembers(members: Record<string, string>): string[] {
  const ids = Object.values(members);
  return [...ids.filter((m) => !isUnknown(m)).sort(compareIds), ...ids.filter(isUnknown)];
}
