/**
 * What each resource keeps in the state (issue 21 item 3), through the real engine: `pulumi stack export` after
 * `up`. No declaration call stack (`stackTrace`, `sourcePosition`: resources/declarationTrace.ts), no URN of a
 * membership's group or member twice (resources/plainIds.ts), the stored shape (lifecycle/storedShape.ts: inputs
 * whole, outputs without what is at its default or derived), with every typed output the program reads the same,
 * and a state written before those changes (with every key they leave out) still previews clean, refreshes with
 * no change, updates and destroys.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, runStack, specOptions, startEmulator, workDir, type RunningEmulator, type StackOptions, type StackRun } from "./harness";

let emu: RunningEmulator;
let opts: StackOptions;

const SPEC = {
  users: { alice: { userName: "state-alice@example.com", displayName: "Alice" }, bob: { userName: "state-bob@example.com" } },
  groups: { eng: { displayName: "state-eng" }, ops: { displayName: "state-ops" } },
  memberships: { "alice-eng": { group: "eng", member: "alice" }, "bob-eng": { group: "eng", member: "bob" } },
  groupMembers: { "ops-members": { group: "ops", members: ["alice", "bob"] } },
  readOutputs: true,
};

interface StateResource {
  urn: string;
  type: string;
  [part: string]: unknown;
}
interface Exported {
  deployment: { resources: StateResource[] };
}

const ours = (e: Exported): StateResource[] => e.deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/scim:"));
const changes = (run: StackRun): unknown => (run.result?.summary as { resourceChanges?: unknown } | undefined)?.resourceChanges;
type Outputs = Record<string, { value: unknown }>;

/** What the program reads of its resources' typed outputs (test/programs/identities.ts readOutputs): as before the stored shape. */
function expectReads(run: StackRun, resources: StateResource[]): void {
  const outs = run.result?.outputs as Outputs;
  const ids = (kind: string) => outs[kind]!.value as Record<string, string>;
  const host = String((resources.find((r) => r.urn.endsWith("::eng")) as StateResource & { outputs: { host: string } }).outputs.host);
  expect(outs.read?.value).toEqual({
    users: {
      alice: { active: true, home: "/Users/state-alice@example.com", aclPrincipalId: "users/state-alice@example.com", userName: "state-alice@example.com" },
      bob: { active: true, home: "/Users/state-bob@example.com", aclPrincipalId: "users/state-bob@example.com", userName: "state-bob@example.com" },
    },
    groups: {
      eng: { url: `${host}/api/2.0/preview/scim/v2/Groups/${ids("groups").eng}`, aclPrincipalId: "groups/state-eng", displayName: "state-eng" },
      ops: { url: `${host}/api/2.0/preview/scim/v2/Groups/${ids("groups").ops}`, aclPrincipalId: "groups/state-ops", displayName: "state-ops" },
    },
    memberships: {
      "alice-eng": { groupId: ids("groups").eng, memberId: ids("users").alice },
      "bob-eng": { groupId: ids("groups").eng, memberId: ids("users").bob },
    },
  });
}

const exportState = async (): Promise<Exported> => (await runStack("export", specOptions(opts, SPEC))).result as unknown as Exported;

beforeAll(async () => {
  emu = await startEmulator();
  opts = { workDir: workDir("state-bytes"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
});

afterAll(async () => {
  await emu?.stop();
});

describe("the state each resource keeps", () => {
  it("has no declaration call stack, no URN twice for a membership, and a membership stays under 1,500 bytes as exported", async () => {
    const up = await runStack("up", specOptions(opts, SPEC));
    expectOk(up);
    const resources = ours(await exportState());
    expect(resources).toHaveLength(7);
    expectReads(up, resources);
    for (const r of resources) {
      expect(r, r.urn).not.toHaveProperty("stackTrace");
      expect(r, r.urn).not.toHaveProperty("sourcePosition");
    }
    // Before: 2,410 bytes, of which 600 were the call stack and 190 the group's and member's URNs stored again as
    // property dependencies (bench/stateBytes.ts breaks an export down by part).
    const membership = resources.find((r) => r.urn.endsWith("::alice-eng")) as StateResource;
    const urnOf = (name: string) => (resources.find((r) => r.urn.endsWith(`::${name}`)) as StateResource).urn;
    // The engine still orders by them: the member in dependencies, the group in deletedWith (which the engine's
    // dependency graph counts as a dependency, and destroy skips the pair with its group), each URN once.
    expect(membership.dependencies).toEqual([urnOf("alice")]);
    expect(membership.deletedWith).toBe(urnOf("eng"));
    expect(Object.values(membership.propertyDependencies as Record<string, string[]>).flat()).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(membership, null, 4))).toBeLessThan(1500);
    // The stored shape (lifecycle/storedShape.ts): inputs whole, as check returns them (the engine's own diff
    // compares them with the program's); in outputs no default level, no unreported field at its default, nothing
    // the class derives itself; what it registers (active, a group's url) kept.
    const user = resources.find((r) => r.urn.endsWith("::alice")) as StateResource;
    expect(user.inputs).toMatchObject({ level: "workspace", adopt: false, onDelete: "delete", active: true });
    for (const key of ["level", "adopt", "onDelete", "home", "aclPrincipalId"]) expect(user.outputs as object, key).not.toHaveProperty(key);
    expect(membership.inputs).toMatchObject({ level: "workspace", groupId: expect.any(String), memberId: expect.any(String) });
    for (const key of ["level", "groupId", "memberId"]) expect(membership.outputs as object, key).not.toHaveProperty(key);
    expect(user.outputs).toMatchObject({
      active: true,
      userName: "state-alice@example.com",
      __provider: "module.exports=require('pulumi-databricks-scim/s').u",
    });
    expect((resources.find((r) => r.urn.endsWith("::eng")) as StateResource).outputs).toMatchObject({ url: expect.stringContaining("/Groups/") });
    // The same for a GroupMembers: every member's URN once, in dependencies, its group's in deletedWith.
    const members = resources.find((r) => r.urn.endsWith("::ops-members")) as StateResource;
    expect([...(members.dependencies as string[])].sort()).toEqual([urnOf("alice"), urnOf("bob")].sort());
    expect(members.deletedWith).toBe(urnOf("ops"));
    expect(Object.values(members.propertyDependencies as Record<string, string[]>).flat()).toEqual([]);
  });

  it("a state written with the call stacks (the release before) previews clean, refreshes and updates with no change", async () => {
    const exported = await exportState();
    // As the release before wrote it: each resource's declaration position and stack, as the SDK captured them,
    // and a membership's ids' resources as property dependencies.
    for (const r of ours(exported)) {
      if (r.type.endsWith(":GroupMembership")) {
        const deps = r.dependencies as string[];
        const group = deps.find((u) => u.includes(":Group::")) as string;
        const member = deps.find((u) => u !== group) as string;
        r.propertyDependencies = { __provider: [], groupId: [group], memberId: [member], scope: [] };
      }
      if (r.type.endsWith(":GroupMembers")) {
        const deps = r.dependencies as string[];
        const group = deps.find((u) => u.includes(":Group::")) as string;
        r.propertyDependencies = { __provider: [], groupId: [group], memberIds: deps.filter((u) => u !== group), scope: [] };
      }
      const frame = { sourcePosition: "project:///node_modules/pulumi-databricks-scim/dist/provider/resources/user.js#22,9" };
      r.sourcePosition = frame.sourcePosition;
      r.stackTrace = [frame, { sourcePosition: "project:///dist/test/programs/identities.js#46,84" }, {}];
      // The group also in dependencies, as before (it is the membership's deletedWith).
      if (r.deletedWith) r.dependencies = [...(r.dependencies as string[]), r.deletedWith as string];
      // Each key the release before stored and this one leaves out (lifecycle/storedShape.ts), at its value then.
      const before = (props: Record<string, unknown>, values: Record<string, unknown>) => {
        for (const [k, v] of Object.entries(values)) props[k] ??= v;
      };
      const inputs = r.inputs as Record<string, unknown>;
      const outputs = r.outputs as Record<string, unknown>;
      before(inputs, { level: "workspace" });
      before(outputs, { level: "workspace" });
      if (r.type.endsWith(":User")) {
        before(inputs, { active: true, adopt: false, onDelete: "delete" });
        before(outputs, { adopt: false, onDelete: "delete", home: `/Users/${String(outputs.userName)}`, aclPrincipalId: `users/${String(outputs.userName)}` });
      }
      if (r.type.endsWith(":GroupMembership")) {
        const [groupId, memberId] = String(r.id).split("|");
        before(outputs, { groupId, memberId });
      }
      if (r.type.endsWith(":Group")) {
        before(inputs, { adopt: false });
        before(outputs, {
          adopt: false,
          aclPrincipalId: `groups/${String(outputs.displayName)}`,
          url: `${String(outputs.host)}/api/2.0/preview/scim/v2/Groups/${String(r.id)}`,
        });
      }
      // The stored provider's older text: double quotes and `.js`.
      const kind = { User: "user", Group: "group", GroupMembership: "groupMembership", GroupMembers: "groupMembers" }[r.type.split(":").pop() as string];
      const provider = `exports.handler=()=>require("pulumi-databricks-scim/dist/provider/shims/${kind}.js")`;
      for (const props of [r.inputs, r.outputs] as Record<string, unknown>[]) props.__provider = provider;
    }
    const file = path.join(opts.workDir, "older-state.json");
    fs.writeFileSync(file, JSON.stringify(exported));
    expectOk(await runStack("import", { ...specOptions(opts, SPEC), flags: ["--state", file] }));
    expect(ours(await exportState())[0]).toHaveProperty("stackTrace");
    expect(ours(await exportState())[0]?.outputs).toMatchObject({ __provider: expect.stringContaining('.js")') });
    const imported = ours(await exportState()).find((r) => r.urn.endsWith("::alice")) as StateResource;
    expect(imported.outputs).toMatchObject({ level: "workspace", adopt: false, home: "/Users/state-alice@example.com" });

    expectOk(await runStack("preview", specOptions(opts, SPEC, { flags: ["--expect-no-changes"] })));
    const refresh = await runStack("refresh", specOptions(opts, SPEC));
    expectOk(refresh);
    // 2 users, 2 groups, 2 memberships, a GroupMembers and the stack: all the same.
    expect(changes(refresh)).toEqual({ same: 8 });
    const up = await runStack("up", specOptions(opts, SPEC));
    expectOk(up);
    expect(changes(up)).toEqual({ same: 8 });
    expectReads(up, ours(await exportState()));
    expectOk(await runStack("preview", specOptions(opts, SPEC, { flags: ["--refresh", "--expect-no-changes"] })));
    // The refresh rewrote the outputs in the stored shape; the inputs stay whole.
    const after = ours(await exportState());
    const alice = after.find((r) => r.urn.endsWith("::alice")) as StateResource;
    expect(alice.outputs as object).not.toHaveProperty("home");
    expect(alice.inputs).toMatchObject({ level: "workspace", adopt: false, onDelete: "delete", active: true });
    expect((after.find((r) => r.urn.endsWith("::alice-eng")) as StateResource).outputs as object).not.toHaveProperty("groupId");
  });

  it("destroys it", async () => {
    expectOk(await runStack("destroy", specOptions(opts, SPEC)));
  });
});
