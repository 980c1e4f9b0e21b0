/**
 * bench/program.ts's compact model under pulumi.runtime.setMocks: what the benchmark measures as "compact" is the
 * model docs/resources/ScimUsers.md recommends: one ScimUsers holding every user of the graph, one ScimGroup per
 * group, and one GroupMembers per group whose members are the ScimUsers' ids of exactly that group's users.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { membershipPair, userName, type Shape } from "../../../bench/shape";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];
const ofType = (kind: string) => registered.filter((r) => r.type === `pulumi-nodejs:dynamic/scim:${kind}`);
const SHAPE: Shape = { users: 20, groups: 10, memberships: 40, changed: 0.1 };
const idOfUser = (u: string) => `id-${u}`;

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const state: Record<string, unknown> = { ...args.inputs };
        // What the collection's create reports: each user's SCIM id beside its fields.
        if (args.type.endsWith(":Users")) {
          const users = args.inputs.users as Record<string, Record<string, unknown>>;
          state.users = Object.fromEntries(Object.entries(users).map(([k, v]) => [k, { ...v, id: idOfUser(k), active: true }]));
        }
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "bench-program",
    "test",
    false,
  );
  pulumi.runtime.setAllConfig({ "bench-program:bench": JSON.stringify({ ...SHAPE, compact: true }) });
  const { default: program } = await import("../../../bench/program");
  await program();
  for (let i = 0; i < 200 && ofType("GroupMembers").length < SHAPE.groups; i++) await new Promise((r) => setTimeout(r, 25));
  // The members' ids come from the ScimUsers' outputs: wait until every GroupMembers has registered them.
  const resolved = () =>
    ofType("GroupMembers").every((r) => Array.isArray(r.inputs.memberIds) && (r.inputs.memberIds as unknown[]).every((id) => typeof id === "string"));
  for (let i = 0; i < 200 && !resolved(); i++) await new Promise((r) => setTimeout(r, 25));
}, 60_000);

describe("bench/program.ts, compact model", () => {
  it("declares one ScimUsers of every user and no per-identity user or membership resource", () => {
    const users = ofType("Users");
    expect(users).toHaveLength(1);
    const map = users[0]?.inputs.users as Record<string, { displayName?: string }>;
    expect(Object.keys(map).sort()).toEqual(Array.from({ length: SHAPE.users }, (_, i) => userName(i)).sort());
    // changed 0.1: the first 2 of 20 users are renamed, the others keep their name.
    expect(map[userName(0)]?.displayName).toBe("User 0 (renamed)");
    expect(map[userName(1)]?.displayName).toBe("User 1 (renamed)");
    expect(map[userName(2)]?.displayName).toBe("User 2");
    expect(ofType("User")).toHaveLength(0);
    expect(ofType("GroupMembership")).toHaveLength(0);
  });

  it("declares one ScimGroup per group, the first 10% renamed", () => {
    const names = ofType("Group").map((r) => r.inputs.displayName);
    expect(names).toHaveLength(SHAPE.groups);
    expect(names).toContain("bench-group-0-renamed");
    expect(names).toContain("bench-group-1");
    expect(names).not.toContain("bench-group-1-renamed");
  });

  it("declares one GroupMembers per group, with exactly that group's users by their ScimUsers id", () => {
    const expected = new Map<string, string[]>();
    for (let k = 0; k < SHAPE.memberships; k++) {
      const { user, group } = membershipPair(k, SHAPE);
      expected.set(`gm${group}`, [...(expected.get(`gm${group}`) ?? []), idOfUser(userName(user))]);
    }
    const got = new Map(ofType("GroupMembers").map((r) => [r.name, [...(r.inputs.memberIds as string[])].sort()]));
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, ids] of expected) expect(got.get(name)).toEqual(ids.sort());
    expect([...got.values()].reduce((n, ids) => n + ids.length, 0)).toBe(SHAPE.memberships);
  });
});
