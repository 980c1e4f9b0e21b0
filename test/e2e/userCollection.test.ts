/**
 * ScimUsers (many users in one resource) through the real engine: the `pulumi` CLI, its dynamic-provider host,
 * the emulator as its own process. One stack of 1,000 users, case after case: an `up` killed mid-create converges
 * with nothing duplicated (the create journal); one bad user among 1,000 fails with its name while the others
 * are created and recorded, and the next runs retry only it; `preview --diff` names each user added, changed or
 * removed; drift made in the console is found by refresh and shown by name; destroy removes them all.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentitySpec } from "../programs/identities";
import {
  expectOk,
  listAll,
  output,
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
import { processTree } from "./processes";

const COUNT = 1000;
const TAKEN = "taken@example.com";
const UPDATE = "~ pulumi-nodejs:dynamic/scim:Users: (update)";

type Entries = Record<string, { displayName?: string; adopt?: boolean }>;
const nameOf = (i: number) => `user-${String(i).padStart(4, "0")}@example.com`;

function people(change: (users: Entries) => void = () => undefined): Entries {
  const users: Entries = { "alice@example.com": { displayName: "Alice" }, "bob@example.com": {}, [TAKEN]: {} };
  for (let i = 3; i < COUNT; i++) users[nameOf(i)] = {};
  change(users);
  return users;
}

function spec(users: Entries): IdentitySpec {
  return {
    userCollections: { people: { users } },
    groups: { eng: { displayName: "coll-engineers" } },
    groupMembers: { "eng-members": { group: "eng", members: ["people/alice@example.com", "people/bob@example.com"] } },
  };
}

let emu: RunningEmulator;
let opts: StackOptions;
/** The users the emulator starts with (the admin): not the program's. */
let baseline: Set<string>;
const withUsers = (users: Entries, extra: Partial<StackOptions> = {}) => specOptions(opts, spec(users), extra);

interface User {
  id: string;
  userName: string;
  displayName?: string;
}

/** The users on the server, each userName with how many users have it. */
async function serverUsers(): Promise<Map<string, User[]>> {
  const out = new Map<string, User[]>();
  for (const u of await listAll<User>(emu, "Users?attributes=userName,displayName"))
    if (!baseline.has(u.userName)) out.set(u.userName, [...(out.get(u.userName) ?? []), u]);
  return out;
}

interface StateResource {
  type: string;
  urn: string;
  dependencies?: string[];
  outputs?: { users?: Record<string, { id: string }> };
}

async function stateResources(): Promise<StateResource[]> {
  return ((await runStack("export", opts)).result as { deployment: { resources: StateResource[] } }).deployment.resources;
}

/** The ScimUsers' `users` output as the state holds it. */
async function stateUsers(): Promise<Record<string, { id: string }>> {
  const res = (await stateResources()).find((r) => r.type === "pulumi-nodejs:dynamic/scim:Users");
  return res?.outputs?.users ?? {};
}

const duplicates = (users: Map<string, User[]>) => [...users].filter(([, list]) => list.length > 1).map(([name]) => name);

async function faults(body: Record<string, unknown> | undefined): Promise<void> {
  const r = await fetch(`${emu.url}/__emulator/faults`, {
    method: body ? "POST" : "DELETE",
    headers: { "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(r.status, await r.text()).toBe(200);
}

/** Starts `up`, and SIGKILLs its whole process tree once the server has seen `posts` POSTs. */
async function upKilledAfterPosts(run: StackOptions, posts: number): Promise<{ run: StackRun; seen: number }> {
  await resetStats(emu);
  let child: ChildProcess | undefined;
  const running = runStack("up", { ...run, onSpawn: (c) => (child = c) });
  let seen = 0;
  for (let done = false; !done;) {
    await new Promise((r) => setTimeout(r, 20));
    seen = (await stats(emu)).byMethod.POST ?? 0;
    done = seen >= posts || child?.exitCode !== null;
  }
  if (child?.pid && child.exitCode === null) {
    for (const pid of processTree(child.pid)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  return { run: await running, seen };
}

beforeAll(async () => {
  emu = await startEmulator(["--cloud", "aws"]);
  opts = { workDir: workDir("usercollection"), env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
  baseline = new Set((await listAll<User>(emu, "Users?attributes=userName")).map((u) => u.userName));
  // A user made outside the program: creating it again is refused ("already exists") unless the program adopts it.
  expect((await scim(emu, "POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: TAKEN })).status).toBe(201);
});

afterAll(async () => {
  await emu?.stop();
});

describe("ScimUsers: 1,000 users in one resource, through the real CLI", () => {
  it("an `up` killed mid-create, then one bad user among 1,000: the others are created once and recorded, the bad one is named", async () => {
    // Slow enough that the kill lands among the POSTs on any machine.
    await faults({ rates: { latency: 1 }, latency: { fixedMs: 20, jitterMs: 0 } });
    // Few enough that the next run's take-overs (one GET each, paced at the published 255 GET/min) stay short.
    const killed = await upKilledAfterPosts(withUsers(people()), 60);
    await faults(undefined);
    expect(killed.run.code, output(killed.run)).toBe(137);
    expect((await serverUsers()).size).toBeGreaterThan(50); // the killed run made a part of them
    expect(await stateUsers()).toEqual({}); // and the state knows none of them
    expectOk(await runStack("cancel", opts));

    await resetStats(emu);
    const up = await runStack("up", withUsers(people()));
    const text = output(up);
    expect(up.code, text).not.toBe(0);
    expect(text).toContain("1 of 1000 users could not be created. The other 999 users were created and are recorded in the state");
    expect(text).toMatch(/users\["taken@example\.com"\]: userName: a user 'taken@example\.com' already exists/);
    const onServer = await serverUsers();
    expect(duplicates(onServer)).toEqual([]); // the killed run's users were taken over (journal), not made again
    expect(onServer.size).toBe(COUNT);
    const recorded = await stateUsers();
    expect(Object.keys(recorded)).toHaveLength(COUNT - 1);
    expect(recorded[TAKEN]).toBeUndefined();
    expect(recorded["alice@example.com"]?.id).toBe(onServer.get("alice@example.com")?.[0]?.id);
  });

  it("the next `up` retries only the failed user; once it says adopt, the stack converges", async () => {
    await resetStats(emu);
    const again = await runStack("up", withUsers(people()));
    expect(again.code, output(again)).not.toBe(0);
    expect(output(again)).toMatch(/users\["taken@example\.com"\]: userName: a user 'taken@example\.com' already exists/);
    expect((await stats(emu)).byMethod.POST).toBe(1); // taken@ only: the 999 recorded users are left alone

    const adopted = await runStack("up", withUsers(people((u) => (u[TAKEN] = { adopt: true }))));
    expectOk(adopted);
    const onServer = await serverUsers();
    expect(duplicates(onServer)).toEqual([]);
    expect(onServer.size).toBe(COUNT);
    expect(Object.keys(await stateUsers())).toHaveLength(COUNT);
    // The GroupMembers that takes members from it depends on it (destroy removes the members first).
    const resources = await stateResources();
    const collection = resources.find((r) => r.type === "pulumi-nodejs:dynamic/scim:Users");
    const members = resources.find((r) => r.type === "pulumi-nodejs:dynamic/scim:GroupMembers");
    expect(members?.dependencies).toContain(collection?.urn);
    const settled = await runStack(
      "preview",
      withUsers(
        people((u) => (u[TAKEN] = { adopt: true })),
        { flags: ["--expect-no-changes"] },
      ),
    );
    expectOk(settled);
  });

  it("preview --diff names each user added, changed and removed", async () => {
    const next = people((u) => {
      u[TAKEN] = { adopt: true };
      u["bob@example.com"] = { displayName: "Bob" };
      u["carol@example.com"] = {};
      delete u[nameOf(999)];
    });
    await resetStats(emu);
    const preview = await runStack("preview", withUsers(next, { flags: ["--diff"] }));
    expectOk(preview);
    const start = preview.stdout.indexOf(UPDATE);
    expect(start, preview.stdout).toBeGreaterThanOrEqual(0);
    const block = preview.stdout.slice(start, start + 2000);
    expect(block).toMatch(/~ bob@example\.com\s*: \{\s*\+ displayName: "Bob"\s*\}/);
    expect(block).toMatch(/\+ carol@example\.com\s*: \{\s*\+ active: true\s*\}/);
    expect(block).toMatch(/- user-0999@example\.com: \{\s*- active: true\s*\}/);
    // Only those three: the 997 others are not in the diff.
    expect(block).not.toContain("user-0998@example.com");
    expect((await stats(emu)).byMethod.POST ?? 0).toBe(0);

    expectOk(await runStack("up", withUsers(next)));
    const onServer = await serverUsers();
    expect(onServer.get("bob@example.com")?.[0]?.displayName).toBe("Bob");
    expect(onServer.has("carol@example.com")).toBe(true);
    expect(onServer.has(nameOf(999))).toBe(false);
  });

  it("refresh finds drift made in the console and the next preview shows it by name", async () => {
    const current = people((u) => {
      u[TAKEN] = { adopt: true };
      u["bob@example.com"] = { displayName: "Bob" };
      u["carol@example.com"] = {};
      delete u[nameOf(999)];
    });
    const onServer = await serverUsers();
    const alice = onServer.get("alice@example.com")?.[0]?.id as string;
    const gone = onServer.get(nameOf(998))?.[0]?.id as string;
    expect((await scim(emu, "PATCH", `/Users/${alice}`, patchOp({ op: "replace", path: "displayName", value: "Alice (console)" }))).status).toBeLessThan(300);
    expect((await scim(emu, "DELETE", `/Users/${gone}`)).status).toBe(204);

    await resetStats(emu);
    const refresh = await runStack("refresh", withUsers(current));
    expectOk(refresh);
    // Read in filtered LISTs of up to 50 ids, not one GET per user.
    const reads = await stats(emu);
    expect(reads.byMethod.GET).toBeLessThanOrEqual(Math.ceil(COUNT / 50) + 5);
    expect(refresh.stdout).toMatch(/~ .*Users people (updated|refreshed)|people.*\[diff: ~users\]/);

    const preview = await runStack("preview", withUsers(current, { flags: ["--diff"] }));
    expectOk(preview);
    const start = preview.stdout.indexOf(UPDATE);
    expect(start, preview.stdout).toBeGreaterThanOrEqual(0);
    const block = preview.stdout.slice(start, start + 2000);
    expect(block).toMatch(/~ alice@example\.com\s*: \{\s*~ displayName: "Alice \(console\)" => "Alice"\s*\}/);
    expect(block).toMatch(/\+ user-0998@example\.com: \{\s*\+ active: true\s*\}/);

    expectOk(await runStack("up", withUsers(current)));
    const after = await serverUsers();
    expect(after.get("alice@example.com")?.[0]?.displayName).toBe("Alice");
    expect(after.has(nameOf(998))).toBe(true);
    expect(duplicates(after)).toEqual([]);
  });

  it("destroy removes every user of the resource", async () => {
    const destroy = await runStack("destroy", opts);
    expectOk(destroy);
    expect((await serverUsers()).size).toBe(0);
  });
});
