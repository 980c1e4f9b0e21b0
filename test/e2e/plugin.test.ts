/**
 * The provider plugin (pulumi-resource-databricks-scim) through the real engine: the `pulumi` CLI finds the plugin
 * on PATH, a program declares resources by their schema tokens (as every language's SDK does), and the plugin
 * serves them with the same lifecycles as the dynamic resources. One stack, in order: up, a change with its
 * detailed diff, drift, `pulumi import` through the CLI, a bad provider setting, destroy.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineEnv, pulumiBinDir } from "../../scripts/engine";
import { startImportLanguageHost, type StandInHost } from "../../scripts/importLanguageHost";
import { pluginBinDir } from "../../scripts/pluginBin";
import type { PluginSpec } from "../programs/pluginResources";
import {
  REPO,
  expectOk,
  listAll,
  output,
  requestLog,
  resetStats,
  runStack,
  scim,
  startEmulator,
  workDir,
  type LoggedRequest,
  type RunningEmulator,
  type StackOptions,
} from "./harness";

const PROGRAM = path.join(REPO, "dist", "test", "programs", "pluginResources.js");

interface User {
  id: string;
  userName: string;
  displayName?: string;
  entitlements?: { value: string }[];
}

let emu: RunningEmulator;
let opts: StackOptions;
let dir: string;
let langHost: StandInHost;

const user = (name: string, props: Record<string, unknown>) => ({ name, type: "User", props });
const members = (m: Record<string, string>) => ({ name: "eng-members", type: "GroupMembers", props: { groupId: "${eng.id}", members: m } });
const eng = { name: "eng", type: "Group", props: { displayName: "eng" } };

const first: PluginSpec = {
  resources: [
    user("alice", { userName: "alice@example.com", displayName: "Alice", entitlements: ["allow-cluster-create"] }),
    user("bob", { userName: "bob@example.com" }),
    eng,
    members({ "alice@example.com": "${alice.id}", "bob@example.com": "${bob.id}" }),
  ],
};

const changed: PluginSpec = {
  resources: [
    user("alice", { userName: "alice@example.com", displayName: "Alice A", entitlements: ["databricks-sql-access"] }),
    user("bob", { userName: "bob@example.com" }),
    user("carol", { userName: "carol@example.com" }),
    eng,
    members({ "alice@example.com": "${alice.id}", "carol@example.com": "${carol.id}" }),
  ],
};

const run = (command: string, spec: PluginSpec, extra: Partial<StackOptions> = {}) =>
  runStack(command, { ...opts, program: PROGRAM, config: { ...opts.config, spec: JSON.stringify(spec) }, ...extra });

async function users(): Promise<Map<string, User>> {
  const all = await listAll<User>(emu, "Users?attributes=userName,displayName,entitlements");
  return new Map(all.map((u) => [u.userName, u]));
}

async function memberNames(groupId: string): Promise<string[]> {
  const g = await scim<{ members?: { display?: string; value: string }[] }>(emu, "GET", `/Groups/${groupId}`);
  const byId = new Map([...(await users()).values()].map((u) => [u.id, u.userName]));
  return (g.body.members ?? []).map((m) => byId.get(m.value) ?? m.value).sort();
}

/** `pulumi import` as a user types it, in the stack's folder, with the stack's backend and the plugin on PATH. */
async function cliImport(...args: string[]): Promise<{ code: number; text: string }> {
  const env = engineEnv(dir, pulumiBinDir(), { PULUMI_DEBUG_LANGUAGES: `nodejs:${langHost.port}` });
  env.PATH = [pluginBinDir(dir), env.PATH].join(path.delimiter);
  try {
    const r = await promisify(execFile)(path.join(pulumiBinDir(), "pulumi"), ["import", ...args, "--stack", "test", "--yes", "--non-interactive"], {
      cwd: dir,
      env: { HOME: process.env.HOME ?? "", ...env },
    });
    return { code: 0, text: `${r.stdout}\n${r.stderr}` };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, text: `${err.stdout ?? ""}\n${err.stderr ?? ""}` };
  }
}

beforeAll(async () => {
  emu = await startEmulator();
  langHost = await startImportLanguageHost();
  dir = workDir("plugin");
  opts = {
    workDir: dir,
    env: { PATH: [pluginBinDir(dir), process.env.PATH ?? ""].join(path.delimiter) },
    config: { "databricks-scim:host": emu.url },
    secrets: { "databricks-scim:token": emu.tokens.admin },
  };
});

afterAll(async () => {
  await langHost?.stop();
  await emu?.stop();
});

describe("the provider plugin through the real pulumi CLI", () => {
  it("creates users, a group and its members from the plugin's type tokens, configured by stack config with a secret token", async () => {
    const up = await run("up", first);
    expectOk(up);
    expect(output(up)).toContain("using pulumi-resource-databricks-scim from $PATH");
    expect(up.result?.summary).toMatchObject({ resourceChanges: { create: 5 } }); // 4 resources and the default provider
    const now = await users();
    expect(now.get("alice@example.com")?.entitlements?.map((e) => e.value)).toEqual(["allow-cluster-create"]);
    expect(await memberNames(await groupId())).toEqual(["alice@example.com", "bob@example.com"]);

    // The stored state, as the file backend writes it (an export through the Automation API shows secrets).
    const text = fs.readFileSync(path.join(dir, ".state", ".pulumi", "stacks", "databricks-scim", "test.json"), "utf8");
    expect(text).not.toContain(emu.tokens.admin); // the provider's token is a secret: ciphertext in the state
    const resources = (JSON.parse(text) as { checkpoint: { latest: { resources: { type: string; inputs?: Record<string, unknown> }[] } } }).checkpoint.latest
      .resources;
    const provider = resources.find((r) => r.type === "pulumi:providers:databricks-scim");
    expect(provider?.inputs?.token).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: expect.any(String) });
    expect(text).not.toContain("__provider"); // no serialized provider per resource
    expect(resources.filter((r) => r.type === "databricks-scim:index:User")).toHaveLength(2);
  });

  it("previews a change with a detailed diff: fields, entitlements and members by name", async () => {
    const preview = await run("preview", changed, { flags: ["--diff"] });
    expectOk(preview);
    const text = output(preview);
    expect(text).toContain('~ displayName : "Alice" => "Alice A"');
    expect(text).toMatch(/~ entitlements: \[\s+~ \[0\]: "allow-cluster-create" => "databricks-sql-access"\s+\]/);
    expect(text).toMatch(/~ members: \{\s+- bob@example\.com\s*: "\d+"\s+\+ carol@example\.com: \[unknown\]\s+\}/);
    const steps = (preview.result?.steps as { op: string; urn: string; diffs: string[] }[]).filter((s) => !s.urn.includes("pulumi:providers"));
    expect(steps).toHaveLength(3); // in the engine's order, which varies
    expect(steps).toEqual(
      expect.arrayContaining([
        { op: "update", urn: expect.stringContaining("User::alice"), diffs: ["displayName", "entitlements"] },
        { op: "create", urn: expect.stringContaining("User::carol"), diffs: [] },
        { op: "update", urn: expect.stringContaining("GroupMembers::eng-members"), diffs: ["members"] },
      ]),
    );

    expectOk(await run("up", changed));
    const now = await users();
    expect(now.get("alice@example.com")).toMatchObject({ displayName: "Alice A", entitlements: [{ value: "databricks-sql-access" }] });
    expect(await memberNames(await groupId())).toEqual(["alice@example.com", "carol@example.com"]);
  });

  it("shows drift made in the admin console on refresh, and up restores the program's values", async () => {
    const alice = (await users()).get("alice@example.com") as User;
    await scim(emu, "PATCH", `/Users/${alice.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "displayName", value: "Alice (edited)" }],
    });
    const refresh = await run("refresh", changed);
    expectOk(refresh);
    expect(refresh.result?.summary).toMatchObject({ resourceChanges: { update: 1 } });
    const preview = await run("preview", changed, { flags: ["--diff"] });
    expect(output(preview)).toMatch(/~ displayName\s*: "Alice \(edited\)" => "Alice A"/);
    expectOk(await run("up", changed));
    expect((await users()).get("alice@example.com")?.displayName).toBe("Alice A");
  });

  it("imports an existing user with `pulumi import databricks-scim:index:User`, and the next preview shows no changes", async () => {
    const created = await scim<{ id: string }>(emu, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "dave@example.com",
      displayName: "Dave",
    });
    const imported = await cliImport("databricks-scim:index:User", "dave", created.body.id, "--protect=false", "--generate-code=false");
    expect(imported.code, imported.text).toBe(0);
    expect(imported.text).toMatch(/= 1 imported/);
    const withDave: PluginSpec = { resources: [...changed.resources, user("dave", { userName: "dave@example.com", displayName: "Dave" })] };
    const preview = await run("preview", withDave, { flags: ["--diff", "--expect-no-changes"] });
    expectOk(preview);
    expect(preview.result?.changeSummary).not.toHaveProperty("update");
    expect(preview.result?.changeSummary).not.toHaveProperty("create");

    // The `import` resource option: the same read, by `up`; the preview that follows shows no changes either.
    const erin = await scim<{ id: string }>(emu, "POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "erin@example.com" });
    const withErin: PluginSpec = { resources: [...withDave.resources, { ...user("erin", { userName: "erin@example.com" }), import: erin.body.id }] };
    const up = await run("up", withErin);
    expectOk(up);
    expect(up.result?.summary).toMatchObject({ resourceChanges: { import: 1 } });
    const withErinDeclared: PluginSpec = { resources: [...withDave.resources, user("erin", { userName: "erin@example.com" })] };
    expectOk(await run("preview", withErinDeclared, { flags: ["--expect-no-changes"] }));
    // From here on the program declares both imported users (the later steps run it as `changed`).
    changed.resources.push(user("dave", { userName: "dave@example.com", displayName: "Dave" }), user("erin", { userName: "erin@example.com" }));
  });

  it("refuses a bad provider setting at preview, naming the setting and the fix", async () => {
    const preview = await run("preview", changed, { config: { ...opts.config, spec: JSON.stringify(changed), "databricks-scim:level": "wrkspace" } });
    expect(preview.code).not.toBe(0);
    expect(output(preview)).toContain(
      'databricks-scim:level must be "workspace" or "account", got "wrkspace": `pulumi config set databricks-scim:level workspace`',
    );
    expect(output(preview)).not.toContain(emu.tokens.admin);
    expectOk(await run("preview", changed, { config: { ...opts.config, spec: JSON.stringify(changed), "databricks-scim:level": "workspace" } }));
  });

  it("destroys everything it made", async () => {
    const destroy = await run("destroy", changed);
    expectOk(destroy);
    const left = [...(await users()).keys()].filter((u) => /^(alice|bob|carol|dave|erin)@/.test(u));
    expect(left).toEqual([]);
  });
});

async function groupId(): Promise<string> {
  const all = await listAll<{ id: string; displayName: string }>(emu, "Groups?attributes=displayName");
  return all.find((g) => g.displayName === "eng")?.id ?? "";
}

/** A request as both front doors must send it: ids (which differ between emulators) replaced by a placeholder. */
function exchange(r: LoggedRequest): string {
  const ids = (t: string) => t.replace(/\d{6,}/g, "{id}");
  return `${r.method} ${ids(r.path)}${r.query ? `?${ids(decodeURIComponent(r.query))}` : ""} -> ${r.status}`;
}

describe("the plugin and the dynamic resources send the same requests for the same program", () => {
  // The program sets `deletedWith: group` on the memberships, as the TypeScript classes do for their users: the
  // engine then skips their deletes when the group goes (a Python program passes deleted_with=group).
  it("up and destroy of users, a group and its memberships: the same exchanges, in any order", async () => {
    const [a, b] = [await startEmulator(), await startEmulator()];
    try {
      const dynamic = {
        users: { u1: { userName: "u1@example.com", displayName: "U One" }, u2: { userName: "u2@example.com" } },
        groups: { g: { displayName: "g" } },
        memberships: { "g-u1": { group: "g", member: "u1" }, "g-u2": { group: "g", member: "u2" } },
      };
      const plugin: PluginSpec = {
        resources: [
          user("u1", { userName: "u1@example.com", displayName: "U One" }),
          user("u2", { userName: "u2@example.com" }),
          { name: "g", type: "Group", props: { displayName: "g" } },
          { name: "g-u1", type: "GroupMembership", props: { groupId: "${g.id}", memberId: "${u1.id}" }, deletedWith: "g" },
          { name: "g-u2", type: "GroupMembership", props: { groupId: "${g.id}", memberId: "${u2.id}" }, deletedWith: "g" },
        ],
      };
      const dynOpts: StackOptions = {
        workDir: workDir("plugin-same-dynamic"),
        env: { DATABRICKS_HOST: a.url, DATABRICKS_TOKEN: a.tokens.admin },
        config: { spec: JSON.stringify(dynamic) },
      };
      const plgDir = workDir("plugin-same-plugin");
      const plgOpts: StackOptions = {
        workDir: plgDir,
        program: PROGRAM,
        env: { PATH: [pluginBinDir(plgDir), process.env.PATH ?? ""].join(path.delimiter) },
        config: { spec: JSON.stringify(plugin), "databricks-scim:host": b.url },
        secrets: { "databricks-scim:token": b.tokens.admin },
      };
      const exchanges = async (emu: RunningEmulator) => (await requestLog(emu)).map(exchange).sort();
      for (const command of ["up", "destroy"]) {
        await Promise.all([resetStats(a), resetStats(b)]);
        expectOk(await runStack(command, dynOpts));
        expectOk(await runStack(command, plgOpts));
        const [viaDynamic, viaPlugin] = [await exchanges(a), await exchanges(b)];
        expect(viaDynamic.length, command).toBeGreaterThan(0);
        expect(viaPlugin, command).toEqual(viaDynamic);
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe("the plugin's Users collection (the compact model)", () => {
  it("up, a change previewed by userName and field, up, destroy", async () => {
    const colDir = workDir("plugin-users");
    const colOpts: StackOptions = {
      workDir: colDir,
      program: PROGRAM,
      env: { PATH: [pluginBinDir(colDir), process.env.PATH ?? ""].join(path.delimiter) },
      config: { "databricks-scim:host": emu.url },
      secrets: { "databricks-scim:token": emu.tokens.admin },
    };
    const people = (users: Record<string, Record<string, unknown>>): PluginSpec => ({ resources: [{ name: "people", type: "Users", props: { users } }] });
    const runCol = (command: string, spec: PluginSpec, flags: string[] = []) =>
      runStack(command, { ...colOpts, flags, config: { ...colOpts.config, spec: JSON.stringify(spec) } });
    const before = people({ "pat@example.com": { displayName: "Pat" }, "quinn@example.com": {} });
    const after = people({ "pat@example.com": { displayName: "Pat P" }, "quinn@example.com": {}, "rey@example.com": {} });

    const up = await runCol("up", before);
    expectOk(up);
    expect(up.result?.summary).toMatchObject({ resourceChanges: { create: 2 } }); // the collection and the default provider
    expect((await users()).get("pat@example.com")?.displayName).toBe("Pat");

    const preview = await runCol("preview", after, ["--diff"]);
    expectOk(preview);
    const text = output(preview);
    expect(text).toMatch(/~ users: \{\s+~ pat@example\.com\s*: \{\s+~ displayName: "Pat" => "Pat P"\s+\}\s+\+ rey@example\.com\s*: \{/);
    expect(text).not.toMatch(/quinn@example\.com/); // unchanged: not shown
    expectOk(await runCol("up", after));
    const now = await users();
    expect(now.get("pat@example.com")?.displayName).toBe("Pat P");
    expect(now.has("rey@example.com")).toBe(true);

    expectOk(await runCol("destroy", after));
    expect([...(await users()).keys()].filter((u) => /^(pat|quinn|rey)@/.test(u))).toEqual([]);
  });
});
