/**
 * A run killed right after a group's carrying PATCH (provider/runtime/declaredAdds.ts): that PATCH added pairs
 * whose creates the engine had not run, so the server holds members the state does not. The documented recovery
 * (README "Interrupted runs": `pulumi cancel`, then `pulumi up`) must end with exactly the declared members, a
 * preview with no changes, and a destroy that leaves no member behind.
 */
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentitySpec } from "../programs/identities";
import { listAll, output, resetStats, runStack, startEmulator, stats, workDir, type RunningEmulator, type StackOptions } from "./harness";
import { processTree } from "./processes";

interface Group {
  id: string;
  displayName: string;
  members?: { value: string }[];
}

const USERS = 40;
const GROUPS = 4;

function spec(withMemberships: boolean): IdentitySpec {
  const users: NonNullable<IdentitySpec["users"]> = {};
  const groups: NonNullable<IdentitySpec["groups"]> = {};
  const memberships: NonNullable<IdentitySpec["memberships"]> = {};
  for (let i = 0; i < USERS; i++) users[`u${i}`] = { userName: `batch-user-${i}@example.com` };
  for (let g = 0; g < GROUPS; g++) groups[`g${g}`] = { displayName: `batch-group-${g}` };
  // Every user in one group: 10 pairs a group.
  if (withMemberships) for (let i = 0; i < USERS; i++) memberships[`m${i}`] = { group: `g${i % GROUPS}`, member: `u${i}` };
  return { users, groups, ...(withMemberships ? { memberships } : {}) };
}

/** README "Interrupted runs": a kill while the file backend writes a state file's sidecar leaves it empty; delete it. */
function removeEmptySidecars(dir: string): void {
  const root = path.join(dir, ".state");
  for (const f of fs.readdirSync(root, { recursive: true }) as string[]) {
    const p = path.join(root, f);
    if (f.endsWith(".attrs") && fs.statSync(p).size === 0) fs.rmSync(p);
  }
}

let emu: RunningEmulator;
let opts: StackOptions;

const groups = async (): Promise<Group[]> =>
  (await listAll<Group>(emu, "Groups?attributes=displayName,members")).filter((g) => g.displayName.startsWith("batch-group-"));
const memberCount = async (): Promise<number> => (await groups()).reduce((n, g) => n + (g.members?.length ?? 0), 0);

beforeAll(async () => {
  emu = await startEmulator();
  opts = { workDir: workDir("interrupted-batch"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
});

afterAll(async () => {
  await emu?.stop();
});

describe("a `pulumi up` killed after a batched membership PATCH", () => {
  it("converges on the next up: exactly the declared members; destroy leaves none", async () => {
    // The identities first, so the killed run's only writes are membership PATCHes.
    const first = await runStack("up", { ...opts, config: { spec: JSON.stringify(spec(false)) } });
    expect(first.code, output(first)).toBe(0);

    const withMembers = { ...opts, config: { spec: JSON.stringify(spec(true)) } };
    await resetStats(emu);
    let child: ChildProcess | undefined;
    const running = runStack("up", { ...withMembers, onSpawn: (c) => (child = c) });
    for (let patched = false; !patched && child?.exitCode !== 0;) {
      await new Promise((r) => setTimeout(r, 10));
      patched = ((await stats(emu)).byMethod.PATCH ?? 0) >= 1;
    }
    if (child?.pid && child.exitCode === null) for (const pid of processTree(child.pid)) process.kill(pid, "SIGKILL");
    const killed = await running;
    expect(killed.code, `the run was meant to be killed after its first PATCH:\n${output(killed)}`).toBe(137);
    // The batch in flight: one PATCH put several pairs on the server (their creates had not all run).
    const patches = (await stats(emu)).byMethod.PATCH ?? 0;
    expect(await memberCount()).toBeGreaterThan(patches);

    removeEmptySidecars(opts.workDir);
    const cancel = await runStack("cancel", withMembers);
    expect(cancel.code, output(cancel)).toBe(0);
    const up = await runStack("up", withMembers);
    expect(up.code, output(up)).toBe(0);

    const users = new Map(
      (await listAll<{ id: string; userName: string }>(emu, "Users?attributes=userName"))
        .filter((u) => u.userName.startsWith("batch-user-"))
        .map((u) => [u.id, u.userName]),
    );
    for (const g of await groups()) {
      const n = Number(g.displayName.split("-").at(-1));
      const want = Array.from({ length: USERS }, (_, i) => i)
        .filter((i) => i % GROUPS === n)
        .map((i) => `batch-user-${i}@example.com`)
        .sort();
      expect((g.members ?? []).map((m) => users.get(m.value) ?? m.value).sort(), `members of ${g.displayName}`).toEqual(want);
    }
    const preview = await runStack("preview", { ...withMembers, flags: ["--expect-no-changes"] });
    expect(preview.code, output(preview)).toBe(0);

    // Nothing extra: removing the memberships from the program removes every member the batch added.
    const back = await runStack("up", { ...opts, config: { spec: JSON.stringify(spec(false)) } });
    expect(back.code, output(back)).toBe(0);
    expect(await memberCount()).toBe(0);
  });
});
