import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as anyTypes from "google-protobuf/google/protobuf/any_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";

/**
 * The gRPC runtime and protobuf classes, loaded from where @pulumi/pulumi (a peer dependency) loads them: its
 * generated stubs (@pulumi/pulumi/proto) build their messages with those exact copies, so a Struct made with
 * another copy would not serialize. Types come from the same packages.
 */
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));

export const grpc = fromPulumi("@grpc/grpc-js") as typeof grpcTypes;
export const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
export const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb") as typeof emptyTypes;
export const { Any } = fromPulumi("google-protobuf/google/protobuf/any_pb") as typeof anyTypes;

/** A Struct from plain data: undefined values dropped (a Struct has none), through JSON as the engine's values are. */
export function toStruct(value: object | undefined): structTypes.Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value ?? {})) as Record<string, structTypes.JavaScriptValue>);
}

/** Plain data from a Struct; null values (e.g. a Python `None`) are left out: unset, as the lifecycles take it. */
export function fromStruct(s: structTypes.Struct | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s?.toJavaScript() ?? {})) if (v !== null) out[k] = v;
  return out;
}
