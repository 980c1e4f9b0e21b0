/**
 * A YAML program of the provider plugin: a Pulumi.yaml with `runtime: yaml` that declares resources by their
 * schema tokens, run as a YAML user runs it. The real `pulumi` CLI runs the program in the folder (an Automation
 * API local workspace on that folder, no inline program) through the YAML language host `pulumi-language-yaml`
 * (built from the Go module proxy by scripts/build-pulumi-yaml.sh), the plugin on PATH and the emulator as its own
 * process. Users, a group with its members, and an account user assigned to the workspace through an explicit
 * provider; preview, up, a change with its detailed diff and a lookup, drift, destroy.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineEnv, pulumiBinDir } from "../../scripts/engine";
import { pluginBinDir } from "../../scripts/pluginBin";
import { REPO, scim, startEmulator, workDir, type RunningEmulator } from "../e2e/harness";
import { accountUserIdOf, assignmentsOf, engMembersOf, usersOf } from "./pluginProgram";

let emu: RunningEmulator;
let dir: string;
let yamlHost: string;
let stack: Stack;

/**
 * The program, as a user writes it. The default provider is the workspace's (stack config databricks-scim:host
 * and :token); the account's is an explicit provider resource whose settings come from the project's config.
 */
function program(variant: "first" | "changed"): string {
  const changed = variant === "changed";
  const third = changed ? "carol" : "bob";
  return `name: scim-yaml
runtime: yaml
description: Databricks SCIM identities from YAML (test/sdk/pluginYaml.test.ts)
config:
  accountHost:
    type: string
  accountToken:
    type: string
    secret: true
  accountId:
    type: string
  workspaceId:
    type: string
resources:
  alice:
    type: databricks-scim:index:User
    properties:
      userName: alice@example.com
      displayName: ${changed ? "Alice A" : "Alice"}
      entitlements: [${changed ? "databricks-sql-access" : "allow-cluster-create"}]
  bob:
    type: databricks-scim:index:User
    properties:
      userName: bob@example.com
${
  changed
    ? `  carol:
    type: databricks-scim:index:User
    properties:
      userName: carol@example.com
`
    : ""
}  eng:
    type: databricks-scim:index:Group
    properties:
      displayName: eng
  eng-members:
    type: databricks-scim:index:GroupMembers
    properties:
      groupId: \${eng.id}
      members:
        alice@example.com: \${alice.id}
        ${third}@example.com: \${${third}.id}
  account:
    type: pulumi:providers:databricks-scim
    properties:
      host: \${accountHost}
      token: \${accountToken}
      accountId: \${accountId}
      level: account
  ana:
    type: databricks-scim:index:User
    properties:
      userName: ana@example.com
    options:
      provider: \${account}
  ana-access:
    type: databricks-scim:index:WorkspaceAssignment
    properties:
      principalId: \${ana.id}
      workspaceId: \${workspaceId}
      permissions: [${changed ? "ADMIN" : "USER"}]
    options:
      provider: \${account}
${
  changed
    ? `variables:
  aliceViaLookup:
    fn::invoke:
      function: databricks-scim:index:getUser
      arguments:
        userName: alice@example.com
      return: id
`
    : ""
}outputs:
  alice: \${alice.id}
  eng: \${eng.id}
${changed ? "  aliceViaLookup: ${aliceViaLookup}\n" : ""}`;
}

function writeProgram(variant: "first" | "changed"): void {
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), program(variant));
}

/** Runs one operation, collecting the CLI's text; a failure's message carries that text. */
async function collect<T>(op: (onOutput: (s: string) => void) => Promise<T>): Promise<{ result: T; text: string }> {
  let text = "";
  const result = await op((s) => (text += s));
  return { result, text };
}

const users = () => usersOf(emu);
const engMembers = () => engMembersOf(emu);
const assignments = () => assignmentsOf(emu);
const accountUserId = (userName: string) => accountUserIdOf(emu, userName);

beforeAll(async () => {
  // Built once (several minutes cold, cached outside the repository); .ci/run builds it before the tests.
  yamlHost = execFileSync("bash", [path.join(REPO, "scripts", "build-pulumi-yaml.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop() as string;
  const binDir = pulumiBinDir();
  dir = workDir("plugin-yaml");
  fs.mkdirSync(path.join(dir, ".state"), { recursive: true });
  emu = await startEmulator();
  writeProgram("first");
  // What a YAML user has: pulumi, pulumi-language-yaml and pulumi-resource-databricks-scim on PATH.
  const env = engineEnv(dir, binDir);
  env.PATH = [pluginBinDir(dir), path.dirname(yamlHost), env.PATH].join(path.delimiter);
  stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "test", workDir: dir },
    {
      workDir: dir,
      pulumiHome: env.PULUMI_HOME,
      envVars: env,
      secretsProvider: "passphrase",
      pulumiCommand: await PulumiCommand.get({ root: path.dirname(binDir), skipVersionCheck: true }),
    },
  );
  await stack.setAllConfig({
    "databricks-scim:host": { value: emu.url },
    "databricks-scim:token": { value: emu.tokens.admin, secret: true },
    accountHost: { value: emu.url },
    accountToken: { value: emu.tokens.accountAdmin, secret: true },
    accountId: { value: emu.accountId },
    workspaceId: { value: emu.workspaceId },
  });
}, 900_000);

afterAll(async () => {
  await emu?.stop();
});

describe("a YAML program of the provider plugin (runtime: yaml, pulumi-language-yaml)", () => {
  it("preview: the YAML host runs the program and the plan names each resource", async () => {
    const { result, text } = await collect((onOutput) => stack.preview({ onOutput, color: "never" }));
    // The engine says which language host it ran: the one scripts/build-pulumi-yaml.sh built.
    expect(text).toContain(`using pulumi-language-yaml from $PATH at ${yamlHost}`);
    for (const name of ["alice", "bob", "ana"]) expect(text).toContain(`+  databricks-scim:index:User ${name} create`);
    expect(text).toContain("+  databricks-scim:index:GroupMembers eng-members create");
    expect(text).toContain("+  pulumi:providers:databricks-scim account create");
    expect(result.changeSummary).toMatchObject({ create: 8 });
    expect((await users()).has("alice@example.com")).toBe(false);
  });

  it("up: users, a group with its members, and an account user assigned to the workspace", async () => {
    const { result, text } = await collect((onOutput) => stack.up({ onOutput, color: "never" }));
    expect(text).toContain("+  databricks-scim:index:WorkspaceAssignment ana-access created");
    expect(result.summary.resourceChanges).toMatchObject({ create: 8 });
    const now = await users();
    expect(now.get("alice@example.com")).toMatchObject({ displayName: "Alice", entitlements: [{ value: "allow-cluster-create" }] });
    expect(result.outputs.alice?.value).toBe(now.get("alice@example.com")?.id);
    expect(await engMembers()).toEqual(["alice@example.com", "bob@example.com"]);
    const ana = await accountUserId("ana@example.com");
    expect(ana).toBeDefined();
    expect((await assignments())[ana as string]).toEqual(["USER"]);
  });

  it("preview --diff of an edited Pulumi.yaml names each field, entitlement, member and permission; fn::invoke finds a user", async () => {
    writeProgram("changed");
    const { result, text } = await collect((onOutput) => stack.preview({ onOutput, color: "never", diff: true }));
    expect(text).toContain('~ displayName : "Alice" => "Alice A"');
    expect(text).toMatch(/~ entitlements: \[\s+~ \[0\]: "allow-cluster-create" => "databricks-sql-access"\s+\]/);
    expect(text).toMatch(/~ members: \{\s+- bob@example\.com\s*: "\d+"\s+\+ carol@example\.com: \[unknown\]\s+\}/);
    expect(text).toMatch(/~ permissions: \[\s+~ \[0\]: "USER" => "ADMIN"\s+\]/);
    expect(result.changeSummary).toMatchObject({ create: 1, update: 3 });

    const up = await stack.up({ color: "never" });
    expect(up.summary.resourceChanges).toMatchObject({ create: 1, update: 3 });
    expect(await engMembers()).toEqual(["alice@example.com", "carol@example.com"]);
    // The program's fn::invoke of databricks-scim:index:getUser (the plugin's invoke) found the user of the first run.
    expect(up.outputs.aliceViaLookup?.value).toBe((await users()).get("alice@example.com")?.id);
    expect((await assignments())[(await accountUserId("ana@example.com")) as string]).toEqual(["ADMIN"]);
  });

  it("refresh finds drift made in the admin console, and up restores the program's values", async () => {
    const alice = (await users()).get("alice@example.com");
    await scim(emu, "PATCH", `/Users/${alice?.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "displayName", value: "Alice (edited)" }],
    });
    const refresh = await stack.refresh({ color: "never" });
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
    const { result, text } = await collect((onOutput) => stack.up({ onOutput, color: "never", diff: true }));
    expect(text).toMatch(/~ displayName\s*: "Alice \(edited\)" => "Alice A"/);
    expect(result.summary.resourceChanges).toMatchObject({ update: 1 });
    expect((await users()).get("alice@example.com")?.displayName).toBe("Alice A");
  });

  it("destroy removes what it made, and the secrets never reach the output or the state", async () => {
    // The state while the resources exist: the account provider's token is in it only as a secret.
    const stateFile = path.join(dir, ".state", ".pulumi", "stacks", "scim-yaml", "test.json");
    const state = fs.readFileSync(stateFile, "utf8");
    expect(state).toContain("ana-access");
    expect(state).not.toContain(emu.tokens.accountAdmin);
    expect(state).not.toContain(emu.tokens.admin);
    const { text } = await collect((onOutput) => stack.destroy({ onOutput, color: "never" }));
    expect([...(await users()).keys()].filter((u) => /^(alice|bob|carol)@/.test(u))).toEqual([]);
    expect(await accountUserId("ana@example.com")).toBeUndefined();
    expect(text).not.toContain(emu.tokens.admin);
    expect(text).not.toContain(emu.tokens.accountAdmin);
    expect(fs.readFileSync(path.join(dir, "Pulumi.test.yaml"), "utf8")).not.toContain(emu.tokens.admin);
  });
});
