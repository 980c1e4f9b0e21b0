// GroupMembers' readable member map (lifecycle/memberKeys.ts): what check makes of the labels the class
// registers, how diff compares either shape by ids, what read labels, and that a state written before the labels
// (`memberIds`) is left alone until its members change.
import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../provider/lifecycle/check";
import { groupMembersLifecycle as membersDefined, type GroupMembersInputs } from "../../../provider/lifecycle/groupMembers";
import { keyMembers, serverLabel } from "../../../provider/lifecycle/memberKeys";
import { testContexts } from "./testSession";
import { opsOf } from "../membership/fakeGroups";
import { useMembershipEnv } from "./membershipEnv";

const lc = membersDefined.bind(testContexts);
const env = useMembershipEnv();
const GROUP = "5622540116035711";
const HOST = "https://adb-1.2.azuredatabricks.net";

describe("GroupMembers member labels", () => {
  it("check pairs each id with its label; a bare id keys by itself", async () => {
    const r = await lc.check({}, { groupId: GROUP, memberIds: ["12", " 9 ", "100"], memberNames: ["bob@example.com", "sp:ci", null], resourceName: "eng" });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({ host: HOST, level: "workspace", groupId: GROUP, members: { "bob@example.com": "12", "sp:ci": "9", "100": "100" } });
  });

  it("check keeps an unknown id under its label, and an unknown list unknown", async () => {
    const r = await lc.check({}, { groupId: GROUP, memberIds: ["7", UNKNOWN], memberNames: ["a@example.com", "carol@example.com"] });
    expect(r.inputs?.members).toEqual({ "a@example.com": "7", "carol@example.com": UNKNOWN });
    expect((await lc.check({}, { groupId: GROUP, memberIds: UNKNOWN, memberNames: UNKNOWN })).inputs?.members).toBe(UNKNOWN);
  });

  it("check still names memberIds in its failures", async () => {
    const r = await lc.check({}, { groupId: GROUP, memberIds: ["7001", "7001"], memberNames: ["a@example.com", null] });
    expect(r.failures?.[0]?.property).toBe("memberIds");
    expect(r.failures?.[0]?.reason).toMatch(/'7001' is listed more than once/);
  });

  it("two members with one label keep a key each", () => {
    expect(keyMembers([{ id: "1", label: "sp:etl" }, { id: "2", label: "sp:etl" }, { id: "3" }])).toEqual({ "sp:etl": "1", "sp:etl (2)": "2", "3": "3" });
  });

  it("labels a member from the group's answer by its kind and display name", () => {
    expect(serverLabel({ value: "1", display: "Carol C", $ref: "Users/1" })).toBe("user:Carol C");
    expect(serverLabel({ value: "2", display: "etl", $ref: "ServicePrincipals/2" })).toBe("sp:etl");
    expect(serverLabel({ value: "3", display: "ops", $ref: "Groups/3" })).toBe("group:ops");
    expect(serverLabel({ value: "4", $ref: "Users/4" })).toBeUndefined();
  });

  const labelled: GroupMembersInputs = { host: HOST, level: "workspace", groupId: GROUP, members: { "a@example.com": "1", "b@example.com": "2" } };
  const legacy: GroupMembersInputs = { host: HOST, level: "workspace", groupId: GROUP, memberIds: ["1", "2"] };

  it("diff compares ids only: labels, order and the shape of an older state are no change", async () => {
    expect(await lc.diff(GROUP, labelled, { ...labelled, members: { "x@example.com": "2", "y@example.com": "1" } })).toEqual({ changes: false, replaces: [] });
    expect(await lc.diff(GROUP, legacy, labelled)).toEqual({ changes: false, replaces: [] });
    expect(await lc.diff(GROUP, legacy, { ...labelled, members: { "a@example.com": "1" } })).toEqual({ replaces: [] });
    expect(await lc.diff(GROUP, labelled, { ...labelled, members: { ...labelled.members, "c@example.com": UNKNOWN } })).toEqual({ replaces: [] });
  });

  it("read keeps the state's labels and labels a member added elsewhere from the same GET", async () => {
    const { fake, host } = await env.start({ [GROUP]: ["1", "2", "77"] });
    const read = await lc.read(GROUP, { ...labelled, host });
    expect(read.props?.members).toEqual({ "a@example.com": "1", "b@example.com": "2", "user:p-77": "77" });
    expect(read.props?.memberIds).toBeUndefined();
    expect(read.inputs?.members).toEqual(read.props?.members);
    expect(fake.gets()).toHaveLength(1);
  });

  it("read leaves a state written before the labels in its shape (no spurious refresh diff)", async () => {
    const { host } = await env.start({ [GROUP]: ["1", "2"] });
    const read = await lc.read(GROUP, { ...legacy, host });
    expect(read.props).toEqual({ ...legacy, host });
    expect(read.props?.members).toBeUndefined();
  });

  it("update from an older state writes the labelled shape, sending only the change", async () => {
    const { fake, host } = await env.start({ [GROUP]: ["1", "2"] }, ["3"]);
    const news: GroupMembersInputs = { host, level: "workspace", groupId: GROUP, members: { "a@example.com": "1", "c@example.com": "3" } };
    const outs = await lc.update(GROUP, { ...legacy, host }, news);
    expect(outs.outs).toEqual(news);
    expect(fake.patches().map(opsOf)).toEqual([{ adds: ["3"], removes: ["2"], ops: 2 }]);
    await lc.delete(GROUP, news);
    expect([...fake.groups.get(GROUP)!]).toEqual([]);
  });
});
