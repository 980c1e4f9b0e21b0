import type * as pulumi from "@pulumi/pulumi";
import type { Entitlement } from "../client/types";
import { ScimCollection, type EntryOutput } from "./collection";
import type { TargetArgs } from "./principalRef";
import type { ScimUserArgs } from "./user";

/** One user of a ScimUsers: ScimUser's fields but the userName (the map's key) and the target (the collection's). */
export type ScimUsersEntry = Omit<ScimUserArgs, "userName" | keyof TargetArgs>;

export interface ScimUsersArgs extends TargetArgs {
  /**
   * Every user this resource manages, by userName (the user's email; compared ignoring case): the fields of each,
   * as ScimUser takes them (`{}` for a user with none). A user removed from the map is deleted (or deactivated,
   * per its onDelete); one added is created, or adopted when it says `adopt: true`.
   */
  users: pulumi.Input<Record<string, pulumi.Input<ScimUsersEntry>>>;
  /** Every user's deletion policy unless it sets its own: "delete" (default) or "deactivate". */
  onDelete?: pulumi.Input<"delete" | "deactivate">;
  /** Take over existing users with the same userName unless one sets its own `adopt` (e.g. the first `up` after an import). */
  adopt?: pulumi.Input<boolean>;
}

/** What the state holds of each user: its SCIM id and the fields the program manages, as the server last reported them. */
export interface ScimUsersEntryOutput extends EntryOutput {
  displayName?: string;
  givenName?: string;
  familyName?: string;
  externalId?: string;
  active: boolean;
  entitlements?: Entitlement[];
  roles?: string[];
  onDelete?: "deactivate";
}

/**
 * Many Databricks users in one resource, keyed by userName: the compact model for organisations of hundreds or
 * thousands of people (docs/resources/ScimUsers.md). Each user is handled as a ScimUser would be
 * (preview and drift by name, adopt, onDelete, the create journal, check messages naming the user and field);
 * one failing user does not stop the others, which are recorded. Memberships stay in GroupMembers, with members
 * from `idOf(userName)`.
 */
export class ScimUsers extends ScimCollection<ScimUsersEntryOutput> {
  /** Each user's SCIM id and managed fields, by userName (lower-case). */
  declare readonly users: pulumi.Output<Record<string, ScimUsersEntryOutput>>;

  constructor(name: string, args: ScimUsersArgs, opts?: pulumi.CustomResourceOptions) {
    super("users", "Users", name, { mapKey: "users", member: "user", noun: "user" }, { ...args }, opts);
  }

  protected entries(): pulumi.Output<Record<string, ScimUsersEntryOutput>> {
    return this.users;
  }
}
