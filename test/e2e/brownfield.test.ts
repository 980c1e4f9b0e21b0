/**
 * Taking over a brownfield workspace in one step, through the real pulumi CLI and a real emulator process:
 * identities made "in the admin console" (raw SCIM), the importer reads them and writes a module plus the
 * stack's state, and the program that calls the module then previews with no changes, `up`s with zero writes,
 * shows one entitlement change as one update, and a rerun after console changes diffs by exactly those changes;
 * the imported member lists are keyed by the labels the program gives, so drift names who joined.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, output, patchOp, requestLog, resetStats, runStack, scim, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";
import { programCalling, runImporter } from "./importer";

let emu: RunningEmulator;
let dir: string;
let opts: StackOptions;
const ids: Record<string, string> = {};
const moduleFile = () => path.join(dir, "identities.ts");

/** The importer as a user runs it: its own process, the engine's environment (PATH, PULUMI_HOME, backend). */
const importer = (args: string[], env: Record<string, string> = {}) => runImporter(dir, emu, args, env);

/** The user's program: calls the generated module (compiled as a user's build would). */
const writeProgram = (): string => programCalling(dir, moduleFile());

const post = async (kind: string, body: Record<string, unknown>): Promise<string> => {
  const r = await scim<{ id: string }>(emu, "POST", `/${kind}`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
};

async function groupId(name: string): Promise<string> {
  const r = await scim<{ Resources?: { id: string }[] }>(emu, "GET", `/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}&attributes=id`);
  return r.body.Resources?.[0]?.id as string;
}

beforeAll(async () => {
  emu = await startEmulator(["--cloud", "aws"]); // service principals with generated applicationIds (AWS)
  dir = workDir("brownfield");
  opts = { workDir: dir, env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin } };
  ids.alice = await post("Users", { userName: "Alice@Example.com", displayName: "Alice", entitlements: [{ value: "databricks-sql-access" }] });
  ids.bob = await post("Users", { userName: "bob@example.com", name: { givenName: "Bob", familyName: "Builder" } });
  ids.carol = await post("Users", { userName: "carol+ops@example.com", externalId: "okta-carol", active: false });
  ids.ci = await post("ServicePrincipals", { displayName: "ci-deployer", entitlements: [{ value: "workspace-access" }] });
  ids.inner = await post("Groups", { displayName: "data eng/inner", members: [{ value: ids.bob }] });
  ids.outer = await post("Groups", {
    displayName: "Data Eng",
    entitlements: [{ value: "allow-cluster-create" }],
    members: [{ value: ids.alice }, { value: ids.inner }, { value: ids.ci }],
  });
  ids.okta = await post("Groups", { displayName: "okta-analysts", externalId: "okta-123", members: [{ value: ids.carol }] });
  ids.admins = await groupId("admins");
  const add = await scim(emu, "PATCH", `/Groups/${ids.admins}`, patchOp({ op: "add", path: "members", value: [{ value: ids.alice }] }));
  expect(add.status).toBeLessThan(300);
  // The stack exists (pulumi stack init) and is empty.
  // With a secret in its configuration (kept encrypted in the state the importer writes).
  expectOk(await runStack("config", { ...opts, program: writeProgramStub(), secrets: { "databricks-scim:token": emu.tokens.admin } }));
});

function writeProgramStub(): string {
  const stub = path.join(dir, "empty.js");
  fs.writeFileSync(stub, "exports.default = async () => {};\n");
  return stub;
}

afterAll(async () => {
  await emu?.stop();
});

describe("taking over an existing workspace with databricks-scim-import", () => {
  it("refuses bad input before writing anything: unknown host, rejected token, non-admin, existing file", async () => {
    const unreachable = await importer(["--out", "identities.ts", "--host", "http://127.0.0.1:1", "--quiet"]);
    expect(unreachable.code).not.toBe(0);
    expect(unreachable.stderr).toMatch(/unreachable/);
    const rejected = await importer(["--out", "identities.ts", "--quiet"], { DATABRICKS_TOKEN: "dapi-not-a-token" });
    expect(rejected.code).not.toBe(0);
    expect(rejected.stderr).toMatch(/DATABRICKS_TOKEN from the environment .*was rejected/);
    expect(rejected.stderr).not.toContain("dapi-not-a-token");
    const nonAdmin = await importer(["--out", "identities.ts", "--quiet"], { DATABRICKS_TOKEN: emu.tokens.user });
    expect(nonAdmin.code).not.toBe(0);
    expect(nonAdmin.stderr).toMatch(/needs a workspace admin/);
    // No --account-id: the host's /.well-known/databricks-config names the account (issue 24), and the workspace
    // admin's token is then refused there.
    const account = await importer(["--out", "identities.ts", "--quiet", "--level", "account", "--host", emu.url]);
    expect(account.code).not.toBe(0);
    expect(account.stderr).toContain(`${emu.url} (account): DATABRICKS_TOKEN from the environment (pat) was rejected`);
    expect(fs.existsSync(moduleFile())).toBe(false);
    fs.writeFileSync(moduleFile(), "// mine\n");
    const exists = await importer(["--out", "identities.ts", "--quiet"]);
    expect(exists.code).toBe(2);
    expect(exists.stderr).toMatch(/exists; pass --force/);
    expect(fs.readFileSync(moduleFile(), "utf8")).toBe("// mine\n");
    fs.rmSync(moduleFile());
  });

  it("writes the module and the state; preview shows no changes, up makes zero writes", async () => {
    await resetStats(emu);
    const run = await importer(["--out", "identities.ts", "--stack", "test"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/reading users: (\d+) of \1 \(/);
    // Reads only: nothing was written to Databricks.
    expect((await requestLog(emu)).filter((r) => r.method !== "GET")).toEqual([]);
    const text = fs.readFileSync(moduleFile(), "utf8");
    expect(text).toContain(
      `users["alice@example.com"] = new ScimUser("user:alice@example.com", { ...target, userName: "alice@example.com", displayName: "Alice", active: true, entitlements: ["databricks-sql-access"] });`,
    );
    expect(text).toContain(`entitlements: [] });`); // bob: a user without entitlements is declared with none
    expect(text).toContain(`groups["data eng/inner"] = new ScimGroup("group:data eng%2Finner"`);
    expect(text).toMatch(
      /new GroupMembers\("members:Data Eng", \{ \.\.\.target, group: groups\["Data Eng"\]!, members: \[groups\["data eng\/inner"\]!, servicePrincipals\["[0-9a-f-]{36}"\]!, users\["alice@example.com"\]!\] \}\)/,
    );
    expect(text).toMatch(/new GroupMembership\("member:admins\/user:alice@example.com", \{ \.\.\.target, group: lookups\.groups\["admins"\]!/);
    expect(text).toMatch(/"okta-analysts": "\d+", \/\/ owned by an identity provider/);
    expect(text).toMatch(/"carol\+ops@example.com": "\d+", \/\/ owned by an identity provider/);
    expect(text).not.toContain(emu.tokens.admin);

    const program = writeProgram();
    const preview = await runStack("preview", { ...opts, program, flags: ["--diff"] });
    expectOk(preview);
    expect(preview.result?.changeSummary, output(preview)).toEqual({ same: expect.any(Number) });
    await resetStats(emu);
    const up = await runStack("up", { ...opts, program });
    expectOk(up);
    expect(
      (await requestLog(emu)).filter((r) => r.method !== "GET"),
      output(up),
    ).toEqual([]);
    expectOk(await runStack("preview", { ...opts, program, flags: ["--expect-no-changes"] }));
    // The state as the backend stores it (the Automation API's export shows secrets): the stack's secret config,
    // which the provider entry holds, is encrypted; no token anywhere.
    const stored = fs.readFileSync(path.join(dir, ".state", ".pulumi", "stacks", "databricks-scim", "test.json"), "utf8");
    expect(stored).toContain('"databricks-scim:token":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext"');
    expect(stored).not.toContain(emu.tokens.admin);
  });

  it("one entitlement changed in the program is one update", async () => {
    const text = fs.readFileSync(moduleFile(), "utf8");
    const edited = text.replace(
      `displayName: "Alice", active: true, entitlements: ["databricks-sql-access"]`,
      `displayName: "Alice", active: true, entitlements: ["databricks-sql-access", "workspace-access"]`,
    );
    expect(edited).not.toBe(text);
    fs.writeFileSync(moduleFile(), edited);
    const preview = await runStack("preview", { ...opts, program: writeProgram(), flags: ["--diff"] });
    expectOk(preview);
    expect(preview.result?.changeSummary).toEqual({ same: expect.any(Number), update: 1 });
    expect(output(preview)).toMatch(/~ pulumi-nodejs:dynamic\/scim:User: \(update\)[\s\S]*user:alice@example.com[\s\S]*"workspace-access"/);
    fs.writeFileSync(moduleFile(), text);
  });

  it("a rerun after console changes: the file's diff is exactly those changes, and preview is clean again", async () => {
    const before = fs.readFileSync(moduleFile(), "utf8").split("\n");
    ids.dave = await post("Users", { userName: "dave@example.com" });
    await scim(emu, "PATCH", `/Users/${ids.bob}`, patchOp({ op: "add", path: "entitlements", value: [{ value: "workspace-access" }] }));
    const run = await importer(["--out", "identities.ts", "--stack", "test", "--force", "--quiet"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/2 added, 1 updated/); // dave and his pair in `users`; bob
    const after = fs.readFileSync(moduleFile(), "utf8").split("\n");
    const removed = before.filter((l) => !after.includes(l));
    const added = after.filter((l) => !before.includes(l));
    expect(removed).toEqual([expect.stringContaining(`users["bob@example.com"]`)]);
    expect(added).toEqual([
      expect.stringContaining(`users["bob@example.com"]`),
      expect.stringContaining(`users["dave@example.com"]`),
      expect.stringContaining(`member:users/user:dave@example.com`),
    ]);
    expect(added[0]).toContain(`entitlements: ["workspace-access"]`);
    expectOk(await runStack("preview", { ...opts, program: writeProgram(), flags: ["--expect-no-changes"] }));
  });

  it("imported member lists are keyed as the program keys them, so a member added in the console shows by name", async () => {
    const program = writeProgram();
    // The state the importer wrote: GroupMembers holds label → id, with the labels the module's resources give.
    const imported = groupMembersIn((await runStack("export", { ...opts, program })).result);
    const eng = imported.find((r) => r.id === ids.outer);
    expect(eng?.outputs.memberIds).toBeUndefined();
    // The emulator's metadata says AWS, where Databricks generates application ids: the module declares the service
    // principal by its displayName, and its label is that name.
    expect(eng?.outputs.members).toEqual({ "alice@example.com": ids.alice, "group:data eng/inner": ids.inner, "sp:ci-deployer": ids.ci });
    // `up` keeps the importer's outputs and stores the inputs the program's own check makes: the same map.
    expectOk(await runStack("up", { ...opts, program }));
    const after = groupMembersIn((await runStack("export", { ...opts, program })).result);
    expect(after.length).toBe(imported.length);
    for (const r of after) expect(r.inputs.members, r.id).toEqual(r.outputs.members);

    const erin = await post("Users", { userName: "erin@example.com", displayName: "Erin Console" });
    const add = await scim(emu, "PATCH", `/Groups/${ids.outer}`, patchOp({ op: "add", path: "members", value: [{ value: erin }] }));
    expect(add.status).toBeLessThan(300);
    const preview = await runStack("preview", { ...opts, program, flags: ["--refresh", "--diff"] });
    expectOk(preview);
    // The engine pads keys to the longest of the object's (hostWorkspaceId on the emulator's unified host).
    const refreshed = /GroupMembers: \(refresh\)[\s\S]*?~ members\s*: \{([\s\S]*?)\n\s*\}/.exec(preview.stdout)?.[1] ?? "";
    expect(
      refreshed
        .split("\n")
        .filter((l) => /^\s*[+-]/.test(l))
        .map((l) => l.trim().replace(/\s+:/, ":")), // the engine pads every key to the longest one
      preview.stdout,
    ).toEqual([`+ user:Erin Console: "${erin}"`]);
    expect(preview.stdout).not.toMatch(/\[\d+\]:/);
    expect(preview.stdout).not.toContain("memberIds");
  });
});

interface StateResource {
  type: string;
  id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

function groupMembersIn(exported: unknown): StateResource[] {
  const resources = (exported as { deployment: { resources: StateResource[] } }).deployment.resources;
  return resources.filter((r) => r.type === "pulumi-nodejs:dynamic/scim:GroupMembers");
}
