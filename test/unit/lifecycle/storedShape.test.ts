/**
 * The stored shape (provider/lifecycle/storedShape.ts): what a dynamic resource's stored outputs leave out (its
 * inputs are stored whole), that the lifecycle gets it all back, and that state written before (every key
 * present) diffs with no change against what check answers now.
 */
import { describe, expect, it } from "vitest";
import type { Contexts } from "../../../provider/lifecycle/context";
import { groupLifecycle } from "../../../provider/lifecycle/group";
import { groupMembershipLifecycle } from "../../../provider/lifecycle/groupMembership";
import { fullInputs, fullOutputs, storedOutputs, withStoredShape } from "../../../provider/lifecycle/storedShape";
import type { Lifecycle } from "../../../provider/lifecycle/types";
import { userLifecycle } from "../../../provider/lifecycle/user";

const HOST = "https://adb-1.2.azuredatabricks.net";
const PROVIDER = "exports.handler=()=>require('pulumi-databricks-scim/dist/provider/shims/user')";

// As the release before stored a ScimUser, a ScimGroup and a GroupMembership (bench/stateBytes.ts, commit 30caf55).
const OLD_USER = {
  inputs: {
    __provider: PROVIDER,
    active: true,
    adopt: false,
    displayName: "User 14",
    host: HOST,
    hostWorkspaceId: "7241000792900752",
    level: "workspace",
    onDelete: "delete",
    userName: "bench-user-14@example.com",
  },
  outputs: {
    __provider: PROVIDER,
    aclPrincipalId: "users/bench-user-14@example.com",
    active: true,
    adopt: false,
    displayName: "User 14",
    entitlements: [],
    home: "/Users/bench-user-14@example.com",
    host: HOST,
    hostWorkspaceId: "7241000792900752",
    level: "workspace",
    managed: ["displayName"],
    onDelete: "delete",
    roles: [],
    userName: "bench-user-14@example.com",
  },
};
const GROUP_ID = "5254117931369872";
const OLD_GROUP = {
  inputs: { adopt: false, displayName: "bench-group-3", host: HOST, level: "workspace" },
  outputs: {
    aclPrincipalId: "groups/bench-group-3",
    adopt: false,
    displayName: "bench-group-3",
    host: HOST,
    level: "workspace",
    managed: [],
    roles: [],
    url: `${HOST}/api/2.0/preview/scim/v2/Groups/${GROUP_ID}`,
  },
};
const OLD_MEMBERSHIP = {
  inputs: { groupId: "462681477569231", host: HOST, level: "workspace", memberId: "233609773566508" },
  outputs: { groupId: "462681477569231", host: HOST, level: "workspace", memberId: "233609773566508" },
};

/** What the pairstate branch stored as inputs (on main from d313d3a until its revert e9f324a): no default level, adopt, onDelete, active. */
const PAIRSTATE_USER_INPUTS = {
  __provider: PROVIDER,
  displayName: "User 14",
  host: HOST,
  hostWorkspaceId: "7241000792900752",
  userName: "bench-user-14@example.com",
};

describe("the stored shape", () => {
  it("leaves out of the outputs the default level, unreported fields at their default and what the classes derive; keeps every registered output", () => {
    // `active` is an output of ScimUser (Pulumi resolves it from the stored outputs): kept, at its default too.
    expect(storedOutputs("user", OLD_USER.outputs, "5059043855469818")).toEqual({
      __provider: PROVIDER,
      active: true,
      displayName: "User 14",
      entitlements: [],
      host: HOST,
      hostWorkspaceId: "7241000792900752",
      managed: ["displayName"],
      roles: [],
      userName: "bench-user-14@example.com",
    });
    // `url` is a registered output of ScimGroup: kept although derived; aclPrincipalId is a getter of the class.
    expect(storedOutputs("group", OLD_GROUP.outputs, GROUP_ID)).toEqual({
      displayName: "bench-group-3",
      host: HOST,
      managed: [],
      roles: [],
      url: OLD_GROUP.outputs.url,
    });
    // A membership's ids are its id's two parts (GroupMembership derives its groupId and memberId outputs itself).
    expect(storedOutputs("groupMembership", OLD_MEMBERSHIP.outputs, "462681477569231|233609773566508")).toEqual({ host: HOST });
  });

  it("keeps what is not at its default, an account level, and a derived value that is not what would be derived", () => {
    const outputs = { ...OLD_USER.outputs, adopt: true, onDelete: "deactivate", level: "account", accountId: "a-1", home: "/Users/other" };
    expect(storedOutputs("user", outputs, "1")).toMatchObject({
      adopt: true,
      onDelete: "deactivate",
      level: "account",
      accountId: "a-1",
      home: "/Users/other",
    });
    // A membership id that is not these two ids (never written so): its ids are kept.
    expect(storedOutputs("groupMembership", OLD_MEMBERSHIP.outputs, "1|2")).toEqual({ groupId: "462681477569231", host: HOST, memberId: "233609773566508" });
    // A group's url left out by the pairstate branch is put back, for an account group with its account.
    const account = { ...OLD_GROUP.outputs, level: "account", accountId: "a-1", url: `${HOST}/api/2.0/accounts/a-1/scim/v2/Groups/${GROUP_ID}` };
    const { url: _url, ...withoutUrl } = account;
    expect(fullOutputs("group", storedOutputs("group", withoutUrl, GROUP_ID), GROUP_ID)).toEqual(account);
  });

  it("puts back the input keys the pairstate branch left out of stored inputs (the default level and fields at their default)", () => {
    expect(fullInputs("user", PAIRSTATE_USER_INPUTS)).toEqual(OLD_USER.inputs);
    expect(fullInputs("user", { ...PAIRSTATE_USER_INPUTS, active: false, level: "account", accountId: "a-1" })).toMatchObject({
      active: false,
      level: "account",
    });
  });

  it.each([
    ["user", OLD_USER, "5059043855469818"],
    ["group", OLD_GROUP, GROUP_ID],
    ["groupMembership", OLD_MEMBERSHIP, "462681477569231|233609773566508"],
  ] as const)("gives the lifecycle back exactly what the release before stored (%s)", (kind, old, id) => {
    expect(fullOutputs(kind, storedOutputs(kind, old.outputs, id), id)).toEqual(old.outputs);
    // And a state written before reads as it is: nothing is overwritten.
    expect(fullInputs(kind, old.inputs)).toEqual(old.inputs);
    expect(fullOutputs(kind, old.outputs, id)).toEqual(old.outputs);
  });
});

/** A lifecycle that records what it is handed and answers a fixed full-shape result. */
function recording(outs: Record<string, unknown>, inputs: Record<string, unknown>) {
  const seen: Record<string, unknown[]> = {};
  const note = (m: string, ...args: unknown[]) => (seen[m] = args);
  const inner: Lifecycle<object, object> = {
    check: async (olds, news) => (note("check", olds, news), { inputs }),
    diff: async (id, olds, news) => (note("diff", id, olds, news), { changes: false }),
    create: async (i) => (note("create", i), { id: GROUP_ID, outs }),
    read: async (id, props) => (note("read", id, props), { id, props: outs, inputs }),
    update: async (id, olds, news) => (note("update", id, olds, news), { outs }),
    delete: async (id, props) => void note("delete", id, props),
  };
  return { seen, lc: withStoredShape("group", inner) };
}

describe("withStoredShape", () => {
  it("stores the outputs each call answers in the stored shape, inputs whole, and hands every call the full shape", async () => {
    const { seen, lc } = recording(OLD_GROUP.outputs, OLD_GROUP.inputs);
    const storedIn = OLD_GROUP.inputs;
    const storedOut = storedOutputs("group", OLD_GROUP.outputs, GROUP_ID);
    expect((await lc.check({}, { displayName: "bench-group-3" })).inputs).toEqual(storedIn);
    expect(seen.check?.[0]).toEqual({});
    expect((await lc.create(storedIn)).outs).toEqual(storedOut);
    expect(seen.create).toEqual([OLD_GROUP.inputs]);
    await lc.diff(GROUP_ID, storedOut, storedIn);
    expect(seen.diff).toEqual([GROUP_ID, OLD_GROUP.outputs, OLD_GROUP.inputs]);
    const read = await lc.read(GROUP_ID, storedOut);
    expect(seen.read).toEqual([GROUP_ID, OLD_GROUP.outputs]);
    expect(read).toEqual({ id: GROUP_ID, props: storedOut, inputs: storedIn });
    expect((await lc.update(GROUP_ID, storedOut, storedIn)).outs).toEqual(storedOut);
    expect(seen.update).toEqual([GROUP_ID, OLD_GROUP.outputs, OLD_GROUP.inputs]);
    await lc.delete(GROUP_ID, storedOut);
    expect(seen.delete).toEqual([GROUP_ID, OLD_GROUP.outputs]);
  });

  it("passes a gone resource's empty read as it is", async () => {
    const inner = recording({}, {}).lc;
    const lc = withStoredShape("group", { ...inner, read: async () => ({}) });
    expect(await lc.read(GROUP_ID, storedOutputs("group", OLD_GROUP.outputs, GROUP_ID))).toEqual({});
  });
});

describe("a state written before, against what check answers now (the real diffs, no network)", () => {
  // diff needs no context: it decides from state and the new inputs.
  const none = {} as Contexts;
  it.each([
    ["user", withStoredShape("user", userLifecycle.bind(none)), OLD_USER, "5059043855469818"],
    ["group", withStoredShape("group", groupLifecycle.bind(none)), OLD_GROUP, GROUP_ID],
    ["groupMembership", withStoredShape("groupMembership", groupMembershipLifecycle.bind(none)), OLD_MEMBERSHIP, "462681477569231|233609773566508"],
  ] as const)("%s: no change either way (old outputs with new inputs, new outputs with old inputs)", async (kind, lc, old, id) => {
    expect(await lc.diff(id, old.outputs, old.inputs)).toEqual({ changes: false, replaces: [] });
    expect(await lc.diff(id, storedOutputs(kind, old.outputs, id), old.inputs)).toEqual({ changes: false, replaces: [] });
  });

  it("and a real change is still one (a display name; a level that is now account replaces)", async () => {
    const lc = withStoredShape("user", userLifecycle.bind(none));
    const stored = storedOutputs("user", OLD_USER.outputs, "1");
    expect((await lc.diff("1", stored, { ...OLD_USER.inputs, displayName: "Other" })).changes).toBeUndefined();
    expect((await lc.diff("1", stored, { ...OLD_USER.inputs, level: "account", accountId: "a-1" })).replaces).toEqual(
      expect.arrayContaining(["level", "accountId"]),
    );
  });
});
