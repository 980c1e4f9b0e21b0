// WorkspaceEntitlements' lifecycle against a stub workspace: check, and the exact SCIM requests.
import { describe, expect, it } from "vitest";
import { workspaceEntitlementsLifecycle } from "../../../provider/lifecycle/workspaceEntitlements";
import { testContexts } from "./testSession";
import { failureOf, scimError, useCleanEnv, useStubWorkspaces, WS, type Recorded } from "./helpers";

const we = workspaceEntitlementsLifecycle.bind(testContexts);
useCleanEnv();
const stub = useStubWorkspaces();
const check = (news: Record<string, unknown>) => we.check({}, news);
const lines = (reqs: Recorded[]) => reqs.map((r) => `${r.method} ${r.url}${r.body ? ` ${r.body}` : ""}`);
const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

describe("WorkspaceEntitlements check", () => {
  it("takes a principal id, its type and a list of entitlements, sorted", async () => {
    const r = await check({ principalId: "42", principalType: "group", entitlements: ["workspace-access", "allow-cluster-create"] });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({
      host: "https://adb-1.2.azuredatabricks.net",
      level: "workspace",
      principalId: "42",
      principalType: "group",
      entitlements: ["allow-cluster-create", "workspace-access"],
    });
  });

  it.each([
    [{ principalId: "42", principalType: "group", entitlements: ["cluster-create"] }, "entitlements", "not a Databricks entitlement"],
    [{ principalId: "42", principalType: "group" }, "entitlements", "is required"],
    [{ principalId: "42", entitlements: [] }, "principalType", "is required with a bare principal id"],
    [{ principalId: "eng", principalType: "group", entitlements: [] }, "principal", "'eng' is not a SCIM id"],
    [
      { principalId: "42", principalType: "user", entitlements: [], host: "https://accounts.azuredatabricks.net", level: "account", accountId: "a" },
      "host",
      "live in a workspace",
    ],
  ])("rejects %j on %s", async (news, property, text) => {
    expect(failureOf((await check(news)).failures, property)).toContain(text);
  });
});

describe("WorkspaceEntitlements calls", () => {
  it("create: reads the principal's entitlements in the workspace and PATCHes only the difference", async () => {
    const s = await stub((req) =>
      req.method === "GET"
        ? { status: 200, body: { id: "42", entitlements: [{ value: "workspace-access" }, { value: "allow-cluster-create" }] } }
        : { status: 204 },
    );
    const r = await we.create({
      host: s.url,
      level: "workspace",
      principalId: "42",
      principalType: "group",
      entitlements: ["databricks-sql-access", "workspace-access"],
    });
    expect(lines(s.requests)).toEqual([
      `GET ${WS}/Groups/42?attributes=entitlements`,
      `PATCH ${WS}/Groups/42 ${JSON.stringify({
        schemas: [PATCH_SCHEMA],
        Operations: [
          { op: "add", path: "entitlements", value: [{ value: "databricks-sql-access" }] },
          { op: "remove", path: "entitlements", value: [{ value: "allow-cluster-create" }] },
        ],
      })}`,
    ]);
    expect(r.id).toBe("group/42");
    expect(r.outs?.entitlements).toEqual(["databricks-sql-access", "workspace-access"]);
  });

  it("create: a principal not (yet) in the workspace is waited for, then explained", async () => {
    const s = await stub(() => ({ status: 404, body: scimError(404, "User 42 not found") }));
    await expect(we.create({ host: s.url, level: "workspace", principalId: "42", principalType: "user", entitlements: [] })).rejects.toThrow(
      /user 42 is not in the workspace.*WorkspaceAssignment/,
    );
  });

  it("read: the server's list (drift shows); a principal gone from the workspace is gone", async () => {
    let status = 200;
    const s = await stub(() =>
      status === 200 ? { status, body: { id: "42", entitlements: [{ value: "workspace-access" }] } } : { status, body: scimError(404, "nope") },
    );
    const props = {
      host: s.url,
      level: "workspace" as const,
      principalId: "42",
      principalType: "servicePrincipal" as const,
      entitlements: ["databricks-sql-access" as const],
    };
    expect((await we.read("servicePrincipal/42", props)).inputs?.entitlements).toEqual(["workspace-access"]);
    status = 404;
    expect(await we.read("servicePrincipal/42", props)).toEqual({});
    expect(s.requests[0]!.url).toBe(`${WS}/ServicePrincipals/42?attributes=entitlements`);
  });

  it("delete: removes the entitlements it set that are still there, nothing else", async () => {
    const s = await stub((req) =>
      req.method === "GET"
        ? { status: 200, body: { id: "42", entitlements: [{ value: "workspace-access" }, { value: "allow-cluster-create" }] } }
        : { status: 204 },
    );
    await we.delete("user/42", {
      host: s.url,
      level: "workspace",
      principalId: "42",
      principalType: "user",
      entitlements: ["databricks-sql-access", "workspace-access"],
    });
    expect(lines(s.requests)[1]).toBe(
      `PATCH ${WS}/Users/42 ${JSON.stringify({ schemas: [PATCH_SCHEMA], Operations: [{ op: "remove", path: "entitlements", value: [{ value: "workspace-access" }] }] })}`,
    );
  });
});
