/**
 * What the importer read from one workspace or account: plain values, already normalised the way the
 * resources store them (user names and application ids lower-case, entitlement and role lists sorted).
 */
import type { FieldType, Fields, ReportedKey } from "../lifecycle/fieldTypes";
import type { GROUP_FIELDS } from "../lifecycle/groupFields";
import type { SERVICE_PRINCIPAL_FIELDS } from "../lifecycle/servicePrincipalFields";
import type { USER_FIELDS } from "../lifecycle/userFields";

export type Level = "workspace" | "account";

/** A member of a group as the group lists it: its SCIM id and what kind of principal it is ($ref prefix). */
export interface MemberRef {
  id: string;
  kind: "user" | "servicePrincipal" | "group" | "unknown";
}

/** A field's value as read: plain strings, booleans and sorted name lists. */
type Plain<T extends FieldType> = T extends "boolean" ? boolean : T extends "entitlements" | "roles" ? string[] : string;

/**
 * Every field a kind's table reports (lifecycle/*Fields.ts), as `serverValues` reads it: the tables, not this
 * file, say what the importer reads and writes, so a field added to a kind is taken over without an edit here.
 * Entitlements only at workspace level.
 */
export type ReadValues<F extends Fields> = { [K in ReportedKey<F>]?: Plain<F[K]["type"]> };

/** The natural key is always there (an object without one is skipped as unreadable). */
export type ReadUser = { id: string; userName: string; active: boolean } & ReadValues<typeof USER_FIELDS>;
export type ReadServicePrincipal = { id: string; applicationId: string; active: boolean } & ReadValues<typeof SERVICE_PRINCIPAL_FIELDS>;
export type ReadGroup = { id: string; displayName: string } & ReadValues<typeof GROUP_FIELDS> & {
    /** "WorkspaceGroup", or "Group" for an account group seen in a workspace. */
    resourceType?: string;
    /** Direct members, sorted by id; undefined when memberships were not read. */
    members?: MemberRef[];
  };

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

/** The group Databricks puts every principal in: `users` in a workspace, `account users` in the account. */
export function isEveryoneGroup(displayName: string, level: Level): boolean {
  return displayName.trim().toLowerCase() === (level === "workspace" ? "users" : "account users");
}
