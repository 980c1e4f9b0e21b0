// Identity federation seen from a workspace: the workspace-level permission-assignment API, workspace SCIM
// creates that create or link the account principal (service principals too), the eventual-consistency
// window on new principals, non-admin refusals, durable state, and the CLI flags.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulatorProcess } from "../../scripts/emulatorProcess";
import { createGroup, httpCall, patch, scimError, URN_SP, URN_USER, type Json } from "./helpers";
import { accountUser, apiError, filterEq, startFederated, type FedClient } from "./federation-helpers";

describe("workspace-level permission assignments", () => {
  let c: FedClient;
  beforeAll(async () => {
    c = await startFederated({ cloud: "aws", workspaces: [{ federated: true }, { federated: false }] }); // generated applicationIds
  });
  afterAll(() => c.close());

  it("PUT by account id, GET one, list, DELETE", async () => {
    const u = await accountUser(c, "ws-api@example.com");
    const put = await c.wsAssign(0, "PUT", `/principals/${u.id}`, { permissions: ["ADMIN"] });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      permissions: ["ADMIN"],
      principal: { principal_id: Number(u.id), display_name: "ws-api@example.com", user_name: "ws-api@example.com" },
    });
    expect((await c.wsAssign(0, "GET", `/principals/${u.id}`)).body.permissions).toEqual(["ADMIN"]);
    const list = (await c.wsAssign(0, "GET", "")).body.permission_assignments as Json[];
    expect(list.find((a) => a.principal.principal_id === Number(u.id))?.permissions).toEqual(["ADMIN"]);
    // Same store as the account API.
    const acc = (await c.accAssign(0, "GET", "")).body.permission_assignments as Json[];
    expect(acc.find((a) => a.principal.principal_id === Number(u.id))?.permissions).toEqual(["ADMIN"]);
    expect((await c.wsAssign(0, "DELETE", `/principals/${u.id}`)).status).toBe(200);
    expect((await c.wsAssign(0, "GET", `/principals/${u.id}`)).status).toBe(404);
  });

  it("POST by name assigns USER; ADMIN is refused with the observed text; unknown names are per-item errors", async () => {
    const u = await accountUser(c, "by-name@example.com");
    const g = await createGroup(c, "by-name-group", {}, "acc");
    const r = await c.wsAssign(0, "POST", "", {
      permission_assignments: [
        { user_name: "By-Name@example.com", permissions: ["USER"] },
        { group_name: "by-name-group", permissions: ["USER"] },
        { user_name: "nobody@example.com", permissions: ["USER"] },
      ],
    });
    expect(r.status).toBe(200);
    const [a, b, missing] = r.body.permission_assignments as Json[];
    expect(a).toEqual({
      permissions: ["USER"],
      principal: { principal_id: Number(u.id), display_name: "by-name@example.com", user_name: "by-name@example.com" },
    });
    expect(b.principal).toEqual({ principal_id: Number(g.id), display_name: "by-name-group", group_name: "by-name-group" });
    expect(missing.error).toBe("RESOURCE_DOES_NOT_EXIST: Principal not found in account.");
    const admin = await c.wsAssign(0, "POST", "", { permission_assignments: [{ user_name: "by-name@example.com", permissions: ["ADMIN"] }] });
    expect(admin.status).toBe(400);
    expect(admin.body.message).toBe("Invalid permission: ADMIN is invalid or not supported for this workspace.");
    // Nothing changed by the refused POST.
    expect((await c.wsAssign(0, "GET", `/principals/${u.id}`)).body.permissions).toEqual(["USER"]);
  });

  it("refuses non-admins and workspaces without identity federation", async () => {
    const r = await c.wsAssign(0, "GET", "", undefined, c.emu.tokens.user);
    expect(r.status).toBe(403);
    expect(r.body).toEqual(apiError("PERMISSION_DENIED", "Only workspace admins can access this API."));
    const notFed = await c.wsAssign(1, "GET", "");
    expect(notFed.status).toBe(400);
    expect(notFed.body.message).toBe("Permission assignment APIs are not available for this workspace.");
  });
});

describe("workspace SCIM on a federated workspace", () => {
  let c: FedClient;
  beforeAll(async () => {
    c = await startFederated({ cloud: "aws", workspaces: [{ federated: true }, { federated: true }, { federated: false }] }); // generated applicationIds
  });
  afterAll(() => c.close());

  it("a workspace user is the account user (same id), assigned USER; linking keeps an existing account user", async () => {
    const created = (await c.wsAt(0, "POST", "/Users", { schemas: [URN_USER], userName: "fed-user@example.com" })).body;
    const inAcc = (await c.acc("GET", `/Users/${created.id}`)).body;
    expect(inAcc.userName).toBe("fed-user@example.com");
    const assigned = (await c.accAssign(0, "GET", "")).body.permission_assignments as Json[];
    expect(assigned.find((a) => a.principal.principal_id === Number(created.id))?.permissions).toEqual(["USER"]);
    // Created in the second workspace too: linked, not a second account user.
    const linked = (await c.wsAt(1, "POST", "/Users", { userName: "FED-USER@example.com" })).body;
    expect(linked.id).toBe(created.id);
    expect((await c.acc("GET", `/Users${filterEq("userName", "fed-user@example.com")}`)).body.totalResults).toBe(1);
    // A workspace name change is the account user's too (one identity).
    await c.wsAt(1, "PATCH", `/Users/${created.id}`, patch({ op: "replace", path: "displayName", value: "Fed User" }));
    expect((await c.acc("GET", `/Users/${created.id}`)).body.displayName).toBe("Fed User");
    expect((await c.wsAt(0, "GET", `/Users/${created.id}`)).body.displayName).toBe("Fed User");
    // Workspace DELETE removes it from that workspace only.
    expect((await c.wsAt(1, "DELETE", `/Users/${created.id}`)).status).toBe(204);
    expect((await c.wsAt(1, "GET", `/Users/${created.id}`)).status).toBe(404);
    expect((await c.wsAt(0, "GET", `/Users/${created.id}`)).status).toBe(200);
    expect((await c.acc("GET", `/Users/${created.id}`)).status).toBe(200);
    expect(((await c.accAssign(1, "GET", "")).body.permission_assignments as Json[]).some((a) => a.principal.principal_id === Number(created.id))).toBe(false);
  });

  it("a workspace service principal is in the account with the same id and applicationId; no second one there", async () => {
    const sp = (await c.wsAt(0, "POST", "/ServicePrincipals", { schemas: [URN_SP], displayName: "fed-sp" })).body;
    const acc = await c.acc("GET", `/ServicePrincipals${filterEq("applicationId", sp.applicationId)}`);
    expect(acc.body.totalResults).toBe(1);
    expect(acc.body.Resources[0]).toMatchObject({ id: sp.id, applicationId: sp.applicationId, displayName: "fed-sp" });
    const assigned = (await c.accAssign(0, "GET", "")).body.permission_assignments as Json[];
    expect(assigned.find((a) => a.principal.principal_id === Number(sp.id))?.principal).toEqual({
      principal_id: Number(sp.id),
      display_name: "fed-sp",
      service_principal_name: sp.applicationId,
    });
    // Assigning it to another workspace shows the same principal there.
    await c.accAssign(1, "PUT", `/principals/${sp.id}`, { permissions: ["USER"] });
    expect((await c.wsAt(1, "GET", `/ServicePrincipals/${sp.id}`)).body.applicationId).toBe(sp.applicationId);
    // A workspace without federation keeps its service principals to itself (the behaviour before federation).
    const local = (await c.wsAt(2, "POST", "/ServicePrincipals", { displayName: "legacy-sp" })).body;
    expect((await c.acc("GET", `/ServicePrincipals${filterEq("applicationId", local.applicationId)}`)).body.totalResults).toBe(0);
  });
});

describe("service principals on Azure", () => {
  let c: FedClient;
  beforeAll(async () => {
    c = await startFederated({ cloud: "azure", workspaces: [{ federated: true }, { federated: true }] });
  });
  afterAll(() => c.close());

  const APP = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6";

  it("the account refuses a second principal with a workspace SP's applicationId; a workspace links the account's", async () => {
    const ws = (await c.wsAt(0, "POST", "/ServicePrincipals", { applicationId: APP, displayName: "entra-app" })).body;
    const dup = await c.acc("POST", "/ServicePrincipals", { applicationId: APP, displayName: "again" });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual(scimError(409, `Service principal with application ID ${APP} already exists.`));
    const other = (await c.wsAt(1, "POST", "/ServicePrincipals", { applicationId: APP, displayName: "entra-app" })).body;
    expect(other.id).toBe(ws.id);
    expect((await c.acc("GET", `/ServicePrincipals${filterEq("applicationId", APP)}`)).body.totalResults).toBe(1);
  });
});

describe("eventual consistency on new principals", () => {
  let c: FedClient;
  const WINDOW = 1500;
  beforeAll(async () => {
    c = await startFederated({ workspaces: 1, consistencyWindowMs: WINDOW });
  });
  afterAll(() => c.close());

  it("assignment right after creation answers 'Principal … not in workspace …' until the window has passed", async () => {
    const u = await accountUser(c, "fresh@example.com");
    const start = Date.now();
    const first = await c.accAssign(0, "PUT", `/principals/${u.id}`, { permissions: ["USER"] });
    expect(first.status).toBe(400);
    expect(first.body).toEqual(apiError("INVALID_PARAMETER_VALUE", `Principal ${u.id} not in workspace ${c.wsId(0)}`));
    // Nothing was assigned by the refused PUT.
    expect((await c.accAssign(0, "GET", "")).body.permission_assignments?.some((a: Json) => a.principal.principal_id === Number(u.id))).toBe(false);
    const ws = await c.wsAssign(0, "PUT", `/principals/${u.id}`, { permissions: ["USER"] });
    expect(ws.body.message).toBe(`Principal ${u.id} not in workspace ${c.wsId(0)}`);
    let last = first;
    while (last.status !== 200 && Date.now() - start < WINDOW + 10_000) {
      await new Promise((r) => setTimeout(r, 100));
      last = await c.accAssign(0, "PUT", `/principals/${u.id}`, { permissions: ["USER"] });
    }
    expect(last.status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(WINDOW - 200);
  });
});

describe("non-account-admin callers", () => {
  const CLIENT = { clientId: "22222222-3333-4444-5555-666666666666", clientSecret: "dose-fed-secret" };
  let c: FedClient;
  beforeAll(async () => {
    c = await startFederated({ workspaces: 1, oauth: { clients: [CLIENT] } });
  });
  afterAll(() => c.close());

  it("an account principal without account_admin gets 403 PERMISSION_DENIED", async () => {
    const sp = (await c.acc("GET", `/ServicePrincipals${filterEq("applicationId", CLIENT.clientId)}`)).body.Resources[0];
    await c.acc("PATCH", `/ServicePrincipals/${sp.id}`, patch({ op: "remove", path: 'roles[value eq "account_admin"]' }));
    const t = await fetch(`${c.emu.url}/oidc/accounts/${c.emu.accountId}/v1/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials&scope=all-apis",
    });
    const token = ((await t.json()) as { access_token: string }).access_token;
    const u = await accountUser(c, "target@example.com");
    for (const [method, path] of [
      ["PUT", `/principals/${u.id}`],
      ["GET", ""],
      ["DELETE", `/principals/${u.id}`],
    ] as const) {
      const r = await c.accAssign(0, method, path, method === "PUT" ? { permissions: ["USER"] } : undefined, token);
      expect(r.status).toBe(403);
      expect(r.body).toEqual(apiError("PERMISSION_DENIED", "Only account admins can access this API."));
    }
  });
});

describe("durable state", () => {
  it("keeps workspaces, assignments and account principals in workspaces across a restart and a crash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-fed-"));
    const statePath = join(dir, "state.json");
    const a = await startFederated({ statePath, workspaces: [{ federated: true }, { federated: true }] });
    const u = await accountUser(a, "kept@example.com");
    const g = await createGroup(a, "kept-group", { members: [{ value: u.id }] }, "acc");
    await a.accAssign(1, "PUT", `/principals/${g.id}`, { permissions: ["ADMIN"] });
    await a.accAssign(0, "PUT", `/principals/${u.id}`, { permissions: ["USER"] });
    const ids = [a.wsId(0), a.wsId(1)];
    // Journal only (a never closed), then a clean restart.
    const b = await startFederated({ statePath, workspaces: 2 });
    const check = async (x: FedClient) => {
      expect([x.wsId(0), x.wsId(1)]).toEqual(ids);
      const list = (await x.accAssign(1, "GET", "")).body.permission_assignments as Json[];
      expect(list.filter((p) => [Number(g.id), Number(u.id)].includes(p.principal.principal_id)).map((p) => [p.principal.principal_id, p.permissions])).toEqual(
        [[Number(g.id), ["ADMIN"]]],
      );
      expect((await x.wsAt(1, "GET", `/Groups/${g.id}`)).body.meta).toEqual({ resourceType: "Group" });
      expect((await x.wsAt(1, "GET", `/Users/${u.id}`)).status).toBe(200);
      expect((await x.wsAt(0, "GET", `/Users/${u.id}`)).status).toBe(200);
    };
    await check(b);
    await b.close();
    await a.emu.close();
    const d = await startFederated({ statePath, workspaces: 2 });
    try {
      await check(d);
    } finally {
      await d.close();
    }
  });
});

describe("CLI", () => {
  it("--workspaces 2 --not-federated 2 prints each workspace's host; --consistency-window-ms applies", async () => {
    const emu = await startEmulatorProcess(["--workspaces", "2", "--not-federated", "2", "--consistency-window-ms", "60000"]);
    try {
      const info = emu as unknown as { workspaces: { id: string; federated: boolean; url: string; workspaceUrl: string }[] };
      expect(info.workspaces.map((w) => w.federated)).toEqual([true, false]);
      expect(info.workspaces[0]?.id).toBe(emu.workspaceId);
      const me = await httpCall("GET", `${info.workspaces[1]?.workspaceUrl}/Me`, undefined, { token: emu.tokens.admin });
      expect(me.headers.get("x-databricks-org-id")).toBe(info.workspaces[1]?.id);
      const u = await httpCall("POST", `${emu.accountUrl}/Users`, { userName: "cli@example.com" }, { token: emu.tokens.accountAdmin });
      const put = await httpCall(
        "PUT",
        `${emu.url}/api/2.0/accounts/${emu.accountId}/workspaces/${emu.workspaceId}/permissionassignments/principals/${u.body.id}`,
        { permissions: ["USER"] },
        { token: emu.tokens.accountAdmin },
      );
      expect(put.body.message).toBe(`Principal ${u.body.id} not in workspace ${emu.workspaceId}`);
    } finally {
      await emu.stop();
    }
  });
});
