import { NotFoundError, type ResourceApi } from "../client";
import type { ComplexValue, Entitlement } from "../client/types";
import type { Checker } from "./check";
import type { CallContext } from "./context";
import { targetOf } from "./define";
import { fromComplex } from "./entitlements";
import { managedOf } from "./managed";
import type { DeletionPolicy, TargetInputs } from "./types";

/**
 * What users and service principals have in common: they can be deactivated, carry entitlements and roles, are
 * adopted on request, and are either deleted or deactivated when the resource goes.
 */
export interface PrincipalInputs extends TargetInputs {
  displayName?: string;
  active: boolean;
  externalId?: string;
  /** Sorted; undefined = not managed here. Workspace level only. */
  entitlements?: Entitlement[];
  /** Sorted; undefined = not managed here. */
  roles?: string[];
  onDelete: DeletionPolicy;
  adopt: boolean;
}

/** The inputs every kind always has after check (never unmanaged), kept as they are after a refresh. */
export const PRINCIPAL_FIXED = ["active", "onDelete", "adopt"] as const;

/** Validates the shared inputs; `displayNameHint` says what omitting displayName means for this kind. */
export function checkPrincipal(
  c: Checker,
  news: Record<string, unknown>,
  target: TargetInputs,
  displayNameHint: string,
): Omit<PrincipalInputs, keyof TargetInputs> {
  const out: Omit<PrincipalInputs, keyof TargetInputs> = {
    active: c.boolean(news, "active", true),
    onDelete: c.oneOf(news, "onDelete", ["delete", "deactivate"] as const, "delete"),
    adopt: c.boolean(news, "adopt", false),
  };
  const displayName = c.optionalString(news, "displayName", displayNameHint);
  if (displayName !== undefined) out.displayName = displayName;
  return { ...out, ...checkIdentity(c, news, target) };
}

/** The optional inputs groups share with users and service principals; only those the program set. */
export function checkIdentity(
  c: Checker,
  news: Record<string, unknown>,
  target: TargetInputs,
): Pick<PrincipalInputs, "externalId" | "entitlements" | "roles"> {
  const out: Pick<PrincipalInputs, "externalId" | "entitlements" | "roles"> = {};
  const externalId = c.optionalString(news, "externalId", "Omit it unless an identity provider needs it.");
  const entitlements = c.entitlements(news, target.level);
  const roles = c.roles(news, target.level);
  if (externalId !== undefined) out.externalId = externalId;
  if (entitlements !== undefined) out.entitlements = entitlements;
  if (roles !== undefined) out.roles = roles;
  return out;
}

/** What the server says of the shared fields. */
interface ServerPrincipal {
  displayName?: string;
  active?: boolean;
  externalId?: string;
  entitlements?: ComplexValue[];
  roles?: ComplexValue[];
}

/** The shared part of the outputs: server values, plus the program's settings that live only in state. */
export function principalOutputs<F extends string>(base: PrincipalInputs, server: ServerPrincipal, optional: readonly F[]) {
  const outs: PrincipalInputs & { managed: F[] } = {
    ...targetOf(base),
    active: server.active ?? true,
    onDelete: base.onDelete,
    adopt: base.adopt,
    roles: fromComplex<string>(server.roles),
    managed: managedOf(base, optional),
  };
  if (server.displayName !== undefined) outs.displayName = server.displayName;
  if (server.externalId !== undefined) outs.externalId = server.externalId;
  // Account-level principals have no entitlements at all (spec §2).
  if (base.level === "workspace") outs.entitlements = fromComplex(server.entitlements);
  return outs;
}

/** Removing the resource: DELETE, or `active: false` when the program chose to keep the principal. */
export async function removePrincipal<T extends { id?: string }>(
  ctx: CallContext,
  api: ResourceApi<T>,
  id: string,
  policy: DeletionPolicy,
): Promise<void> {
  try {
    if (policy === "deactivate") await api.patch(id, [{ op: "replace", path: "active", value: false }]);
    else await api.delete(id);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e; // already gone is what we wanted
  }
  // No later create may take it over as "made by an interrupted run" (a deactivated principal still exists).
  ctx.journal.recordDeleted(id);
}
