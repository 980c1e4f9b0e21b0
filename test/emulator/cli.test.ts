// The real CLI process: one JSON line on stdout, persistence across a clean restart and across kill -9.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpCall, patch, type Json } from "./helpers";

const ROOT = resolve(__dirname, "../..");
const CLI = join(ROOT, "dist/emulator/cli.js");

interface Started {
  proc: ChildProcessWithoutNullStreams;
  info: Json;
  /** All stdout seen so far. */
  stdout: () => string;
}

const running: ChildProcessWithoutNullStreams[] = [];

function start(args: string[]): Promise<Started> {
  const proc = spawn(process.execPath, [CLI, "--port", "0", ...args], { cwd: ROOT });
  running.push(proc);
  let out = "";
  let err = "";
  proc.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${err}`)), 15_000);
    proc.stdout.on("data", (d: Buffer) => {
      const first = out === "";
      out += d.toString();
      if (first || !out.includes("\n")) {
        const nl = out.indexOf("\n");
        if (nl >= 0) {
          clearTimeout(timer);
          resolvePromise({ proc, info: JSON.parse(out.slice(0, nl)), stdout: () => out });
        }
      }
    });
    proc.on("exit", (code) => reject(new Error(`CLI exited ${code}: ${err}`)));
  });
}

function exited(proc: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.on("exit", () => r())));
}

beforeAll(() => {
  // The CLI test runs the compiled output; make a stale build fail loudly rather than test old code.
  const built = statSync(CLI).mtimeMs;
  const sources = readdirSync(join(ROOT, "emulator"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  const newest = Math.max(...sources.map((f) => statSync(join(ROOT, "emulator", f)).mtimeMs));
  if (newest > built) throw new Error("dist/emulator is older than emulator/*.ts: run `npx tsc -p tsconfig.json` first");
});

afterAll(async () => {
  for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
});

describe("CLI", () => {
  it("prints exactly one JSON line with urls, ids, tokens and pid, then nothing else on stdout", async () => {
    const s = await start([]);
    const { info } = s;
    expect(Object.keys(info).sort()).toEqual(["accountId", "accountUrl", "pid", "tls", "tokens", "url", "workspaceId", "workspaceUrl"]);
    expect(info.tls).toBe("none: plain http, no certificate to trust; use url as DATABRICKS_HOST with its http://");
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.workspaceUrl).toBe(`${info.url}/api/2.0/preview/scim/v2`);
    expect(info.accountUrl).toBe(`${info.url}/api/2.0/accounts/${info.accountId}/scim/v2`);
    expect(info.pid).toBe(s.proc.pid);
    expect(Object.keys(info.tokens).sort()).toEqual(["accountAdmin", "admin", "user"]);
    const me = await httpCall("GET", `${info.workspaceUrl}/Me`, undefined, { token: info.tokens.admin });
    expect(me.status).toBe(200);
    expect(me.headers.get("x-databricks-org-id")).toBe(info.workspaceId);
    await httpCall("POST", `${info.workspaceUrl}/Users`, { userName: "quiet@example.com" }, { token: info.tokens.admin });
    await httpCall("GET", `${info.workspaceUrl}/Users`, undefined, { token: "bad" });
    expect(s.stdout()).toBe(JSON.stringify(info) + "\n");
    s.proc.kill("SIGTERM");
    await exited(s.proc);
    expect(s.proc.exitCode).toBe(0);
  });

  // Issue 24: on --cloud azure a service principal without applicationId is Databricks-managed (it used to be refused).
  it("--config sets tokens/ids and --cloud azure accepts a Databricks-managed SP", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-cfg-"));
    const cfg = join(dir, "config.json");
    writeFileSync(
      cfg,
      JSON.stringify({ accountId: "acc-123", workspaceId: "42", tokens: { admin: "t-admin", user: "t-user", accountAdmin: "t-acc" }, maxPageSize: 2 }),
    );
    const s = await start(["--config", cfg, "--cloud", "azure"]);
    expect(s.info.tokens).toEqual({ admin: "t-admin", user: "t-user", accountAdmin: "t-acc" });
    expect(s.info.accountId).toBe("acc-123");
    expect(s.info.workspaceId).toBe("42");
    const sp = await httpCall("POST", `${s.info.workspaceUrl}/ServicePrincipals`, { displayName: "x" }, { token: "t-admin" });
    expect(sp.status).toBe(201);
    expect(sp.body.applicationId).toMatch(/^[0-9a-f-]{36}$/);
    const nameless = await httpCall("POST", `${s.info.workspaceUrl}/ServicePrincipals`, {}, { token: "t-admin" });
    expect(nameless.status).toBe(400);
    const list = await httpCall("GET", `${s.info.workspaceUrl}/Users?count=50`, undefined, { token: "t-admin" });
    expect(list.body.itemsPerPage).toBe(2);
    s.proc.kill("SIGTERM");
    await exited(s.proc);
  });

  it("fault flags reach /__emulator/faults; a bad value exits with usage", async () => {
    const s = await start([
      "--limits",
      "databricks",
      "--limit",
      "account.PATCH=3/1:6",
      "--limit",
      "workspace.GET=off",
      "--retry-after-fraction",
      "1",
      "--concurrency",
      "2",
      "--fault-rate",
      "0.4",
      "--fault-kinds",
      "5xx,reset",
      "--fault-statuses",
      "503",
      "--latency-ms",
      "10",
      "--latency-jitter-ms",
      "5",
      "--lag-ms",
      "1500",
      "--lag-mode",
      "random",
      "--lag-ops",
      "create,delete",
      "--seed",
      "9",
    ]);
    const f = (await httpCall("GET", `${s.info.url}/__emulator/faults`)).body;
    expect(f).toMatchObject({
      seed: 9,
      limits: "custom",
      retryAfterFraction: 1,
      concurrency: { workspace: 2, account: 0 },
      // --fault-kinds leaves latency out, so --latency-ms applies on its own: to every request.
      rates: { "5xx": 0.2, reset: 0.2, lost: 0, latency: 1, "429": 0 },
      errorStatuses: [503],
      latency: { fixedMs: 10, jitterMs: 5 },
      lag: { windowMs: 1500, mode: "random", ops: ["create", "delete"] },
    });
    expect(f.rateLimits["account.PATCH"]).toEqual({ requests: 3, perSeconds: 1, burst: 6 });
    expect(f.rateLimits["workspace.GET"]).toBeNull();
    expect(f.rateLimits["account.GET"]).toEqual({ requests: 20, perSeconds: 1 });
    s.proc.kill("SIGTERM");
    await exited(s.proc);
    await expect(start(["--fault-rate", "2"])).rejects.toThrow(/faultRate must be a number in \[0, 1\]/);
  });

  it("defaults to Azure and an identity-federated workspace; --cloud aws and --no-federation give the others", async () => {
    const APP_ID = "3f2c6a1e-8b4d-4e2a-9c71-5d0e8f6b2a14";
    const trial = async (args: string[]): Promise<{ sp: number; spText: string; assign: number; assignText: string }> => {
      const s = await start(args);
      const { workspaceUrl, url, accountId, workspaceId, tokens } = s.info;
      const sp = await httpCall("POST", `${workspaceUrl}/ServicePrincipals`, { applicationId: APP_ID, displayName: "etl" }, { token: tokens.admin });
      const group = await httpCall("POST", `${s.info.accountUrl}/Groups`, { displayName: "data-engineers" }, { token: tokens.accountAdmin });
      expect(group.status).toBe(201);
      const assign = await httpCall(
        "PUT",
        `${url}/api/2.0/accounts/${accountId}/workspaces/${workspaceId}/permissionassignments/principals/${group.body.id}`,
        { permissions: ["USER"] },
        { token: tokens.accountAdmin },
      );
      s.proc.kill("SIGTERM");
      await exited(s.proc);
      return { sp: sp.status, spText: sp.text, assign: assign.status, assignText: assign.text };
    };
    // The README's Azure service principal and its workspace assignment, against an emulator started with no flags.
    expect(await trial([])).toMatchObject({ sp: 201, assign: 200 });
    const classic = await trial(["--cloud", "aws", "--no-federation"]);
    expect(classic).toMatchObject({ sp: 400, assign: 400 });
    expect(classic.spText).toContain("applicationId cannot be set; it is generated by Databricks.");
    expect(classic.assignText).toContain("Permission assignments not supported for current workspace.");
  });

  it("--latency-ms on its own delays every SCIM request by at least that much (no fault rate needed)", async () => {
    const LATENCY_MS = 400;
    const s = await start(["--latency-ms", String(LATENCY_MS)]);
    const f = (await httpCall("GET", `${s.info.url}/__emulator/faults`)).body;
    expect(f.rates).toEqual({ "5xx": 0, reset: 0, lost: 0, latency: 1, "429": 0 });
    expect(f.latency).toEqual({ fixedMs: LATENCY_MS, jitterMs: 0 });
    for (const [method, url, body] of [
      ["GET", `${s.info.workspaceUrl}/Me`, undefined],
      ["POST", `${s.info.workspaceUrl}/Users`, { userName: "slow@example.com" }],
      ["GET", `${s.info.accountUrl}/Users`, undefined],
    ] as const) {
      const token = url.startsWith(s.info.accountUrl) ? s.info.tokens.accountAdmin : s.info.tokens.admin;
      const t0 = performance.now();
      const r = await httpCall(method, url, body, { token });
      const elapsed = performance.now() - t0;
      expect(r.status).toBeLessThan(300);
      expect(elapsed).toBeGreaterThanOrEqual(LATENCY_MS);
    }
    const log = (await httpCall("GET", `${s.info.url}/__emulator/requests`)).body;
    const scim = log.requests as Json[];
    expect(scim.length).toBe(3);
    for (const entry of scim) expect(entry.addedLatencyMs).toBe(LATENCY_MS);
    s.proc.kill("SIGTERM");
    await exited(s.proc);
  });

  it("--help names every flag with its default (on stdout, exit 0)", async () => {
    const proc = spawn(process.execPath, [CLI, "--help"], { cwd: ROOT });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => proc.on("exit", (c) => r(c)));
    expect(code).toBe(0);
    const flagLines = out.split("\n").filter((l) => /^ {2}--/.test(l));
    expect(flagLines.length).toBeGreaterThanOrEqual(30);
    // Each flag's text (up to the next flag) says its default.
    const blocks = out.split(/\n(?= {2}--)/).slice(1);
    for (const b of blocks) if (!b.startsWith("  --help")) expect(b, b).toMatch(/Default: /);
    expect(out).toMatch(/--latency-ms N +Delay in milliseconds\. On its own/);
    expect(out).toContain(join(ROOT, "emulator", "README.md"));
  });

  it("--state persists across a clean restart and across kill -9", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-state-"));
    const state = join(dir, "state.json");
    const a = await start(["--state", state]);
    const tok = a.info.tokens.admin;
    const u = await httpCall("POST", `${a.info.workspaceUrl}/Users`, { userName: "persist@example.com" }, { token: tok });
    expect(u.status).toBe(201);
    const g = await httpCall("POST", `${a.info.workspaceUrl}/Groups`, { displayName: "persisted", members: [{ value: u.body.id }] }, { token: tok });
    expect(g.status).toBe(201);
    a.proc.kill("SIGTERM");
    await exited(a.proc);

    const b = await start(["--state", state]);
    // Identity (ids, tokens) is kept with the state.
    expect(b.info.tokens).toEqual(a.info.tokens);
    expect(b.info.accountId).toBe(a.info.accountId);
    const got = await httpCall("GET", `${b.info.workspaceUrl}/Groups/${g.body.id}`, undefined, { token: tok });
    expect(got.body.members.map((m: Json) => m.value)).toEqual([u.body.id]);
    // A burst of acknowledged writes, then kill -9 right after the last 2xx.
    const created: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await httpCall("POST", `${b.info.workspaceUrl}/Users`, { userName: `burst${i}@example.com` }, { token: tok });
      expect(r.status).toBe(201);
      created.push(r.body.id);
    }
    const p = await httpCall(
      "PATCH",
      `${b.info.workspaceUrl}/Groups/${g.body.id}`,
      patch({ op: "add", path: "members", value: created.map((value) => ({ value })) }),
      { token: tok },
    );
    expect(p.status).toBe(200);
    b.proc.kill("SIGKILL");
    await exited(b.proc);

    const c2 = await start(["--state", state]);
    const after = await httpCall("GET", `${c2.info.workspaceUrl}/Groups/${g.body.id}`, undefined, { token: tok });
    expect(after.status).toBe(200);
    expect(after.body.members.map((m: Json) => m.value).sort()).toEqual([u.body.id, ...created].sort());
    const acc = await httpCall("GET", `${c2.info.accountUrl}/Users?filter=${encodeURIComponent('userName eq "burst19@example.com"')}`, undefined, {
      token: c2.info.tokens.accountAdmin,
    });
    expect(acc.body.totalResults).toBe(1);
    // No temp files left behind.
    expect(readdirSync(dir)).toEqual(["state.json"]);
    c2.proc.kill("SIGTERM");
    await exited(c2.proc);
  });
});
