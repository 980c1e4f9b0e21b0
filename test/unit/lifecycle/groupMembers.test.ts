import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../provider/lifecycle/check";
import { groupMembersLifecycle as membersDefined, type GroupMembersInputs } from "../../../provider/lifecycle/groupMembers";
import { groupMembershipLifecycle as membershipDefined } from "../../../provider/lifecycle/groupMembership";
import { nextSession, testContexts } from "./testSession";

// The lifecycles as the provider process runs them: bound to a fresh provider session per test (./testSession.ts).
const lc = membersDefined.bind(testContexts);
const groupMembershipLifecycle = membershipDefined.bind(testContexts);
import { ids, opsOf } from "../membership/fakeGroups";
import { useMembershipEnv } from "./membershipEnv";

const env = useMembershipEnv();
const GROUP = "5622540116035711";

async function check(news: Record<string, unknown>) {
  return lc.check({}, news);
}

describe("GroupMembers check (no network)", () => {
  it("sorts the ids numerically and resolves the target", async () => {
    const r = await check({ groupId: GROUP, memberIds: ["12", "9", " 100 "], resourceName: "eng" });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({ host: "https://adb-1.2.azuredatabricks.net", level: "workspace", groupId: GROUP, memberIds: ["9", "12", "100"] });
  });

  it("accepts an empty list (an empty group)", async () => {
    expect((await check({ groupId: GROUP, memberIds: [] })).inputs?.memberIds).toEqual([]);
  });

  it.each([
    [{ groupId: GROUP }, "memberIds", "is required; pass members: [alice, sp, subgroup]"],
    [{ groupId: GROUP, memberIds: "7001" }, "memberIds", "expected a list of SCIM ids, got string"],
    [{ groupId: GROUP, memberIds: ["7001", "7001"] }, "memberIds", "'7001' is listed more than once; list each member once"],
    [
      { groupId: GROUP, memberIds: ["bob@example.com"] },
      "memberIds",
      "'bob@example.com' looks like a userName; pass the ScimUser resource (members: [alice, …]) or its id",
    ],
    [{ groupId: GROUP, memberIds: ["6f0a1c2e-1234-4abc-9def-0123456789ab"] }, "memberIds", "looks like a service principal's applicationId"],
    [{ groupId: GROUP, memberIds: [GROUP] }, "memberIds", "contains the group itself"],
    [{ groupId: GROUP, memberIds: [7] }, "memberIds", "expected SCIM id strings, got number 7"],
    [{ groupId: "admins", memberIds: [] }, "groupId", "'admins' looks like a group name, not a SCIM id"],
  ])("rejects %j on %s", async (news, property, text) => {
    const r = await check(news);
    const f = r.failures?.find((x) => x.property === property);
    expect(f, JSON.stringify(r.failures)).toBeDefined();
    expect(f?.reason.startsWith(`${property}:`)).toBe(true);
    expect(f?.reason).toContain(text);
  });

  it("passes unknown lists and elements through during a preview", async () => {
    expect((await check({ groupId: GROUP, memberIds: UNKNOWN })).failures).toBeUndefined();
    const r = await check({ groupId: GROUP, memberIds: [UNKNOWN, "7"] });
    expect(r.failures).toBeUndefined();
    expect(r.inputs?.memberIds).toEqual(["7", UNKNOWN]);
  });

  it("refuses a GroupMembership on its group (whichever is checked first), and a second GroupMembers", async () => {
    expect((await groupMembershipLifecycle.check({}, { groupId: GROUP, memberId: "7", resourceName: "alice-in-eng" })).failures).toBeUndefined();
    const r = await check({ groupId: GROUP, memberIds: ["8"], resourceName: "eng" });
    expect(r.failures?.[0]?.reason).toMatch(/^groupId: group '5622540116035711' is managed by both GroupMembers 'eng' .* and GroupMembership 'alice-in-eng'/);
    nextSession();
    expect((await check({ groupId: GROUP, memberIds: ["8"], resourceName: "eng" })).failures).toBeUndefined();
    const twice = await check({ groupId: GROUP, memberIds: ["9"], resourceName: "eng-2" });
    expect(twice.failures?.[0]?.reason).toMatch(/^groupId: .* both GroupMembers 'eng' and GroupMembers 'eng-2'.*merge the two member lists/);
  });
});

describe("GroupMembers diff (no network)", () => {
  const olds: GroupMembersInputs = { host: "https://h", level: "workspace", groupId: GROUP, memberIds: ["1", "2"] };
  it("ignores order", async () => {
    expect(await lc.diff(GROUP, olds, { ...olds, memberIds: ["2", "1"] })).toEqual({ changes: false, replaces: [] });
  });
  it("updates in place when the set changes", async () => {
    expect(await lc.diff(GROUP, olds, { ...olds, memberIds: ["1"] })).toEqual({ replaces: [] });
    expect(await lc.diff(GROUP, olds, { ...olds, memberIds: ["1", "2", "3"] })).toEqual({ replaces: [] });
  });
  it("replaces on another group or target", async () => {
    expect(await lc.diff(GROUP, olds, { ...olds, groupId: "3" })).toEqual({ replaces: ["groupId"] });
    expect(await lc.diff(GROUP, olds, { ...olds, host: "https://x" })).toEqual({ replaces: ["host"] });
  });
});

describe("GroupMembers against a server", () => {
  it("create adds the missing and removes the extra members in one GET and one PATCH", async () => {
    const { fake } = await env.start({ [GROUP]: ["1", "2", "99"] }, ["3", "4"]);
    const r = await check({ groupId: GROUP, memberIds: ["4", "3", "1", "2"], resourceName: "eng" });
    const created = await lc.create(r.inputs as GroupMembersInputs);
    expect(created.id).toBe(GROUP);
    expect(created.outs?.memberIds).toEqual(["1", "2", "3", "4"]);
    expect(fake.gets()).toHaveLength(1);
    expect(fake.patches().map(opsOf)).toEqual([{ adds: ["3", "4"], removes: ["99"], ops: 2 }]);
    expect([...fake.groups.get(GROUP)!].sort()).toEqual(["1", "2", "3", "4"]);
  });

  it("sends nothing when the group already has exactly the members", async () => {
    const { fake } = await env.start({ [GROUP]: ["1", "2"] });
    await lc.create((await check({ groupId: GROUP, memberIds: ["2", "1"] })).inputs as GroupMembersInputs);
    expect(fake.patches()).toHaveLength(0);
  });

  it("read reports members added elsewhere; update removes them again", async () => {
    const { fake, host } = await env.start({ [GROUP]: ["1", "2", "77"] });
    const state: GroupMembersInputs = { host, level: "workspace", groupId: GROUP, memberIds: ["1", "2"] };
    const read = await lc.read(GROUP, state);
    expect(read.props?.memberIds).toEqual(["1", "2", "77"]);
    expect(read.inputs?.memberIds).toEqual(["1", "2", "77"]);
    expect((await lc.diff(GROUP, read.props!, state)).changes).not.toBe(false);
    await lc.update(GROUP, read.props!, state);
    expect([...fake.groups.get(GROUP)!].sort()).toEqual(["1", "2"]);
    expect(fake.gets()).toHaveLength(1);
    expect(fake.patches().map(opsOf)).toEqual([{ adds: [], removes: ["77"], ops: 1 }]);
    expect(await lc.read(GROUP, { ...state, groupId: "404" })).toEqual({});
  });

  it("splits a very large change into requests of at most 100 members", async () => {
    const want = ids(180);
    const { fake } = await env.start({ [GROUP]: ids(70, 5000) }, want);
    await lc.create((await check({ groupId: GROUP, memberIds: want })).inputs as GroupMembersInputs);
    const sizes = fake.patches().map((r) => opsOf(r).adds.length + opsOf(r).removes.length);
    expect(sizes).toEqual([100, 100, 50]);
    expect(fake.groups.get(GROUP)?.size).toBe(180);
  });

  it("names each bad member when some changes fail, and applies the others", async () => {
    const { fake } = await env.start({ [GROUP]: [] }, ["1", "2"]);
    const inputs = (await check({ groupId: GROUP, memberIds: ["1", "2", "8", "9"] })).inputs as GroupMembersInputs;
    const e = await lc.create(inputs).then(
      () => undefined,
      (x: Error) => x,
    );
    expect(e?.message).toMatch(/^memberIds: 2 of 4 changes failed while setting the members of group '5622540116035711':/);
    expect(e?.message).toContain("could not add member '8'");
    expect(e?.message).toContain("could not add member '9'");
    expect([...fake.groups.get(GROUP)!].sort()).toEqual(["1", "2"]);
  });

  it("fails create on a group that does not exist, saying so", async () => {
    await env.start({});
    const inputs = (await check({ groupId: "404", memberIds: ["1"] })).inputs as GroupMembersInputs;
    await expect(lc.create(inputs)).rejects.toThrow(/^groupId: group '404' does not exist in http:\/\/127\.0\.0\.1:\d+\. /);
  });

  it("refuses to apply when a GroupMembership on its group is checked while it waits, removing nothing", async () => {
    const { fake } = await env.start({ [GROUP]: ["1", "7"] });
    const inputs = (await check({ groupId: GROUP, memberIds: ["1"], resourceName: "eng" })).inputs as GroupMembersInputs;
    // The engine starts this create right after its check, and checks a later-registered resource meanwhile.
    const created = lc.create(inputs).then(
      () => undefined,
      (e: Error) => e,
    );
    await new Promise((r) => setTimeout(r, 50));
    await groupMembershipLifecycle.check({}, { groupId: GROUP, memberId: "7", resourceName: "keep-7" });
    expect((await created)?.message).toMatch(/^groupId: group '5622540116035711' also has GroupMembership 'keep-7' in this program/);
    expect(fake.patches()).toHaveLength(0);
    expect([...fake.groups.get(GROUP)!].sort()).toEqual(["1", "7"]);
  });

  it("delete removes only the members it declared, and keeps those another resource now declares", async () => {
    const { fake, host } = await env.start({ [GROUP]: ["1", "2", "3", "50"] });
    // The program moved member 3 to a GroupMembership resource this run (checked before the delete).
    expect((await groupMembershipLifecycle.check({}, { groupId: GROUP, memberId: "3", resourceName: "keep-3" })).failures).toBeUndefined();
    await lc.delete(GROUP, { host, level: "workspace", groupId: GROUP, memberIds: ["1", "2", "3"] });
    expect([...fake.groups.get(GROUP)!].sort()).toEqual(["3", "50"]);
    expect(fake.patches().map(opsOf)).toEqual([{ adds: [], removes: ["1", "2"], ops: 2 }]);
  });
});
