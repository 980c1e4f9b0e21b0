// What the importer refuses to write, in the package's one error hierarchy (shared/packageError.ts). A wrong
// command line is cli.ts's UsageError (exit code 2); these exit 1. Messages start with the stack or the
// resource they are about.
import { DatabricksScimError } from "../shared/packageError";

export type ImportErrorCode =
  /** The stack has pending operations from an interrupted update: refresh (or cancel) first. */
  | "IMPORT_PENDING_OPERATIONS"
  /** The provider's check refuses what was read for a resource (the reasons name the fields). */
  | "IMPORT_CHECK_REFUSED"
  /** The state the importer built does not agree with the provider's own diff, or with the plan: a bug. */
  | "IMPORT_INCONSISTENT";

export class ImportError extends DatabricksScimError {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
  ) {
    super(message);
  }
}
