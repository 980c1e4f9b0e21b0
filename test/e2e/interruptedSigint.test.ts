/**
 * Interrupted runs, the way a person (or a CI timeout) interrupts them: Ctrl-C twice, i.e. SIGINT twice to the
 * `pulumi` process, during `up` of users, groups, service principals without applicationId (names are not
 * unique: the dangerous case) and memberships. The CLI's own handling: the first SIGINT cancels, the second
 * terminates at once and leaves the creates in flight as pending operations in the state. Then everything local
 * is deleted except the state (the create journal included), as on a fresh CI runner, and the recovery of README
 * "Interrupted runs" runs: `pulumi stack export | pulumi-databricks-scim-recover`, `pulumi up`, then
 * `pulumi refresh --clear-pending-creates`. It must end with exactly the program's identities (nothing missing,
 * nothing duplicated, no "already exists"), and the pending-operations warning, which every `up` repeats until
 * that refresh, gone after it.
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentitySpec } from "../programs/identities";
import { REPO, listAll, output, runStack, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";
import { parentOf } from "./processes";

interface Principal {
  id: string;
  userName?: string;
  displayName?: string;
  members?: { value: string }[];
}

const USERS = 12;
const GROUPS = 4;
const SPS = 8;
const PENDING_WARNING = "pending operations from previous deployment";

function spec(): IdentitySpec {
  const users: NonNullable<IdentitySpec["users"]> = {};
  const groups: NonNullable<IdentitySpec["groups"]> = {};
  const servicePrincipals: NonNullable<IdentitySpec["servicePrincipals"]> = {};
  const memberships: NonNullable<IdentitySpec["memberships"]> = {};
  for (let i = 0; i < USERS; i++) users[`u${i}`] = { userName: `sigint-user-${i}@example.com` };
  for (let g = 0; g < GROUPS; g++) groups[`g${g}`] = { displayName: `sigint-group-${g}` };
  for (let s = 0; s < SPS; s++) servicePrincipals[`sp${s}`] = { displayName: `sigint-sp-${s}` };
  for (let k = 0; k < USERS; k++) memberships[`m${k}`] = { group: `g${k % GROUPS}`, member: `u${k}` };
  return { users, groups, servicePrincipals, memberships };
}

let emu: RunningEmulator;
let opts: StackOptions;

async function ours(): Promise<{ users: Principal[]; groups: Principal[]; sps: Principal[] }> {
  return {
    users: (await listAll<Principal>(emu, "Users?attributes=userName")).filter((u) => u.userName?.startsWith("sigint-")),
    groups: (await listAll<Principal>(emu, "Groups?attributes=displayName,members")).filter((g) => g.displayName?.startsWith("sigint-")),
    sps: (await listAll<Principal>(emu, "ServicePrincipals?attributes=displayName")).filter((s) => s.displayName?.startsWith("sigint-")),
  };
}

/** The `pulumi` CLI below `root` (the Automation API starts it from stack.js), from /proc. */
function pulumiPid(root: number): number | undefined {
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "pulumi" && parentOf(pid) === root) return Number(pid);
    } catch {
      // exited meanwhile
    }
  }
  return undefined;
}

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  for (const start = Date.now(); !(await cond());) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  emu = await startEmulator(["--cloud", "aws"]); // service principals with generated applicationIds (AWS)
  opts = {
    workDir: workDir("sigint"),
    env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin },
    config: { spec: JSON.stringify(spec()) },
  };
});

afterAll(async () => {
  await emu?.stop();
});

describe("`pulumi up` interrupted by Ctrl-C twice, recovered on a machine without the run's files", () => {
  it("converges from the state alone: nothing missing, no duplicate service principal, no 'already exists'", async () => {
    // The emulator holds every POST it receives until released (/__emulator/hold): the ^C lands while creates are
    // on the server and unanswered, however slow the machine. (A fixed latency, 8, 20 then 45 s, raced the CLI:
    // the client's four workspace slots made requests move in waves, an answered POST meant its whole wave was
    // answered, and the ^C then often found only look-up GETs in flight, so no pending create had an object.)
    await hold(["POST"]);
    let child: ChildProcess | undefined;
    let seen = "";
    const running = runStack("up", {
      ...opts,
      onSpawn: (c) => {
        child = c;
        c.stdout?.on("data", (d: Buffer) => (seen += d.toString()));
      },
    });
    // 300 s: only a bound for a CLI that never gets going; the condition (or the up's end) decides.
    await until("a POST of the program's objects in flight", async () => (await postsInFlight()).length > 0 || child?.exitCode !== null, 300_000);
    expect(await postsInFlight(), `the up ended before any create reached the server:\n${seen}`).not.toEqual([]);
    const cli = pulumiPid(child!.pid!);
    expect(cli, "the pulumi CLI process").toBeDefined();
    process.kill(cli!, "SIGINT");
    await until("the CLI's answer to the first ^C", () => seen.includes("^C received; cancelling"));
    process.kill(cli!, "SIGINT");
    const run = await running;
    expect(output(run)).toContain("^C received; terminating");
    expect(run.code).not.toBe(0);
    // Exactly these creates are on the server, unanswered, now that the CLI has gone (held: none can be answered).
    const interrupted = (await postsInFlight()).sort();
    expect(interrupted.length, "creates held on the server when the CLI terminated").toBeGreaterThan(0);
    expect(new Set(interrupted).size, `one POST per name: ${interrupted.join(", ")}`).toBe(interrupted.length);

    // What the dead run left: pending creates in the state (the engine writes them before each create).
    const exported = await runStack("export", opts);
    expect(exported.code, output(exported)).toBe(0);
    const deployment = (exported.result as { deployment: Deployment }).deployment;
    const pendingNames = (deployment.pending_operations ?? []).filter((o) => o.type === "creating").map((o) => nameOf(o.resource.inputs));
    // Every interrupted create is a pending create, and no resource of the state has its object.
    expect(
      interrupted.filter((n) => !pendingNames.includes(n)),
      `pending creates: ${pendingNames.join(", ")}`,
    ).toEqual([]);
    expect((deployment.resources ?? []).map((r) => nameOf(r.outputs ?? {})).filter((n) => interrupted.includes(n))).toEqual([]);

    // The server applies them after the CLI has gone: the dangerous case, objects nowhere in the state.
    await release();
    await until("the interrupted creates to be answered", async () => (await postsInFlight()).length === 0, 60_000);
    const applied = await byName();
    expect(
      interrupted.filter((n) => !applied.has(n)),
      "interrupted creates applied",
    ).toEqual([]);

    // A fresh runner: only the state survives (no journal, no Pulumi.yaml, no CLI home).
    await until("the run's processes to exit", () => !fs.readdirSync("/proc").some((p) => /^\d+$/.test(p) && cwdIs(p, opts.workDir)), 30_000);
    await until("the dead run's last requests to be answered", async () => (await postsInFlight()).length === 0, 60_000);
    for (const f of fs.readdirSync(opts.workDir)) if (f !== ".state") fs.rmSync(path.join(opts.workDir, f), { recursive: true, force: true });
    const locks = path.join(opts.workDir, ".state", ".pulumi", "locks");
    if (fs.existsSync(locks) && (fs.readdirSync(locks, { recursive: true }) as string[]).some((f) => f.endsWith(".json"))) {
      const cancel = await runStack("cancel", opts);
      expect(cancel.code, output(cancel)).toBe(0);
    }

    // Recovery: the state's pending creates into the journal, then `up`.
    const stateFile = path.join(opts.workDir, "exported.json");
    fs.writeFileSync(stateFile, JSON.stringify(exported.result));
    const noted = execFileSync(path.join(REPO, "node_modules", ".bin", "node"), [path.join(REPO, "dist", "provider", "recoverCli.js"), stateFile], {
      cwd: opts.workDir,
      encoding: "utf8",
    });
    expect(noted).toMatch(/pending creates? of users, groups and service principals noted/);
    fs.rmSync(stateFile);

    const up = await runStack("up", opts);
    expect(up.code, output(up)).toBe(0);
    expect(output(up)).not.toContain("already exists");
    // The engine warns on every `up` while pending creates are in the state, whatever the provider did.
    expect(output(up)).toContain(PENDING_WARNING);

    const { users, groups, sps } = await ours();
    // Recovered, not made again: the interrupted creates' objects are the ones the server applied after the CLI died.
    const after = await byName();
    expect(interrupted.map((n) => [n, after.get(n)])).toEqual(interrupted.map((n) => [n, applied.get(n)]));
    const s = spec();
    expect(users.map((u) => u.userName).sort()).toEqual(
      Object.values(s.users!)
        .map((u) => u.userName)
        .sort(),
    );
    expect(groups.map((g) => g.displayName).sort()).toEqual(
      Object.values(s.groups!)
        .map((g) => g.displayName)
        .sort(),
    );
    // One principal per name: none duplicated by a repeated POST.
    expect(sps.map((p) => p.displayName).sort()).toEqual(
      Object.values(s.servicePrincipals!)
        .map((p) => p.displayName)
        .sort(),
    );
    const userName = new Map(users.map((u) => [u.id, u.userName]));
    for (const [name, g] of Object.entries(s.groups!)) {
      const want = Object.values(s.memberships!)
        .filter((m) => m.group === name)
        .map((m) => s.users![m.member as string]!.userName)
        .sort();
      const have = (groups.find((x) => x.displayName === g.displayName)!.members ?? []).map((m) => userName.get(m.value)).sort();
      expect(have, `members of ${String(g.displayName)}`).toEqual(want);
    }

    // The warning stops once the pending creates are cleared (README: the one command that does it).
    const refresh = await runStack("refresh", { ...opts, flags: ["--clear-pending-creates"] });
    expect(refresh.code, output(refresh)).toBe(0);
    const again = await runStack("up", opts);
    expect(again.code, output(again)).toBe(0);
    expect(output(again)).not.toContain(PENDING_WARNING);
    const preview = await runStack("preview", { ...opts, flags: ["--expect-no-changes"] });
    expect(preview.code, output(preview)).toBe(0);
  });
});

/** Holds the emulator's SCIM requests of these methods, once received, until `release()` (/__emulator/hold). */
async function hold(methods: string[]): Promise<void> {
  const r = await fetch(`${emu.url}/__emulator/hold`, { method: "POST", body: JSON.stringify({ methods }), headers: { "content-type": "application/json" } });
  expect(r.status, await r.text()).toBe(200);
}

async function release(): Promise<void> {
  const r = await fetch(`${emu.url}/__emulator/hold`, { method: "DELETE" });
  expect(r.status, await r.text()).toBe(200);
}

/** Names of the program's objects whose create (POST) the emulator has received and not answered yet. */
async function postsInFlight(): Promise<string[]> {
  const r = await fetch(`${emu.url}/__emulator/in-flight`);
  const { requests } = (await r.json()) as { requests: { method: string; name?: string }[] };
  return requests.filter((q) => q.method === "POST" && q.name?.startsWith("sigint-")).map((q) => q.name as string);
}

/** The program's objects on the server: name → id (user name, or display name). */
async function byName(): Promise<Map<string, string>> {
  const o = await ours();
  return new Map([...o.users.map((u) => [u.userName, u.id]), ...o.groups.map((g) => [g.displayName, g.id]), ...o.sps.map((p) => [p.displayName, p.id])] as [
    string,
    string,
  ][]);
}

interface Deployment {
  resources?: { outputs?: Record<string, unknown> }[];
  pending_operations?: { type: string; resource: { inputs: Record<string, unknown> } }[];
}

/** The user name or display name in a resource's inputs or outputs. */
function nameOf(props: Record<string, unknown>): string {
  return String(props.userName ?? props.displayName);
}

function cwdIs(pid: string, dir: string): boolean {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`) === dir;
  } catch {
    return false;
  }
}
