/**
 * ScimUser through the real engine: the `pulumi` CLI with a local file backend, the dynamic-provider host it
 * starts, and the emulator as its own process. Steps run in order on one stack; each asserts on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, listAll, runStack, scim, specOptions, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";

interface User {
  id: string;
  userName: string;
  displayName?: string;
  active?: boolean;
  entitlements?: { value: string }[];
}

type Spec = { users: Record<string, Record<string, unknown>> };

let emu: RunningEmulator;
let opts: StackOptions;
let baselineUsers: number;

const withSpec = (spec: Spec): StackOptions => specOptions(opts, spec);

async function users(): Promise<Map<string, User>> {
  const all = await listAll<User>(emu, "Users?attributes=userName,displayName,active,entitlements");
  return new Map(all.map((u) => [u.userName, u]));
}

async function stats(): Promise<{ total: number; byMethod: Record<string, number> }> {
  const r = await fetch(`${emu.url}/__emulator/stats`);
  return (await r.json()) as { total: number; byMethod: Record<string, number> };
}

async function resetStats(): Promise<void> {
  await fetch(`${emu.url}/__emulator/reset-stats`, { method: "POST" });
}

const three: Spec = {
  users: {
    u1: { userName: "u1@example.com", displayName: "User One" },
    u2: { userName: "u2@example.com", displayName: "User Two", entitlements: ["workspace-access", "databricks-sql-access"] },
    u3: { userName: "U3@Example.com", displayName: "User Three", onDelete: "deactivate" },
  },
};

beforeAll(async () => {
  emu = await startEmulator();
  opts = {
    workDir: workDir("user"),
    env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin },
  };
  baselineUsers = (await users()).size;
});

afterAll(async () => {
  await emu?.stop();
});

describe("ScimUser through the real pulumi CLI", () => {
  it("creates three users with one request each", async () => {
    await resetStats();
    const run = await runStack("up", withSpec(three));
    expectOk(run);
    expect((await stats()).byMethod).toEqual({ POST: 3 });
    const u = await users();
    expect(u.get("u1@example.com")?.displayName).toBe("User One");
    expect(
      u
        .get("u2@example.com")
        ?.entitlements?.map((e) => e.value)
        .sort(),
    ).toEqual(["databricks-sql-access", "workspace-access"]);
    // Stored lower-case, as Databricks does.
    expect(u.get("u3@example.com")?.displayName).toBe("User Three");
    expect(u.size).toBe(baselineUsers + 3);
  });

  it("previews no changes, with no HTTP request", async () => {
    await resetStats();
    const run = await runStack("preview", { ...withSpec(three), flags: ["--expect-no-changes"] });
    expectOk(run);
    expect(run.result?.changeSummary).toEqual({ same: 4 });
    expect((await stats()).total).toBe(0);
  });

  it("shows a displayName change as exactly that field, old and new, in preview --diff", async () => {
    const spec: Spec = { users: { ...three.users, u1: { userName: "u1@example.com", displayName: "User Uno" } } };
    const run = await runStack("preview", { ...withSpec(spec), flags: ["--diff"] });
    expectOk(run);
    const block = run.stdout.slice(run.stdout.indexOf("~ pulumi-nodejs:dynamic/scim:User: (update)"), run.stdout.indexOf("Resources:"));
    expect(block.replace(/\[id=\d+\]/, "[id=ID]").trimEnd()).toBe(
      [
        "~ pulumi-nodejs:dynamic/scim:User: (update)",
        "        [id=ID]",
        "        [urn=urn:pulumi:test::databricks-scim::pulumi-nodejs:dynamic/scim:User::u1]",
        '      ~ displayName: "User One" => "User Uno"',
      ].join("\n"),
    );
    expect(run.stdout).not.toContain("__provider");
  });

  it("updates only that user, with one PATCH", async () => {
    const spec: Spec = { users: { ...three.users, u1: { userName: "u1@example.com", displayName: "User Uno" } } };
    const before = await users();
    await resetStats();
    const run = await runStack("up", withSpec(spec));
    expectOk(run);
    expect((await stats()).byMethod).toEqual({ PATCH: 1 });
    expect(run.result?.summary).toMatchObject({ resourceChanges: { same: 3, update: 1 } });
    const after = await users();
    expect(after.get("u1@example.com")?.displayName).toBe("User Uno");
    expect(after.get("u1@example.com")?.id).toBe(before.get("u1@example.com")?.id);
    expect(after.get("u2@example.com")).toEqual(before.get("u2@example.com"));
    three.users.u1 = spec.users.u1;
  });

  it("does not replace on a change of userName case", async () => {
    const spec: Spec = { users: { ...three.users, u1: { userName: "U1@EXAMPLE.com", displayName: "User Uno" } } };
    const run = await runStack("preview", { ...withSpec(spec), flags: ["--expect-no-changes"] });
    expectOk(run);
  });

  it("replaces on a new userName, naming the field in the preview", async () => {
    const spec: Spec = { users: { ...three.users, u2: { ...three.users.u2, userName: "u2.new@example.com" } } };
    const preview = await runStack("preview", { ...withSpec(spec), flags: ["--diff"] });
    expectOk(preview);
    expect(preview.stdout).toContain("+-pulumi-nodejs:dynamic/scim:User: (replace)");
    expect(preview.stdout).toContain('~ userName: "u2@example.com" => "u2.new@example.com"');
    const oldId = (await users()).get("u2@example.com")?.id;
    const run = await runStack("up", withSpec(spec));
    expectOk(run);
    const u = await users();
    expect(u.has("u2@example.com")).toBe(false);
    expect(u.get("u2.new@example.com")?.id).not.toBe(oldId);
    expect(u.get("u2.new@example.com")?.entitlements?.length).toBe(2);
    three.users.u2 = spec.users.u2;
  });

  it("deletes a user removed from the program (and deactivates one that asks for it)", async () => {
    const spec: Spec = { users: { u1: three.users.u1, u2: three.users.u2 } };
    const run = await runStack("up", withSpec(spec));
    expectOk(run);
    const u = await users();
    // u3 asked for deactivation instead of deletion.
    expect(u.get("u3@example.com")?.active).toBe(false);
    delete three.users.u3;
    // Remove it by hand so the rest of the scenario starts from the program's state.
    await scim(emu, "DELETE", `/Users/${u.get("u3@example.com")?.id}`);
  });

  it("finds drift made in the admin console on refresh, and `up` restores it", async () => {
    const u1 = (await users()).get("u1@example.com") as User;
    const u2 = (await users()).get("u2.new@example.com") as User;
    await scim(emu, "PATCH", `/Users/${u1.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "displayName", value: "Changed In Console" }],
    });
    await scim(emu, "PATCH", `/Users/${u2.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "remove", path: "entitlements", value: [{ value: "workspace-access" }] }],
    });
    const refresh = await runStack("refresh", withSpec(three));
    expectOk(refresh);
    expect(refresh.result?.summary).toMatchObject({ resourceChanges: { update: 2 } });
    const preview = await runStack("preview", { ...withSpec(three), flags: ["--diff"] });
    expectOk(preview);
    expect(preview.stdout).toContain('~ displayName: "Changed In Console" => "User Uno"');
    expect(preview.stdout).toMatch(/\+ \[\d\]: "workspace-access"/);
    const up = await runStack("up", withSpec(three));
    expectOk(up);
    const after = await users();
    expect(after.get("u1@example.com")?.displayName).toBe("User Uno");
    expect(
      after
        .get("u2.new@example.com")
        ?.entitlements?.map((e) => e.value)
        .sort(),
    ).toEqual(["databricks-sql-access", "workspace-access"]);
  });

  it("drops a user deleted on the server on refresh, and `up` recreates it", async () => {
    const u1 = (await users()).get("u1@example.com") as User;
    await scim(emu, "DELETE", `/Users/${u1.id}`);
    const refresh = await runStack("refresh", withSpec(three));
    expectOk(refresh);
    expect(refresh.result?.summary).toMatchObject({ resourceChanges: { delete: 1 } });
    const up = await runStack("up", withSpec(three));
    expectOk(up);
    expect(up.result?.summary).toMatchObject({ resourceChanges: { create: 1 } });
    // (The id may come back the same: the emulator, like an identity-federated workspace, keeps the account's.)
    expect((await users()).get("u1@example.com")?.displayName).toBe("User Uno");
  });

  it("keeps the token out of the exported state", async () => {
    const run = await runStack("export", withSpec(three));
    expectOk(run);
    const text = JSON.stringify(run.result);
    expect(text).toContain("u1@example.com");
    expect(text).not.toContain(emu.tokens.admin);
    for (const output of [run.stdout, run.stderr]) expect(output).not.toContain(emu.tokens.admin);
  });

  it("destroy leaves the server as it was before", async () => {
    const run = await runStack("destroy", withSpec(three));
    expectOk(run);
    const u = await users();
    expect(u.size).toBe(baselineUsers);
    expect([...u.keys()].some((n) => n.startsWith("u1") || n.startsWith("u2"))).toBe(false);
  });
});
