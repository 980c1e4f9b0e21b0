// The rules every kind shares, through the user lifecycle bound to a fake context: the diff convention and the
// connection's place in it, the connection carried into outputs, and check's result assembly.
import { describe, expect, it } from "vitest";
import { userLifecycle as userDefined, type UserInputs, type UserOutputs } from "../../../provider/lifecycle/user";
import { fakeContexts, FAKE_HOST } from "./fakeContext";

const lc = userDefined.bind(fakeContexts());

const inputs: UserInputs = { host: FAKE_HOST, level: "workspace", userName: "a@example.com", displayName: "A", active: true, onDelete: "delete", adopt: false };
const outputs: UserOutputs = {
  ...inputs,
  managed: ["displayName"],
  home: "/Users/a@example.com",
  aclPrincipalId: "users/a@example.com",
  roles: [],
  entitlements: [],
};

describe("the diff convention", () => {
  it("a field change together with a connection change leaves `changes` unset, so the engine shows the field diff", async () => {
    const olds = { ...outputs, connection: { tokenEnvVar: "T1" } };
    const news = { ...inputs, displayName: "B", connection: { tokenEnvVar: "T2" } };
    const d = await lc.diff("1", olds, news);
    expect(d).toEqual({ replaces: [] });
    expect("changes" in d).toBe(false);
  });

  it("a field change alone: `changes` unset too", async () => {
    expect(await lc.diff("1", outputs, { ...inputs, displayName: "B" })).toEqual({ replaces: [] });
  });

  it("a connection change alone is an update, never a replacement", async () => {
    const d = await lc.diff("1", { ...outputs, connection: { profile: "p" } }, { ...inputs, connection: { profile: "q" } });
    expect(d).toEqual({ changes: true, replaces: [] });
  });

  it("nothing changed: changes false", async () => {
    expect(await lc.diff("1", outputs, inputs)).toEqual({ changes: false, replaces: [] });
  });

  it("a replacement names its field and leaves `changes` unset", async () => {
    const d = await lc.diff("1", { ...outputs, connection: { profile: "p" } }, { ...inputs, userName: "b@example.com", connection: { profile: "q" } });
    expect(d).toEqual({ replaces: ["userName"] });
  });
});

describe("check assembly", () => {
  it("resolves the target through the context and returns inputs without failures", async () => {
    const r = await lc.check({}, { userName: "A@Example.com" });
    expect(r).toEqual({ inputs: { host: FAKE_HOST, level: "workspace", userName: "a@example.com", active: true, onDelete: "delete", adopt: false } });
  });

  it("falls back to an empty workspace target when the target fails, and reports every failure", async () => {
    const r = await lc.check({}, { userName: "nope", level: "org" });
    expect(r.inputs?.host).toBe("");
    expect(r.failures?.map((f) => f.property)).toEqual(["level", "userName"]);
  });

  it("keeps the connection (names only) in the inputs", async () => {
    // The environment is the context's (as the provider session hands it in), not this process's.
    const withToken = userDefined.bind(fakeContexts({ env: { FAKE_CONTEXT_TOKEN: "x" } }));
    const r = await withToken.check({}, { userName: "a@example.com", connection: { tokenEnvVar: "FAKE_CONTEXT_TOKEN" } });
    expect(r.inputs?.connection).toEqual({ tokenEnvVar: "FAKE_CONTEXT_TOKEN" });
  });
});
