import { BadRequestError, NotFoundError, type ResourceApi, type ScimClient } from "../client";
import type { ComplexValue, Entitlement } from "../client/types";
import { type Checker, isUnknown, sameSet, scimIdOf } from "./check";
import type { CallContext } from "./context";
import { defineLifecycle, targetOf } from "./define";
import { entitlementOps, fromComplex, toComplex } from "./entitlements";
import { ResourceError } from "./errors";
import { unscope } from "./membershipCheck";
import type { TargetInputs } from "./types";
import { claimInCheck } from "./workspaceClaims";

/**
 * WorkspaceEntitlements: the entitlements of an account principal inside one workspace. Account principals have
 * none of their own; a workspace keeps them on its SCIM object for the principal, which has the account id once
 * the principal is assigned (docs/guides/workspaces-and-the-account.md). The list is enforced exactly: refresh
 * reports any other value, or a removal in the console, as drift, and `up` restores it with one PATCH of deltas.
 */
export type PrincipalType = "user" | "group" | "servicePrincipal";
const PRINCIPAL_TYPES: readonly PrincipalType[] = ["user", "group", "servicePrincipal"];

export interface WorkspaceEntitlementsInputs extends TargetInputs {
  principalId: string;
  principalType: PrincipalType;
  /** Sorted; enforced exactly (an empty list means none). */
  entitlements: Entitlement[];
}

export type WorkspaceEntitlementsOutputs = WorkspaceEntitlementsInputs;

function apiFor(client: ScimClient, type: PrincipalType): ResourceApi<{ id?: string; schemas?: string[]; entitlements?: ComplexValue[] }> {
  return type === "user" ? client.users : type === "group" ? client.groups : client.servicePrincipals;
}

export const workspaceEntitlementsLifecycle = defineLifecycle<WorkspaceEntitlementsInputs, WorkspaceEntitlementsOutputs>({
  prepare: unscope,

  check(c, news, target, ctx) {
    const principalId = checkPrincipalId(c, news.principalId);
    const principalType = checkPrincipalType(c, news.principalType);
    if (target.level === "account" && !isUnknown(target.level)) {
      c.fail(
        "host",
        "WorkspaceEntitlements live in a workspace, not in the account: give the workspace's host (e.g. host: workspace.workspaceUrl, " +
          "an azure-native workspace's URL) or a workspace-level connection. The account principal itself is assigned with WorkspaceAssignment.",
      );
    }
    let entitlements: Entitlement[] = [];
    if (news.entitlements === undefined || news.entitlements === null) {
      c.fail("entitlements", 'is required: the list to enforce, e.g. ["workspace-access", "databricks-sql-access"] (an empty list removes them all).');
    } else {
      entitlements = c.entitlements(news, "workspace") ?? (news.entitlements as Entitlement[]);
    }
    claimInCheck(ctx.workspaces, c, { kind: "WorkspaceEntitlements", news, target, principalId });
    return { ...target, principalId: principalId ?? "", principalType, entitlements };
  },

  /** Another principal or workspace replaces (the old one's entitlements are removed after); a new list is one PATCH. */
  diff(olds, news) {
    const replaces: string[] = [];
    if (olds.principalId !== news.principalId) replaces.push("principalId");
    if (olds.principalType !== news.principalType) replaces.push("principalType");
    if (olds.host !== news.host) replaces.push("host");
    const changed = sameSet(olds.entitlements, news.entitlements) ? [] : ["entitlements"];
    return { replaces, changed };
  },

  async create(ctx, inputs) {
    // Right after its assignment the principal may not be in the workspace's SCIM yet: wait within the lag bound.
    const current = await currentOf(ctx, inputs, { waitForIt: true });
    await converge(ctx, inputs, current);
    return { id: `${inputs.principalType}/${inputs.principalId}`, outs: outputsFrom(inputs, inputs.entitlements) };
  },

  async read(ctx, _id, props) {
    const server = await apiFor(ctx.client, props.principalType).get(props.principalId, { attributes: "entitlements" });
    return outputsFrom(props, fromComplex(server.entitlements));
  },

  inputsAfterRead: (outs) => outs,

  async update(ctx, _id, _olds, news) {
    await converge(ctx, news, await currentOf(ctx, news, { waitForIt: false }));
    return outputsFrom(news, news.entitlements);
  },

  /** Removes the entitlements this resource set (those still there); a principal gone from the workspace has none. */
  async delete(ctx, _id, props) {
    let current: Entitlement[];
    try {
      current = await currentOf(ctx, props, { waitForIt: false });
    } catch (e) {
      if (e instanceof NotFoundError) return;
      throw e;
    }
    const ours = current.filter((e) => props.entitlements.includes(e));
    if (ours.length === 0) return;
    try {
      await apiFor(ctx.client, props.principalType).patch(props.principalId, [{ op: "remove", path: "entitlements", value: toComplex(ours) }]);
    } catch (e) {
      // Gone meanwhile, or Databricks' 400 invalidPath for a principal left with no entitlements: nothing to remove.
      if (e instanceof NotFoundError || (e instanceof BadRequestError && e.scimType === "invalidPath")) return;
      throw e;
    }
  },
});

async function currentOf(ctx: CallContext, inputs: WorkspaceEntitlementsInputs, opts: { waitForIt: boolean }): Promise<Entitlement[]> {
  const get = () => apiFor(ctx.client, inputs.principalType).get(inputs.principalId, { attributes: "entitlements" });
  try {
    const server = await (opts.waitForIt ? ctx.lag.retryNotFound(get) : get());
    return fromComplex(server.entitlements);
  } catch (e) {
    if (!(e instanceof NotFoundError) || !opts.waitForIt) throw e;
    throw new ResourceError(
      "DEPENDENCY_MISSING",
      "principalId",
      `${inputs.principalType} ${inputs.principalId} is not in the workspace at ${inputs.host} ` +
        `(404 for ${Math.round(ctx.lag.boundMs() / 1000)} s). An account principal appears in a workspace once it is assigned: ` +
        "declare a WorkspaceAssignment for it and pass it as `assignment` (so the entitlements are set after it), and check " +
        "that principal is the account-level id.",
      { cause: e },
    );
  }
}

async function converge(ctx: CallContext, inputs: WorkspaceEntitlementsInputs, current: readonly Entitlement[]): Promise<void> {
  const ops = entitlementOps(current, inputs.entitlements);
  if (ops.length > 0) await apiFor(ctx.client, inputs.principalType).patch(inputs.principalId, ops);
}

function outputsFrom(base: WorkspaceEntitlementsInputs, entitlements: readonly Entitlement[]): WorkspaceEntitlementsOutputs {
  return { ...targetOf(base), principalId: base.principalId, principalType: base.principalType, entitlements: [...entitlements].sort() };
}

function checkPrincipalId(c: Checker, v: unknown): string | undefined {
  const id = scimIdOf(v);
  if (id !== undefined) return id;
  return c.fail(
    "principal",
    `${v === undefined || v === null ? "is required" : `'${String(v)}' is not a SCIM id`}: pass the WorkspaceAssignment (assignment: …), ` +
      "an account-level ScimUser, ScimGroup or ScimServicePrincipal, or its numeric account id with principalType.",
  );
}

function checkPrincipalType(c: Checker, v: unknown): PrincipalType {
  if (isUnknown(v)) return v as PrincipalType;
  if (typeof v === "string" && (PRINCIPAL_TYPES as readonly string[]).includes(v)) return v as PrincipalType;
  c.fail(
    "principalType",
    `${v === undefined || v === null ? "is required with a bare principal id" : `'${String(v)}' is not a principal type`}: use ` +
      `${PRINCIPAL_TYPES.map((t) => `"${t}"`).join(", ")} (it picks the workspace SCIM collection), or pass the principal resource.`,
  );
  return "user";
}
