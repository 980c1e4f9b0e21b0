/**
 * Interrupted runs: `pulumi up` of 60 users, 10 groups and 120 memberships is killed with SIGKILL (the CLI, the
 * program process and the provider process: the whole process group) at three points, each after a random number
 * of requests has reached the server. Then the documented recovery (README "Interrupted runs": `pulumi cancel`,
 * then `pulumi up`) must end with exactly what the program declares: nothing missing, no duplicates, no orphans,
 * and a preview with no changes.
 */
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentitySpec } from "../programs/identities";
import { listAll, output, resetStats, runStack, startEmulator, stats, workDir, type RunningEmulator, type StackOptions, type StackRun } from "./harness";
import { processTree } from "./processes";

interface Principal {
  id: string;
  userName?: string;
  displayName?: string;
  members?: { value: string }[];
}

const USERS = 60;
const GROUPS = 10;
const MEMBERSHIPS = 120;

function spec(): IdentitySpec {
  const users: NonNullable<IdentitySpec["users"]> = {};
  const groups: NonNullable<IdentitySpec["groups"]> = {};
  const memberships: NonNullable<IdentitySpec["memberships"]> = {};
  for (let i = 0; i < USERS; i++) users[`u${i}`] = { userName: `int-user-${i}@example.com`, displayName: `Interrupted ${i}` };
  for (let g = 0; g < GROUPS; g++) groups[`g${g}`] = { displayName: `int-group-${g}` };
  // Each group takes 12 distinct users: 120 pairs.
  for (let k = 0; k < MEMBERSHIPS; k++) {
    const g = k % GROUPS;
    memberships[`m${k}`] = { group: `g${g}`, member: `u${(g * 5 + Math.floor(k / GROUPS)) % USERS}` };
  }
  return { users, groups, memberships };
}

let emu: RunningEmulator;
let opts: StackOptions;
let baseline: Set<string>;

async function everything(): Promise<Principal[]> {
  return [
    ...(await listAll<Principal>(emu, "Users?attributes=userName")),
    ...(await listAll<Principal>(emu, "Groups?attributes=displayName,members")),
    ...(await listAll<Principal>(emu, "ServicePrincipals?attributes=displayName")),
  ];
}

/** Processes whose working directory is the stack's folder: the CLI and its children (program, provider) run there. */
function processesIn(dir: string): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/cwd`) === dir) out.push(Number(pid));
    } catch {
      // gone, or not ours to look at
    }
  }
  return out;
}

/** The local backend's lock files for the stack (one while an operation runs, or after one was killed). */
function lockFiles(dir: string): string[] {
  const locks = path.join(dir, ".state", ".pulumi", "locks");
  if (!fs.existsSync(locks)) return [];
  return (fs.readdirSync(locks, { recursive: true }) as string[]).filter((f) => f.endsWith(".json"));
}

/**
 * Recovery, step 0 when needed: the file backend writes a `<file>.attrs` metadata sidecar beside each state file;
 * a kill while it is being written leaves it empty, and every later command then fails with
 * `failed to load checkpoint: EOF`. An empty sidecar carries nothing: deleting it is the repair (README).
 */
function removeEmptySidecars(dir: string): string[] {
  const root = path.join(dir, ".state");
  const removed: string[] = [];
  for (const f of fs.readdirSync(root, { recursive: true }) as string[]) {
    const p = path.join(root, f);
    if (f.endsWith(".attrs") && fs.statSync(p).size === 0) {
      fs.rmSync(p);
      removed.push(f);
    }
  }
  return removed;
}

/** Starts `up`, and SIGKILLs its whole process tree once the server has seen `afterRequests` requests. */
async function upKilledAfter(afterRequests: number): Promise<{ run: StackRun; seen: number }> {
  await resetStats(emu);
  let child: ChildProcess | undefined;
  const running = runStack("up", { ...opts, onSpawn: (c) => (child = c) });
  let seen = 0;
  for (let done = false; !done;) {
    await new Promise((r) => setTimeout(r, 20));
    seen = (await stats(emu)).total;
    done = seen >= afterRequests || child?.exitCode !== null;
  }
  if (child?.pid && child.exitCode === null) {
    // Snapshot the tree first, then kill everything in it at once: the CLI, the program and the provider.
    for (const pid of processTree(child.pid)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  const run = await running;
  return { run, seen };
}

beforeAll(async () => {
  emu = await startEmulator(["--cloud", "aws"]); // service principals with generated applicationIds (AWS)
  opts = {
    workDir: workDir("interrupted"),
    env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin },
    config: { spec: JSON.stringify(spec()) },
  };
  baseline = new Set((await everything()).map((p) => p.id));
});

afterAll(async () => {
  await emu?.stop();
});

describe("an interrupted `pulumi up` (kill -9 of the CLI, the program and the provider)", () => {
  it("converges on the next runs: exactly the declared identities, no duplicates, no orphans", async () => {
    // Three kill points: among the first user creates, later among users and groups, and among memberships
    // (each run starts where the last one's checkpoint left off, so request counts restart).
    const points = [5 + Math.floor(Math.random() * 20), 20 + Math.floor(Math.random() * 25), 10 + Math.floor(Math.random() * 20)];
    for (const point of points) {
      const { run, seen } = await upKilledAfter(point);
      expect(run.code, `the run was meant to be killed after ${point} requests:\n${output(run)}`).toBe(137);
      expect(seen).toBeGreaterThanOrEqual(point);
      // Nothing of the run survives the kill of its group.
      await new Promise((r) => setTimeout(r, 200));
      expect(processesIn(opts.workDir)).toEqual([]);
      // Recovery, step 1: the local backend keeps the killed run's lock (a file); `pulumi cancel` removes it.
      expect(lockFiles(opts.workDir)).toHaveLength(1);
      removeEmptySidecars(opts.workDir);
      const cancel = await runStack("cancel", opts);
      expect(cancel.code, output(cancel)).toBe(0);
      expect(lockFiles(opts.workDir)).toHaveLength(0);
    }

    // Recovery, step 2: `pulumi up` again.
    const up = await runStack("up", opts);
    expect(up.code, output(up)).toBe(0);

    const all = (await everything()).filter((p) => !baseline.has(p.id));
    const users = all.filter((p) => p.userName !== undefined);
    const groups = all.filter((p) => p.userName === undefined && p.members !== undefined);
    const byName = (list: Principal[], key: (p: Principal) => string) => {
      const m = new Map<string, Principal[]>();
      for (const p of list) m.set(key(p), [...(m.get(key(p)) ?? []), p]);
      return m;
    };
    const usersByName = byName(users, (p) => p.userName!);
    const groupsByName = byName(groups, (p) => p.displayName!);
    // No duplicates, nothing missing, no orphans.
    expect([...usersByName.values()].filter((l) => l.length > 1)).toEqual([]);
    expect([...groupsByName.values()].filter((l) => l.length > 1)).toEqual([]);
    expect([...usersByName.keys()].sort()).toEqual(
      Object.values(spec().users!)
        .map((u) => u.userName as string)
        .sort(),
    );
    expect([...groupsByName.keys()].sort()).toEqual(
      Object.values(spec().groups!)
        .map((g) => g.displayName as string)
        .sort(),
    );
    expect(all.length).toBe(USERS + GROUPS);
    // Exactly the declared members in each group.
    const idOfUser = new Map(users.map((u) => [u.id, u.userName!]));
    const s = spec();
    for (const [name, g] of Object.entries(s.groups!)) {
      const want = Object.values(s.memberships!)
        .filter((m) => m.group === name)
        .map((m) => s.users![m.member as string]!.userName as string)
        .sort();
      const have = (groupsByName.get(g.displayName as string)![0]!.members ?? []).map((m) => idOfUser.get(m.value) ?? m.value).sort();
      expect(have, `members of ${String(g.displayName)}`).toEqual(want);
    }
    const preview = await runStack("preview", { ...opts, flags: ["--expect-no-changes"] });
    expect(preview.code, output(preview)).toBe(0);
  });
});
