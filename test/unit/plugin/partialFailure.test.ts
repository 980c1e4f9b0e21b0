import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { describe, expect, it } from "vitest";
import { PartialApplyError } from "../../../provider/lifecycle/collection";
import { partialFailureMetadata } from "../../../provider/plugin/server";

describe("the plugin's partial result of a collection", () => {
  it("carries the id, the outputs so far and the reasons as pulumirpc.ErrorResourceInitFailed, as the engine decodes it", () => {
    const outs = { host: "https://h", level: "workspace", users: { "alice@x.co": { id: "1", active: true } } };
    const e = new PartialApplyError("1 of 2 users could not be created.", "c0ffee", outs, ["1 of 2 users could not be created.", 'users["bob@x.co"]: 429']);
    const [bytes] = partialFailureMetadata(e, e.message).get("grpc-status-details-bin");
    expect(bytes).toBeInstanceOf(Buffer);
    const status = statusproto.Status.deserializeBinary(new Uint8Array(bytes as Buffer));
    expect(status.getMessage()).toBe("1 of 2 users could not be created.");
    const [any] = status.getDetailsList();
    expect(any?.getTypeName()).toBe("pulumirpc.ErrorResourceInitFailed");
    const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any?.getValue_asU8() ?? new Uint8Array());
    expect(detail.getId()).toBe("c0ffee");
    expect(detail.getProperties()?.toJavaScript()).toEqual(outs);
    expect(detail.getReasonsList()).toEqual(e.reasons);
  });
});
