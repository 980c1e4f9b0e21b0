// The account workspace-assignment API and what an assignment does to the workspace's SCIM view, over real
// HTTP against one account with three workspaces (two identity-federated, one not), each on its own port.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroup, httpCall, patch, URN_GROUP, URN_USER, type Json } from "./helpers";
import { accountUser, apiError, filterEq, names, startFederated, type FedClient } from "./federation-helpers";

let c: FedClient;
beforeAll(async () => {
  c = await startFederated({ workspaces: [{ federated: true }, { federated: true }, { federated: false }] });
});
afterAll(() => c.close());

async function assignedIn(i: number): Promise<Map<number, string[]>> {
  const r = await c.accAssign(i, "GET", "");
  expect(r.status).toBe(200);
  return new Map(((r.body.permission_assignments ?? []) as Json[]).map((a) => [a.principal.principal_id as number, a.permissions as string[]]));
}

describe("workspaces", () => {
  it("each workspace has its own host and id; the main port serves the primary one and the account", async () => {
    const list = c.emu.workspaces ?? [];
    expect(list.map((w) => w.federated)).toEqual([true, true, false]);
    expect(new Set(list.map((w) => w.url)).size).toBe(3);
    expect(list[0]?.id).toBe(c.emu.workspaceId);
    for (const [i, w] of list.entries()) {
      const me = await c.wsAt(i, "GET", "/Me");
      expect(me.status).toBe(200);
      expect(me.headers.get("x-databricks-org-id")).toBe(w.id);
    }
    // The main port picks a workspace by X-Databricks-Workspace-Id (unified host); an unknown one is a 403.
    const r = await fetch(`${c.emu.workspaceUrl}/Me`, { headers: { authorization: `Bearer ${c.emu.tokens.admin}`, "x-databricks-workspace-id": c.wsId(1) } });
    expect(r.headers.get("x-databricks-org-id")).toBe(c.wsId(1));
    const bad = await fetch(`${c.emu.workspaceUrl}/Me`, { headers: { authorization: `Bearer ${c.emu.tokens.admin}`, "x-databricks-workspace-id": "999" } });
    expect(bad.status).toBe(403);
    expect(await bad.json()).toEqual(apiError("PERMISSION_DENIED", "Caller is not authorized to access workspace 999."));
    // A workspace host does not serve another workspace.
    const mismatch = await fetch(`${c.emu.workspaces?.[1]?.workspaceUrl}/Me`, {
      headers: { authorization: `Bearer ${c.emu.tokens.admin}`, "x-databricks-workspace-id": c.wsId(0) },
    });
    expect(mismatch.status).toBe(400);
  });

  it("lists the permission levels", async () => {
    const r = await c.accAssign(0, "GET", "/permissions");
    expect(r.status).toBe(200);
    expect((r.body.permissions as Json[]).map((p) => p.permission_level)).toEqual(["USER", "ADMIN"]);
  });
});

describe("account permission assignments", () => {
  it("PUT assigns with Databricks' response shape; the user appears in that workspace's SCIM only", async () => {
    const u = await accountUser(c, "assigned@example.com");
    const r = await c.accAssign(1, "PUT", `/principals/${u.id}`, { permissions: ["USER"] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      permissions: ["USER"],
      principal: { principal_id: Number(u.id), display_name: "assigned@example.com", user_name: "assigned@example.com" },
    });
    expect(String(r.body.principal.principal_id)).toBe(u.id);
    expect((await assignedIn(1)).get(Number(u.id))).toEqual(["USER"]);
    const inWs = await c.wsAt(1, "GET", `/Users${filterEq("userName", "assigned@example.com")}`);
    expect(inWs.body.Resources.map((x: Json) => x.id)).toEqual([u.id]); // the account id is the workspace id
    expect(inWs.body.Resources[0].groups.map((g: Json) => g.display)).toEqual(["users"]);
    expect((await c.wsAt(0, "GET", `/Users${filterEq("userName", "assigned@example.com")}`)).body.totalResults).toBe(0);
  });

  it("ADMIN wins over USER, unknown values are ignored, and the change is one PUT in place", async () => {
    const u = await accountUser(c, "promoted@example.com");
    await c.accAssign(1, "PUT", `/principals/${u.id}`, { permissions: ["USER"] });
    const both = await c.accAssign(1, "PUT", `/principals/${u.id}`, { permissions: ["USER", "ADMIN", "OWNER"] });
    expect(both.body.permissions).toEqual(["ADMIN"]);
    expect((await assignedIn(1)).get(Number(u.id))).toEqual(["ADMIN"]);
    const ws = await c.wsAt(1, "GET", `/Users/${u.id}`);
    expect(ws.body.groups.map((g: Json) => g.display).sort()).toEqual(["admins", "users"]);
    // Back to USER: out of admins, still assigned.
    const down = await c.accAssign(1, "PUT", `/principals/${u.id}`, { permissions: ["USER", "users"] });
    expect(down.body.permissions).toEqual(["USER"]);
    expect((await c.wsAt(1, "GET", `/Users/${u.id}`)).body.groups.map((g: Json) => g.display)).toEqual(["users"]);
  });

  it("an empty set, a missing field, or only unknown values deletes the assignment", async () => {
    for (const [i, body] of [{ permissions: [] }, {}, { permissions: ["USERS"] }, { permissions: ["admin"] }].entries()) {
      const u = await accountUser(c, `emptied-${i}@example.com`);
      await c.accAssign(1, "PUT", `/principals/${u.id}`, { permissions: ["USER"] });
      const r = await c.accAssign(1, "PUT", `/principals/${u.id}`, body);
      expect(r.status).toBe(200);
      expect(r.body.permissions).toBeUndefined();
      expect((await assignedIn(1)).has(Number(u.id))).toBe(false);
      expect((await c.wsAt(1, "GET", `/Users/${u.id}`)).status).toBe(404);
      // The principal stays in the account.
      expect((await c.acc("GET", `/Users/${u.id}`)).status).toBe(200);
    }
  });

  it("DELETE unassigns ({}); a second DELETE is a 404", async () => {
    const u = await accountUser(c, "deleted-assignment@example.com");
    await c.accAssign(1, "PUT", `/principals/${u.id}`, { permissions: ["USER"] });
    const r = await c.accAssign(1, "DELETE", `/principals/${u.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({});
    expect((await c.wsAt(1, "GET", `/Users/${u.id}`)).status).toBe(404);
    const again = await c.accAssign(1, "DELETE", `/principals/${u.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("an assigned account group shows as meta.resourceType Group, local ones as WorkspaceGroup; members follow", async () => {
    const alice = await accountUser(c, "alice@example.com");
    const bob = await accountUser(c, "bob@example.com");
    const g = await createGroup(c, "data-team", { members: [{ value: alice.id }] }, "acc");
    const wsLocal = (await c.wsAt(1, "POST", "/Groups", { schemas: [URN_GROUP], displayName: "ws1-local" })).body;
    expect(wsLocal.meta).toEqual({ resourceType: "WorkspaceGroup" });
    // Before assignment the account group is not in the workspace.
    expect((await c.wsAt(1, "GET", `/Groups${filterEq("displayName", "data-team")}`)).body.totalResults).toBe(0);

    await c.accAssign(1, "PUT", `/principals/${g.id}`, { permissions: ["USER"] });
    const seen = (await c.wsAt(1, "GET", `/Groups/${g.id}`)).body;
    expect(seen.meta).toEqual({ resourceType: "Group" });
    expect(seen.members.map((m: Json) => m.value)).toEqual([alice.id]);
    // Members get access: alice is a workspace user through the group (indirectly in `users`).
    const a = (await c.wsAt(1, "GET", `/Users/${alice.id}`)).body;
    expect(a.groups.map((x: Json) => `${x.display}:${x.type}`).sort()).toEqual(["data-team:direct", "users:indirect"]);
    // The v1 list shows the group only (direct assignments).
    expect((await assignedIn(1)).has(Number(alice.id))).toBe(false);

    // Account membership changes reach the workspace.
    await c.acc("PATCH", `/Groups/${g.id}`, patch({ op: "add", path: "members", value: [{ value: bob.id }] }));
    expect((await c.wsAt(1, "GET", `/Users/${bob.id}`)).status).toBe(200);
    await c.acc("PATCH", `/Groups/${g.id}`, patch({ op: "remove", path: `members[value eq "${alice.id}"]` }));
    expect((await c.wsAt(1, "GET", `/Users/${alice.id}`)).status).toBe(404);

    // Workspace-side entitlements on the account group are the workspace's own and survive account changes.
    const ent = await c.wsAt(1, "PATCH", `/Groups/${g.id}`, patch({ op: "replace", path: "entitlements", value: [{ value: "allow-cluster-create" }] }));
    expect(ent.status).toBe(200);
    await c.acc("PATCH", `/Groups/${g.id}`, patch({ op: "add", path: "members", value: [{ value: alice.id }] }));
    expect((await c.wsAt(1, "GET", `/Groups/${g.id}?attributes=entitlements`)).body.entitlements).toEqual([{ value: "allow-cluster-create" }]);
    expect((await c.acc("GET", `/Groups/${g.id}`)).body.entitlements).toBeUndefined();

    // Its membership cannot be edited through workspace SCIM.
    const edit = await c.wsAt(1, "PATCH", `/Groups/${g.id}`, patch({ op: "add", path: "members", value: [{ value: wsLocal.id }] }));
    expect(edit.status).toBe(400);
    expect(edit.body.detail).toBe("Error in performing the patch operation on group resource.");

    // Unassigned: the group and the members it brought disappear.
    await c.accAssign(1, "DELETE", `/principals/${g.id}`);
    const after = await c.wsAt(1, "GET", "/Groups");
    expect(names(after.body)).not.toContain("data-team");
    expect(names(after.body)).toContain("ws1-local");
    expect((await c.wsAt(1, "GET", `/Users/${bob.id}`)).status).toBe(404);
    expect((await c.wsAt(1, "GET", `/Users/${alice.id}`)).status).toBe(404);
  });

  it("workspace SCIM keeps the account's truth: a PUT cannot drop account-group membership; names clash with 409", async () => {
    const carol = await accountUser(c, "carol@example.com");
    const g = await createGroup(c, "carols", { members: [{ value: carol.id }] }, "acc");
    await c.accAssign(1, "PUT", `/principals/${g.id}`, { permissions: ["USER"] });
    // A full replace without `groups` (a client that forgot read-modify-write) leaves the account group's members.
    const put = await c.wsAt(1, "PUT", `/Users/${carol.id}`, { schemas: [URN_USER], userName: "carol@example.com", displayName: "Carol" });
    expect(put.status).toBe(200);
    expect((await c.wsAt(1, "GET", `/Groups/${g.id}`)).body.members.map((m: Json) => m.value)).toEqual([carol.id]);
    expect((await c.acc("GET", `/Users/${carol.id}`)).body.displayName).toBe("Carol");
    // A workspace-local group cannot take an assigned account group's name.
    const clash = await c.wsAt(1, "POST", "/Groups", { schemas: [URN_GROUP], displayName: "carols" });
    expect(clash.status).toBe(409);
    expect(clash.body.detail).toBe("Group with name carols already exists.");
    // Renaming the account group through the workspace is refused; at account level it reaches the workspace.
    const rename = await c.wsAt(1, "PUT", `/Groups/${g.id}`, { displayName: "renamed", members: [{ value: carol.id }] });
    expect(rename.status).toBe(400);
    expect(rename.body.detail).toBe("Group membership cannot be updated through PATCH/PUT requests");
    await c.acc("PATCH", `/Groups/${g.id}`, patch({ op: "replace", path: "displayName", value: "carols-2" }));
    expect((await c.wsAt(1, "GET", `/Groups/${g.id}`)).body.displayName).toBe("carols-2");
  });

  it("unassigning takes the workspace away from the principal's token; a group assignment gives it back", async () => {
    const me = (await c.wsAt(1, "GET", "/Me")).body;
    expect((await c.accAssign(1, "DELETE", `/principals/${me.id}`)).status).toBe(200);
    const denied = await c.wsAt(1, "GET", "/Me");
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ error_code: 403, message: "Invalid access token." });
    // Still a user of the other workspace.
    expect((await c.wsAt(0, "GET", "/Me")).status).toBe(200);
    const admins = await createGroup(c, "ws1-admins", { members: [{ value: me.id }] }, "acc");
    await c.accAssign(1, "PUT", `/principals/${admins.id}`, { permissions: ["ADMIN"] });
    expect((await c.wsAt(1, "GET", "/Me")).status).toBe(200);
    // Admin through the group: admin-only endpoints work.
    expect((await c.wsAt(1, "GET", `/Groups/${admins.id}`)).status).toBe(200);
  });

  it("errors: not federated, unknown workspace, principal not in account, bad ids, other account", async () => {
    const u = await accountUser(c, "errors@example.com");
    const notFed = await c.accAssign(2, "PUT", `/principals/${u.id}`, { permissions: ["USER"] });
    expect(notFed.status).toBe(400);
    expect(notFed.body.message).toBe("Permission assignments not supported for current workspace.");
    const unknownWs = await httpCall("GET", `${c.emu.url}/api/2.0/accounts/${c.emu.accountId}/workspaces/12345/permissionassignments`, undefined, {
      token: c.emu.tokens.accountAdmin,
    });
    expect(unknownWs.status).toBe(404);
    const missing = await c.accAssign(1, "PUT", "/principals/1234567890", { permissions: ["USER"] });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(apiError("RESOURCE_DOES_NOT_EXIST", "Principal not found in account."));
    // A workspace-local group is no account principal.
    const local = (await c.wsAt(1, "POST", "/Groups", { displayName: "only-local" })).body;
    expect((await c.accAssign(1, "PUT", `/principals/${local.id}`, { permissions: ["USER"] })).status).toBe(404);
    const badId = await c.accAssign(1, "PUT", "/principals/alice", { permissions: ["USER"] });
    expect(badId.status).toBe(400);
    const other = await httpCall("GET", `${c.emu.url}/api/2.0/accounts/other-account/workspaces/${c.wsId(1)}/permissionassignments`, undefined, {
      token: c.emu.tokens.accountAdmin,
    });
    expect(other.status).toBe(403);
    // A workspace token is no good on the account API.
    expect((await c.accAssign(1, "GET", "", undefined, c.emu.tokens.admin)).status).toBe(403);
  });

  it("account deletion of a principal removes its assignments and its workspace records", async () => {
    const u = await accountUser(c, "gone@example.com");
    await c.accAssign(0, "PUT", `/principals/${u.id}`, { permissions: ["USER"] });
    await c.accAssign(1, "PUT", `/principals/${u.id}`, { permissions: ["ADMIN"] });
    expect((await c.acc("DELETE", `/Users/${u.id}`)).status).toBe(204);
    for (const i of [0, 1]) {
      expect((await assignedIn(i)).has(Number(u.id))).toBe(false);
      expect((await c.wsAt(i, "GET", `/Users/${u.id}`)).status).toBe(404);
    }
  });

  it("stats and the request log count the assignment endpoints; a permission change has no DELETE", async () => {
    const u = await accountUser(c, "logged@example.com");
    await httpCall("POST", `${c.emu.url}/__emulator/reset-stats`);
    await c.accAssign(1, "PUT", `/principals/${u.id}`, { permissions: ["USER"] });
    await c.accAssign(1, "PUT", `/principals/${u.id}`, { permissions: ["ADMIN"] });
    await c.wsAssign(1, "GET", "");
    const stats = (await httpCall("GET", `${c.emu.url}/__emulator/stats`)).body;
    expect(stats.byResource).toEqual({ "PUT PermissionAssignments account": 2, "GET PermissionAssignments workspace": 1 });
    const log = (await httpCall("GET", `${c.emu.url}/__emulator/requests`)).body.requests as Json[];
    expect(log.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      `PUT /api/2.0/accounts/${c.emu.accountId}/workspaces/${c.wsId(1)}/permissionassignments/principals/${u.id} 200`,
      `PUT /api/2.0/accounts/${c.emu.accountId}/workspaces/${c.wsId(1)}/permissionassignments/principals/${u.id} 200`,
      "GET /api/2.0/preview/permissionassignments 200",
    ]);
    expect(log.some((e) => e.method === "DELETE")).toBe(false);
  });
});
