/**
 * What a reviewer reads in `pulumi preview --diff` when a GroupMembers list changes, through the real engine
 * (the `pulumi` CLI, its dynamic-provider host, the emulator as its own process): who joins and who leaves, by
 * userName, service principal or group name, never a shifted position of SCIM ids; the same after a refresh
 * finds a member added in the console; and a state written before the labels (`memberIds`) still previews and
 * refreshes with no change.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentitySpec } from "../programs/identities";
import {
  expectOk,
  listAll,
  patchOp,
  resetStats,
  runStack,
  scim,
  specOptions,
  startEmulator,
  stats,
  workDir,
  type RunningEmulator,
  type StackOptions,
  type StackRun,
} from "./harness";

interface Named {
  id: string;
  userName?: string;
  displayName?: string;
}

let emu: RunningEmulator;
let opts: StackOptions;
const withSpec = (spec: IdentitySpec, extra: Partial<StackOptions> = {}): StackOptions => specOptions(opts, spec, extra);

const base = {
  users: { alice: { userName: "alice@example.com" }, bob: { userName: "bob@example.com" }, carol: { userName: "carol@example.com" } },
  servicePrincipals: { ci: { displayName: "ci-deployer" } },
  groups: { eng: { displayName: "data-engineers" }, sub: { displayName: "eng-platform" } },
} satisfies IdentitySpec;
const listing = (members: string[]): IdentitySpec => ({ ...base, groupMembers: { "eng-members": { group: "eng", members } } });

/** userName / displayName → SCIM id, from the server. */
async function ids(): Promise<Record<string, string>> {
  const all = [
    ...(await listAll<Named>(emu, "Users?attributes=userName")),
    ...(await listAll<Named>(emu, "ServicePrincipals?attributes=displayName")),
    ...(await listAll<Named>(emu, "Groups?attributes=displayName")),
  ];
  return Object.fromEntries(all.map((x) => [(x.userName ?? x.displayName) as string, x.id]));
}

async function members(groupId: string): Promise<string[]> {
  const r = await scim<{ members?: { value: string }[] }>(emu, "GET", `/Groups/${groupId}?attributes=members`);
  return (r.body.members ?? []).map((m) => m.value).sort();
}

/** The display block of one step, from its header to the next step or the summary. */
function block(run: StackRun, header: string): string {
  const start = run.stdout.indexOf(header);
  expect(start, run.stdout).toBeGreaterThanOrEqual(0);
  const rest = run.stdout.slice(start + header.length);
  const end = rest.search(/\n\s*(?:[~+-]+ |\+-)pulumi-nodejs:|\n\s*--outputs:--|\nResources:/);
  return header + (end < 0 ? rest : rest.slice(0, end));
}

const changes = (run: StackRun): unknown => (run.result?.summary as { resourceChanges?: unknown } | undefined)?.resourceChanges;

const UPDATE = "~ pulumi-nodejs:dynamic/scim:GroupMembers: (update)";

beforeAll(async () => {
  emu = await startEmulator(["--cloud", "aws"]); // service principals with generated applicationIds (AWS)
  opts = { workDir: workDir("memberdiff"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
  expectOk(await runStack("up", withSpec(listing(["alice", "bob", "ci", "sub"]))));
});

afterAll(async () => {
  await emu?.stop();
});

describe("GroupMembers diffs name who joins and who leaves", () => {
  it("preview --diff shows the added and the removed member by userName, with no request", async () => {
    const id = await ids();
    await resetStats(emu);
    const preview = await runStack("preview", withSpec(listing(["alice", "carol", "ci", "sub"]), { flags: ["--diff"] }));
    expectOk(preview);
    expect((await stats(emu)).total).toBe(0);
    expect(
      block(preview, UPDATE)
        .replace(/\[id=\d+\]/, "[id=ID]")
        .trimEnd(),
    ).toBe(
      [
        UPDATE,
        "        [id=ID]",
        "        [urn=urn:pulumi:test::databricks-scim::pulumi-nodejs:dynamic/scim:GroupMembers::eng-members]",
        "      ~ members: {",
        `          - bob@example.com  : "${id["bob@example.com"]}"`,
        `          + carol@example.com: "${id["carol@example.com"]}"`,
        "        }",
      ].join("\n"),
    );
    expect(preview.stdout).not.toMatch(/\[\d+\]:/);
    expect(preview.stdout).not.toContain("memberIds");
  });

  it("`up` applies it; the memberIds output still lists the ids", async () => {
    const id = await ids();
    const up = await runStack("up", withSpec(listing(["alice", "carol", "ci", "sub"])));
    expectOk(up);
    expect(up.result?.summary).toMatchObject({ resourceChanges: { update: 1 } });
    const want = [id["alice@example.com"], id["carol@example.com"], id["ci-deployer"], id["eng-platform"]].sort();
    expect(await members(id["data-engineers"] as string)).toEqual(want);
    const outs = up.result?.outputs as Record<string, { value: Record<string, string[]> }>;
    expect([...(outs.groupMembers?.value["eng-members"] ?? [])].sort()).toEqual(want);
    const again = await runStack("preview", withSpec(listing(["sub", "ci", "carol", "alice"]), { flags: ["--expect-no-changes"] }));
    expectOk(again);
  });

  it("names a service principal and a group by name, and a member added in the console after --refresh", async () => {
    const id = await ids();
    const dave = await scim<Named>(emu, "POST", "/Users", { userName: "dave@example.com", displayName: "Dave Console" });
    expect(dave.status).toBe(201);
    const add = await scim(emu, "PATCH", `/Groups/${id["data-engineers"]}`, patchOp({ op: "add", path: "members", value: [{ value: dave.body.id }] }));
    expect(add.status).toBe(200);
    const preview = await runStack("preview", withSpec(listing(["alice", "carol"]), { flags: ["--refresh", "--diff"] }));
    expectOk(preview);
    // The engine pads a refresh's output keys to the longest of the object's (hostWorkspaceId on a unified host).
    const refreshed = /GroupMembers: \(refresh\)[\s\S]*?~ members\s*: \{([\s\S]*?)\n\s*\}/.exec(preview.stdout)?.[1] ?? "";
    expect(
      refreshed
        .split("\n")
        .filter((l) => /^\s*[+-]/.test(l))
        .map((l) => l.trim()),
      preview.stdout,
    ).toEqual([`+ user:Dave Console : "${dave.body.id}"`]);
    // The refresh finds dave, labelled from the group's own answer (kind and display name); the update then
    // takes him out with the members the program no longer lists.
    expect(
      block(preview, UPDATE)
        .replace(/\[id=\d+\]/, "[id=ID]")
        .trimEnd(),
    ).toBe(
      [
        UPDATE,
        "        [id=ID]",
        "        [urn=urn:pulumi:test::databricks-scim::pulumi-nodejs:dynamic/scim:GroupMembers::eng-members]",
        "      ~ members: {",
        `          - group:eng-platform: "${id["eng-platform"]}"`,
        `          - sp:ci-deployer    : "${id["ci-deployer"]}"`,
        `          - user:Dave Console : "${dave.body.id}"`,
        "        }",
      ].join("\n"),
    );
    expect(preview.stdout).not.toMatch(/\[\d+\]:/);
  });

  it("a state written before the labels (memberIds) previews, refreshes and updates with no spurious change", async () => {
    const id = await ids();
    const dave = id["dave@example.com"] as string;
    const undo = patchOp({ op: "remove", path: `members[value eq "${dave}"]` });
    expect((await scim(emu, "PATCH", `/Groups/${id["data-engineers"]}`, undo)).status).toBe(200);
    const current = listing(["alice", "carol", "ci", "sub"]);
    // The state as the release before the labels wrote it: the sorted ids in `memberIds`, in inputs and outputs.
    const exported = (await runStack("export", withSpec(current))).result as unknown as Deployment;
    const ours = groupMembersOf(exported);
    const sorted = Object.values(ours.outputs.members as Record<string, string>).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    for (const props of [ours.inputs, ours.outputs]) {
      delete props.members;
      props.memberIds = sorted;
    }
    const file = path.join(opts.workDir, "older-state.json");
    fs.writeFileSync(file, JSON.stringify(exported));
    expectOk(await runStack("import", { ...withSpec(current), flags: ["--state", file] }));

    expectOk(await runStack("preview", withSpec(current, { flags: ["--expect-no-changes"] })));
    const up = await runStack("up", withSpec(current));
    expectOk(up);
    // 3 users, a service principal, 2 groups, the GroupMembers and the stack itself: all the same.
    expect(changes(up)).toEqual({ same: 8 });
    const refresh = await runStack("refresh", withSpec(current));
    expectOk(refresh);
    expect(changes(refresh)).toEqual({ same: 8 });
    expectOk(await runStack("preview", withSpec(current, { flags: ["--refresh", "--expect-no-changes"] })));
    expect(groupMembersOf((await runStack("export", withSpec(current))).result as unknown as Deployment).outputs.memberIds).toEqual(sorted);

    // Its first change of members writes the labelled shape.
    const next = listing(["alice", "ci", "sub"]);
    const changed = await runStack("up", withSpec(next));
    expectOk(changed);
    expect(changed.result?.summary).toMatchObject({ resourceChanges: { update: 1 } });
    const after = groupMembersOf((await runStack("export", withSpec(next))).result as unknown as Deployment);
    expect(after.outputs.memberIds).toBeUndefined();
    expect(Object.keys(after.outputs.members as object).sort()).toEqual(["alice@example.com", "group:eng-platform", "sp:ci-deployer"]);
  });
});

interface Deployment {
  deployment: { resources: { type: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[] };
}

function groupMembersOf(d: Deployment): Deployment["deployment"]["resources"][number] {
  const found = d.deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/scim:GroupMembers");
  expect(found).toBeDefined();
  return found as Deployment["deployment"]["resources"][number];
}
