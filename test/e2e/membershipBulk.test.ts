/**
 * Reads that many resources share are shared: one group with 500 GroupMembership resources through the real
 * engine, counting the emulator's requests for each operation. The 500 members are users made directly on the
 * server (as an IdP connector would), so the stack holds just the group and its memberships and every request
 * counted is a group or membership request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentitySpec } from "../programs/identities";
import { output, requestLog, resetStats, runStack, scim, startEmulator, specOptions, stats, workDir, type RunningEmulator, type StackOptions } from "./harness";

const N = 500;

let emu: RunningEmulator;
let opts: StackOptions;

let spec: IdentitySpec;

const withSpec = (s: IdentitySpec, flags: string[] = []): StackOptions => specOptions(opts, s, { flags });

// How many steps the engine runs at once bounds how many membership changes can share a PATCH: with the
// CLI's default on a 2-core machine, 500 additions took 299 PATCHes and 500 removals 234.
const PARALLEL = ["--parallel", "64"];

beforeAll(async () => {
  emu = await startEmulator();
  opts = { workDir: workDir("bulk"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
  const ids: string[] = [];
  for (let i = 0; i < N; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, N - i) }, (_, k) =>
        scim<{ id: string }>(emu, "POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `bulk-${i + k}@example.com` }),
      ),
    );
    ids.push(...batch.map((r) => r.body.id));
  }
  spec = {
    groups: { big: { displayName: "big-group" } },
    memberships: Object.fromEntries(ids.map((id, i) => [`u${i}-in-big`, { group: "big", member: { id } }])),
  };
});

afterAll(async () => {
  await emu?.stop();
});

describe(`1 group with ${N} GroupMembership resources`, () => {
  let groupId: string;

  it(`creates them: the ${N} additions share PATCHes (up to 100 members each)`, async () => {
    await resetStats(emu);
    const run = await runStack("up", withSpec(spec, PARALLEL));
    expect(run.code, output(run)).toBe(0);
    const s = await stats(emu);
    console.log(`up of 1 group + ${N} memberships: ${JSON.stringify(s.byResource)} (total ${s.total})`);
    expect(s.byResource["POST Users workspace"]).toBeUndefined();
    expect(s.byResource["POST Groups workspace"]).toBe(1);
    // At least N/100 PATCHes; fewer than one per membership (how many fewer depends on the engine's parallelism).
    expect(s.byResource["PATCH Groups workspace"]).toBeGreaterThanOrEqual(N / 100);
    expect(s.byResource["PATCH Groups workspace"]).toBeLessThan(N);
    groupId = ((run.result?.outputs as Record<string, { value: Record<string, string> }>).groups?.value ?? {}).big as string;
    const g = await scim<{ members?: { value: string }[] }>(emu, "GET", `/Groups/${groupId}?attributes=members`);
    expect(g.body.members?.length).toBe(N);
  });

  it(`refreshes them with one members read of the group, whatever the number of memberships`, async () => {
    await resetStats(emu);
    const run = await runStack("refresh", withSpec(spec));
    expect(run.code, output(run)).toBe(0);
    expect(run.result?.summary).toMatchObject({ resourceChanges: { same: N + 2 } });
    const s = await stats(emu);
    const log = await requestLog(emu);
    const groupReads = log.filter((r) => r.method === "GET" && r.resourceType === "Groups");
    console.log(
      `refresh of 1 group + ${N} memberships: ${s.total} requests ${JSON.stringify(s.byResource)}; ` +
        `group reads: ${groupReads.map((r) => `${r.path.replace(/.*\/Groups/, "/Groups")}?${r.query}`).join(", ")}`,
    );
    expect(s.byMethod).toEqual({ GET: s.total });
    // ONE read of the group, shared by the ScimGroup's read and all 500 GroupMembership reads.
    expect(groupReads).toHaveLength(1);
    expect(decodeURIComponent(groupReads[0]?.query ?? "")).toContain("members");
    expect(s.total).toBe(1);
  });

  it(`destroy removes the ${N} memberships in shared PATCHes and deletes everything`, async () => {
    await resetStats(emu);
    const run = await runStack("destroy", withSpec(spec, PARALLEL));
    expect(run.code, output(run)).toBe(0);
    const s = await stats(emu);
    console.log(`destroy: ${JSON.stringify(s.byResource)} (total ${s.total})`);
    expect(s.byResource["DELETE Groups workspace"]).toBe(1);
    expect(s.byResource["PATCH Groups workspace"] ?? 0).toBeLessThan(N);
    expect((await scim(emu, "GET", `/Groups/${groupId}`)).status).toBe(404);
  });
});
