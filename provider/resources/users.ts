import * as pulumi from "@pulumi/pulumi";
import type { Entitlement } from "../client/types";
import { UNKNOWN } from "../lifecycle/check";
import { ResourceError } from "../lifecycle/errors";
import { ScimDynamicResource } from "./dynamicResource";
import { recordMemberLabel } from "./memberLabels";
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
export interface ScimUsersEntryOutput {
  id: string;
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
 * thousands of people (README, "Many identities: ScimUsers"). Each user is handled as a ScimUser would be
 * (preview and drift by name, adopt, onDelete, the create journal, check messages naming the user and field);
 * one failing user does not stop the others, which are recorded. Memberships stay in GroupMembers, with members
 * from `idOf(userName)`.
 */
export class ScimUsers extends ScimDynamicResource {
  /** Each user's SCIM id and managed fields, by userName (lower-case). */
  declare readonly users: pulumi.Output<Record<string, ScimUsersEntryOutput>>;
  readonly #declared: pulumi.Input<Record<string, pulumi.Input<ScimUsersEntry>>>;
  readonly #ids = new Map<string, pulumi.Output<string>>();

  constructor(name: string, args: ScimUsersArgs, opts?: pulumi.CustomResourceOptions) {
    super("users", "Users", name, { ...args }, opts);
    this.#declared = args.users;
  }

  /** SCIM id by userName. */
  get ids(): pulumi.Output<Record<string, string>> {
    return this.users.apply((m) => Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, v.id])));
  }

  /**
   * The SCIM id of one user of this resource: what GroupMembers' `members` (labelled by the userName, so its
   * preview names the user), WorkspaceAssignment or any other resource takes. Fails at once for a userName that
   * the map (when it is a plain object) does not hold.
   */
  idOf(userName: string): pulumi.Output<string> {
    const key = userName.trim().toLowerCase();
    const known = this.#ids.get(key);
    if (known) return known;
    const declared = this.#declared;
    if (typeof declared === "object" && declared !== null && !pulumi.Output.isInstance(declared) && !(declared instanceof Promise)) {
      if (!Object.keys(declared).some((k) => k.trim().toLowerCase() === key)) {
        throw new ResourceError(
          "NOT_DECLARED",
          "users",
          `'${userName}' (asked of ScimUsers.idOf) is not one of this resource's users. Add it to \`users\`, or check the spelling.`,
        );
      }
    }
    const id = this.users.apply((m) => {
      const entry = m?.[key];
      // During a preview of a run that creates or updates this resource, the engine hands the program the new
      // inputs as its outputs, which carry no ids: the id is not known until apply.
      if (pulumi.runtime.isDryRun() && entry?.id === undefined) return UNKNOWN;
      if (!entry)
        throw new ResourceError(
          "DEPENDENCY_MISSING",
          "users",
          `the state of this ScimUsers holds no user '${key}' (asked of idOf): did its create fail? Run \`pulumi up\` again once it is fixed.`,
        );
      return entry.id;
    });
    recordMemberLabel(id, "user", key);
    this.#ids.set(key, id);
    return id;
  }
}
