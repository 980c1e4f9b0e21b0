/**
 * Values derived from an identity's natural key, the same in the lifecycles' outputs, the resource classes'
 * getters and the lookups' results (one definition, so the three never disagree). Databricks' permission APIs
 * name a principal `users/<userName>`, `groups/<displayName>` or `servicePrincipals/<applicationId>`, and a
 * user's or service principal's workspace home folder is `/Users/<userName or applicationId>`.
 */
export type PrincipalCollection = "users" | "groups" | "servicePrincipals";

export function aclPrincipalId(collection: PrincipalCollection, key: string): string {
  return `${collection}/${key}`;
}

export function homeFolder(key: string): string {
  return `/Users/${key}`;
}
