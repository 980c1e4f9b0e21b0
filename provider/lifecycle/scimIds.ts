import { type Checker, EMAIL, isUnknown, typeName } from "./check";

/**
 * SCIM ids in membership inputs. Databricks ids are numeric strings ("5622540116035711"); what users pass by
 * mistake is a userName, a service principal's applicationId or a group's name, and Databricks then answers an
 * opaque "Error in performing the patch operation" or "Endpoint not supported" (pain 9, TF #4194, #1918).
 * So check names what was given and how to pass the right thing, at preview, before any call.
 */

const SCIM_ID = /^\d{1,30}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the id is for: the group, one member (GroupMembership's `member`), or a list entry (GroupMembers' `members`). */
export type IdRole = "group" | "member" | "members";

function how(role: IdRole, resource = "the ScimUser, ScimServicePrincipal or ScimGroup resource", name = "alice"): string {
  if (role === "group") return "pass the ScimGroup resource (group: engineers) or its id (engineers.id)";
  const arg = role === "member" ? `member: ${name}` : `members: [${name}, …]`;
  return `pass ${resource} (${arg}) or its id (${name}.id)`;
}

const EXAMPLE = 'SCIM ids are numbers such as "5622540116035711"';

/** Why `value` is not a SCIM id, or undefined if it is one. */
export function notAScimId(value: string, role: IdRole): string | undefined {
  const v = value.trim();
  if (SCIM_ID.test(v)) return undefined;
  if (v === "") return `must not be empty; ${how(role)}.`;
  if (v.includes("@")) {
    const what = EMAIL.test(v) ? "a userName" : "an email-like name";
    return `'${value}' looks like ${what}; ${how(role, "the ScimUser resource")}. ${EXAMPLE}.`;
  }
  if (UUID.test(v)) {
    return `'${value}' looks like a service principal's applicationId; ${how(role, "the ScimServicePrincipal resource", "sp")}. ${EXAMPLE}.`;
  }
  return `'${value}' looks like a ${role === "group" ? "group" : "display"} name, not a SCIM id; ${how(role)}. ${EXAMPLE}.`;
}

/** A required id input: the trimmed id, the unknown placeholder during a preview, or undefined after a failure. */
export function scimId(c: Checker, news: Record<string, unknown>, key: string, role: IdRole): string | undefined {
  const v = news[key];
  if (isUnknown(v)) return v as string;
  if (v === undefined || v === null) return c.fail(key, `is required; ${how(role)}.`);
  if (typeof v !== "string") return c.fail(key, `expected a SCIM id string, got ${typeName(v)}; ${how(role)}.`);
  const why = notAScimId(v, role);
  return why ? c.fail(key, why) : v.trim();
}
