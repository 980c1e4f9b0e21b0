// Workspace SCIM writes on an account principal seen in a federated workspace. Users and service principals are
// one identity with the account's: a name or `active` change made through the workspace is the account
// principal's change too. Account groups are managed at account level: "Group membership cannot be updated
// through PATCH/PUT requests" on identity-federated workspaces (Databricks SCIM docs), and renaming one here is refused
// the same way (no text known; refusing keeps clients on the account API).
import type { WriteContext } from "../context";
import { patchFailed, ScimError } from "../errors";
import type { AnyStored, ResourceType } from "../model";
import { accountOwned } from "./sync";

const TEXT_ACCOUNT_GROUP_PUT = "Group membership cannot be updated through PATCH/PUT requests";

export function afterLinkedWrite(ctx: WriteContext, method: "PUT" | "PATCH", kind: ResourceType, id: string): void {
  if (ctx.level !== "workspace" || !ctx.state.isFederated(ctx.tx.workspaceId)) return;
  const obj = ctx.tx.at("workspace").get(kind, id);
  if (!obj || obj.origin !== "account") return;
  const account = ctx.tx.at("account");
  const src = account.get(kind, id);
  if (!src) return;
  // A PUT may have dropped it from account groups' workspace records: the sync puts the account's truth back.
  ctx.tx.resync.add(ctx.tx.workspaceId);
  const mine = accountOwned(kind, obj);
  const theirs = accountOwned(kind, src);
  if (JSON.stringify(mine) === JSON.stringify(theirs)) return;
  if (kind === "Groups") throw method === "PATCH" ? patchFailed("Groups") : new ScimError(400, TEXT_ACCOUNT_GROUP_PUT);
  const copy = account.mutable(kind, id) as AnyStored;
  for (const key of Object.keys(theirs)) if (!(key in mine)) delete (copy as unknown as Record<string, unknown>)[key];
  Object.assign(copy, structuredClone(mine));
  copy.lastModified = ctx.now;
}
