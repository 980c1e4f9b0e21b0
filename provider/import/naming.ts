/**
 * Logical (Pulumi) names from natural keys: `user:<userName>`, `sp:<applicationId>`, `group:<displayName>`,
 * `members:<displayName>` and `member:<displayName>/<member's name>`.
 *
 * Why an escaping encoding and not "sanitise, then add 2, 3 … on a clash": a counter depends on which other
 * objects exist, so a group added in the console could rename an existing resource (a new URN: Pulumi would
 * replace it). Escaping is injective: characters outside a safe set become `%XX` (UTF-8, `%` itself included),
 * so two different keys never share a name, and a name depends on its own key only: stable across runs.
 * The raw key stays readable for the usual names (`group:data engineers`, `user:alice@example.com`).
 */
const SAFE = /[A-Za-z0-9 ._@+\-()!~*'&,=]/;

export function escapeKey(key: string): string {
  let out = "";
  for (const ch of key) {
    if (SAFE.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, "utf8")) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export const userName = (userNameKey: string): string => `user:${escapeKey(userNameKey.toLowerCase())}`;
export const servicePrincipalName = (applicationId: string): string => `sp:${escapeKey(applicationId.toLowerCase())}`;
export const groupName = (displayName: string): string => `group:${escapeKey(displayName)}`;
export const groupMembersName = (displayName: string): string => `members:${escapeKey(displayName)}`;
/** `memberLogical` is the member's own logical name (`user:…`, `sp:…`, `group:…`) or `id:<scim id>`. */
export const groupMembershipName = (displayName: string, memberLogical: string): string => `member:${escapeKey(displayName)}/${memberLogical}`;
