/**
 * Identity federation through the real engine: account users, a group and a service principal assigned to two
 * workspaces of one emulated account (each on its own host) with different permissions, their per-workspace
 * entitlements, a permission change in place, drift made in the console, Databricks' eventual consistency on
 * new principals (a 5 s window), the guidance for a workspace group that is an account group, destroy, and bad
 * programs refused at preview.
 */
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessSpec } from "../programs/workspaceAccess";
import {
  REPO,
  expectOk,
  output,
  requestLog,
  resetStats,
  runStack,
  specOptions,
  startEmulator,
  workDir,
  type LoggedRequest,
  type RunningEmulator,
  type StackOptions,
} from "./harness";

const PROGRAM = `${REPO}/dist/test/programs/workspaceAccess.js`;
const WINDOW_MS = 5000;

interface Workspace {
  id: string;
  url: string;
  workspaceUrl: string;
}
interface Assignment {
  permissions?: string[];
  principal?: { principal_id?: number; user_name?: string; group_name?: string; service_principal_name?: string };
}

let emu: RunningEmulator;
let ws: Workspace[];
let opts: StackOptions;

async function call<T>(url: string, method: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await request(url, {
    method: method as "GET",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: (text ? JSON.parse(text) : undefined) as T };
}

const accountAssignments = (i: number) => `${emu.url}/api/2.0/accounts/${emu.accountId}/workspaces/${ws[i]!.id}/permissionassignments`;

/** principal id → permissions, of workspace i, as the account API lists them (the emulator's token users included). */
async function allAssignmentsOf(i: number): Promise<Record<string, string[]>> {
  const r = await call<{ permission_assignments?: Assignment[] }>(accountAssignments(i), "GET", emu.tokens.accountAdmin);
  expect(r.status).toBe(200);
  return Object.fromEntries((r.body.permission_assignments ?? []).map((a) => [String(a.principal?.principal_id), [...(a.permissions ?? [])].sort()]));
}

async function listNames(base: string, token: string, kind: string): Promise<string[]> {
  const r = await call<{ Resources?: { userName?: string; displayName?: string; applicationId?: string }[] }>(`${base}/${kind}?count=1000`, "GET", token);
  expect(r.status).toBe(200);
  return (r.body.Resources ?? []).map((p) => p.userName ?? p.applicationId ?? p.displayName ?? "").sort();
}

/** Everything destroy must leave as it found: the account's principals, and each workspace's assignments and SCIM lists. */
async function snapshot(): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const kind of ["Users", "Groups", "ServicePrincipals"]) out[`account ${kind}`] = await listNames(emu.accountUrl, emu.tokens.accountAdmin, kind);
  for (const i of [0, 1]) {
    out[`ws${i} assignments`] = await allAssignmentsOf(i);
    for (const kind of ["Users", "Groups", "ServicePrincipals"]) out[`ws${i} ${kind}`] = await listNames(ws[i]!.workspaceUrl, emu.tokens.admin, kind);
  }
  return out;
}

async function entitlementsIn(i: number, kind: string, id: string): Promise<string[]> {
  const r = await call<{ entitlements?: { value: string }[] }>(`${ws[i]!.workspaceUrl}/${kind}/${id}?attributes=entitlements`, "GET", emu.tokens.admin);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body.entitlements ?? []).map((e) => e.value).sort();
}

/** The assignments the program made: those of workspace i that were not there before it ran. */
const baseline: Record<string, string[]>[] = [];
async function assignmentsOf(i: number): Promise<Record<string, string[]>> {
  return Object.fromEntries(Object.entries(await allAssignmentsOf(i)).filter(([id]) => !(id in (baseline[i] ?? {}))));
}

const assignmentWrites = (log: LoggedRequest[]) => log.filter((r) => r.resourceType === "PermissionAssignments" && r.method !== "GET");

function spec(annOnWs0: "USER" | "ADMIN" = "USER"): AccessSpec {
  return {
    connections: {
      account: { host: emu.url, level: "account", accountId: emu.accountId, tokenEnvVar: "ACCOUNT_TOKEN" },
      ws0: { host: ws[0]!.url, tokenEnvVar: "WS_TOKEN" },
      ws1: { host: ws[1]!.url, tokenEnvVar: "WS_TOKEN" },
    },
    users: {
      ann: { connection: "account", userName: "ann@example.com", displayName: "Ann" },
      bob: { connection: "account", userName: "bob@example.com", displayName: "Bob" },
    },
    groups: { eng: { connection: "account", displayName: "fed-engineers" } },
    servicePrincipals: { ci: { connection: "account", displayName: "fed-ci" } },
    assignments: {
      // Account API: the assignments take the principals' account connection.
      "ann-ws0": { principal: "ann", workspaceId: ws[0]!.id, permissions: [annOnWs0] },
      "ann-ws1": { principal: "ann", workspaceId: Number(ws[1]!.id), permissions: ["ADMIN"] },
      "eng-ws0": { principal: "eng", workspaceId: ws[0]!.id, permissions: ["USER"] },
      "eng-ws1": { principal: "eng", workspaceId: ws[1]!.id, permissions: ["ADMIN"] },
      "ci-ws1": { principal: "ci", workspaceId: ws[1]!.id, permissions: ["USER"] },
      // The workspace's own API, with only a workspace connection.
      "bob-ws0": { principal: "bob", connection: "ws0", permissions: ["USER"] },
    },
    entitlements: {
      "eng-in-ws0": { assignment: "eng-ws0", connection: "ws0", entitlements: ["databricks-sql-access", "workspace-access"] },
      "eng-in-ws1": { assignment: "eng-ws1", connection: "ws1", entitlements: ["allow-cluster-create"] },
      "ci-in-ws1": { assignment: "ci-ws1", connection: "ws1", entitlements: ["workspace-access"] },
    },
  };
}

let ids: Record<string, string> = {};
let before: unknown;

beforeAll(async () => {
  // AWS: the service principal gets a generated applicationId.
  emu = await startEmulator(["--cloud", "aws", "--workspaces", "2", "--consistency-window-ms", String(WINDOW_MS)]);
  ws = (emu as unknown as { workspaces: Workspace[] }).workspaces;
  opts = {
    workDir: workDir("workspace-assignment"),
    program: PROGRAM,
    env: { ACCOUNT_TOKEN: emu.tokens.accountAdmin, WS_TOKEN: emu.tokens.admin },
  };
  before = await snapshot();
  for (const i of [0, 1]) baseline[i] = await allAssignmentsOf(i);
});

afterAll(async () => {
  await emu?.stop();
});

describe("WorkspaceAssignment and WorkspaceEntitlements through the real pulumi CLI", () => {
  it("assigns account users, a group and a service principal to two workspaces, waiting out the 5 s consistency window", async () => {
    await resetStats(emu);
    const started = Date.now();
    const up = await runStack("up", specOptions(opts, spec()));
    expectOk(up);
    ids = (up.result?.outputs as Record<string, { value: Record<string, string> }>).ids!.value;
    const log = await requestLog(emu);
    const puts = assignmentWrites(log).filter((r) => r.method === "PUT");
    // Databricks' "Principal … not in workspace …" for principals made moments ago: refused, then retried.
    expect(puts.some((r) => r.status === 400)).toBe(true);
    expect(puts.filter((r) => r.status === 200)).toHaveLength(6);
    expect(Date.now() - started).toBeGreaterThan(WINDOW_MS);

    expect(await assignmentsOf(0)).toEqual({ [ids.ann!]: ["USER"], [ids.eng!]: ["USER"], [ids.bob!]: ["USER"] });
    expect(await assignmentsOf(1)).toEqual({ [ids.ann!]: ["ADMIN"], [ids.eng!]: ["ADMIN"], [ids.ci!]: ["USER"] });
    // The account principals are in the workspaces' SCIM, with the account's ids, and their entitlements there.
    expect(await listNames(ws[1]!.workspaceUrl, emu.tokens.admin, "Groups")).toContain("fed-engineers");
    expect(await entitlementsIn(0, "Groups", ids.eng!)).toEqual(["databricks-sql-access", "workspace-access"]);
    expect(await entitlementsIn(1, "Groups", ids.eng!)).toEqual(["allow-cluster-create"]);
    expect(await entitlementsIn(1, "ServicePrincipals", ids.ci!)).toEqual(["workspace-access"]);
    // bob went through workspace 0's own API.
    expect(log.some((r) => r.method === "PUT" && r.path === `/api/2.0/preview/permissionassignments/principals/${ids.bob}` && r.status === 200)).toBe(true);

    const again = await runStack("preview", specOptions(opts, spec(), { flags: ["--expect-no-changes"] }));
    expectOk(again);
  });

  it("changes a permission in place: one PUT, no DELETE", async () => {
    await resetStats(emu);
    const up = await runStack("up", specOptions(opts, spec("ADMIN")));
    expectOk(up);
    expect(up.result?.summary).toMatchObject({ resourceChanges: { update: 1 } });
    const writes = assignmentWrites(await requestLog(emu));
    expect(writes.map((r) => `${r.method} ${r.status}`)).toEqual(["PUT 200"]);
    expect(writes[0]!.path).toContain(`/workspaces/${ws[0]!.id}/permissionassignments/principals/${ids.ann}`);
    expect((await assignmentsOf(0))[ids.ann!]).toEqual(["ADMIN"]);
  });

  it("finds an assignment removed, another changed, and entitlements removed in the console; up restores them", async () => {
    expect((await call(`${accountAssignments(1)}/principals/${ids.ci}`, "DELETE", emu.tokens.accountAdmin)).status).toBe(200);
    expect((await call(`${accountAssignments(1)}/principals/${ids.ann}`, "PUT", emu.tokens.accountAdmin, { permissions: ["USER"] })).status).toBe(200);
    const patch = {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "remove", path: "entitlements", value: [{ value: "workspace-access" }] }],
    };
    expect((await call(`${ws[0]!.workspaceUrl}/Groups/${ids.eng}`, "PATCH", emu.tokens.admin, patch)).status).toBeLessThan(300);

    const refresh = await runStack("refresh", specOptions(opts, spec("ADMIN")));
    expectOk(refresh);
    // ci-ws1 gone, and with it ci's entitlements in ws1 (ci is no longer in that workspace); ann-ws1 and eng-in-ws0 changed.
    expect(refresh.result?.summary).toMatchObject({ resourceChanges: { delete: 2, update: 2 } });

    const preview = await runStack("preview", specOptions(opts, spec("ADMIN"), { flags: ["--diff"] }));
    expectOk(preview);
    expect(output(preview)).toMatch(/ci-ws1/);

    await resetStats(emu);
    const up = await runStack("up", specOptions(opts, spec("ADMIN")));
    expectOk(up);
    expect(assignmentWrites(await requestLog(emu)).map((r) => r.method)).toEqual(["PUT", "PUT"]);
    expect(await assignmentsOf(1)).toEqual({ [ids.ann!]: ["ADMIN"], [ids.eng!]: ["ADMIN"], [ids.ci!]: ["USER"] });
    expect(await entitlementsIn(0, "Groups", ids.eng!)).toEqual(["databricks-sql-access", "workspace-access"]);
    expect(await entitlementsIn(1, "ServicePrincipals", ids.ci!)).toEqual(["workspace-access"]);
    expectOk(await runStack("preview", specOptions(opts, spec("ADMIN"), { flags: ["--expect-no-changes"] })));
  });

  it("a workspace-level ScimGroup named like the account group the program declares is refused at check, naming both", async () => {
    const local: AccessSpec = { ...spec("ADMIN"), groups: { ...spec().groups, "eng-local": { connection: "ws0", displayName: "fed-engineers" } } };
    const up = await runStack("up", specOptions(opts, local));
    expect(up.code).not.toBe(0);
    expect(output(up)).toMatch(
      /displayName: ScimGroup 'eng-local' \(workspace level\) and ScimGroup 'eng' \(account level\) are both named 'fed-engineers'\. In an identity-federated workspace, a workspace-level ScimGroup is a separate workspace-local group/,
    );
    expect(output(up)).toMatch(
      /give ScimGroup 'eng' access to the workspace with WorkspaceAssignment \(and its entitlements there with WorkspaceEntitlements\)/,
    );
    expect((await listNames(ws[0]!.workspaceUrl, emu.tokens.admin, "Groups")).filter((n) => n === "fed-engineers")).toHaveLength(1);
  });

  it("one named like an account group not assigned to the workspace fails at up too: the workspace's proxy of account SCIM finds it", async () => {
    const made = await call<{ id: string }>(`${emu.accountUrl}/Groups`, "POST", emu.tokens.accountAdmin, {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "fed-unassigned",
    });
    expect(made.status).toBe(201);
    // Not in workspace 0's SCIM (never assigned): its POST /Groups alone would make a local group of that name.
    expect(await listNames(ws[0]!.workspaceUrl, emu.tokens.admin, "Groups")).not.toContain("fed-unassigned");
    const program: AccessSpec = {
      ...spec("ADMIN"),
      groups: {
        ...spec().groups,
        // A local group asked for explicitly: no lookup for it.
        "ws0-team": { connection: "ws0", displayName: "fed-ws0-team", workspaceLocal: true },
        "unassigned-local": { connection: "ws0", displayName: "fed-unassigned" },
      },
    };
    await resetStats(emu);
    const up = await runStack("up", specOptions(opts, program));
    expect(up.code).not.toBe(0);
    expect(output(up)).toMatch(
      new RegExp(
        `displayName: 'fed-unassigned' is an account group \\(id ${made.body.id}\\) in the identity-federated workspace at \\S+ ` +
          "\\(found in its account, through the workspace's proxy of account SCIM\\); a workspace-level ScimGroup would be a separate workspace-local group",
      ),
    );
    expect(output(up)).toMatch(/getGroup\(\{ displayName: "fed-unassigned", level: "account" \}\).*WorkspaceAssignment/);
    const log = await requestLog(emu);
    const lookups = log.filter((r) => r.level === "account-proxy");
    // One filtered LIST per workspace-level group create on the federated host (the local one asked for skips it).
    expect(lookups.map((r) => `${r.method} ${r.resourceType} ${r.status} ${decodeURIComponent(r.query)}`)).toEqual([
      'GET Groups 200 attributes=id,displayName&count=100&filter=displayName eq "fed-unassigned"&startIndex=1',
    ]);
    expect((await listNames(ws[0]!.workspaceUrl, emu.tokens.admin, "Groups")).filter((n) => n === "fed-unassigned")).toEqual([]);
    // Leave the account as the destroy test expects it.
    expect((await call(`${emu.accountUrl}/Groups/${made.body.id}`, "DELETE", emu.tokens.accountAdmin)).status).toBe(204);
  });

  it("a program of only a workspace-level ScimGroup on the federated workspace is refused too: nothing else says it is federated", async () => {
    const made = await call<{ id: string }>(`${emu.accountUrl}/Groups`, "POST", emu.tokens.accountAdmin, {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "fed-only-group",
    });
    expect(made.status).toBe(201);
    const program: AccessSpec = {
      connections: { ws0: spec().connections!.ws0! },
      groups: { confused: { connection: "ws0", displayName: "fed-only-group" } },
    };
    await resetStats(emu);
    // Its own stack: this program alone would otherwise delete the other tests' resources.
    const up = await runStack("up", specOptions({ ...opts, workDir: workDir("workspace-assignment-only-group") }, program));
    expect(up.code).not.toBe(0);
    expect(output(up)).toMatch(
      new RegExp(
        `displayName: 'fed-only-group' is an account group \\(id ${made.body.id}\\) in the identity-federated workspace at \\S+ ` +
          "\\(found in its account, through the workspace's proxy of account SCIM\\); a workspace-level ScimGroup would be a separate workspace-local group",
      ),
    );
    expect(output(up)).toMatch(/getGroup\(\{ displayName: "fed-only-group", level: "account" \}\).*WorkspaceAssignment/);
    const log = await requestLog(emu);
    // The one filtered LIST of the proxy is both the probe and the lookup; no POST.
    expect(log.map((r) => `${r.method} ${r.level} ${r.resourceType} ${r.status} ${decodeURIComponent(r.query)}`)).toEqual([
      'GET account-proxy Groups 200 attributes=id,displayName&count=100&filter=displayName eq "fed-only-group"&startIndex=1',
    ]);
    expect(await listNames(ws[0]!.workspaceUrl, emu.tokens.admin, "Groups")).not.toContain("fed-only-group");
    expect((await call(`${emu.accountUrl}/Groups/${made.body.id}`, "DELETE", emu.tokens.accountAdmin)).status).toBe(204);
  });

  it("destroy unassigns before deleting the principals and leaves the account and both workspaces as they were", async () => {
    await resetStats(emu);
    const down = await runStack("destroy", specOptions(opts, spec("ADMIN")));
    expectOk(down);
    const log = await requestLog(emu);
    const firstPrincipalDelete = log.findIndex((r) => r.method === "DELETE" && r.resourceType !== "PermissionAssignments");
    const lastUnassign = log.map((r) => r.method === "DELETE" && r.resourceType === "PermissionAssignments").lastIndexOf(true);
    expect(lastUnassign).toBeGreaterThanOrEqual(0);
    expect(lastUnassign).toBeLessThan(firstPrincipalDelete);
    expect(await snapshot()).toEqual(before);
  });
});

interface BadCase {
  name: string;
  spec: () => AccessSpec;
  /** The field the message names ("<field>: …"), and the fix it must say. */
  field: string;
  says: RegExp;
}

/** A program of one account user and one assignment (or entitlements), with `change` laid over it. */
function bad(change: (s: AccessSpec) => void): () => AccessSpec {
  return () => {
    const s: AccessSpec = {
      connections: spec().connections,
      users: { ann: { connection: "account", userName: "bad-ann@example.com" } },
      assignments: { a: { principal: "ann", workspaceId: ws[0]!.id, permissions: ["USER"] } },
    };
    change(s);
    return s;
  };
}
const setAssignment = (args: Record<string, unknown>) => bad((s) => Object.assign(s.assignments!.a!, args));
const entitlements = (args: Record<string, unknown>) =>
  bad((s) => {
    s.entitlements = { e: { assignment: "a", connection: "ws0", entitlements: ["workspace-access"], ...args } as never };
  });

const BAD: BadCase[] = [
  {
    name: "permission in lower case",
    spec: setAssignment({ permissions: ["user"] }),
    field: "permissions",
    says: /'user' is not a workspace permission \(case matters: "USER"\)/,
  },
  {
    name: "no permission",
    spec: setAssignment({ permissions: [] }),
    field: "permissions",
    says: /must not be empty \(an empty set would delete the assignment\)/,
  },
  { name: "USER and ADMIN", spec: setAssignment({ permissions: ["USER", "ADMIN"] }), field: "permissions", says: /ADMIN includes USER.*Set \["ADMIN"\]/ },
  {
    name: "a userName as principal",
    spec: setAssignment({ principal: "ann@example.com" }),
    field: "principal",
    says: /'ann@example.com' is not an account SCIM id.*ScimUser/,
  },
  {
    name: "a workspace URL as workspaceId",
    spec: setAssignment({ workspaceId: "https://adb-1.2.azuredatabricks.net" }),
    field: "workspaceId",
    says: /is not a workspace id: expected the numeric id/,
  },
  {
    name: "no workspaceId with the account API",
    spec: setAssignment({ workspaceId: undefined }),
    field: "workspaceId",
    says: /is required with the account API/,
  },
  {
    name: "a workspace-local group as principal",
    spec: bad((s) => {
      s.groups = { local: { connection: "ws0", level: "workspace", displayName: "bad-local" } };
      s.assignments!.a!.principal = "local";
    }),
    field: "principal",
    says: /workspace-local group.*getGroup/,
  },
  {
    name: "an unknown entitlement",
    spec: entitlements({ entitlements: ["cluster-create"] }),
    field: "entitlements",
    says: /'cluster-create' is not a Databricks entitlement/,
  },
  {
    name: "per-workspace entitlements with the account connection",
    spec: entitlements({ connection: "account" }),
    field: "host",
    says: /live in a workspace, not in the account/,
  },
  {
    name: "entitlements on an account-level user",
    spec: bad((s) => Object.assign(s.users!.ann!, { entitlements: ["workspace-access"] })),
    field: "entitlements",
    says: /exist only in workspaces.*WorkspaceEntitlements.*WorkspaceAssignment/,
  },
  {
    name: "two assignments of one principal to one workspace",
    spec: bad((s) => {
      s.assignments = {
        a: { principal: "1234567", connection: "account", workspaceId: ws[0]!.id, permissions: ["USER"] },
        b: { principal: "1234567", connection: "account", workspaceId: ws[0]!.id, permissions: ["ADMIN"] },
      };
    }),
    field: "principal",
    says: /WorkspaceAssignment '[ab]' and WorkspaceAssignment '[ab]' both assign principal 1234567 to workspace \d+;.*Keep one WorkspaceAssignment per principal and workspace/,
  },
  {
    name: "two entitlements resources of one principal in one workspace",
    spec: bad((s) => {
      s.entitlements = {
        e: { principal: "1234567", principalType: "group", connection: "ws0", entitlements: ["workspace-access"] },
        f: { principal: "1234567", principalType: "group", connection: "ws0", entitlements: ["allow-cluster-create"] },
      } as never;
    }),
    field: "principal",
    says: /WorkspaceEntitlements '[ef]' and WorkspaceEntitlements '[ef]' both set the entitlements of principal 1234567 in the workspace at .*with the two lists merged/,
  },
  {
    name: "workspaceLocal on an account group",
    spec: bad((s) => {
      s.groups = { g: { connection: "account", displayName: "bad-g", workspaceLocal: true } };
    }),
    field: "workspaceLocal",
    says: /is for workspace-level groups/,
  },
];

describe(`bad programs for the new resources: ${BAD.length}, each refused at preview with no request`, () => {
  it("each names its field and the fix; the emulator sees no request", async () => {
    expect(BAD.length).toBeGreaterThanOrEqual(8);
    await resetStats(emu);
    const base = workDir("workspace-assignment-bad");
    const queue = [...BAD];
    const wrong: string[] = [];
    const worker = async (slot: number): Promise<void> => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const run = await runStack("preview", specOptions({ ...opts, workDir: `${base}/slot-${slot}` }, c.spec()));
        const text = output(run);
        if (run.code === 0) wrong.push(`${c.name}: the preview passed`);
        else if (!new RegExp(`${c.field}: [^\\n]*${c.says.source}`).test(text))
          wrong.push(`${c.name}: expected "${c.field}: …${c.says.source}" in:\n${text.slice(-1500)}`);
      }
    };
    await Promise.all([0, 1, 2].map(worker));
    expect(wrong).toEqual([]);
    expect(await requestLog(emu)).toEqual([]);
  });
});
