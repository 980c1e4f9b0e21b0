// How a failing mirror reaches the user. The Node.js runtime prints any other error a program throws as
// "Running program … failed with an unhandled exception:" (Automation API: "Unhandled exception:") followed by
// the stack; a pulumi.RunError it prints as its message alone (@pulumi/pulumi cmd/run/run.js and
// automation/server.js). The mirror's own failures (arguments, credentials, Graph, the plan, a group another
// source manages) already say what is wrong and what to do, so they become a MirrorError, a RunError: the message
// and the fix, no stack. The stack stays available: as a debug diagnostic (`pulumi preview --debug`) and, with
// DEBUG set in the environment, in the message itself. Anything else (a bug) keeps its stack.
import * as pulumi from "@pulumi/pulumi";
import { InvalidArgumentError, ScimClientError } from "../client";
import { CredentialError } from "../shared/credentialError";
import { MirrorConflictError } from "./existing";
import { GraphError } from "./graphErrors";
import { MirrorArgumentError, MirrorPlanError } from "./plan";

/** A mirror failure with its message and fix; `cause` is the GraphError, MirrorConflictError, … it stands for. */
export class MirrorError extends pulumi.RunError {
  override readonly name = "MirrorError";
  constructor(
    message: string,
    override readonly cause: Error,
  ) {
    super(message);
  }
}

/** The mirror's own failures, and those of the Databricks lookup of existing groups (the client's errors say what to do too). */
function isMirrorFailure(e: unknown): e is Error {
  return [GraphError, MirrorPlanError, MirrorConflictError, MirrorArgumentError, ScimClientError, CredentialError, InvalidArgumentError].some(
    (c) => e instanceof c,
  );
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
