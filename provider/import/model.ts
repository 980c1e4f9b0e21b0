/**
 * What the importer read from one workspace or account: plain values, already normalised the way the
 * resources store them (user names and application ids lower-case, entitlement and role lists sorted).
 */
export type Level = "workspace" | "account";

/** A member of a group as the group lists it: its SCIM id and what kind of principal it is ($ref prefix). */
export interface MemberRef {
  id: string;
  kind: "user" | "servicePrincipal" | "group" | "unknown";
}

export interface ReadUser {
  id: string;
  userName: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  active: boolean;
  externalId?: string;
  /** Workspace level only; sorted. */
  entitlements?: string[];
  roles: string[];
}

export interface ReadServicePrincipal {
  id: string;
  applicationId: string;
  displayName?: string;
  active: boolean;
  externalId?: string;
  entitlements?: string[];
  roles: string[];
}

export interface ReadGroup {
  id: string;
  displayName: string;
  externalId?: string;
  entitlements?: string[];
  roles: string[];
  /** "WorkspaceGroup", or "Group" for an account group seen in a workspace. */
  resourceType?: string;
  /** Direct members, sorted by id; undefined when memberships were not read. */
  members?: MemberRef[];
}

export interface Directory {
  host: string;
  level: Level;
  accountId?: string;
  users: ReadUser[];
  servicePrincipals: ReadServicePrincipal[];
  groups: ReadGroup[];
  /** Requests the read made and how long it took, for the summary line. */
  requests: number;
  elapsedMs: number;
}

/** Built into every workspace (admins, users) or account (account users). */
export const BUILT_IN_GROUPS = ["admins", "users", "account users"];

export function isBuiltIn(displayName: string): boolean {
  return BUILT_IN_GROUPS.includes(displayName.trim().toLowerCase());
}
