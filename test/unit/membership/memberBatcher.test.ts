import { afterEach, describe, expect, it } from "vitest";
import { MAX_MEMBERS_PER_PATCH, MembershipError } from "../../../provider/runtime/memberBatcher";
import { addMember, groupMembers, removeMember } from "../lifecycle/testSession";
import { clientFor, rejectionOf, scimError } from "../client/helpers";
import { fakeGroups, ids, opsOf, type FakeGroups } from "./fakeGroups";

let fake: FakeGroups | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe("membership batcher", () => {
  it("coalesces 50 concurrent adds to one group into one PATCH with one add op", async () => {
    const members = ids(50);
    fake = await fakeGroups({ "1": [] }, members);
    const client = clientFor(fake.server);
    await Promise.all(members.map((m) => addMember(client, "1", m)));
    expect(fake.patches()).toHaveLength(1);
    const body = fake.patches()[0]?.json as { Operations: { op: string; path: string; value: unknown[] }[] };
    expect(body.Operations).toHaveLength(1);
    expect(body.Operations[0]).toMatchObject({ op: "add", path: "members" });
    expect(body.Operations[0]?.value).toHaveLength(50);
    expect(fake.groups.get("1")?.size).toBe(50);
  });

  it("puts adds and removes of one group into the same request, one remove op per member", async () => {
    fake = await fakeGroups({ "1": ["10", "11", "12"] }, ["20", "21"]);
    const client = clientFor(fake.server);
    await Promise.all([addMember(client, "1", "20"), removeMember(client, "1", "10"), addMember(client, "1", "21"), removeMember(client, "1", "11")]);
    expect(fake.patches()).toHaveLength(1);
    const req = fake.patches()[0]!;
    expect(opsOf(req)).toEqual({ adds: ["20", "21"], removes: ["10", "11"], ops: 3 });
    expect((req.json as { Operations: { path: string }[] }).Operations[1]?.path).toBe('members[value eq "10"]');
    expect([...fake.groups.get("1")!].sort()).toEqual(["12", "20", "21"]);
  });

  it("keeps groups apart: one PATCH per group", async () => {
    fake = await fakeGroups({ "1": [], "2": [] }, ["10", "11"]);
    const client = clientFor(fake.server);
    await Promise.all([addMember(client, "1", "10"), addMember(client, "2", "10"), addMember(client, "1", "11")]);
    expect(
      fake
        .patches()
        .map((r) => r.url)
        .sort(),
    ).toEqual(["/api/2.0/preview/scim/v2/Groups/1", "/api/2.0/preview/scim/v2/Groups/2"]);
  });

  it(`caps a request at ${MAX_MEMBERS_PER_PATCH} members`, async () => {
    const members = ids(250);
    fake = await fakeGroups({ "1": [] }, members);
    const client = clientFor(fake.server);
    await Promise.all(members.map((m) => addMember(client, "1", m)));
    expect(fake.patches().map((r) => opsOf(r).adds.length)).toEqual([100, 100, 50]);
    expect(fake.groups.get("1")?.size).toBe(250);
  });

  it("shares one change among callers asking for the same thing", async () => {
    fake = await fakeGroups({ "1": [] }, ["10"]);
    const client = clientFor(fake.server);
    await Promise.all([addMember(client, "1", "10"), addMember(client, "1", "10")]);
    expect(fake.patches().map((r) => opsOf(r).adds)).toEqual([["10"]]);
  });

  it("keeps an add and a remove of the same member in order, in separate requests", async () => {
    fake = await fakeGroups({ "1": [] }, ["10"]);
    const client = clientFor(fake.server);
    await Promise.all([addMember(client, "1", "10"), removeMember(client, "1", "10")]);
    expect(fake.patches().map((r) => opsOf(r))).toEqual([
      { adds: ["10"], removes: [], ops: 1 },
      { adds: [], removes: ["10"], ops: 1 },
    ]);
    expect(fake.groups.get("1")?.size).toBe(0);
  });

  it("batches changes that arrive while the group's previous PATCH is in flight", async () => {
    const members = ids(30);
    fake = await fakeGroups({ "1": [] }, members);
    const client = clientFor(fake.server);
    const first = addMember(client, "1", members[0]!);
    await new Promise((r) => setTimeout(r, 8)); // the first PATCH has left
    await Promise.all([first, ...members.slice(1).map((m) => addMember(client, "1", m))]);
    expect(fake.patches().map((r) => opsOf(r).adds.length)).toEqual([1, 29]);
  });

  it("falls back to one request per member when a batch fails, so only the bad member fails", async () => {
    const good = ids(9);
    fake = await fakeGroups({ "1": [] }, good);
    const client = clientFor(fake.server);
    const results = await Promise.allSettled([...good, "666"].map((m) => addMember(client, "1", m)));
    const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toBeInstanceOf(MembershipError);
    expect(failed[0]?.reason.message).toMatch(/^memberId: could not add member '666' to group '1': .*400.*Check that principal '666' still exists/);
    expect(fake.patches()).toHaveLength(1 + 10); // the batch, then each member alone
    expect([...fake.groups.get("1")!].sort()).toEqual(good);
  });

  it("a 404 batch on a deleted group: retried within the lag bound, then one GET decides, removes succeed, adds fail naming the group", async () => {
    fake = await fakeGroups({}, ["10", "11"]);
    const client = clientFor(fake.server);
    const add = addMember(client, "9", "10");
    const remove = removeMember(client, "9", "11");
    const e = await rejectionOf(add);
    await remove;
    expect(e.message).toMatch(/^groupId: could not add member '10': group '9' does not exist/);
    // DATABRICKS_SCIM_LAG_BOUND_MS is 300 in unit tests: the PATCH is sent at 0 and 250 ms (read-after-write lag).
    expect(fake.patches()).toHaveLength(2);
    expect(fake.gets()).toHaveLength(1);
  });

  it("treats removing an absent member as done (noTarget)", async () => {
    fake = await fakeGroups({ "1": [] });
    fake.failWith = { status: 400, body: scimError(400, "No member matches the filter.", "noTarget") };
    const client = clientFor(fake.server);
    await removeMember(client, "1", "10");
    expect(fake.patches()).toHaveLength(1);
  });

  it("fails every member alike on an error that is no member's fault, without per-member retries", async () => {
    fake = await fakeGroups({ "1": [] }, ["10", "11", "12"]);
    fake.failWith = { status: 403, body: { error_code: 403, message: "Invalid access token." } };
    const client = clientFor(fake.server);
    const results = await Promise.allSettled(["10", "11", "12"].map((m) => addMember(client, "1", m)));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(fake.patches()).toHaveLength(1);
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/could not add member '11'.*403/);
  });

  it("updates the members cache after its PATCH: no second GET, no stale read", async () => {
    fake = await fakeGroups({ "1": ["10"] }, ["11"]);
    const client = clientFor(fake.server);
    expect((await groupMembers(client, "1"))?.has("11")).toBe(false);
    await Promise.all([addMember(client, "1", "11"), removeMember(client, "1", "10")]);
    expect([...((await groupMembers(client, "1")) ?? [])]).toEqual(["11"]);
    expect(fake.gets()).toHaveLength(1);
  });
});
