import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../provider/lifecycle/check";
import { groupMembersLifecycle as membersDefined } from "../../../provider/lifecycle/groupMembers";
import { groupMembershipLifecycle as membershipDefined, type GroupMembershipInputs } from "../../../provider/lifecycle/groupMembership";
import { nextSession, testContexts } from "./testSession";

// The lifecycles as the provider process runs them: bound to a fresh provider session per test (./testSession.ts).
const lc = membershipDefined.bind(testContexts);
const groupMembersLifecycle = membersDefined.bind(testContexts);
import { ids, opsOf } from "../membership/fakeGroups";
import { useMembershipEnv } from "./membershipEnv";

const env = useMembershipEnv();
const GROUP = "5622540116035711";
const USER = "7001";

async function check(news: Record<string, unknown>) {
  return lc.check({}, news);
}

/** check, then create, as the engine does for a new resource; returns the outputs. */
async function up(news: Record<string, unknown>): Promise<GroupMembershipInputs> {
  const r = await check(news);
  expect(r.failures).toBeUndefined();
  return (await lc.create(r.inputs as GroupMembershipInputs)).outs as GroupMembershipInputs;
}

describe("GroupMembership check (no network)", () => {
  it("keeps the pair and resolves the target", async () => {
    const r = await check({ groupId: ` ${GROUP} `, memberId: USER, resourceName: "m" });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({ host: "https://adb-1.2.azuredatabricks.net", level: "workspace", groupId: GROUP, memberId: USER });
  });

  it.each([
    [{ memberId: USER }, "groupId", "is required; pass the ScimGroup resource (group: engineers) or its id"],
    [{ groupId: GROUP }, "memberId", "is required; pass the ScimUser, ScimServicePrincipal or ScimGroup resource (member: alice)"],
    [
      { groupId: GROUP, memberId: "alice@example.com" },
      "memberId",
      "'alice@example.com' looks like a userName; pass the ScimUser resource (member: alice) or its id (alice.id)",
    ],
    [
      { groupId: GROUP, memberId: "6f0a1c2e-1234-4abc-9def-0123456789ab" },
      "memberId",
      "looks like a service principal's applicationId; pass the ScimServicePrincipal resource (member: sp) or its id (sp.id)",
    ],
    [{ groupId: GROUP, memberId: "Data Engineers" }, "memberId", "'Data Engineers' looks like a display name, not a SCIM id"],
    [{ groupId: "data-engineers", memberId: USER }, "groupId", "'data-engineers' looks like a group name, not a SCIM id; pass the ScimGroup resource"],
    [{ groupId: GROUP, memberId: 7001 }, "memberId", "expected a SCIM id string, got number 7001"],
    [{ groupId: GROUP, memberId: "" }, "memberId", "must not be empty"],
    [{ groupId: GROUP, memberId: GROUP }, "memberId", "is the group itself"],
    [{ groupId: GROUP, memberId: USER, host: "http://example.com" }, "host", "plain http"],
  ])("rejects %j on %s", async (news, property, text) => {
    const r = await check(news);
    const f = r.failures?.find((x) => x.property === property);
    expect(f, JSON.stringify(r.failures)).toBeDefined();
    expect(f?.reason.startsWith(`${property}:`)).toBe(true);
    expect(f?.reason).toContain(text);
  });

  it("passes unknown ids through during a preview, and declares nothing for them", async () => {
    expect((await check({ groupId: UNKNOWN, memberId: UNKNOWN, resourceName: "a" })).failures).toBeUndefined();
    // Nothing was registered for the unknown group: an authoritative list on any group is still fine.
    const r = await groupMembersLifecycle.check({}, { groupId: GROUP, memberIds: [USER], resourceName: "all" });
    expect(r.failures).toBeUndefined();
  });

  it("refuses to be mixed with GroupMembers on one group, naming both and the fix", async () => {
    expect((await groupMembersLifecycle.check({}, { groupId: GROUP, memberIds: ["7002"], resourceName: "eng-members" })).failures).toBeUndefined();
    const r = await check({ groupId: GROUP, memberId: USER, resourceName: "alice-in-eng" });
    expect(r.failures?.[0]?.property).toBe("groupId");
    expect(r.failures?.[0]?.reason).toMatch(
      /^groupId: group '5622540116035711' is managed by both GroupMembers 'eng-members' .* and GroupMembership 'alice-in-eng' .*Keep one: add the member to the `members` of GroupMembers 'eng-members' and remove GroupMembership 'alice-in-eng'/,
    );
    // Another group, or the same group id in another workspace, is no conflict.
    expect((await check({ groupId: "8001", memberId: USER, resourceName: "alice-in-ops" })).failures).toBeUndefined();
    expect((await check({ groupId: GROUP, memberId: USER, host: "https://adb-9.9.azuredatabricks.net", resourceName: "x" })).failures).toBeUndefined();
  });

  it("allows many GroupMembership resources on one group, and a second check of the same resource", async () => {
    expect((await check({ groupId: GROUP, memberId: "1", resourceName: "a" })).failures).toBeUndefined();
    expect((await check({ groupId: GROUP, memberId: "2", resourceName: "b" })).failures).toBeUndefined();
    expect((await check({ groupId: GROUP, memberId: "2", resourceName: "b" })).failures).toBeUndefined();
  });

  it("refuses a loop of nested groups across resources", async () => {
    expect((await check({ groupId: "100", memberId: "200", resourceName: "b-in-a" })).failures).toBeUndefined();
    expect((await groupMembersLifecycle.check({}, { groupId: "200", memberIds: ["300", "7"], resourceName: "b-members" })).failures).toBeUndefined();
    const r = await check({ groupId: "300", memberId: "100", resourceName: "a-in-c" });
    expect(r.failures?.[0]?.property).toBe("memberId");
    expect(r.failures?.[0]?.reason).toBe(
      "memberId: group '300' would end up inside itself: '300' contains '100' (GroupMembership 'a-in-c'), " +
        "'100' contains '200' (GroupMembership 'b-in-a'), '200' contains '300' (GroupMembers 'b-members'). " +
        "Nested groups must not form a loop; remove one of these memberships.",
    );
  });
});

describe("GroupMembership diff (no network)", () => {
  const olds: GroupMembershipInputs = { host: "https://h", level: "workspace", groupId: GROUP, memberId: USER };
  it("is no change for the same pair and target", async () => {
    expect(await lc.diff("x", olds, { ...olds })).toEqual({ changes: false, replaces: [] });
  });
  it.each([
    [{ groupId: "1" }, ["groupId"]],
    [{ memberId: "2" }, ["memberId"]],
    [{ host: "https://other" }, ["host"]],
    [{ level: "account" as const, accountId: "a" }, ["level", "accountId"]],
  ])("replaces on %j", async (change, replaces) => {
    expect(await lc.diff("x", olds, { ...olds, ...change })).toEqual({ replaces });
  });
});

describe("GroupMembership against a server", () => {
  it("creates 50 memberships of one group with one PATCH; ids are group|member", async () => {
    const members = ids(50);
    const { fake } = await env.start({ [GROUP]: [] }, members);
    const inputs = await Promise.all(members.map((m, i) => check({ groupId: GROUP, memberId: m, resourceName: `m${i}` })));
    const created = await Promise.all(inputs.map((r) => lc.create(r.inputs as GroupMembershipInputs)));
    expect(created[3]?.id).toBe(`${GROUP}|1003`);
    expect(fake.patches()).toHaveLength(1);
    expect(opsOf(fake.patches()[0]!).adds).toHaveLength(50);
    expect(fake.groups.get(GROUP)?.size).toBe(50);
  });

  it("refreshes 500 memberships of one group with one GET; a removed member or a deleted group is gone", async () => {
    const members = ids(500);
    const { fake, host } = await env.start({ [GROUP]: members.slice(1), "9": ["1"] });
    const props = (memberId: string, groupId = GROUP): GroupMembershipInputs => ({ host, level: "workspace", groupId, memberId });
    const reads = await Promise.all(members.map((m) => lc.read(`${GROUP}|${m}`, props(m))));
    expect(reads[0]).toEqual({}); // "1000" is not a member (any more)
    expect(reads[1]).toEqual({ id: `${GROUP}|1001`, props: props("1001"), inputs: props("1001") });
    expect(reads.filter((r) => r.id).length).toBe(499);
    expect(fake.gets()).toHaveLength(1);
    expect(await lc.read("404|1", props("1", "404"))).toEqual({});
  });

  it("create refuses when a GroupMembers on the same group was checked after this resource", async () => {
    const { fake } = await env.start({ [GROUP]: [] }, [USER]);
    const r = await check({ groupId: GROUP, memberId: USER, resourceName: "alice-in-eng" });
    await groupMembersLifecycle.check({}, { groupId: GROUP, memberIds: [], resourceName: "eng-members" });
    await expect(lc.create(r.inputs as GroupMembershipInputs)).rejects.toThrow(/^groupId: group '5622540116035711' is managed by GroupMembers 'eng-members'/);
    expect(fake.patches()).toHaveLength(0);
  });

  it("adding a member that is already there succeeds", async () => {
    const { fake } = await env.start({ [GROUP]: [USER] });
    await up({ groupId: GROUP, memberId: USER, resourceName: "m" });
    expect([...fake.groups.get(GROUP)!]).toEqual([USER]);
  });

  it("fails only the membership whose member is bad, naming it", async () => {
    const { fake } = await env.start({ [GROUP]: [] }, ["7001", "7002"]);
    const results = await Promise.allSettled(
      ["7001", "9999", "7002"].map(async (m) => lc.create((await check({ groupId: GROUP, memberId: m, resourceName: m })).inputs as GroupMembershipInputs)),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason.message).toContain("could not add member '9999' to group '5622540116035711'");
    expect([...fake.groups.get(GROUP)!].sort()).toEqual(["7001", "7002"]);
  });

  it("delete removes the member; a member already gone, or a deleted group, is fine", async () => {
    const { fake, host } = await env.start({ [GROUP]: [USER, "7002"] });
    const props = (memberId: string, groupId = GROUP): GroupMembershipInputs => ({ host, level: "workspace", groupId, memberId });
    await lc.delete(`${GROUP}|${USER}`, props(USER));
    expect([...fake.groups.get(GROUP)!]).toEqual(["7002"]);
    await lc.delete(`${GROUP}|${USER}`, props(USER));
    await lc.delete("404|1", props("1", "404"));
  });

  it("same pair replaced (create-before-delete): the old resource's delete keeps the membership", async () => {
    const { fake, host } = await env.start({ [GROUP]: [] }, [USER]);
    const old = await up({ groupId: GROUP, memberId: USER, resourceName: "alice" });
    // Next run, a fresh provider process: the program renamed the resource without an alias. The engine
    // checks and creates "alice-in-eng", then deletes "alice".
    nextSession();
    const created = await up({ groupId: GROUP, memberId: USER, resourceName: "alice-in-eng" });
    expect(created).toEqual(old);
    await lc.delete(`${GROUP}|${USER}`, old);
    expect([...fake.groups.get(GROUP)!]).toEqual([USER]);
    expect(fake.patches().flatMap((r) => opsOf(r).removes)).toEqual([]);
    // The control: in a run whose program no longer declares the pair (pulumi destroy), delete removes it.
    nextSession();
    await lc.delete(`${GROUP}|${USER}`, { host, level: "workspace", groupId: GROUP, memberId: USER });
    expect(fake.groups.get(GROUP)?.size).toBe(0);
  });

  it("a pair declared only at check time (another resource, unchanged this run) is not removed by a delete", async () => {
    const { fake, host } = await env.start({ [GROUP]: [USER] });
    // "b" is unchanged (the engine calls only check for it); "a", a leftover duplicate, is being deleted.
    expect((await check({ groupId: GROUP, memberId: USER, resourceName: "b" })).failures).toBeUndefined();
    await lc.delete(`${GROUP}|${USER}`, { host, level: "workspace", groupId: GROUP, memberId: USER });
    expect([...fake.groups.get(GROUP)!]).toEqual([USER]);
  });

  it("a refresh does not claim the pair: a resource refreshed and then deleted in the same run removes it", async () => {
    const { fake, host } = await env.start({ [GROUP]: [USER] });
    const props: GroupMembershipInputs = { host, level: "workspace", groupId: GROUP, memberId: USER };
    expect((await lc.read(`${GROUP}|${USER}`, props)).id).toBe(`${GROUP}|${USER}`);
    await lc.delete(`${GROUP}|${USER}`, props);
    expect(fake.groups.get(GROUP)?.size).toBe(0);
    // and a read after our own delete sees it gone, without another GET
    expect(await lc.read(`${GROUP}|${USER}`, props)).toEqual({});
    expect(fake.gets()).toHaveLength(1);
  });
});
