/**
 * A Go program of the provider plugin: the generated Go SDK (sdk/go, by a `replace` directive of test/sdk/go/go.mod)
 * through the Go Automation API with an inline program (no Go language host binary), the real `pulumi` CLI, the
 * plugin on PATH and the emulator as its own process. Users, a group with its members, and an account user assigned
 * to the workspace through an explicit provider; preview, up, a change with its detailed diff, drift, destroy.
 * The program (test/sdk/go/main.go) is built once per run; modules come from the Go module proxy into
 * ~/.cache/pulumi-databricks-scim/go-mod (the cache test/sdk/pluginGo.test.ts uses), so a warm run builds in seconds.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulumiBinDir } from "../../scripts/engine";
import { REPO, scim, startEmulator, workDir, type RunningEmulator } from "../e2e/harness";
import { accountUserIdOf, assignmentsOf, engMembersOf, expectOk, runProgram, usersOf, type ProgramRun } from "./pluginProgram";

const CACHE = process.env.PULUMI_SCIM_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-databricks-scim");

type Run = ProgramRun;

let emu: RunningEmulator;
let dir: string;
let program: string;
let cliBin: string;

function run(command: string, variant: "first" | "changed", diff = false): Promise<Run> {
  return runProgram(program, [command, "--dir", dir, "--variant", variant, ...(diff ? ["--diff"] : [])], { dir, emu, cliBin });
}

const users = () => usersOf(emu);
const engMembers = () => engMembersOf(emu);
const assignments = () => assignmentsOf(emu);
const accountUserId = (userName: string) => accountUserIdOf(emu, userName);

// From empty Go caches the build takes minutes (measured 15 s of downloads and 459 s of compiling on 2 cores at load
// 11-14); with the compile cache test/sdk/pluginGo.test.ts fills (the same modules at the same versions: the SDK's
// dependencies are all but ~30 of the program's packages) it takes 17 s, and a rebuild 9 s. A cold `pulumi` CLI
// build (scripts/build-pulumi.sh, about 7 minutes) also lands here, hence the long bound.
beforeAll(async () => {
  cliBin = pulumiBinDir();
  dir = workDir("plugin-go");
  program = path.join(dir, "stack");
  // -mod=readonly (the default, spelled out): the committed go.mod/go.sum must be complete, as `go mod tidy` leaves them.
  const env = {
    ...process.env,
    GOFLAGS: "-mod=readonly -buildvcs=false",
    GOMODCACHE: path.join(CACHE, "go-mod"),
    GOCACHE: path.join(CACHE, "go-build"),
  };
  execFileSync("go", ["build", "-o", program, "."], { cwd: path.join(REPO, "test", "sdk", "go"), env, stdio: ["ignore", "inherit", "inherit"] });
  emu = await startEmulator();
}, 1_800_000);

afterAll(async () => {
  await emu?.stop();
});

describe("a Go program of the provider plugin, through the Go Automation API", () => {
  it("preview of the first program names each resource it would create, and creates nothing", async () => {
    const preview = await run("preview", "first");
    expectOk(preview);
    const text = preview.result.output;
    for (const name of ["alice", "bob", "ana"]) expect(text).toMatch(new RegExp(`\\+\\s+databricks-scim:index:User\\s+${name}\\s+create`));
    expect(text).toMatch(/\+\s+databricks-scim:index:GroupMembers\s+eng-members\s+create/);
    expect(text).toMatch(/\+\s+databricks-scim:index:WorkspaceAssignment\s+ana-access\s+create/);
    expect(text).toMatch(/\+\s+pulumi:providers:databricks-scim\s+account\s+create/);
    // alice, bob, eng, eng-members, ana, ana-access, the explicit provider and the stack itself.
    expect(preview.result.changeSummary).toEqual({ create: 8 });
    expect([...(await users()).keys()].filter((u) => /^(alice|bob)@/.test(u))).toEqual([]);
  });

  it("up: users, a group with its members, and an account user assigned to the workspace", async () => {
    const up = await run("up", "first");
    expectOk(up);
    expect(up.result.output).toContain("+  databricks-scim:index:GroupMembers eng-members created");
    const now = await users();
    expect(now.get("alice@example.com")).toMatchObject({ displayName: "Alice", entitlements: [{ value: "allow-cluster-create" }] });
    expect(up.result.outputs?.alice).toBe(now.get("alice@example.com")?.id);
    expect(await engMembers()).toEqual(["alice@example.com", "bob@example.com"]);
    const ana = await accountUserId("ana@example.com");
    expect(ana).toBeDefined();
    expect((await assignments())[ana as string]).toEqual(["USER"]);
  });

  it("preview --diff of a change names each field, entitlement, member and permission; a lookup finds a user", async () => {
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
    // The program's lookup (scim.LookupUser, the plugin's getUser invoke) found the user the first run made.
    expect(up.result.outputs?.aliceViaLookup).toBe((await users()).get("alice@example.com")?.id);
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

  it("destroy removes what it made, and the secrets never reach the output or the state", async () => {
    const destroy = await run("destroy", "changed");
    expectOk(destroy);
    expect([...(await users()).keys()].filter((u) => /^(alice|bob|carol)@/.test(u))).toEqual([]);
    expect(await accountUserId("ana@example.com")).toBeUndefined();
    expect(destroy.result.output + destroy.stderr).not.toContain(emu.tokens.admin);
    const state = fs.readFileSync(path.join(dir, ".state", ".pulumi", "stacks", "scim-go", "test.json"), "utf8");
    expect(state).not.toContain(emu.tokens.accountAdmin);
    expect(state).not.toContain(emu.tokens.admin);
  });
});
