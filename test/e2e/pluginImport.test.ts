/**
 * `pulumi import` of every plugin type through the real CLI (the stand-in language host of
 * scripts/importLanguageHost.ts answers the one question the CLI asks a language host; every resource call goes
 * to the real plugin): principals and their links made outside Pulumi are imported by their ids, and the next
 * preview of a program declaring them shows no changes. A malformed id fails naming the type and the id format;
 * the collections refuse, naming the alternative.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineEnv, pulumiBinDir } from "../../scripts/engine";
import { startImportLanguageHost, type StandInHost } from "../../scripts/importLanguageHost";
import { pluginBinDir } from "../../scripts/pluginBin";
import type { PluginSpec } from "../programs/pluginResources";
import { REPO, expectOk, runStack, scim, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";

const PROGRAM = path.join(REPO, "dist", "test", "programs", "pluginResources.js");

let emu: RunningEmulator;
let opts: StackOptions;
let dir: string;
let langHost: StandInHost;

async function cliImport(...args: string[]): Promise<{ code: number; text: string }> {
  const env = engineEnv(dir, pulumiBinDir(), { PULUMI_DEBUG_LANGUAGES: `nodejs:${langHost.port}` });
  env.PATH = [pluginBinDir(dir), env.PATH].join(path.delimiter);
  try {
    const r = await promisify(execFile)(
      path.join(pulumiBinDir(), "pulumi"),
      ["import", ...args, "--stack", "test", "--yes", "--non-interactive", "--protect=false", "--generate-code=false"],
      { cwd: dir, env: { HOME: process.env.HOME ?? "", ...env } },
    );
    return { code: 0, text: `${r.stdout}\n${r.stderr}` };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, text: `${err.stdout ?? ""}\n${err.stderr ?? ""}` };
  }
}

const SCHEMA = (kind: string) => [`urn:ietf:params:scim:schemas:core:2.0:${kind}`];
const PATCH = ["urn:ietf:params:scim:api:messages:2.0:PatchOp"];

async function made(pathName: string, body: Record<string, unknown>, base?: string): Promise<string> {
  const r = await scim<{ id: string }>(emu, "POST", pathName, body, base);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

beforeAll(async () => {
  emu = await startEmulator();
  langHost = await startImportLanguageHost();
  dir = workDir("plugin-import");
  opts = {
    workDir: dir,
    program: PROGRAM,
    env: { PATH: [pluginBinDir(dir), process.env.PATH ?? ""].join(path.delimiter) },
    config: { "databricks-scim:host": emu.url },
    secrets: { "databricks-scim:token": emu.tokens.admin },
  };
  // The stack, empty: `pulumi import` adds to an existing stack.
  expectOk(await runStack("up", { ...opts, config: { ...opts.config, spec: JSON.stringify({ resources: [] }) } }));
});

afterAll(async () => {
  await langHost?.stop();
  await emu?.stop();
});

describe("pulumi import of every plugin type", () => {
  it("imports a group, a service principal, a membership, a member list, entitlements and an assignment; the next preview shows no changes", async () => {
    // Made outside Pulumi, as an admin console or another tool would.
    const uid = await made("/Users", { schemas: SCHEMA("User"), userName: "imp-user@example.com", displayName: "Imp" });
    const spid = await made("/ServicePrincipals", {
      schemas: SCHEMA("ServicePrincipal"),
      displayName: "imp-sp",
      entitlements: [{ value: "allow-cluster-create" }],
    });
    const g1 = await made("/Groups", { schemas: SCHEMA("Group"), displayName: "imp-one", members: [{ value: uid }] });
    const g2 = await made("/Groups", { schemas: SCHEMA("Group"), displayName: "imp-all", members: [{ value: uid }, { value: spid }] });
    const eid = await made("/Users", { schemas: SCHEMA("User"), userName: "imp-ent@example.com", entitlements: [{ value: "databricks-sql-access" }] });
    const aid = await made("/Users", { schemas: SCHEMA("User"), userName: "imp-acct@example.com" }, emu.accountUrl);
    const put = await request(`${emu.url}/api/2.0/accounts/${emu.accountId}/workspaces/${emu.workspaceId}/permissionassignments/principals/${aid}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${emu.tokens.accountAdmin}`, "content-type": "application/json" },
      body: JSON.stringify({ permissions: ["USER"] }),
    });
    expect(put.statusCode, await put.body.text()).toBe(200);

    const imports: [string, string, string][] = [
      ["Group", "one", g1],
      ["Group", "all", g2],
      ["ServicePrincipal", "sp", spid],
      ["GroupMembership", "one-imp", `${g1}|${uid}`],
      ["GroupMembers", "all-members", g2],
      ["WorkspaceEntitlements", "ent", `user/${eid}`],
      ["WorkspaceAssignment", "acct-access", aid],
    ];
    for (const [type, name, id] of imports) {
      const r = await cliImport(`databricks-scim:index:${type}`, name, id);
      expect(r.code, `${type} ${id}: ${r.text}`).toBe(0);
      expect(r.text).toMatch(/= 1 imported/);
    }

    const program: PluginSpec = {
      resources: [
        { name: "one", type: "Group", props: { displayName: "imp-one" } },
        { name: "all", type: "Group", props: { displayName: "imp-all" } },
        { name: "sp", type: "ServicePrincipal", props: { displayName: "imp-sp" } },
        { name: "one-imp", type: "GroupMembership", props: { groupId: "${one.id}", memberId: uid } },
        { name: "all-members", type: "GroupMembers", props: { groupId: "${all.id}", members: { "imp-user@example.com": uid, "sp:imp-sp": spid } } },
        { name: "ent", type: "WorkspaceEntitlements", props: { principalId: eid, principalType: "user", entitlements: ["databricks-sql-access"] } },
        { name: "acct-access", type: "WorkspaceAssignment", props: { principalId: aid, permissions: ["USER"] } },
      ],
    };
    const preview = await runStack("preview", { ...opts, flags: ["--diff", "--expect-no-changes"], config: { ...opts.config, spec: JSON.stringify(program) } });
    expectOk(preview);
    expect(preview.result?.changeSummary).toEqual({ same: 8 }); // 7 and the default provider

    // A drifted copy is a change, not silence: the imported state holds what the server holds.
    const drifted: PluginSpec = {
      resources: program.resources.map((r) => (r.name === "ent" ? { ...r, props: { ...r.props, entitlements: ["allow-cluster-create"] } } : r)),
    };
    const diff = await runStack("preview", { ...opts, flags: ["--diff"], config: { ...opts.config, spec: JSON.stringify(drifted) } });
    expectOk(diff);
    expect(diff.result?.changeSummary).toMatchObject({ update: 1 });

    // The `import` resource option with a composite id: the same read, by `up`.
    const g3 = await made("/Groups", { schemas: SCHEMA("Group"), displayName: "imp-opt" });
    expect(
      (await scim(emu, "PATCH", `/Groups/${g3}`, { schemas: PATCH, Operations: [{ op: "add", path: "members", value: [{ value: uid }] }] })).status,
    ).toBeLessThan(300);
    const withOpt: PluginSpec = {
      resources: [
        ...program.resources,
        { name: "opt", type: "Group", props: { displayName: "imp-opt" }, import: g3 },
        { name: "opt-imp", type: "GroupMembership", props: { groupId: "${opt.id}", memberId: uid }, import: `${g3}|${uid}` },
      ],
    };
    const up = await runStack("up", { ...opts, config: { ...opts.config, spec: JSON.stringify(withOpt) } });
    expectOk(up);
    expect(up.result?.summary).toMatchObject({ resourceChanges: { import: 2 } });
  });

  it("refuses a malformed id naming the type and the id format, and a collection naming the alternative", async () => {
    const cases: [string, string, RegExp][] = [
      ["GroupMembership", "123", /databricks-scim:index:GroupMembership: cannot import id '123'.*<groupId>\|<memberId>/],
      ["WorkspaceEntitlements", "bob/1", /databricks-scim:index:WorkspaceEntitlements: cannot import id 'bob\/1'.*<principalType>\/<principalId>/],
      ["Group", "eng", /databricks-scim:index:Group: cannot import id 'eng': a SCIM id is a number.*<groupId>/],
      ["User", "99999999", /nothing to import at id '99999999' \(not found\)\. The id is <userId>/],
      ["Users", "x", /databricks-scim:index:Users cannot be imported.*pulumi import databricks-scim:index:User <name> <id>.*adopt: true/],
    ];
    for (const [type, id, message] of cases) {
      const r = await cliImport(`databricks-scim:index:${type}`, `bad-${type.toLowerCase()}`, id);
      expect(r.code, r.text).not.toBe(0);
      expect(r.text.replace(/\s+/g, " ")).toMatch(message);
    }
  });
});
