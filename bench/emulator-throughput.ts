// Emulator write throughput at benchmark scale: sequential creates over real HTTP, reported per window so that
// per-write cost growth (e.g. an index rebuilt after every write) shows up as falling creates/s.
// Usage: node dist/bench/emulator-throughput.js [--users 10000] [--groups 5000] [--memberships 30000] [--state FILE]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startEmulator } from "../emulator/index";

interface Args {
  users: number;
  groups: number;
  memberships: number;
  state: string | undefined;
}

function args(): Args {
  const { values } = parseArgs({
    options: {
      users: { type: "string", default: "10000" },
      groups: { type: "string", default: "0" },
      memberships: { type: "string", default: "0" },
      state: { type: "string" },
      "temp-state": { type: "boolean", default: false },
    },
  });
  const state = values.state ?? (values["temp-state"] ? join(mkdtempSync(join(tmpdir(), "emu-bench-")), "state.json") : undefined);
  return { users: Number(values.users), groups: Number(values.groups), memberships: Number(values.memberships), state };
}

async function main(): Promise<void> {
  const a = args();
  // AWS and no federation, as the published creates/s were measured (a federated workspace also writes the account).
  const emu = await startEmulator({ port: 0, cloud: "aws", federated: false, ...(a.state ? { statePath: a.state } : {}) });
  const headers = { Authorization: `Bearer ${emu.tokens.admin}`, "Content-Type": "application/json" };
  const call = async (method: string, path: string, body: unknown): Promise<{ id?: string }> => {
    const r = await fetch(emu.workspaceUrl + path, { method, headers, body: JSON.stringify(body) });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? (JSON.parse(text) as { id?: string }) : {};
  };
  const window = 1000;
  const report = (what: string, done: number, started: number) => {
    const ms = performance.now() - started;
    console.log(`${what} ${done - window + 1}-${done}: ${((window / ms) * 1000).toFixed(0)}/s (${(ms / window).toFixed(3)} ms each)`);
  };

  const t0 = performance.now();
  const userIds: string[] = [];
  let started = performance.now();
  for (let i = 1; i <= a.users; i++) {
    userIds.push((await call("POST", "/Users", { userName: `bench-${i}@example.com` })).id as string);
    if (i % window === 0) {
      report("users", i, started);
      started = performance.now();
    }
  }
  const groupIds: string[] = [];
  started = performance.now();
  for (let i = 1; i <= a.groups; i++) {
    groupIds.push((await call("POST", "/Groups", { displayName: `bench-group-${i}` })).id as string);
    if (i % window === 0) {
      report("groups", i, started);
      started = performance.now();
    }
  }
  started = performance.now();
  for (let i = 1; i <= a.memberships && groupIds.length > 0; i++) {
    const g = groupIds[i % groupIds.length] as string;
    const u = userIds[(i * 7919) % userIds.length] as string;
    const op = { op: "add", path: "members", value: [{ value: u }] };
    await call("PATCH", `/Groups/${g}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [op] });
    if (i % window === 0) {
      report("memberships", i, started);
      started = performance.now();
    }
  }
  console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s${a.state ? ` (state file ${a.state})` : ""}`);
  await emu.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
