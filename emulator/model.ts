// What the emulator stores. Stored records are not wire objects: derived data (user.groups, members' display
// and $ref, schemas, meta) is computed at render time (render.ts) so it can never go stale.
import type { ComplexValue, ResourceType } from "../provider/client/types";

export type { ComplexValue, ResourceType };

/** Workspace and account are separate SCIM universes with their own objects. */
export type Level = "workspace" | "account";

/** Membership is stored on the group; `kind` decides the `$ref` prefix when rendered. */
export interface MemberRef {
  value: string;
  kind: ResourceType;
}

interface StoredBase {
  id: string;
  /**
   * Workspace objects only: "account" = this is the account principal with the same id, seen in an
   * identity-federated workspace (created there through workspace SCIM, or visible through an assignment).
   * Account-owned fields (names, active, members) follow the account; entitlements and workspace roles are
   * the workspace's own. Absent = workspace-local (a local group, or a user of a non-federated workspace).
   */
  origin?: "account";
  externalId?: string;
  /** Entitlement values only; always empty at account level (account objects have none). */
  entitlements: string[];
  roles: ComplexValue[];
  created: string;
  lastModified: string;
}

export interface StoredUser extends StoredBase {
  /** Lower-cased on store (Terraform docs: "lowercased by server"). */
  userName: string;
  displayName?: string;
  name?: { givenName?: string; familyName?: string };
  active: boolean;
  emails: ComplexValue[];
}

export interface StoredGroup extends StoredBase {
  displayName: string;
  members: MemberRef[];
}

export interface StoredServicePrincipal extends StoredBase {
  applicationId: string;
  /**
   * The server generated applicationId (a Databricks-managed SP, on any cloud): displayName stays required.
   * Absent on Entra ID-managed SPs (Azure, client-supplied id), whose displayName is optional.
   */
  databricksManaged?: true;
  displayName?: string;
  active: boolean;
}

export interface StoredByKind {
  Users: StoredUser;
  Groups: StoredGroup;
  ServicePrincipals: StoredServicePrincipal;
}

export type AnyStored = StoredUser | StoredGroup | StoredServicePrincipal;

export const KINDS: readonly ResourceType[] = ["Users", "Groups", "ServicePrincipals"];

/** A workspace permission level (account workspace-assignment API); ADMIN implies USER. */
export type Permission = "USER" | "ADMIN";

/** One workspace of the account. */
export interface WorkspaceInfo {
  id: string;
  /** Identity federation on: account principals can be assigned, workspace SCIM creates account principals. */
  federated: boolean;
}

/** Ids, tokens and the identities behind the tokens; persisted with the state so restarts keep them. */
export interface Identity {
  accountId: string;
  /** The primary workspace (the first of `workspaces`). */
  workspaceId: string;
  /** Every workspace of the account, primary first (absent in state files from before workspaces existed). */
  workspaces?: WorkspaceInfo[];
  tokens: { admin: string; user: string; accountAdmin: string };
  /** userNames of the principals the tokens authenticate as. */
  principals: { admin: string; user: string; accountAdmin: string };
}

/** A plain JSON object as it arrives in a request body. */
export type JsonObject = { [key: string]: unknown };

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Copy for copy-on-write in transactions. Cheaper than structuredClone (which dominated bulk creates: the
 * `users` group holds everyone): arrays are copied, and their elements too where code may change them;
 * MemberRefs are only ever added or filtered out, never changed in place, so they are shared.
 */
export function cloneStored<T extends AnyStored>(obj: T): T {
  const copy = { ...obj, entitlements: [...obj.entitlements], roles: obj.roles.map((r) => ({ ...r })) };
  if ("members" in copy) copy.members = [...copy.members];
  if ("emails" in copy) copy.emails = copy.emails.map((e) => ({ ...e }));
  if ("name" in copy && copy.name) copy.name = { ...copy.name };
  return copy;
}
