// How a failing mirror reaches the user. The Node.js runtime prints any other error a program throws as
// "Running program … failed with an unhandled exception:" (Automation API: "Unhandled exception:") followed by
// the stack; a pulumi.RunError it prints as its message alone (@pulumi/pulumi cmd/run/run.js and
// automation/server.js). The mirror's own failures (arguments, credentials, Graph, the plan, a group another
// source manages: the package's DatabricksScimErrors) already say what is wrong and what to do, so they become a
// MirrorError, which the runtime takes for a RunError: the message and the fix, no stack. The stack stays
// available: as a debug diagnostic (`pulumi preview --debug`) and, with DEBUG set in the environment, in the
// message itself. Anything else (a bug) keeps its stack.
import * as pulumi from "@pulumi/pulumi";
import { DatabricksScimError } from "../shared/packageError";

/**
 * A mirror failure with its message and fix; `cause` is the GraphError, MirrorConflictError, … it stands for, and
 * `code` is the cause's. A DatabricksScimError like every error of the package, and seen by the Node.js runtime as
 * a pulumi.RunError: RunError.isInstance looks for the `__pulumiRunError` flag (so that it holds across copies of
 * the SDK), which is what makes the runtime print the message alone.
 */
export class MirrorError extends DatabricksScimError {
  readonly code: string;
  override readonly name = "MirrorError";
  readonly __pulumiRunError = true;
  constructor(message: string, cause: Error) {
    super(message, { cause });
    this.code = cause instanceof DatabricksScimError ? cause.code : "MIRROR_FAILED";
  }
}

/** Errors the package raises on purpose (arguments, credentials, Graph, the plan, the Databricks lookup) say what to do. */
function isMirrorFailure(e: unknown): e is DatabricksScimError {
  return e instanceof DatabricksScimError;
}

/** Runs the mirror, turning its own failures into MirrorErrors. */
export async function reportingFailures<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!isMirrorFailure(e)) throw e;
    const stack = e.stack ?? "";
    await pulumi.log.debug(`${e.name}: ${stack}`);
    const debug = process.env.DEBUG !== undefined && process.env.DEBUG !== "";
    throw new MirrorError(debug ? `${e.message}\n${stack}` : e.message, e);
  }
}
