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
  const emu = await startEmulatorProcess(["--port", port, "--state", path.join(workDir, "emulator-state.json")]);
  console.log(`Local Databricks SCIM emulator at ${emu.url}`);
  fs.writeFileSync(portFile, new URL(emu.url).port);

  try {
    // The token reaches the provider through the environment only: never the program, never the state.
    process.env.DATABRICKS_HOST = emu.url;
    process.env.DATABRICKS_TOKEN = emu.tokens.admin;
    const program = (require(path.join(REPO_ROOT, "dist", "examples", "quickstart", "index.js")) as {
      default: () => Promise<Record<string, unknown>>;
    }).default;
    const stack = await openStack({
      workDir,
      stackName: "quickstart",
      program,
      env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin },
    });
    const up = await stack.up({ onOutput: (s) => process.stdout.write(s), color: "never" });
    console.log(`\npulumi up: ${JSON.stringify(up.summary.resourceChanges)}`);

    const res = await request(`${emu.workspaceUrl}/Users?attributes=userName,displayName,active,entitlements`, {
      headers: { authorization: `Bearer ${emu.tokens.admin}` },
    });
    const body = (await res.body.json()) as {
      Resources?: { id: string; userName: string; displayName?: string; active?: boolean; entitlements?: { value: string }[] }[];
    };
    console.log("\nUsers in the workspace now:");
    for (const u of body.Resources ?? []) {
      const ent = (u.entitlements ?? []).map((e) => e.value).join(", ");
      console.log(`  ${u.id}  ${u.userName.padEnd(24)} ${String(u.displayName ?? "").padEnd(20)} active=${u.active}  ${ent}`);
    }
    console.log(`\nState: ${workDir}/.state   (run \`npm start\` again: nothing changes)`);
  } finally {
    await emu.stop();
  }
}

main().catch((err: unknown) => {
  // The CLI's output was already streamed; its stderr holds only the errors.
  const e = err as { stderr?: string; message?: string };
  console.error(`\nquickstart failed: ${(e.stderr ?? e.message ?? String(err)).trim().split("\n").slice(-5).join("\n")}`);
  process.exit(1);
});
