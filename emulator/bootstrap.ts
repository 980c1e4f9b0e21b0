// The objects a fresh workspace/account has (SCIM semantics: reserved groups `admins` and `users` in each workspace,
// `account users` in the account, and the principals behind the configured tokens. Built with the ordinary
// write functions so bootstrap data obeys the same rules as anything a client creates. In an
// identity-federated workspace the token users are account users assigned to it (the admin as ADMIN).
import type { WriteContext } from "./context";
import { addMembers } from "./groups";
import type { Identity, StoredGroup } from "./model";
import type { Behaviour, Cloud } from "./options";
import { ACCOUNT_USERS_GROUP, WORKSPACE_ADMINS_GROUP, WORKSPACE_USERS_GROUP } from "./schemas";
import { State, Tx } from "./store";
import { createGroup, createUser } from "./writes";

export function bootstrap(state: State, identity: Identity, behaviour: Behaviour, cloud: Cloud): void {
  const tx = new Tx(state);
  const now = new Date().toISOString();
  const acc: WriteContext = { state, tx, level: "account", behaviour, cloud, now };
  createGroup(acc, { displayName: ACCOUNT_USERS_GROUP });
  createUser(acc, {
    userName: identity.principals.accountAdmin,
    displayName: "Account Admin",
    roles: [{ value: "account_admin" }],
  });
  tx.commit();
  for (const ws of state.workspaces.values()) bootstrapWorkspace(state, ws.workspaceId as string, identity, behaviour, cloud);
}

/** A new workspace's reserved groups and token users (also for a workspace added to a saved state). */
export function bootstrapWorkspace(state: State, workspaceId: string, identity: Identity, behaviour: Behaviour, cloud: Cloud): void {
  const tx = new Tx(state, workspaceId);
  const ws: WriteContext = { state, tx, level: "workspace", behaviour, cloud, now: new Date().toISOString() };
  const adminsId = createGroup(ws, { displayName: WORKSPACE_ADMINS_GROUP });
  // (U) Databricks' default: everyone in `users` may use the workspace and SQL (Databricks: entitlements for
  // everyone are set on `users`); this is also what lets the non-admin token through the entitlement gate.
  createGroup(ws, {
    displayName: WORKSPACE_USERS_GROUP,
    entitlements: [{ value: "workspace-access" }, { value: "databricks-sql-access" }],
  });
  const adminId = createUser(ws, { userName: identity.principals.admin, displayName: "Workspace Admin" });
  createUser(ws, { userName: identity.principals.user, displayName: "Workspace User" });
  addMembers(tx.at("workspace").mutable("Groups", adminsId) as StoredGroup, [{ value: adminId, kind: "Users" }]);
  if (state.isFederated(workspaceId)) tx.at("workspace").setAssignment(adminId, "ADMIN");
  tx.commit();
}
