import { NotFoundError, type ResourceApi } from "../client";
import type { CallContext } from "./context";
import type { DeletionPolicy } from "./types";

/**
 * Removing a user, service principal or group: DELETE, or `active: false` when the program chose to keep the
 * principal (onDelete: "deactivate").
 */
export async function removePrincipal<T extends { id?: string }>(ctx: CallContext, api: ResourceApi<T>, id: string, policy: DeletionPolicy): Promise<void> {
  try {
    if (policy === "deactivate") await api.patch(id, [{ op: "replace", path: "active", value: false }]);
    else await api.delete(id);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e; // already gone is what we wanted
  }
  // No later create may take it over as "made by an interrupted run" (a deactivated principal still exists).
  ctx.journal.recordDeleted(id);
}
