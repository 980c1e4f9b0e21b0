#!/usr/bin/env node
/**
 * `npm start`: starts the local Databricks SCIM emulator, runs `pulumi up` of the quickstart program (the one
 * the root Pulumi.yaml names) against it with a local file backend, and prints what the workspace now holds.
 * The emulator keeps its state in .work/quickstart/, so a second run shows the program is already applied.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { request } from "undici";
import { startEmulatorProcess } from "./emulatorProcess";
import { REPO_ROOT, openStack, pulumiBinDir } from "./engine";

async function main(): Promise<void> {
  const workDir = path.join(REPO_ROOT, ".work", "quickstart");
  fs.mkdirSync(workDir, { recursive: true });

  // Fail fast, with instructions, if no CLI can be found or built.
  pulumiBinDir();

  // The same port every run: the workspace URL is part of each resource's state, and a new URL would mean a
  // different workspace (a replacement). The first run takes a free port and remembers it.
  const portFile = path.join(workDir, "emulator-port");
  const port = fs.existsSync(portFile) ? fs.readFileSync(portFile, "utf8").trim() : "0";
  // AWS: the quickstart's service principal has Databricks generate its applicationId.
  const emu = await startEmulatorProcess(["--cloud", "aws", "--port", port, "--state", path.join(workDir, "emulator-state.json")]);
  console.log(`Local Databricks SCIM emulator at ${emu.url}`);
  fs.writeFileSync(portFile, new URL(emu.url).port);

  try {
    // The token reaches the provider through the environment only: never the program, never the state.
    process.env.DATABRICKS_HOST = emu.url;
    process.env.DATABRICKS_TOKEN = emu.tokens.admin;
    // A compiled program loaded by path at run time, as the Node.js language host loads one.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(path.join(REPO_ROOT, "dist", "examples", "quickstart", "index.js")) as { default: () => Promise<Record<string, unknown>> };
    const program = loaded.default;
    const stack = await openStack({
      workDir,
      stackName: "quickstart",
      program,
      env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin },
    });
    const up = await stack.up({ onOutput: (s) => process.stdout.write(s), color: "never" });
    console.log(`\npulumi up: ${JSON.stringify(up.summary.resourceChanges)}`);

    await printWorkspace(emu.workspaceUrl, emu.tokens.admin);
    console.log(`\nState: ${workDir}/.state   (run \`npm start\` again: nothing changes)`);
  } finally {
    await emu.stop();
  }
}

interface Principal {
  id: string;
  userName?: string;
  displayName?: string;
  applicationId?: string;
  active?: boolean;
  entitlements?: { value: string }[];
  members?: { value: string; display?: string }[];
}

/** Every item of one collection (pages of 100). */
async function listAll(base: string, token: string, resource: string): Promise<Principal[]> {
  const out: Principal[] = [];
  for (;;) {
    const sep = resource.includes("?") ? "&" : "?";
    const res = await request(`${base}/${resource}${sep}count=100&startIndex=${out.length + 1}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = (await res.body.json()) as { totalResults: number; Resources?: Principal[] };
    out.push(...(page.Resources ?? []));
    if (!page.Resources?.length || out.length >= page.totalResults) return out;
  }
}

/** What the workspace holds now: users, service principals, and groups with their direct members. */
async function printWorkspace(base: string, token: string): Promise<void> {
  const entitlements = (p: Principal) => (p.entitlements ?? []).map((e) => e.value).join(", ");
  const users = await listAll(base, token, "Users?attributes=userName,displayName,active,entitlements");
  console.log("\nUsers in the workspace now:");
  for (const u of users) {
    console.log(`  ${u.id.padEnd(17)} ${String(u.userName).padEnd(24)} ${String(u.displayName ?? "").padEnd(20)} active=${u.active}  ${entitlements(u)}`);
  }
  const sps = await listAll(base, token, "ServicePrincipals?attributes=applicationId,displayName,active,entitlements");
  console.log("\nService principals:");
  for (const sp of sps) {
    console.log(`  ${sp.id.padEnd(17)} ${String(sp.displayName ?? "").padEnd(24)} ${sp.applicationId}  active=${sp.active}  ${entitlements(sp)}`);
  }
  // The list carries members; entitlements need a GET per group (Databricks computes them per group).
  const groups = await listAll(base, token, "Groups?attributes=displayName,members");
  const names = new Map<string, string>();
  for (const p of [...users, ...sps, ...groups]) names.set(p.id, String(p.userName ?? p.displayName ?? p.applicationId));
  console.log("\nGroups (direct members):");
  for (const g of groups) {
    const res = await request(`${base}/Groups/${g.id}?attributes=entitlements`, { headers: { authorization: `Bearer ${token}` } });
    const ent = entitlements((await res.body.json()) as Principal);
    const members = (g.members ?? []).map((m) => names.get(m.value) ?? m.display ?? m.value).join(", ");
    console.log(`  ${g.id.padEnd(17)} ${String(g.displayName).padEnd(24)} ${ent ? `[${ent}] ` : ""}members: ${members || "(none)"}`);
  }
}

main().catch((err: unknown) => {
  // The CLI's output was already streamed; its stderr holds only the errors.
  const e = err as { stderr?: string; message?: string };
  console.error(`\nquickstart failed: ${(e.stderr ?? e.message ?? String(err)).trim().split("\n").slice(-5).join("\n")}`);
  process.exit(1);
});
