/**
 * Memberships of a ScimGroup are deleted with it (provider/resources/deletedWithGroup.ts): when the group goes in
 * the same operation the engine skips their deletes, as deleting the group drops its members. Removing only a
 * membership, or only a GroupMembers, still removes the members; a retained group's memberships are removed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentitySpec } from "../programs/identities";
import { expectOk, listAll, resetStats, runStack, scim, specOptions, startEmulator, stats, workDir, type RunningEmulator, type StackOptions } from "./harness";

interface Named {
  id: string;
  displayName?: string;
}

let emu: RunningEmulator;
let opts: StackOptions;

const spec = {
  users: { alice: { userName: "alice@example.com" }, bob: { userName: "bob@example.com" }, carol: { userName: "carol@example.com" } },
  groups: { a: { displayName: "dw-a" }, h: { displayName: "dw-h" }, r: { displayName: "dw-retained" } },
  retainGroups: ["r"],
  memberships: {
    "alice-in-a": { group: "a", member: "alice" },
    "bob-in-a": { group: "a", member: "bob" },
    "carol-in-a": { group: "a", member: "carol" },
    "alice-in-r": { group: "r", member: "alice" },
  } as Record<string, { group: string; member: string }>,
  groupMembers: { "h-members": { group: "h", members: ["alice", "bob"] } } as Record<string, { group: string; members: string[] }>,
} satisfies IdentitySpec;

async function group(displayName: string): Promise<{ id: string; members: string[] } | undefined> {
  const g = (await listAll<Named>(emu, "Groups?attributes=displayName")).find((x) => x.displayName === displayName);
  if (!g) return undefined;
  const r = await scim<{ members?: { value: string }[] }>(emu, "GET", `/Groups/${g.id}?attributes=members`);
  return { id: g.id, members: (r.body.members ?? []).map((m) => m.value).sort() };
}

beforeAll(async () => {
  emu = await startEmulator();
  opts = { workDir: workDir("deletedWith"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
});

afterAll(async () => {
  await emu?.stop();
});

describe("memberships deleted with their group", () => {
  it("up creates the groups and their members", async () => {
    expectOk(await runStack("up", specOptions(opts, spec)));
    expect((await group("dw-a"))?.members).toHaveLength(3);
    expect((await group("dw-h"))?.members).toHaveLength(2);
    expect((await group("dw-retained"))?.members).toHaveLength(1);
  });

  it("removing a membership, or a GroupMembers, alone removes the members and leaves the group", async () => {
    const { "carol-in-a": _carol, ...memberships } = spec.memberships;
    const next = { ...spec, memberships, groupMembers: {} };
    await resetStats(emu);
    expectOk(await runStack("up", specOptions(opts, next)));
    expect((await stats(emu)).byMethod).toEqual({ PATCH: 2 });
    expect((await group("dw-a"))?.members).toHaveLength(2);
    expect((await group("dw-h"))?.members).toEqual([]);
  });

  it("destroy sends no removal for the members of a deleted group; a retained group loses the members the stack added", async () => {
    const retained = await group("dw-retained");
    await resetStats(emu);
    expectOk(await runStack("destroy", specOptions(opts, spec)));
    // 3 users and 2 groups deleted; one PATCH, for alice in the retained group; none for the 2 pairs of dw-a.
    expect((await stats(emu)).byMethod).toEqual({ DELETE: 5, PATCH: 1 });
    expect(await group("dw-a")).toBeUndefined();
    expect(await group("dw-h")).toBeUndefined();
    expect(await group("dw-retained")).toEqual({ id: retained?.id, members: [] });
  });
});
