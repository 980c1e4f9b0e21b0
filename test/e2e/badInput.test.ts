/**
 * Bad input, table-driven, through the real engine: each invalid program fails at `pulumi preview` with a message
 * that names the field and says what to do, and the server sees no write (the emulator's request log).
 *
 * The engine stops a deployment at the first resource whose check fails (measured: of six invalid users, one is
 * reported), so each case is its own preview; they share one emulator and run four at a time, each of the four
 * on a stack of its own that it reuses from case to case.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentitySpec } from "../programs/identities";
import { output, requestLog, resetStats, runStack, scim, startEmulator, workDir, type RunningEmulator, type StackOptions } from "./harness";

interface Case {
  name: string;
  spec: IdentitySpec | ((ids: Ids) => IdentitySpec);
  /** The field the message must name ("<field>: …"), and what else it must say (the fix). */
  field: string;
  says: RegExp;
  /** Extra environment for the provider (e.g. no account id anywhere). */
  env?: Record<string, string>;
}

/** Ids of objects made on the server before the cases run (for cases that need a real, existing id). */
interface Ids {
  groupA: string;
  groupB: string;
  user: string;
}

const ok = { userName: "ok@example.com" };
const user = (args: Record<string, unknown>): IdentitySpec => ({ users: { u: { ...ok, ...args } as never } });
const group = (args: Record<string, unknown>): IdentitySpec => ({ groups: { g: { displayName: "team", ...args } as never } });
const sp = (args: Record<string, unknown>): IdentitySpec => ({ servicePrincipals: { s: { displayName: "ci", ...args } as never } });
const APP_ID = "6f1b7c1e-0d1a-4b5e-9a57-2c1e0f3a9b10";

const CASES: Case[] = [
  // Users
  { name: "userName is not an email", spec: user({ userName: "alice" }), field: "userName", says: /'alice' is not an email address.*"alice@example.com"/ },
  { name: "userName with a space", spec: user({ userName: "a b@example.com" }), field: "userName", says: /not an email address/ },
  { name: "userName empty", spec: user({ userName: "" }), field: "userName", says: /must not be empty.*Set it to the user's email address/ },
  {
    name: "userName missing",
    spec: { users: { u: { displayName: "x" } as never } },
    field: "userName",
    says: /is required.*Set it to the user's email address/,
  },
  { name: "userName not a string", spec: user({ userName: 42 }), field: "userName", says: /expected a string, got number 42/ },
  { name: "displayName empty", spec: user({ displayName: "" }), field: "displayName", says: /must not be empty.*Omit it/ },
  { name: "givenName not a string", spec: user({ givenName: 5 }), field: "givenName", says: /expected a string.*Omit it/ },
  { name: "externalId empty", spec: user({ externalId: " " }), field: "externalId", says: /must not be empty.*Omit it unless an identity provider needs it/ },
  { name: "active not a boolean", spec: user({ active: "yes" }), field: "active", says: /expected true or false, got string "yes"/ },
  { name: "adopt not a boolean", spec: user({ adopt: "true" }), field: "adopt", says: /expected true or false/ },
  { name: "onDelete unknown", spec: user({ onDelete: "purge" }), field: "onDelete", says: /'purge' is not allowed. Use one of: "delete", "deactivate"/ },
  {
    name: "unknown entitlement",
    spec: user({ entitlements: ["root"] }),
    field: "entitlements",
    says: /'root' is not a Databricks entitlement. Use any of: allow-cluster-create/,
  },
  { name: "entitlements not a list", spec: user({ entitlements: "workspace-access" }), field: "entitlements", says: /expected a list of entitlement names/ },
  {
    name: "workspace-consume with workspace-access",
    spec: user({ entitlements: ["workspace-consume", "workspace-access"] }),
    field: "entitlements",
    says: /cannot be combined.*Keep one of them/,
  },
  {
    name: "entitlements at account level",
    spec: user({ level: "account", accountId: "0d2c6a8e-1c2b-4f1e-9b8a-3f4e5d6c7b8a", entitlements: ["workspace-access"] }),
    field: "entitlements",
    says: /exist only in workspaces.*Set them on the workspace-level resource/,
  },
  { name: "roles not a list", spec: user({ roles: "account_admin" }), field: "roles", says: /expected a list of role names/ },
  { name: "empty role", spec: user({ roles: [""] }), field: "roles", says: /each role must be a non-empty string/ },
  {
    name: "account role in a workspace",
    spec: user({ roles: ["account_admin"] }),
    field: "roles",
    says: /'account_admin' is an account role.*level: "account"/,
  },
  {
    name: "instance profile at account level",
    spec: user({ level: "account", accountId: "0d2c6a8e-1c2b-4f1e-9b8a-3f4e5d6c7b8a", roles: ["arn:aws:iam::1:instance-profile/x"] }),
    field: "roles",
    says: /is an instance profile, which is a workspace role/,
  },
  // Targets
  { name: "plain http to another host", spec: user({ host: "http://example.com" }), field: "host", says: /plain http.*Use https:\/\/example.com/ },
  { name: "host not a string", spec: user({ host: 42 }), field: "host", says: /expected a URL string/ },
  { name: "unknown level", spec: user({ level: "org" }), field: "level", says: /'org' is not a level. Use "workspace".*or "account"/ },
  {
    name: "account level without an account id",
    spec: user({ level: "account" }),
    field: "accountId",
    says: /is required at account level.*databricks-scim:accountId.*DATABRICKS_ACCOUNT_ID/,
  },
  { name: "empty account id", spec: user({ level: "account", accountId: "" }), field: "accountId", says: /expected the account's UUID/ },
  // Groups
  {
    name: "reserved group admins",
    spec: group({ displayName: "admins" }),
    field: "displayName",
    says: /built-in Databricks group.*getGroup\(\{ displayName: "admins" \}\)/,
  },
  { name: "reserved group Users (any case)", spec: group({ displayName: "Users" }), field: "displayName", says: /built-in Databricks group/ },
  { name: "reserved group account users", spec: group({ displayName: "account users" }), field: "displayName", says: /built-in Databricks group/ },
  { name: "group without displayName", spec: { groups: { g: {} as never } }, field: "displayName", says: /is required.*displayName: "data-engineers"/ },
  { name: "group entitlement unknown", spec: group({ entitlements: ["sql"] }), field: "entitlements", says: /'sql' is not a Databricks entitlement/ },
  // Service principals
  {
    name: "SP without name or applicationId",
    spec: { servicePrincipals: { s: {} as never } },
    field: "displayName",
    says: /is required when Databricks generates the application id/,
  },
  {
    name: "applicationId not a UUID",
    spec: sp({ applicationId: "ci-app" }),
    field: "applicationId",
    says: /'ci-app' is not an application id: expected a UUID/,
  },
  {
    name: "applicationId on an AWS host",
    spec: sp({ applicationId: APP_ID, host: "https://dbc-1234abcd-5678.cloud.databricks.com" }),
    field: "applicationId",
    says: /Databricks generates the application id on https:\/\/dbc-1234abcd-5678.cloud.databricks.com.*Remove applicationId/,
  },
  // Issue 24: no applicationId on Azure is a Databricks-managed SP (it used to be refused); it still needs a name.
  {
    name: "Databricks-managed SP on Azure without displayName",
    spec: { servicePrincipals: { s: { host: "https://adb-1.2.azuredatabricks.net" } as never } },
    field: "displayName",
    says: /is required when Databricks generates the application id/,
  },
  // Memberships
  {
    name: "userName given as memberId",
    spec: (ids) => ({ memberships: { m: { group: { id: ids.groupA }, member: "alice@example.com" } } }),
    field: "memberId",
    says: /'alice@example.com' looks like a userName; pass the ScimUser resource/,
  },
  {
    name: "applicationId given as memberId",
    spec: (ids) => ({ memberships: { m: { group: { id: ids.groupA }, member: APP_ID } } }),
    field: "memberId",
    says: /looks like a service principal's applicationId; pass the ScimServicePrincipal resource/,
  },
  {
    name: "group name given as groupId",
    spec: (ids) => ({ memberships: { m: { group: "data-engineers", member: { id: ids.user } } } }),
    field: "groupId",
    says: /'data-engineers' looks like a group name, not a SCIM id; pass the ScimGroup resource/,
  },
  {
    name: "group as its own member",
    spec: (ids) => ({ memberships: { m: { group: { id: ids.groupA }, member: { id: ids.groupA } } } }),
    field: "memberId",
    says: /is the group itself.*Pass another principal/,
  },
  {
    name: "duplicate members in GroupMembers",
    spec: (ids) => ({ groupMembers: { l: { group: { id: ids.groupA }, members: [{ id: ids.user }, { id: ids.user }] } } }),
    field: "memberIds",
    says: /is listed more than once; list each member once/,
  },
  {
    name: "userName in GroupMembers",
    spec: (ids) => ({ groupMembers: { l: { group: { id: ids.groupA }, members: ["bob@example.com"] } } }),
    field: "memberIds",
    says: /'bob@example.com' looks like a userName/,
  },
  {
    name: "a cycle of nested groups",
    spec: (ids) => ({
      memberships: { ab: { group: { id: ids.groupA }, member: { id: ids.groupB } }, ba: { group: { id: ids.groupB }, member: { id: ids.groupA } } },
    }),
    field: "memberId",
    says: /loop|cycle/i,
  },
  {
    name: "GroupMembers and GroupMembership on one group",
    spec: (ids) => ({
      groupMembers: { l: { group: { id: ids.groupA }, members: [{ id: ids.user }] } },
      memberships: { m: { group: { id: ids.groupA }, member: { id: ids.groupB } } },
    }),
    field: "groupId",
    says: /GroupMembers.*GroupMembership|GroupMembership.*GroupMembers/,
  },
];

let emu: RunningEmulator;
let ids: Ids;
const base = workDir("bad-input");

/** `slot`: one stack folder per concurrent preview, reused case after case (a new stack costs CLI calls). */
function stackFor(slot: number, c: Case): StackOptions {
  return {
    workDir: `${base}/slot-${slot}`,
    env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: emu.tokens.admin, ...c.env },
    config: { spec: JSON.stringify(typeof c.spec === "function" ? c.spec(ids) : c.spec) },
  };
}

beforeAll(async () => {
  emu = await startEmulator();
  const a = await scim<{ id: string }>(emu, "POST", "/Groups", { displayName: "bad-input-a" });
  const b = await scim<{ id: string }>(emu, "POST", "/Groups", { displayName: "bad-input-b" });
  const u = await scim<{ id: string }>(emu, "POST", "/Users", { userName: "bad-input-user@example.com" });
  ids = { groupA: a.body.id, groupB: b.body.id, user: u.body.id };
  await resetStats(emu);
});

afterAll(async () => {
  await emu?.stop();
});

describe(`bad input: ${CASES.length} invalid programs, each refused at preview with no write`, () => {
  it("each names its field and the fix; the server sees no write", async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    const results: { c: Case; code: number; text: string }[] = [];
    // A few previews at a time: each is a separate CLI, program and provider process.
    const queue = CASES.map((c) => ({ c }));
    const worker = async (slot: number): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const run = await runStack("preview", stackFor(slot, next.c));
        results.push({ c: next.c, code: run.code, text: output(run) });
      }
    };
    await Promise.all([0, 1, 2, 3].map(worker));
    const wrong: string[] = [];
    for (const { c, code, text } of results) {
      const fieldAndFix = new RegExp(`${c.field}: [^\\n]*${c.says.source}`, c.says.flags);
      if (code === 0) wrong.push(`${c.name}: the preview passed`);
      else if (!fieldAndFix.test(text)) wrong.push(`${c.name}: expected "${c.field}: …${c.says.source}" in:\n${text.slice(-1500)}`);
    }
    expect(wrong).toEqual([]);
    const writes = (await requestLog(emu)).filter((r) => r.method !== "GET");
    expect(writes).toEqual([]);
  });

  it("a member that does not exist passes preview (its id cannot be judged offline), then fails at up naming it, changing nothing else", async () => {
    const c: Case = {
      name: "missing member",
      spec: { memberships: { m: { group: { id: ids.groupA }, member: { id: "999999999999" } } } },
      field: "memberId",
      says: /./,
    };
    const opts = stackFor(4, c);
    const preview = await runStack("preview", opts);
    expect(preview.code, output(preview)).toBe(0);
    await resetStats(emu);
    const up = await runStack("up", opts);
    expect(up.code).not.toBe(0);
    expect(output(up)).toMatch(/memberId: could not add member '999999999999' to group '\d+': .*Check that principal '999999999999' still exists/);
    // Only the refused PATCH reached the server; the group is as it was.
    const writes = (await requestLog(emu)).filter((r) => r.method !== "GET");
    expect(writes.every((w) => w.method === "PATCH" && w.status === 400)).toBe(true);
    const g = await scim<{ members?: unknown[] }>(emu, "GET", `/Groups/${ids.groupA}`);
    expect(g.body.members ?? []).toEqual([]);
  });
});
