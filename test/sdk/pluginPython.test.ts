/**
 * A Python program of the provider plugin: the generated SDK (sdk/python, pip-installed here from the repository
 * folder) through the Pulumi Python Automation API with an inline program (no Python language host binary), the
 * real `pulumi` CLI, the plugin on PATH and the emulator as its own process. Users, a group with its members, and
 * an account user assigned to the workspace through an explicit provider; up, a change with its detailed diff,
 * drift, destroy. Also checks that the committed SDK is what the generator makes of schema.json.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulumiBinDir } from "../../scripts/engine";
import { REPO, scim, startEmulator, workDir, type RunningEmulator } from "../e2e/harness";
import { accountUserIdOf, assignmentsOf, engMembersOf, expectOk, runProgram, usersOf, type ProgramRun } from "./pluginProgram";

type Run = ProgramRun;

let emu: RunningEmulator;
let dir: string;
let python: string;
let site: string;

function run(command: string, variant: "first" | "changed", diff = false): Promise<Run> {
  const args = [path.join(REPO, "test", "sdk", "plugin", "stack.py"), command, "--dir", dir, "--variant", variant, ...(diff ? ["--diff"] : [])];
  return runProgram(python, args, { dir, emu, cliBin: pulumiBinDir(), env: { PYTHONPATH: site } });
}

const users = () => usersOf(emu);
const engMembers = () => engMembersOf(emu);
const assignments = () => assignmentsOf(emu);
const accountUserId = (userName: string) => accountUserIdOf(emu, userName);

beforeAll(async () => {
  python = path.join(
    execFileSync("bash", [path.join(REPO, "scripts", "python-venv.sh"), path.join(REPO, "test", "sdk", "plugin", "requirements.txt")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    })
      .trim()
      .split("\n")
      .pop() as string,
    "bin",
    "python",
  );
  dir = workDir("plugin-python");
  site = path.join(dir, "site");
  // The SDK as a user installs it: `pip install` of the sdk/python folder (a copy: setuptools builds in the folder).
  const source = path.join(dir, "sdk-python");
  fs.cpSync(path.join(REPO, "sdk", "python"), source, { recursive: true });
  execFileSync(python, ["-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", site, source], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1" },
  });
  emu = await startEmulator();
}, 600_000);

afterAll(async () => {
  await emu?.stop();
});

describe("a Python program of the provider plugin, through the Python Automation API", () => {
  it("the committed SDK is what the generator makes of schema.json (scripts/gen-sdk.sh python)", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "scim-sdk-"));
    execFileSync("bash", [path.join(REPO, "scripts", "gen-sdk.sh"), "python", out], { stdio: ["ignore", "ignore", "inherit"] });
    const files = (root: string): string[] =>
      fs
        .readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && !e.parentPath.includes("__pycache__"))
        .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
        .sort();
    const committed = path.join(REPO, "sdk", "python");
    expect(files(out)).toEqual(files(committed));
    for (const f of files(out)) expect(fs.readFileSync(path.join(committed, f), "utf8"), f).toBe(fs.readFileSync(path.join(out, f), "utf8"));
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("up: users, a group with its members, and an account user assigned to the workspace", async () => {
    const up = await run("up", "first");
    expectOk(up);
    expect(up.result.output).toContain("+  databricks-scim:index:GroupMembers eng-members created");
    const now = await users();
    expect(now.get("alice@example.com")).toMatchObject({ displayName: "Alice", entitlements: [{ value: "allow-cluster-create" }] });
    expect(await engMembers()).toEqual(["alice@example.com", "bob@example.com"]);
    const ana = await accountUserId("ana@example.com");
    expect(ana).toBeDefined();
    expect((await assignments())[ana as string]).toEqual(["USER"]);
  });

  it("preview --diff of a change names each field, entitlement, member and permission; lookups find a user and who the token is", async () => {
    const preview = await run("preview", "changed", true);
    expectOk(preview);
    const text = preview.result.output;
    expect(text).toContain('~ displayName : "Alice" => "Alice A"');
    expect(text).toMatch(/~ entitlements: \[\s+~ \[0\]: "allow-cluster-create" => "databricks-sql-access"\s+\]/);
    expect(text).toMatch(/~ members: \{\s+- bob@example\.com\s*: "\d+"\s+\+ carol@example\.com: \[unknown\]\s+\}/);
    expect(text).toMatch(/~ permissions: \[\s+~ \[0\]: "USER" => "ADMIN"\s+\]/);
    expect(preview.result.changeSummary).toMatchObject({ create: 1, update: 3 });

    const up = await run("up", "changed");
    expectOk(up);
    expect(await engMembers()).toEqual(["alice@example.com", "carol@example.com"]);
    // The program's lookup (scim.get_user, the plugin's getUser invoke) found the user the first run made.
    expect(up.result.outputs?.aliceViaLookup).toBe((await users()).get("alice@example.com")?.id);
    expect(up.result.outputs?.aliceViaList).toEqual([(await users()).get("alice@example.com")?.id]);
    expect(up.result.outputs?.meViaLookup).toBe((await scim<{ userName: string }>(emu, "GET", "/Me")).body.userName.toLowerCase());
    expect((await assignments())[(await accountUserId("ana@example.com")) as string]).toEqual(["ADMIN"]);
  });

  it("refresh finds drift made in the admin console, and up restores the program's values", async () => {
    const alice = (await users()).get("alice@example.com");
    await scim(emu, "PATCH", `/Users/${alice?.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "displayName", value: "Alice (edited)" }],
    });
    const refresh = await run("refresh", "changed");
    expectOk(refresh);
    expect(refresh.result.summary).toMatchObject({ update: 1 });
    const up = await run("up", "changed", true);
    expectOk(up);
    expect(up.result.output).toMatch(/~ displayName\s*: "Alice \(edited\)" => "Alice A"/);
    expect((await users()).get("alice@example.com")?.displayName).toBe("Alice A");
  });

  it("destroy removes what it made, and the secrets never reach the output", async () => {
    const destroy = await run("destroy", "changed");
    expectOk(destroy);
    expect([...(await users()).keys()].filter((u) => /^(alice|bob|carol)@/.test(u))).toEqual([]);
    expect(await accountUserId("ana@example.com")).toBeUndefined();
    expect(destroy.result.output + destroy.stderr).not.toContain(emu.tokens.admin);
    const state = fs.readFileSync(path.join(dir, ".state", ".pulumi", "stacks", "scim-python", "test.json"), "utf8");
    expect(state).not.toContain(emu.tokens.accountAdmin);
  });
});
