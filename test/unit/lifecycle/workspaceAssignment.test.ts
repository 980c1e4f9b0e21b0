// WorkspaceAssignment's lifecycle against a stub account on loopback: what check accepts, and the exact requests
// create, update, read and delete send.
import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../../provider/lifecycle/check";
import { workspaceAssignmentLifecycle, type WorkspaceAssignmentOutputs } from "../../../provider/lifecycle/workspaceAssignment";
import { testContexts } from "./testSession";
import { failureOf, useCleanEnv, useStubWorkspaces, type Recorded } from "./helpers";

const wa = workspaceAssignmentLifecycle.bind(testContexts);
const ACCOUNT_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const BASE = `/api/2.0/accounts/${ACCOUNT_ID}/workspaces/7001/permissionassignments`;

useCleanEnv();
const stub = useStubWorkspaces();
const check = (news: Record<string, unknown>) => wa.check({}, news);

function gateway(status: number, code: string, message: string) {
  return { status, body: { error_code: code, message } };
}

function assigned(pid: string, permissions: string[]) {
  return { permission_assignments: [{ permissions, principal: { principal_id: Number(pid), user_name: "ann@example.com", display_name: "Ann" } }] };
}

const lines = (reqs: Recorded[]) => reqs.map((r) => `${r.method} ${r.url}${r.body ? ` ${r.body}` : ""}`);

async function accountStub(handler: (req: Recorded, n: number) => { status: number; body?: unknown }) {
  const s = await stub(handler);
  const inputs = { host: s.url, level: "account" as const, accountId: ACCOUNT_ID, principalId: "42", workspaceId: "7001", permissions: ["USER" as const] };
  return { s, inputs };
}

describe("WorkspaceAssignment check", () => {
  const account = { host: "https://accounts.azuredatabricks.net", level: "account", accountId: ACCOUNT_ID };

  it("takes a numeric principal and workspace id (numbers or strings) and one permission", async () => {
    const r = await check({ ...account, principalId: 42, workspaceId: 7001, permissions: ["ADMIN"] });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({ ...account, principalId: "42", workspaceId: "7001", permissions: ["ADMIN"] });
  });

  it("flattens the scope the class registers, and passes unknowns through during a preview", async () => {
    const r = await check({ principalId: UNKNOWN, workspaceId: UNKNOWN, permissions: ["USER"], scope: { ...account, resourceName: "a" } });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toMatchObject({ ...account, principalId: UNKNOWN, workspaceId: UNKNOWN });
  });

  it("at workspace level the workspace id may be omitted (the host's workspace)", async () => {
    const r = await check({ principalId: "42", permissions: ["USER"] });
    expect(r.failures).toBeUndefined();
    expect(r.inputs?.level).toBe("workspace");
    expect(r.inputs?.workspaceId).toBeUndefined();
  });

  it.each([
    [{ principalId: "ann@example.com", workspaceId: 1, permissions: ["USER"] }, "principal", "'ann@example.com' is not an account SCIM id"],
    [{ workspaceId: 1, permissions: ["USER"] }, "principal", "is required"],
    [{ principalId: "1", permissions: ["USER"] }, "workspaceId", "is required with the account API"],
    [{ principalId: "1", workspaceId: "https://adb-1.2.azuredatabricks.net", permissions: ["USER"] }, "workspaceId", "is not a workspace id"],
    [{ principalId: "1", workspaceId: 1, permissions: [] }, "permissions", "must not be empty"],
    [{ principalId: "1", workspaceId: 1, permissions: ["users"] }, "permissions", 'case matters: "USER"'],
    [{ principalId: "1", workspaceId: 1, permissions: ["USER", "ADMIN"] }, "permissions", 'Set ["ADMIN"]'],
    [{ principalId: "1", workspaceId: 1, permissions: ["USER"], principalType: "group", principalLevel: "workspace" }, "principal", "workspace-local group"],
  ])("rejects %j on %s", async (news, property, text) => {
    expect(failureOf((await check({ ...account, ...news })).failures, property)).toContain(text);
  });
});

describe("WorkspaceAssignment diff", () => {
  const olds: WorkspaceAssignmentOutputs = { host: "h", level: "account", accountId: "a", principalId: "1", workspaceId: "2", permissions: ["USER"] };
  it("a permission change is an update, another principal or workspace a replacement", async () => {
    expect(await wa.diff("2|1", olds, { ...olds, permissions: ["ADMIN"] })).toEqual({ replaces: [] });
    expect(await wa.diff("2|1", olds, { ...olds })).toEqual({ changes: false, replaces: [] });
    expect((await wa.diff("2|1", olds, { ...olds, principalId: "9" })).replaces).toEqual(["principalId"]);
    expect((await wa.diff("2|1", olds, { ...olds, workspaceId: "3" })).replaces).toEqual(["workspaceId"]);
    // The same workspace through its own API: one PUT there, not a delete of the access.
    expect((await wa.diff("2|1", olds, { ...olds, host: "w", level: "workspace" })).replaces).toEqual([]);
  });
});

describe("WorkspaceAssignment calls", () => {
  it("create: one PUT of the permission set as application/json, then the list to read it back", async () => {
    const { s, inputs } = await accountStub((req) =>
      req.method === "PUT" ? { status: 200, body: { permissions: ["USER"] } } : { status: 200, body: assigned("42", ["USER"]) },
    );
    const r = await wa.create(inputs);
    expect(lines(s.requests)).toEqual([`PUT ${BASE}/principals/42 {"permissions":["USER"]}`, `GET ${BASE}`]);
    expect(s.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(r.id).toBe("7001|42");
    expect(r.outs).toMatchObject({ principalId: "42", workspaceId: "7001", permissions: ["USER"], principalName: "ann@example.com" });
  });

  it("create: waits out 'Principal … not in workspace …' and then succeeds", async () => {
    const { s, inputs } = await accountStub((req, n) => {
      if (req.method === "PUT") return n <= 2 ? gateway(400, "INVALID_PARAMETER_VALUE", "Principal 42 not in workspace 7001") : { status: 200, body: {} };
      return { status: 200, body: assigned("42", ["USER"]) };
    });
    await wa.create(inputs);
    expect(s.requests.map((q) => q.method)).toEqual(["PUT", "PUT", "PUT", "GET"]);
  });

  it("create: gives up after the bound with what to do", async () => {
    process.env.DATABRICKS_SCIM_ASSIGNMENT_WAIT_MS = "1200";
    const { inputs } = await accountStub(() => gateway(400, "INVALID_PARAMETER_VALUE", "Permission assignments not supported for current workspace."));
    await expect(wa.create(inputs)).rejects.toThrow(
      /still answered "Permission assignments not supported for current workspace\.".*DATABRICKS_SCIM_ASSIGNMENT_WAIT_MS.*metastore/,
    );
  });

  it("create: a 200 carrying an error is a failure, not a success", async () => {
    const { inputs } = await accountStub(() => ({ status: 200, body: { error: "Invalid permission" } }));
    await expect(wa.create(inputs)).rejects.toThrow(/Invalid permission/);
  });

  it("update: one PUT with the new set, never a DELETE", async () => {
    const { s, inputs } = await accountStub((req) => (req.method === "PUT" ? { status: 200, body: {} } : { status: 200, body: assigned("42", ["ADMIN"]) }));
    const outs = await wa.update("7001|42", inputs, { ...inputs, permissions: ["ADMIN"] });
    expect(lines(s.requests)).toEqual([`PUT ${BASE}/principals/42 {"permissions":["ADMIN"]}`, `GET ${BASE}`]);
    expect(outs.outs?.permissions).toEqual(["ADMIN"]);
  });

  it("read: reports the permission the server holds (ADMIN wins), and gone when unassigned", async () => {
    let body: unknown = assigned("42", ["USER", "ADMIN"]);
    const { s, inputs } = await accountStub(() => ({ status: 200, body }));
    expect((await wa.read("7001|42", inputs)).props?.permissions).toEqual(["ADMIN"]);
    expect((await wa.read("7001|42", inputs)).inputs?.permissions).toEqual(["ADMIN"]);
    body = {};
    expect(await wa.read("7001|42", inputs)).toEqual({});
    body = assigned("42", ["UNKNOWN"]);
    expect(await wa.read("7001|42", inputs)).toEqual({});
    expect(lines(s.requests).every((l) => l === `GET ${BASE}`)).toBe(true);
  });

  it("delete: one DELETE; not assigned any more is fine", async () => {
    let status = 200;
    const { s, inputs } = await accountStub(() => ({ status, body: status === 200 ? {} : { error_code: "RESOURCE_DOES_NOT_EXIST", message: "not assigned" } }));
    await wa.delete("7001|42", inputs);
    status = 404;
    await wa.delete("7001|42", inputs);
    expect(lines(s.requests)).toEqual([`DELETE ${BASE}/principals/42`, `DELETE ${BASE}/principals/42`]);
  });

  it("with a workspace connection: the workspace's own API", async () => {
    const s = await stub((req) => (req.method === "PUT" ? { status: 200, body: {} } : { status: 200, body: assigned("42", ["USER"]) }));
    const r = await wa.create({ host: s.url, level: "workspace", principalId: "42", permissions: ["USER"] });
    expect(lines(s.requests)).toEqual([
      `PUT /api/2.0/preview/permissionassignments/principals/42 {"permissions":["USER"]}`,
      "GET /api/2.0/preview/permissionassignments",
    ]);
    expect(r.id).toBe("42");
  });
});
