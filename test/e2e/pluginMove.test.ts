/**
 * Moving a stack from the dynamic resources to the plugin's types with `pulumi-databricks-scim-to-plugin`, through
 * the real CLI: a stack made by the TypeScript classes (users, a group, memberships), moved, and a program
 * declaring the plugin's types previews no changes; the emulator saw only GETs during the move.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineEnv, pulumiBinDir } from "../../scripts/engine";
import { startImportLanguageHost, type StandInHost } from "../../scripts/importLanguageHost";
import { pluginBinDir } from "../../scripts/pluginBin";
import type { PluginSpec } from "../programs/pluginResources";
import { REPO, expectOk, requestLog, resetStats, runStack, startEmulator, workDir, type RunningEmulator } from "./harness";

const PROGRAM = path.join(REPO, "dist", "test", "programs", "pluginResources.js");
const BIN = path.join(REPO, "dist", "provider", "plugin", "toPluginCli.js");

let emu: RunningEmulator;
let langHost: StandInHost;

beforeAll(async () => {
  emu = await startEmulator();
  langHost = await startImportLanguageHost();
});

afterAll(async () => {
  await langHost?.stop();
  await emu?.stop();
});

describe("pulumi-databricks-scim-to-plugin", () => {
  it("moves a dynamic stack (users, a group, memberships) to the plugin's types with GETs only; the plugin program previews no changes", async () => {
    const dir = workDir("plugin-move");
    const dynamic = {
      users: { u1: { userName: "mv1@example.com", displayName: "Mv One" }, u2: { userName: "mv2@example.com" } },
      groups: { g: { displayName: "mv-group" } },
      memberships: { "g-u1": { group: "g", member: "u1" }, "g-u2": { group: "g", member: "u2" } },
    };
    const pathEnv = [pluginBinDir(dir), pulumiBinDir(), process.env.PATH ?? ""].join(path.delimiter);
    const target = { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin };
    const up = await runStack("up", { workDir: dir, env: target, config: { spec: JSON.stringify(dynamic) } });
    expectOk(up);
    expect(up.result?.summary).toMatchObject({ resourceChanges: { create: 6 } }); // 5 and the stack

    await resetStats(emu);
    const env = {
      HOME: process.env.HOME ?? "",
      ...engineEnv(dir, pulumiBinDir(), { PULUMI_DEBUG_LANGUAGES: `nodejs:${langHost.port}` }),
      ...target,
      PATH: pathEnv,
    };
    const moved = await promisify(execFile)(process.execPath, [BIN, "--stack", "test"], { cwd: dir, env });
    expect(moved.stdout).toContain("Moving 5 resources");
    expect(moved.stdout).toMatch(/= 5 imported/);
    expect(moved.stdout).toContain("Deleted 5 dynamic entries from the state");
    expect(moved.stdout).toMatch(/databricks-scim:index:GroupMembership {2}g-u1 {2}\(id \d+\|\d+\)/);
    const methods = new Set((await requestLog(emu)).map((r) => r.method));
    expect([...methods]).toEqual(["GET"]);

    const ids = Object.fromEntries(
      [...moved.stdout.matchAll(/databricks-scim:index:\w+ {2}(\S+) {2}\(id ([^)]+)\)/g)].map((m) => [m[1] as string, m[2] as string]),
    );
    const plugin: PluginSpec = {
      resources: [
        { name: "u1", type: "User", props: { userName: "mv1@example.com", displayName: "Mv One" } },
        { name: "u2", type: "User", props: { userName: "mv2@example.com" } },
        { name: "g", type: "Group", props: { displayName: "mv-group" } },
        { name: "g-u1", type: "GroupMembership", props: { groupId: "${g.id}", memberId: "${u1.id}" } },
        { name: "g-u2", type: "GroupMembership", props: { groupId: "${g.id}", memberId: "${u2.id}" } },
      ],
    };
    expect(Object.keys(ids).sort()).toEqual(["g", "g-u1", "g-u2", "u1", "u2"]);
    const preview = await runStack("preview", {
      workDir: dir,
      program: PROGRAM,
      env: { ...target, PATH: pathEnv },
      config: { spec: JSON.stringify(plugin) },
      flags: ["--diff", "--expect-no-changes"],
    });
    expectOk(preview);
    expect(preview.result?.changeSummary).toEqual({ same: 6 }); // the 5 moved and the stack
  });
});
