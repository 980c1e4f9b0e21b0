import type * as pulumi from "@pulumi/pulumi";
import type { ConnectionSource } from "./connection";

/**
 * What each resource kind implements; provider/runtime dispatches the engine's calls here.
 * `olds` in diff/update/delete/read are the resource's *outputs* (the engine only ever passes outputs back),
 * which is why every kind echoes its inputs into its outputs.
 */
export interface Lifecycle<I, O> {
  check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult<I>>;
  diff(id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: I): Promise<pulumi.dynamic.CreateResult<O>>;
  read(id: string, props: O): Promise<ReadResult<I, O>>;
  update(id: string, olds: O, news: I): Promise<pulumi.dynamic.UpdateResult<O>>;
  delete(id: string, props: O): Promise<void>;
}

/** pulumi.dynamic.ReadResult, with `inputs` typed as inputs (the SDK types them as outputs). An empty id: gone. */
export interface ReadResult<I, O> {
  id?: string;
  props?: O;
  inputs?: I;
}

/** Where a principal lives. Resolved and stored at check time, so that read/delete use what create used. */
export interface TargetInputs {
  host: string;
  level: "workspace" | "account";
  accountId?: string;
  /** Where the credentials come from, when the program gave a connection (names only; ./connection.ts). */
  connection?: ConnectionSource;
}

export type DeletionPolicy = "delete" | "deactivate";
