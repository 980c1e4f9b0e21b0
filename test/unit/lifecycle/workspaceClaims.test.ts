// Two WorkspaceAssignments (or two WorkspaceEntitlements) of one principal in one workspace: refused at check,
// naming both resources; other pairs, and a second check of the same resource, are fine.
import { describe, expect, it } from "vitest";
import { Checker } from "../../../provider/lifecycle/check";
import { claimInCheck } from "../../../provider/lifecycle/workspaceClaims";
import { WorkspaceClaims } from "../../../provider/runtime/workspaceRegistry";
import { workspaceAssignmentLifecycle } from "../../../provider/lifecycle/workspaceAssignment";
import { workspaceEntitlementsLifecycle } from "../../../provider/lifecycle/workspaceEntitlements";
import { testContexts } from "./testSession";
import { failureOf, useCleanEnv } from "./helpers";

const wa = workspaceAssignmentLifecycle.bind(testContexts);
const we = workspaceEntitlementsLifecycle.bind(testContexts);
useCleanEnv();

const ACCOUNT = { host: "https://accounts.azuredatabricks.net", level: "account", accountId: "acc-1" };
const assignment = (name: string, extra: Record<string, unknown> = {}) =>
  wa.check({}, { ...ACCOUNT, principalId: "42", workspaceId: "1001", permissions: ["USER"], resourceName: name, ...extra });
const ents = (name: string, extra: Record<string, unknown> = {}) =>
  we.check({}, { principalId: "42", principalType: "group", entitlements: ["workspace-access"], resourceName: name, ...extra });

describe("one assignment and one entitlements resource per principal and workspace", () => {
  it("refuses a second WorkspaceAssignment of the principal to the workspace, naming both", async () => {
    expect((await assignment("a")).failures).toBeUndefined();
    expect((await assignment("a")).failures).toBeUndefined(); // the same resource checked again
    expect((await assignment("other-ws", { workspaceId: 1002 })).failures).toBeUndefined();
    expect((await assignment("other-principal", { principalId: "43" })).failures).toBeUndefined();
    const reason = failureOf((await assignment("b", { permissions: ["ADMIN"] })).failures, "principal");
    expect(reason).toBe(
      "principal: WorkspaceAssignment 'b' and WorkspaceAssignment 'a' both assign principal 42 to workspace 1001; each PUT replaces the " +
        "other's permissions, so every update of one would undo the other. Keep one WorkspaceAssignment per principal and workspace, " +
        'with the permission it needs (["ADMIN"] includes USER).',
    );
  });

  it("refuses a second WorkspaceEntitlements of the principal in the workspace, naming both", async () => {
    expect((await ents("e")).failures).toBeUndefined();
    expect((await ents("elsewhere", { host: "https://adb-9.9.azuredatabricks.net" })).failures).toBeUndefined();
    expect(failureOf((await ents("f", { entitlements: ["allow-cluster-create"] })).failures, "principal")).toMatch(
      /^principal: WorkspaceEntitlements 'f' and WorkspaceEntitlements 'e' both set the entitlements of principal 42 in the workspace at https:\/\/adb-1\.2\.azuredatabricks\.net; .*with the two lists merged\.$/,
    );
  });
});

describe("on a unified host", () => {
  // One host routes to several workspaces by X-Databricks-Workspace-Id: the same principal's entitlements in two
  // of them are two claims, and twice in one of them is refused.
  const unified = (hostWorkspaceId: string) => ({ host: "https://acme.cloud.databricks.com", level: "workspace", hostWorkspaceId }) as const;
  const claimIn = (claims: WorkspaceClaims, name: string, hostWorkspaceId: string): Checker => {
    const c = new Checker();
    claimInCheck(claims, c, { kind: "WorkspaceEntitlements", news: { resourceName: name }, target: unified(hostWorkspaceId), principalId: "42" });
    return c;
  };

  it("tells the workspaces apart by the routed workspace id", () => {
    const claims = new WorkspaceClaims();
    expect(claimIn(claims, "in-1001", "1001").failures).toEqual([]);
    expect(claimIn(claims, "in-1002", "1002").failures).toEqual([]);
    const refused = claimIn(claims, "again-1001", "1001").failures;
    expect(refused.map((f) => f.reason)).toEqual([
      expect.stringMatching(
        /^principal: WorkspaceEntitlements 'again-1001' and WorkspaceEntitlements 'in-1001' both set the entitlements of principal 42 in the workspace at https:\/\/acme\.cloud\.databricks\.com \(workspace 1001\); /,
      ),
    ]);
  });
});
