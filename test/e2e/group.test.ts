/**
 * ScimGroup through the real engine (the `pulumi` CLI, its dynamic-provider host, the emulator as its own
 * process): the whole lifecycle on one stack, each step asserting on what the server holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScimGroupArgs } from "../../provider";
import type { IdentitySpec } from "../programs/identities";
import {
  listAll,
  patchOp,
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

interface Group {
  id: string;
  displayName: string;
  externalId?: string;
  entitlements?: { value: string }[];
}

let emu: RunningEmulator;
let opts: StackOptions;
let baseline: string[];

const withSpec = (spec: IdentitySpec, extra: Partial<StackOptions> = {}): StackOptions => specOptions(opts, spec, extra);

async function groups(): Promise<Map<string, Group>> {
  const all = await listAll<Group>(emu, "Groups?attributes=displayName,externalId");
  return new Map(all.map((g) => [g.displayName, g]));
}

/** A group by id, with its entitlements (the list never carries them: Databricks computes them per group). */
async function group(id: string): Promise<Group | undefined> {
  const r = await scim<Group>(emu, "GET", `/Groups/${id}?attributes=displayName,externalId,entitlements`);
  return r.status === 200 ? r.body : undefined;
}

const values = (g: Group | undefined) => (g?.entitlements ?? []).map((e) => e.value).sort();

// Typed as the program's arguments (not the literal's narrow type): tests assign changed groups back into it.
const spec: { groups: Record<"eng" | "ops", ScimGroupArgs> } = {
  groups: {
    eng: { displayName: "data-engineers", entitlements: ["workspace-access", "databricks-sql-access"] },
    ops: { displayName: "platform-ops", externalId: "ext-ops" },
  },
};

beforeAll(async () => {
  emu = await startEmulator(["--no-federation"]); // the request counts below: the account-group probe gets one 404 here
  opts = { workDir: workDir("group"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
  baseline = [...(await groups()).keys()].sort();
});

afterAll(async () => {
  await emu?.stop();
});

describe("ScimGroup through the real pulumi CLI", () => {
  it("creates the groups, one POST each, with their entitlements and externalId", async () => {
    await resetStats(emu);
    const run = await runStack("up", withSpec(spec));
    expectOk(run);
    // The GET is the account-group probe: this workspace has no identity federation (404), so it is the only one.
    expect((await stats(emu)).byMethod).toEqual({ GET: 1, POST: 2 });
    const g = await groups();
    expect(values(await group(g.get("data-engineers")!.id))).toEqual(["databricks-sql-access", "workspace-access"]);
    expect(g.get("platform-ops")?.externalId).toBe("ext-ops");
    expect([...g.keys()].sort()).toEqual([...baseline, "data-engineers", "platform-ops"].sort());
  });

  it("previews no changes, with no HTTP request", async () => {
    await resetStats(emu);
    const run = await runStack("preview", withSpec(spec, { flags: ["--expect-no-changes"] }));
    expectOk(run);
    expect(run.result?.changeSummary).toEqual({ same: 3 });
    expect((await stats(emu)).total).toBe(0);
  });

  it("renames a group in place (same id) and changes its entitlements with one PATCH", async () => {
    const before = await groups();
    const next = {
      groups: { ...spec.groups, eng: { displayName: "data-engineering", entitlements: ["workspace-access", "allow-cluster-create"] } },
    } satisfies IdentitySpec;
    const preview = await runStack("preview", withSpec(next, { flags: ["--diff"] }));
    expectOk(preview);
    expect(preview.stdout).toMatch(/~ displayName\s*: "data-engineers" => "data-engineering"/);
    expect(preview.stdout).not.toContain("(replace)");
    await resetStats(emu);
    const run = await runStack("up", withSpec(next));
    expectOk(run);
    expect(run.result?.summary).toMatchObject({ resourceChanges: { same: 2, update: 1 } });
    expect((await stats(emu)).byMethod).toEqual({ PATCH: 1 });
    const after = await groups();
    expect(after.has("data-engineers")).toBe(false);
    expect(after.get("data-engineering")?.id).toBe(before.get("data-engineers")?.id);
    expect(values(await group(after.get("data-engineering")!.id))).toEqual(["allow-cluster-create", "workspace-access"]);
    expect(after.get("platform-ops")).toEqual(before.get("platform-ops"));
    spec.groups.eng = next.groups.eng;
  });

  it("replaces a group whose host changes (the target is immutable), naming the field", async () => {
    // Same emulator under another name: for the provider, another workspace. A new name too, since the
    // replacement is created before the old group is deleted.
    const host = emu.url.replace("127.0.0.1", "localhost");
    const next = { groups: { ...spec.groups, ops: { displayName: "platform-ops-2", externalId: "ext-ops", host } } } satisfies IdentitySpec;
    const preview = await runStack("preview", withSpec(next, { flags: ["--diff"] }));
    expectOk(preview);
    expect(preview.stdout).toContain("+-pulumi-nodejs:dynamic/scim:Group: (replace)");
    expect(preview.stdout).toMatch(/~ host\s*: "http:\/\/127\.0\.0\.1:\d+" => "http:\/\/localhost:\d+"/);
    const oldId = (await groups()).get("platform-ops")?.id;
    const run = await runStack("up", withSpec(next));
    expectOk(run);
    expect(run.result?.summary).toMatchObject({ resourceChanges: { same: 2, replace: 1 } });
    const g = await groups();
    expect(g.has("platform-ops")).toBe(false);
    expect(g.get("platform-ops-2")?.id).not.toBe(oldId);
    expect(g.get("platform-ops-2")?.externalId).toBe("ext-ops");
    spec.groups.ops = next.groups.ops;
  });

  it("finds a rename and a removed entitlement made in the admin console on refresh; `up` restores both", async () => {
    const eng = (await groups()).get("data-engineering") as Group;
    await scim(emu, "PATCH", `/Groups/${eng.id}`, patchOp({ op: "replace", path: "displayName", value: "renamed-in-console" }));
    await scim(emu, "PATCH", `/Groups/${eng.id}`, patchOp({ op: "remove", path: "entitlements", value: [{ value: "allow-cluster-create" }] }));
    const refresh = await runStack("refresh", withSpec(spec));
    expectOk(refresh);
    expect(refresh.result?.summary).toMatchObject({ resourceChanges: { update: 1 } });
    const preview = await runStack("preview", withSpec(spec, { flags: ["--diff"] }));
    expectOk(preview);
    expect(preview.stdout).toMatch(/~ displayName\s*: "renamed-in-console" => "data-engineering"/);
    // Lists diff by position: the restored entitlement shows as a change of the entitlements list.
    expect(preview.stdout).toMatch(/~ entitlements\s*: \[[^\n]*\n(\s+[~+] \[\d\]: [^\n]*\n)*?\s+[~+] \[\d\]: [^\n]*"allow-cluster-create"/);
    const up = await runStack("up", withSpec(spec));
    expectOk(up);
    const after = await group(eng.id);
    expect(after?.displayName).toBe("data-engineering");
    expect(values(after)).toEqual(["allow-cluster-create", "workspace-access"]);
  });

  it("drops a group deleted on the server on refresh, and `up` creates it again", async () => {
    const eng = (await groups()).get("data-engineering") as Group;
    expect((await scim(emu, "DELETE", `/Groups/${eng.id}`)).status).toBe(204);
    const refresh = await runStack("refresh", withSpec(spec));
    expectOk(refresh);
    expect(refresh.result?.summary).toMatchObject({ resourceChanges: { delete: 1 } });
    const up = await runStack("up", withSpec(spec));
    expectOk(up);
    expect(up.result?.summary).toMatchObject({ resourceChanges: { create: 1 } });
    const again = (await groups()).get("data-engineering") as Group;
    expect(again.id).not.toBe(eng.id);
    expect(values(await group(again.id))).toEqual(["allow-cluster-create", "workspace-access"]);
  });

  it("destroy leaves the server's groups as they were", async () => {
    const run = await runStack("destroy", withSpec(spec));
    expectOk(run);
    expect([...(await groups()).keys()].sort()).toEqual(baseline);
  });
});
