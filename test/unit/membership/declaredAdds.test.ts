import { afterEach, describe, expect, it } from "vitest";
import { MembershipError } from "../../../provider/runtime/memberBatcher";
import { addDeclared, declareMembership } from "../lifecycle/testSession";
import type { TargetInputs } from "../../../provider/lifecycle/types";
import { clientFor } from "../client/helpers";
import { fakeGroups, ids, opsOf, type FakeGroups } from "./fakeGroups";

let fake: FakeGroups | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** What check does for each GroupMembership the program registers. */
function declare(target: TargetInputs, groupId: string, members: readonly string[], kind: "GroupMembership" | "GroupMembers" = "GroupMembership"): void {
  if (kind === "GroupMembers") declareMembership({ kind, resourceName: `set-${groupId}`, target, groupId, memberIds: members });
  else for (const m of members) declareMembership({ kind, resourceName: `m-${groupId}-${m}`, target, groupId, memberIds: [m] });
}

describe("declared pairs carried by a group's first membership create", () => {
  it("sends one PATCH for 30 declared pairs created one at a time (as the engine schedules them), none for the later creates", async () => {
    const members = ids(30);
    fake = await fakeGroups({ "1": [] }, members);
    const target: TargetInputs = { host: fake.url, level: "workspace" };
    const client = clientFor(fake.server);
    declare(target, "1", members);
    for (const m of members) await addDeclared(client, target, "1", m); // serial: never two in flight
    expect(fake.patches().map((r) => opsOf(r).adds.length)).toEqual([30]);
    expect(fake.groups.get("1")?.size).toBe(30);
  });

  it("carries only the group's own pairs, and declares after the first PATCH go in the next one", async () => {
    const members = ids(6);
    fake = await fakeGroups({ "1": [], "2": [] }, members);
    const target: TargetInputs = { host: fake.url, level: "workspace" };
    const client = clientFor(fake.server);
    declare(target, "1", members.slice(0, 3));
    declare(target, "2", members.slice(0, 2));
    await addDeclared(client, target, "1", members[0]!);
    declare(target, "1", members.slice(3)); // checked later: its member was created after the first PATCH
    for (const m of members.slice(1)) await addDeclared(client, target, "1", m);
    expect(fake.patches().map((r) => [r.url.split("/").at(-1), opsOf(r).adds.length])).toEqual([
      ["1", 3],
      ["1", 3],
    ]);
    expect(fake.groups.get("2")?.size).toBe(0);
  });

  it(`keeps a carrying PATCH bounded (at most 100 members)`, async () => {
    const members = ids(250);
    fake = await fakeGroups({ "1": [] }, members);
    const target: TargetInputs = { host: fake.url, level: "workspace" };
    const client = clientFor(fake.server);
    declare(target, "1", members);
    for (const m of members) await addDeclared(client, target, "1", m);
    expect(fake.patches().map((r) => opsOf(r).adds.length)).toEqual([100, 100, 50]);
  });

  it("a declared member that does not exist fails alone, at its own create, with its own message", async () => {
    const good = ids(5);
    fake = await fakeGroups({ "1": [] }, good);
    const target: TargetInputs = { host: fake.url, level: "workspace" };
    const client = clientFor(fake.server);
    const all = [good[0]!, "999999", ...good.slice(1)];
    declare(target, "1", all);
    const outcomes = [];
    for (const m of all)
      outcomes.push(
        await addDeclared(client, target, "1", m).then(
          () => "ok",
          (e: unknown) => e,
        ),
      );
    expect(outcomes.filter((o) => o !== "ok")).toHaveLength(1);
    const e = outcomes[1] as MembershipError;
    expect(e).toBeInstanceOf(MembershipError);
    expect(e.message).toMatch(/^memberId: could not add member '999999' to group '1'.*Check that principal '999999' still exists/);
    expect([...fake.groups.get("1")!].sort()).toEqual([...good].sort());
    // The carrying PATCH was refused as a whole, then each member alone; the bad one once more at its own create.
    expect(fake.patches().filter((r) => opsOf(r).adds.includes("999999"))).toHaveLength(3);
  });

  it("carries nothing for a group that GroupMembers manages", async () => {
    const members = ids(3);
    fake = await fakeGroups({ "1": [] }, members);
    const target: TargetInputs = { host: fake.url, level: "workspace" };
    const client = clientFor(fake.server);
    declare(target, "1", members, "GroupMembers");
    await addDeclared(client, target, "1", members[0]!);
    expect(fake.patches().map((r) => opsOf(r).adds)).toEqual([[members[0]]]);
  });

  it("makes no request before a create (check alone, as in a preview)", async () => {
    fake = await fakeGroups({ "1": [] }, ids(3));
    declare({ host: fake.url, level: "workspace" }, "1", ids(3));
    expect(fake.server.requests).toHaveLength(0);
  });
});

describe("waiting for a group's burst of checks", () => {
  it("a create that starts while its group's pairs are still being checked carries the pairs checked just after it", async () => {
    const members = ids(20);
    fake = await fakeGroups({ "1": [] }, members);
    const target: TargetInputs = { host: fake.url, level: "workspace" };
    const client = clientFor(fake.server);
    // As the engine does: check one, start its create, check the next, start its create, …
    const creates: Promise<void>[] = [];
    for (const m of members) {
      declare(target, "1", [m]);
      creates.push(addDeclared(client, target, "1", m));
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(creates);
    expect(fake.patches().map((r) => opsOf(r).adds.length)).toEqual([20]);
  });
});

describe("waiting at a busy engine's pace", () => {
  it("checks 40 ms apart (a loaded engine) still end up in one PATCH", async () => {
    const members = ids(8);
    fake = await fakeGroups({ "1": [] }, members);
    const target: TargetInputs = { host: fake.url, level: "workspace" };
    const client = clientFor(fake.server);
    const creates: Promise<void>[] = [];
    for (const m of members) {
      declare(target, "1", [m]);
      creates.push(addDeclared(client, target, "1", m));
      await new Promise((r) => setTimeout(r, 40));
    }
    await Promise.all(creates);
    expect(fake.patches().map((r) => opsOf(r).adds.length)).toEqual([8]);
  });
});
