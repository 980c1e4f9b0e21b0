import { afterEach, describe, expect, it } from "vitest";
import { staticToken } from "../../../provider/client";
import { ScimClient } from "../../../provider/client";
import { forgetGroup, groupMembers, recordMembershipChange, testSession } from "../lifecycle/testSession";
import { clientFor, SOURCE, TOKEN } from "../client/helpers";
import { fakeGroups, ids, type FakeGroups } from "./fakeGroups";

let fake: FakeGroups | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("group members cache", () => {
  it("answers 500 concurrent and later reads of one group with one GET", async () => {
    fake = await fakeGroups({ "42": ids(500) });
    const client = clientFor(fake.server);
    const sets = await Promise.all(Array.from({ length: 500 }, () => groupMembers(client, "42")));
    expect(sets.every((s) => s?.size === 500)).toBe(true);
    expect((await groupMembers(client, "42"))?.has("1499")).toBe(true);
    expect(fake.gets().map((r) => r.url)).toEqual([
      "/api/2.0/preview/scim/v2/Groups/42?attributes=displayName%2CexternalId%2Centitlements%2Croles%2Cmembers%2Cmeta",
    ]);
  });

  it("reads each group once, separately", async () => {
    fake = await fakeGroups({ "1": ["10"], "2": ["20"] });
    const client = clientFor(fake.server);
    await Promise.all([groupMembers(client, "1"), groupMembers(client, "2"), groupMembers(client, "1")]);
    expect(fake.gets()).toHaveLength(2);
  });

  it("reports a group that answers 404 as gone, and remembers it", async () => {
    fake = await fakeGroups({});
    const client = clientFor(fake.server);
    expect(await groupMembers(client, "7")).toBeUndefined();
    expect(await groupMembers(client, "7")).toBeUndefined();
    expect(fake.gets()).toHaveLength(1);
  });

  it("does not remember a failed read", async () => {
    fake = await fakeGroups({ "1": ["10"] });
    const client = clientFor(fake.server);
    fake.failWith = { status: 403, body: { error_code: 403, message: "Invalid access token." } };
    await expect(groupMembers(client, "1")).rejects.toThrow(/403/);
    fake.failWith = undefined;
    expect([...((await groupMembers(client, "1")) ?? [])]).toEqual(["10"]);
    expect(fake.gets()).toHaveLength(2);
  });

  it("applies our own changes in place, also to a read still in flight", async () => {
    fake = await fakeGroups({ "1": ["10", "11"] });
    const client = clientFor(fake.server);
    const inFlight = groupMembers(client, "1");
    recordMembershipChange(client, "1", { added: ["12"], removed: ["10"] });
    expect([...((await inFlight) ?? [])].sort()).toEqual(["11", "12"]);
    expect([...((await groupMembers(client, "1")) ?? [])].sort()).toEqual(["11", "12"]);
    expect(fake.gets()).toHaveLength(1);
  });

  it("caches nothing for a group nobody read, and reads again after forgetGroup", async () => {
    fake = await fakeGroups({ "1": ["10"] });
    const client = clientFor(fake.server);
    recordMembershipChange(client, "1", { added: ["99"] });
    expect([...((await groupMembers(client, "1")) ?? [])]).toEqual(["10"]);
    forgetGroup(client, "1");
    await groupMembers(client, "1");
    expect(fake.gets()).toHaveLength(2);
  });

  it("reads account groups by id (the account list omits members)", async () => {
    fake = await fakeGroups({ "5": ["50", "51"] });
    const client = new ScimClient({
      host: fake.url,
      level: "account",
      accountId: "acc-1",
      auth: staticToken(TOKEN, SOURCE),
      rateLimits: false,
    });
    await Promise.all([groupMembers(client, "5"), groupMembers(client, "5")]);
    expect(fake.gets().map((r) => r.url)).toEqual(["/api/2.0/accounts/acc-1/scim/v2/Groups/5?attributes=displayName%2CexternalId%2Croles%2Cmembers%2Cmeta"]);
  });

  describe("a group this session's POST made (created)", () => {
    const created = (client: ScimClient, id: string, members: string[] = []) =>
      testSession()
        .storesOf(client)
        .groups.created({ id, displayName: `group-${id}`, members: members.map((value) => ({ value })) });

    it("answers its members from the POST's answer, with our later changes, and sends no GET", async () => {
      fake = await fakeGroups({ "1": ["10", "11"] });
      const client = clientFor(fake.server);
      created(client, "1", ["10"]);
      expect([...((await groupMembers(client, "1", { mustExist: true })) ?? [])]).toEqual(["10"]);
      recordMembershipChange(client, "1", { added: ["12"], removed: ["10"] });
      expect([...((await groupMembers(client, "1")) ?? [])]).toEqual(["12"]);
      expect(fake.gets()).toHaveLength(0);
    });

    it("reads the group for a snapshot (the POST's answer is not the read's attributes), once", async () => {
      fake = await fakeGroups({ "1": ["10"] });
      const client = clientFor(fake.server);
      created(client, "1");
      const stores = testSession().storesOf(client).groups;
      const [a, b] = await Promise.all([stores.snapshot("1"), stores.snapshot("1")]);
      expect(a?.displayName).toBe("group-1");
      expect(b).toBe(a);
      expect(fake.gets()).toHaveLength(1);
    });

    it("leaves a group already read as it was read", async () => {
      fake = await fakeGroups({ "1": ["10"] });
      const client = clientFor(fake.server);
      await groupMembers(client, "1");
      created(client, "1");
      expect([...((await groupMembers(client, "1")) ?? [])]).toEqual(["10"]);
      expect(fake.gets()).toHaveLength(1);
    });

    it("is read again after forgetGroup (a write whose outcome is unknown)", async () => {
      fake = await fakeGroups({ "1": ["10"] });
      const client = clientFor(fake.server);
      created(client, "1");
      forgetGroup(client, "1");
      expect([...((await groupMembers(client, "1")) ?? [])]).toEqual(["10"]);
      expect(fake.gets()).toHaveLength(1);
    });
  });
});
