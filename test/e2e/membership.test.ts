/**
 * GroupMembership and GroupMembers through the real engine (the `pulumi` CLI, its dynamic-provider host, the
 * emulator as its own process), with nested groups three deep. Steps run in order on one stack; each asserts
 * on the groups' members as the server holds them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentitySpec } from "../programs/identities";
import {
  listAll,
  output,
  patchOp,
  requestLog,
  resetStats,
  runStack,
  scim,
  expectOk,
  startEmulator,
  stats,
  specOptions,
  workDir,
  type RunningEmulator,
  type StackOptions,
} from "./harness";

interface Ref {
  value: string;
  display?: string;
  type?: string;
  $ref?: string;
}
interface Named {
  id: string;
  displayName?: string;
  userName?: string;
}

let emu: RunningEmulator;
let opts: StackOptions;
let baselineGroups: string[];

const withSpec = (spec: IdentitySpec, extra: Partial<StackOptions> = {}): StackOptions => specOptions(opts, spec, extra);

/** Resource name → SCIM id, from the server (names are unique in this test). */
async function ids(): Promise<Record<string, string>> {
  const [users, groups, sps] = await Promise.all([
    listAll<Named>(emu, "Users?attributes=userName"),
    listAll<Named>(emu, "Groups?attributes=displayName"),
    listAll<Named>(emu, "ServicePrincipals?attributes=displayName"),
  ]);
  const byName = new Map<string, string>();
  for (const x of [...users, ...groups, ...sps]) byName.set((x.userName ?? x.displayName) as string, x.id);
  const out: Record<string, string> = {};
  for (const [res, name] of Object.entries(NAMES)) if (byName.has(name)) out[res] = byName.get(name) as string;
  return out;
}

/** The direct members of a group, as resource names where they are ours, sorted. */
async function members(groupRes: string): Promise<string[]> {
  const id = (await ids())[groupRes];
  const r = await scim<{ members?: Ref[] }>(emu, "GET", `/Groups/${id}?attributes=members`);
  expect(r.status).toBe(200);
  const back = Object.fromEntries(Object.entries(await ids()).map(([k, v]) => [v, k]));
  return (r.body.members ?? []).map((m) => back[m.value] ?? m.value).sort();
}

const NAMES: Record<string, string> = {
  alice: "alice@example.com",
  bob: "bob@example.com",
  ci: "ci-deployer",
  a: "team-a",
  b: "dept-b",
  c: "org-c",
  x: "access-x",
};

const spec = {
  users: { alice: { userName: NAMES.alice }, bob: { userName: NAMES.bob } },
  servicePrincipals: { ci: { displayName: NAMES.ci } },
  groups: { a: { displayName: NAMES.a }, b: { displayName: NAMES.b }, c: { displayName: NAMES.c }, x: { displayName: NAMES.x } },
  memberships: {
    "alice-in-a": { group: "a", member: "alice" },
    "ci-in-a": { group: "a", member: "ci" },
    "a-in-b": { group: "b", member: "a" },
    "b-in-c": { group: "c", member: "b" },
  } as Record<string, { group: string; member: string }>,
  groupMembers: { "x-members": { group: "x", members: ["alice", "bob", "ci"] } },
} satisfies IdentitySpec;

beforeAll(async () => {
  emu = await startEmulator(["--cloud", "aws"]); // service principals with generated applicationIds (AWS)
  opts = { workDir: workDir("membership"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
  baselineGroups = (await listAll<Named>(emu, "Groups?attributes=displayName")).map((g) => g.displayName as string).sort();
});

afterAll(async () => {
  await emu?.stop();
});

describe("group memberships through the real pulumi CLI", () => {
  it("creates members and groups nested three deep; the user's groups show direct and indirect membership", async () => {
    await resetStats(emu);
    const run = await runStack("up", withSpec(spec));
    expectOk(run);
    const s = await stats(emu);
    // 2 users, 1 service principal, 4 groups; memberships are group PATCHes only, never a GET per membership.
    expect(s.byMethod.POST).toBe(7);
    expect(s.byResource["PUT Groups workspace"] ?? 0).toBe(0);
    expect(await members("a")).toEqual(["alice", "ci"]);
    expect(await members("b")).toEqual(["a"]);
    expect(await members("c")).toEqual(["b"]);
    expect(await members("x")).toEqual(["alice", "bob", "ci"]);
    const id = await ids();
    const alice = await scim<{ groups?: Ref[] }>(emu, "GET", `/Users/${id.alice}`);
    const groups = Object.fromEntries((alice.body.groups ?? []).map((g) => [g.display, g.type]));
    // (Every new workspace user is also a direct member of the built-in `users` group.)
    expect(groups).toEqual({ users: "direct", [NAMES.a]: "direct", [NAMES.x]: "direct", [NAMES.b]: "indirect", [NAMES.c]: "indirect" });
    expect((alice.body.groups ?? []).find((g) => g.display === NAMES.c)?.value).toBe(id.c);
  });

  it("previews no changes, with no HTTP request", async () => {
    await resetStats(emu);
    const run = await runStack("preview", withSpec(spec, { flags: ["--expect-no-changes"] }));
    expectOk(run);
    expect(run.result?.changeSummary).toEqual({ same: 13 });
    expect((await stats(emu)).total).toBe(0);
  });

  it("updates a GroupMembers list in place: one GET of the group, one PATCH", async () => {
    const next = { ...spec, groupMembers: { "x-members": { group: "x", members: ["bob", "a"] } } } satisfies IdentitySpec;
    const preview = await runStack("preview", withSpec(next, { flags: ["--diff"] }));
    expectOk(preview);
    expect(preview.stdout).toContain("~ pulumi-nodejs:dynamic/scim:GroupMembers: (update)");
    await resetStats(emu);
    const run = await runStack("up", withSpec(next));
    expectOk(run);
    expect(run.result?.summary).toMatchObject({ resourceChanges: { same: 12, update: 1 } });
    expect((await stats(emu)).byResource).toEqual({ "GET Groups workspace": 1, "PATCH Groups workspace": 1 });
    expect(await members("x")).toEqual(["a", "bob"]);
    spec.groupMembers = next.groupMembers;
  });

  it("replaces a GroupMembership whose member changes (a pair is immutable), naming the field", async () => {
    const next = { ...spec, memberships: { ...spec.memberships, "ci-in-a": { group: "a", member: "bob" } } } satisfies IdentitySpec;
    const preview = await runStack("preview", withSpec(next, { flags: ["--diff"] }));
    expectOk(preview);
    expect(preview.stdout).toContain("+-pulumi-nodejs:dynamic/scim:GroupMembership: (replace)");
    expect(preview.stdout).toMatch(/~ memberId\s*: "\d+" => "\d+"/);
    const run = await runStack("up", withSpec(next));
    expectOk(run);
    expect(run.result?.summary).toMatchObject({ resourceChanges: { replace: 1 } });
    expect(await members("a")).toEqual(["alice", "bob"]);
    spec.memberships = next.memberships;
  });

  it("keeps a membership whose resource is renamed without an alias (same pair: create, then delete of the old)", async () => {
    const { ["alice-in-a"]: pair, ...rest } = spec.memberships;
    const next = { ...spec, memberships: { ...rest, "alice-joins-a": pair } } satisfies IdentitySpec;
    await resetStats(emu);
    const run = await runStack("up", withSpec(next));
    expectOk(run);
    expect(run.result?.summary).toMatchObject({ resourceChanges: { create: 1, delete: 1 } });
    // Neither the create (already there) nor the delete (still declared) removed anything.
    expect(await members("a")).toEqual(["alice", "bob"]);
    const writes = (await requestLog(emu)).filter((r) => r.method !== "GET");
    expect(writes.every((w) => w.method === "PATCH")).toBe(true);
    spec.memberships = next.memberships;
    // And the state agrees with the server: nothing to do.
    const again = await runStack("preview", withSpec(spec, { flags: ["--expect-no-changes"] }));
    expectOk(again);
  });

  it("finds a membership removed and a member added elsewhere on refresh; `up` repairs both", async () => {
    const id = await ids();
    // GroupMembership: bob removed from team-a in the console. GroupMembers: alice added to access-x by hand.
    expect((await scim(emu, "PATCH", `/Groups/${id.a}`, patchOp({ op: "remove", path: `members[value eq "${id.bob}"]` }))).status).toBe(200);
    expect((await scim(emu, "PATCH", `/Groups/${id.x}`, patchOp({ op: "add", path: "members", value: [{ value: id.alice }] }))).status).toBe(200);
    await resetStats(emu);
    const refresh = await runStack("refresh", withSpec(spec));
    expectOk(refresh);
    expect(refresh.result?.summary).toMatchObject({ resourceChanges: { delete: 1, update: 1 } });
    const refreshStats = await stats(emu);
    expect(refreshStats.byMethod).toEqual({ GET: refreshStats.total });
    // Each group is read once, whatever the number of memberships: the ScimGroup's read and the members reads of
    // its GroupMembership/GroupMembers resources share one GET. The users are read by filtered LISTs
    // (runtime/readBatcher.ts), never a GET each, the service principal by another. The 2 users share one LIST when
    // the engine's two reads reach the provider within the batch window; on a loaded machine (a CI run at full
    // load) they can arrive apart and go out as two, each still a filtered LIST.
    const log = await requestLog(emu);
    const groupReads = log.filter((r) => r.resourceType === "Groups").map((r) => r.path.replace(/.*\/Groups\//, ""));
    expect(groupReads.sort()).toEqual([id.a, id.b, id.c, id.x].sort());
    const { "GET Users workspace": userReads, ...others } = refreshStats.byResource as Record<string, number>;
    expect(others).toEqual({ "GET Groups workspace": 4, "GET ServicePrincipals workspace": 1 });
    expect(userReads).toBeGreaterThanOrEqual(1);
    expect(userReads).toBeLessThanOrEqual(2);
    const userLists = log.filter((r) => r.resourceType === "Users").map((r) => decodeURIComponent(r.query ?? ""));
    const filtered = userLists.flatMap((q) => [...q.matchAll(/id eq "(\d+)"/g)].map((m) => m[1]));
    expect(filtered.sort()).toEqual([id.alice, id.bob].sort());
    if (userReads === 1) expect(userLists[0]).toMatch(/filter=id eq "\d+" or id eq "\d+"/);
    const preview = await runStack("preview", withSpec(spec, { flags: ["--diff"] }));
    expectOk(preview);
    expect(preview.stdout).toContain("+ pulumi-nodejs:dynamic/scim:GroupMembership: (create)");
    // The member added elsewhere is in the refreshed members, labelled from the group's answer (kind and display
    // name), and the update takes it out (issue 11: by name, no longer as a shifted position of ids).
    expect(preview.stdout).toContain("~ pulumi-nodejs:dynamic/scim:GroupMembers: (update)");
    const diff = /GroupMembers: \(update\)[\s\S]*?~ members: \{([\s\S]*?)\n\s*\}/.exec(preview.stdout)?.[1] ?? "";
    expect(diff.trim()).toMatch(new RegExp(`^- user:alice@example\\.com\\s*: "${id.alice}"$`));
    const up = await runStack("up", withSpec(spec));
    expectOk(up);
    expect(up.result?.summary).toMatchObject({ resourceChanges: { create: 1, update: 1 } });
    expect(await members("a")).toEqual(["alice", "bob"]);
    expect(await members("x")).toEqual(["a", "bob"]);
  });

  it("drops a group deleted on the server, and its memberships, on refresh; `up` rebuilds the nesting", async () => {
    const before = await ids();
    expect((await scim(emu, "DELETE", `/Groups/${before.b}`)).status).toBe(204);
    const refresh = await runStack("refresh", withSpec(spec));
    expectOk(refresh);
    // dept-b itself, a-in-b (the group is gone) and b-in-c (org-c lost its member).
    expect(refresh.result?.summary).toMatchObject({ resourceChanges: { delete: 3 } });
    const up = await runStack("up", withSpec(spec));
    expectOk(up);
    expect(up.result?.summary, up.stdout).toMatchObject({ resourceChanges: { create: 3 } });
    const after = await ids();
    expect(after.b).not.toBe(before.b);
    expect(await members("b")).toEqual(["a"]);
    expect(await members("c")).toEqual(["b"]);
    const alice = await scim<{ groups?: Ref[] }>(emu, "GET", `/Users/${after.alice}`);
    expect(Object.fromEntries((alice.body.groups ?? []).map((g) => [g.display, g.type]))).toEqual({
      users: "direct",
      [NAMES.a]: "direct",
      [NAMES.b]: "indirect",
      [NAMES.c]: "indirect",
      [NAMES.x]: "indirect", // access-x now lists team-a (GroupMembers update above)
    });
  });

  it("refuses GroupMembers and GroupMembership on one group at preview, naming both, with no write", async () => {
    const next = { ...spec, memberships: { ...spec.memberships, "alice-in-x": { group: "x", member: "alice" } } } satisfies IdentitySpec;
    await resetStats(emu);
    const run = await runStack("preview", withSpec(next));
    expect(run.code).not.toBe(0);
    const text = output(run);
    expect(text).toContain("GroupMembers 'x-members'");
    expect(text).toContain("GroupMembership 'alice-in-x'");
    expect(text).toMatch(/groupId: group '\d+' is managed by both/);
    expect((await requestLog(emu)).filter((r) => r.method !== "GET")).toEqual([]);
    expect(await members("x")).toEqual(["a", "bob"]);
  });

  it("refuses a userName, an applicationId or a group name where an id is expected, at preview, naming the field", async () => {
    // The engine stops at the first resource whose check fails: one preview per mistake.
    const cases: [IdentitySpec, string][] = [
      [
        { ...spec, memberships: { ...spec.memberships, "by-user-name": { group: "a", member: NAMES.alice } } },
        `memberId: '${NAMES.alice}' looks like a userName; pass the ScimUser resource (member: alice) or its id (alice.id)`,
      ],
      [
        { ...spec, groupMembers: { ...spec.groupMembers, "by-app-id": { group: { id: "123" }, members: ["6f1c3a52-9d1e-4a8b-b1f4-2a7c9e0d5b13"] } } },
        "memberIds: '6f1c3a52-9d1e-4a8b-b1f4-2a7c9e0d5b13' looks like a service principal's applicationId; pass the ScimServicePrincipal resource",
      ],
      [
        { ...spec, memberships: { ...spec.memberships, "by-group-name": { group: NAMES.a, member: "alice" } } },
        `groupId: '${NAMES.a}' looks like a group name, not a SCIM id; pass the ScimGroup resource (group: engineers) or its id`,
      ],
    ];
    await resetStats(emu);
    for (const [next, message] of cases) {
      const run = await runStack("preview", withSpec(next));
      expect(run.code).not.toBe(0);
      expect(output(run)).toContain(message);
    }
    expect((await requestLog(emu)).filter((r) => r.method !== "GET")).toEqual([]);
  });

  it("destroy removes everything it created and leaves the server's groups as they were", async () => {
    const run = await runStack("destroy", withSpec(spec));
    expectOk(run);
    expect((await listAll<Named>(emu, "Groups?attributes=displayName")).map((g) => g.displayName).sort()).toEqual(baselineGroups);
    expect(await ids()).toEqual({});
  });
});
