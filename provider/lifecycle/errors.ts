// What a resource's create, update, read or delete throws when the user has to change something (the program,
// the stack, or what is on the server): one class of the package's hierarchy (shared/packageError.ts), whose
// `code` says the kind of failure and whose `field` is the argument blamed, so a caller (or a test) branches on
// those, never on the text. The message always starts with the field and ends with the fix. Failures of the
// calls themselves stay the client's errors (HttpError, NetworkError, …), which already say what was asked.
import { DatabricksScimError } from "../shared/packageError";

export type ResourceErrorCode =
  /** A create found the natural key taken (409) and this machine has no record of making it: recover or adopt. */
  | "RESOURCE_EXISTS"
  /** `adopt: true`, but the object found must not be taken over (an IdP connector's, an account group seen by workspace SCIM). */
  | "ADOPT_REFUSED"
  /** A workspace-level group of the program has the name of an account group of the program. */
  | "GROUP_SHADOW"
  /** A workspace-level group would take the name of an account group the workspace or its account already has. */
  | "ACCOUNT_GROUP_NAME"
  /** A GroupMembers and a GroupMembership of the program manage the same group's members and would undo each other. */
  | "MEMBERSHIP_CONFLICT"
  /** Something the resource needs is not on the server: the group, the principal in the workspace. */
  | "DEPENDENCY_MISSING"
  /** A name matches several objects where one is needed. */
  | "AMBIGUOUS_NAME"
  /** Several of a GroupMembers' member changes failed (each is named in the message; the first is the cause). */
  | "MEMBER_CHANGES_FAILED"
  /** Databricks kept refusing a workspace assignment for longer than the wait bound. */
  | "ASSIGNMENT_NOT_ACCEPTED"
  /** Identities of a collection resource (ScimUsers) failed and none could be recorded (each is named in the message). */
  | "IDENTITIES_FAILED"
  /** A name asked of a collection resource (ScimUsers.idOf) is not one of its keys. */
  | "NOT_DECLARED";

export class ResourceError extends DatabricksScimError {
  readonly code: ResourceErrorCode;
  /**
   * The argument at fault, the message's first word (e.g. "displayName"); the resource's type when no argument is
   * (a wait that ran out: "WorkspaceAssignment").
   */
  readonly field: string;

  /** The message is `${field}: ${detail}`; `detail` says what is wrong and how to fix it. */
  constructor(code: ResourceErrorCode, field: string, detail: string, options?: { cause?: unknown }) {
    super(`${field}: ${detail}`, options);
    this.name = "ResourceError";
    this.code = code;
    this.field = field;
  }
}
