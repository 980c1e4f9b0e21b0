/**
 * The SCIM half of examples/azure-workspace (./access.ts) through the real engine, against an emulator that
 * behaves as an Azure account with one identity-federated workspace (--cloud azure: service principals carry an
 * Entra applicationId; --oauth: the account is reached with OAuth M2M, as the example does, no PAT). The Azure
 * half is covered with mocks in test/unit/examples/azureWorkspace.test.ts.
 */
import * as path from "node:path";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, expectOk, requestLog, resetStats, runStack, workDir, startEmulator, type RunningEmulator, type StackOptions } from "./harness";

const APP_ID = "9a8b7c6d-0000-4000-8000-000000000002";
interface Workspace {
  id: string;
  url: string;
  workspaceUrl: string;
}
let emu: RunningEmulator;
let ws: Workspace;
let oauth: { clientId: string; clientSecret: string };
let opts: StackOptions;

async function get<T>(url: string, token: string): Promise<T> {
  const res = await request(url, { headers: { authorization: `Bearer ${token}` } });
  expect(res.statusCode).toBe(200);
  return (await res.body.json()) as T;
}
const names = async (base: string, token: string, kind: string) =>
  ((await get<{ Resources?: { userName?: string; displayName?: string; applicationId?: string }[] }>(`${base}/${kind}?count=1000`, token)).Resources ?? [])
    .map((p) => p.userName ?? p.applicationId ?? p.displayName)
    .sort();
const assignments = async () =>
  (
    await get<{
      permission_assignments?: {
        permissions: string[];
        principal: { principal_id: number; user_name?: string; group_name?: string; service_principal_name?: string };
      }[];
    }>(`${emu.url}/api/2.0/accounts/${emu.accountId}/workspaces/${ws.id}/permissionassignments`, emu.tokens.accountAdmin)
  ).permission_assignments ?? [];
const byName = async () =>
  Object.fromEntries((await assignments()).map((a) => [a.principal.user_name ?? a.principal.group_name ?? a.principal.service_principal_name, a.permissions]));

beforeAll(async () => {
  emu = await startEmulator(["--cloud", "azure", "--oauth", "--workspaces", "1"]);
  const info = emu as unknown as { workspaces: Workspace[]; oauth: { clientId: string; clientSecret: string } };
  ws = info.workspaces[0]!;
  oauth = info.oauth;
  opts = {
    workDir: workDir("azure-example"),
    program: path.join(REPO, "dist", "test", "programs", "azureAccess.js"),
    config: { accountHost: emu.url, accountId: emu.accountId, workspaceHost: ws.url, workspaceId: ws.id, ciApplicationId: APP_ID },
    env: { DATABRICKS_ACCOUNT_CLIENT_ID: oauth.clientId, DATABRICKS_ACCOUNT_CLIENT_SECRET: oauth.clientSecret, WORKSPACE_TOKEN: emu.tokens.admin },
  };
});
afterAll(async () => {
  await emu?.stop();
});

describe("examples/azure-workspace, SCIM half, for real", () => {
  it("creates the account team, assigns it to the workspace with entitlements there, is idempotent, and destroys it", async () => {
    const before = {
      account: await Promise.all(["Users", "Groups", "ServicePrincipals"].map((k) => names(emu.accountUrl, emu.tokens.accountAdmin, k))),
      workspace: await Promise.all(["Users", "Groups", "ServicePrincipals"].map((k) => names(ws.workspaceUrl, emu.tokens.admin, k))),
      assignments: await byName(),
    };
    await resetStats(emu);
    const up = await runStack("up", opts);
    expectOk(up);
    // Account identities, and every call to the account over OAuth M2M.
    expect(await names(emu.accountUrl, emu.tokens.accountAdmin, "Groups")).toEqual(expect.arrayContaining(["analysts", "data-engineers"]));
    expect(await names(emu.accountUrl, emu.tokens.accountAdmin, "ServicePrincipals")).toContain(APP_ID);
    const oauthStats = await get<{ issued: Record<string, number> }>(`${emu.url}/__emulator/oauth`, emu.tokens.admin);
    expect(oauthStats.issued.account).toBeGreaterThan(0);
    expect((await requestLog(emu)).filter((r) => r.level === "account" && r.status === 401)).toEqual([]);

    expect(await byName()).toMatchObject({ analysts: ["USER"], "data-engineers": ["USER"], [APP_ID]: ["USER"], "bob@example.com": ["ADMIN"] });
    // Members of an assigned group are in the workspace through it.
    expect(await names(ws.workspaceUrl, emu.tokens.admin, "Users")).toEqual(expect.arrayContaining(["alice@example.com", "bob@example.com"]));
    const engineers = (
      await get<{ Resources: { id: string; entitlements?: { value: string }[] }[] }>(
        `${ws.workspaceUrl}/Groups?filter=${encodeURIComponent('displayName eq "data-engineers"')}&attributes=entitlements`,
        emu.tokens.admin,
      )
    ).Resources[0];
    expect((engineers?.entitlements ?? []).map((e) => e.value).sort()).toEqual(["allow-cluster-create", "databricks-sql-access", "workspace-access"]);

    expectOk(await runStack("preview", { ...opts, flags: ["--expect-no-changes"] }));

    const exported = JSON.stringify((await runStack("export", opts)).result);
    expect(exported).not.toContain(oauth.clientSecret);
    expect(exported).not.toContain(emu.tokens.admin);
    expect(exported).toContain('"clientSecretEnvVar":"DATABRICKS_ACCOUNT_CLIENT_SECRET"');

    expectOk(await runStack("destroy", opts));
    expect({
      account: await Promise.all(["Users", "Groups", "ServicePrincipals"].map((k) => names(emu.accountUrl, emu.tokens.accountAdmin, k))),
      workspace: await Promise.all(["Users", "Groups", "ServicePrincipals"].map((k) => names(ws.workspaceUrl, emu.tokens.admin, k))),
      assignments: await byName(),
    }).toEqual(before);
  });
});
