import { addRoles, removeRoles } from "../client/patch";
import type { PatchOperation } from "../client/types";
import { listDelta } from "./entitlements";

/**
 * The PATCH operations that turn `current` roles into `desired`: one `add` with what is missing, and one
 * filtered `remove` (`roles[value eq "x"]`) per extra role, the forms Terraform's role resources send. Deltas,
 * as for entitlements, so that a PATCH only touches roles that differ from what we last read.
 */
export function roleOps(current: readonly string[], desired: readonly string[]): PatchOperation[] {
  const { add, remove } = listDelta(current, desired);
  return [...(add.length ? [addRoles(add)] : []), ...removeRoles(remove)];
}
