import { HttpError, NotFoundError, effectivePermission, type PermissionAssignment, type WorkspacePermission } from "../client";
import { sleep } from "../client/sleep";
import { type Checker, isUnknown, scimIdOf, typeName } from "./check";
import type { CallContext } from "./context";
import { defineLifecycle, targetOf } from "./define";
import { ResourceError } from "./errors";
import { unscope } from "./membershipCheck";
import type { TargetInputs } from "./types";
import { claimInCheck } from "./workspaceClaims";

/**
 * WorkspaceAssignment: one account principal's access to one workspace, USER or ADMIN
 * (docs/guides/workspaces-and-the-account.md). At account level it uses the account API for any workspace id; at workspace level (the program
 * only has a workspace connection) the host workspace's own API. A permission change is one PUT (the PUT replaces
 * the set): access is never cut in between, unlike a delete and re-create.
 */
export interface WorkspaceAssignmentInputs extends TargetInputs {
  /** The account-level SCIM id of the user, group or service principal. */
  principalId: string;
  /** Numeric; required at account level, optional at workspace level (the host's workspace). */
  workspaceId?: string;
  /** Exactly one of USER or ADMIN (ADMIN includes USER). */
  permissions: WorkspacePermission[];
}

export interface WorkspaceAssignmentOutputs extends WorkspaceAssignmentInputs {
  /** The principal's name as the assignment shows it (userName, group name or application id). */
  principalName?: string;
}

/** Answers Databricks gives for a while after a workspace or principal was created (and for good, when the workspace is not federated). */
const NOT_YET = [/not in workspace/i, /not supported for current workspace/i, /not available for this workspace/i];

const PERMISSION_HINT = 'Use permissions: ["USER"] (workspace access) or ["ADMIN"] (workspace admin, which includes USER).';

export const workspaceAssignmentLifecycle = defineLifecycle<WorkspaceAssignmentInputs, WorkspaceAssignmentOutputs>({
  prepare: unscope,

  check(c, news, target, ctx) {
    const principalId = checkPrincipalId(c, news.principalId);
    const workspaceId = checkWorkspaceId(c, news.workspaceId, target);
    const permissions = checkPermissions(c, news.permissions);
    if (news.principalType === "group" && news.principalLevel === "workspace") {
      c.fail(
        "principal",
        "is a workspace-level ScimGroup, i.e. a workspace-local group, which cannot be assigned to workspaces (only account groups " +
          'can). Declare the group at account level (level: "account", the account console host and accountId), or look the ' +
          'account group up with getGroup({ displayName, level: "account" }) and pass its id.',
      );
    }
    const inputs: WorkspaceAssignmentInputs = { ...target, principalId: principalId ?? "", permissions };
    if (workspaceId !== undefined) inputs.workspaceId = workspaceId;
    claimInCheck(ctx.workspaces, c, { kind: "WorkspaceAssignment", news, target, principalId, ...(workspaceId !== undefined ? { workspaceId } : {}) });
    return inputs;
  },

  /**
   * Another principal or another workspace is another assignment: a replacement (create first, then delete the
   * old one, which is safe since they differ). A permission change, or reaching the same workspace through the
   * other API, is an update: one PUT.
   */
  diff(olds, news) {
    const replaces: string[] = [];
    if (olds.principalId !== news.principalId) replaces.push("principalId");
    if ((olds.workspaceId ?? "") !== (news.workspaceId ?? "")) replaces.push("workspaceId");
    // At workspace level the host is the workspace: another host without a workspace id on both sides is another workspace.
    const sameWorkspaceKnown = olds.workspaceId !== undefined && olds.workspaceId === news.workspaceId;
    if (!sameWorkspaceKnown && olds.host !== news.host) replaces.push("host");
    const changed: string[] = [];
    if (effectivePermission(olds.permissions) !== effectivePermission(news.permissions)) changed.push("permissions");
    if (olds.level !== news.level) changed.push("level");
    if (olds.host !== news.host && !replaces.includes("host")) changed.push("host");
    if ((olds.accountId ?? "") !== (news.accountId ?? "")) changed.push("accountId");
    return { replaces, changed };
  },

  async create(ctx, inputs) {
    await putWithWait(ctx, inputs);
    // Read back what the server holds (usually there at once; a lagging list is polled within the lag bound).
    const found = await ctx.lag.pollUntilFound(() => ctx.client.assignments.find(inputs.workspaceId, inputs.principalId));
    return { id: assignmentId(inputs), outs: outputsFrom(inputs, found) };
  },

  async read(ctx, _id, props) {
    const found = await ctx.client.assignments.find(props.workspaceId, props.principalId);
    const permission = effectivePermission(found?.permissions);
    // Not there, or left with no permission we know: unassigned in the console.
    if (!found || !permission) return undefined;
    return { ...outputsFrom(props, found), permissions: [permission] };
  },

  inputsAfterRead(outs) {
    const { principalName: _name, ...inputs } = outs;
    return inputs;
  },

  async update(ctx, _id, _olds, news) {
    await putWithWait(ctx, news);
    const found = await ctx.client.assignments.find(news.workspaceId, news.principalId);
    return outputsFrom(news, found);
  },

  async delete(ctx, _id, props) {
    try {
      await ctx.client.assignments.delete(props.workspaceId, props.principalId);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e; // not assigned (any more) is what we wanted
    }
  },
});

/** `<workspaceId>|<principalId>` (the pair Terraform uses); the principal id alone at workspace level without a workspace id. */
export function assignmentId(inputs: WorkspaceAssignmentInputs): string {
  return inputs.workspaceId !== undefined ? `${inputs.workspaceId}|${inputs.principalId}` : inputs.principalId;
}

function outputsFrom(base: WorkspaceAssignmentInputs, found: PermissionAssignment | undefined): WorkspaceAssignmentOutputs {
  const outs: WorkspaceAssignmentOutputs = {
    ...targetOf(base),
    principalId: base.principalId,
    permissions: [...base.permissions],
  };
  if (base.workspaceId !== undefined) outs.workspaceId = base.workspaceId;
  const p = found?.principal;
  const name = p?.user_name ?? p?.group_name ?? p?.service_principal_name ?? p?.display_name;
  if (name !== undefined) outs.principalName = name;
  return outs;
}

/**
 * The PUT, retried while Databricks gives one of its "not yet" answers (right after the workspace, its metastore
 * link or the principal was created), or a 404 for a principal this process has just created; within
 * ctx.settings.assignmentWaitMs (DATABRICKS_SCIM_ASSIGNMENT_WAIT_MS, default 2 min: what UCX waits), then reported
 * with what to do.
 */
async function putWithWait(ctx: CallContext, inputs: WorkspaceAssignmentInputs): Promise<void> {
  const bound = ctx.settings.assignmentWaitMs;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.client.assignments.put(inputs.workspaceId, inputs.principalId, inputs.permissions);
      return;
    } catch (e) {
      const text = e instanceof HttpError ? (e.detail ?? e.message) : "";
      const notYet = e instanceof HttpError && (NOT_YET.some((r) => r.test(text)) || (e instanceof NotFoundError && ctx.lag.isRecent(inputs.principalId)));
      if (!notYet) throw e;
      const delay = Math.min(10_000, 500 * 2 ** attempt);
      if (Date.now() + delay - started > bound)
        throw new ResourceError("ASSIGNMENT_NOT_ACCEPTED", "WorkspaceAssignment", gaveUpMessage(inputs, text, Date.now() - started), { cause: e });
      await sleep(delay);
    }
  }
}

function gaveUpMessage(inputs: WorkspaceAssignmentInputs, text: string, waitedMs: number): string {
  const where = inputs.workspaceId !== undefined ? `workspace ${inputs.workspaceId}` : `the workspace at ${inputs.host}`;
  return (
    `assigning principal ${inputs.principalId} to ${where}, Databricks still answered "${text}" after ` +
    `${Math.round(waitedMs / 1000)} s of retries. Right after a workspace, its metastore assignment or a principal is created ` +
    "Databricks takes a while to accept assignments: run `pulumi up` again, or wait longer with DATABRICKS_SCIM_ASSIGNMENT_WAIT_MS " +
    "(ms). If it persists, the workspace is not identity-federated: attach a Unity Catalog metastore to it (federation is " +
    "automatic for workspaces created since late 2023)."
  );
}

function checkPrincipalId(c: Checker, v: unknown): string | undefined {
  const id = scimIdOf(v);
  if (id !== undefined) return id;
  return c.fail(
    "principal",
    `${v === undefined || v === null ? "is required" : `${typeof v === "string" ? `'${v}'` : typeName(v)} is not an account SCIM id`}: pass an ` +
      'account-level ScimUser, ScimGroup or ScimServicePrincipal, or the numeric id of one (e.g. from getUser({ userName, level: "account" })). ' +
      "A userName, group name or application id is not an id.",
  );
}

function checkWorkspaceId(c: Checker, v: unknown, target: TargetInputs): string | undefined {
  if (isUnknown(v)) return v as string;
  if (v === undefined || v === null) {
    if (target.level === "account") {
      return c.fail(
        "workspaceId",
        "is required with the account API: the numeric workspace id (e.g. an azure-native workspace's workspaceId, or the " +
          "number in the workspace URL adb-<id>.<n>.azuredatabricks.net).",
      );
    }
    return undefined;
  }
  const s = typeof v === "number" && Number.isInteger(v) && v > 0 ? String(v) : typeof v === "string" ? v.trim() : undefined;
  if (s === undefined || !/^\d+$/.test(s)) {
    return c.fail(
      "workspaceId",
      `${typeof v === "string" ? `'${v}'` : typeName(v)} is not a workspace id: expected the numeric id (e.g. 1234567890123456, an ` +
        "azure-native workspace's workspaceId), not a URL or a name.",
    );
  }
  return s;
}

function checkPermissions(c: Checker, v: unknown): WorkspacePermission[] {
  if (isUnknown(v)) return v as unknown as WorkspacePermission[];
  const list = typeof v === "string" ? [v] : v;
  if (!Array.isArray(list) || list.length === 0) {
    c.fail("permissions", `${Array.isArray(list) ? "must not be empty (an empty set would delete the assignment)" : "is required"}. ${PERMISSION_HINT}`);
    return ["USER"];
  }
  const known = new Set<WorkspacePermission>();
  for (const p of list) {
    if (isUnknown(p)) return ["USER"];
    if (p === "USER" || p === "ADMIN") known.add(p);
    else {
      const near = typeof p === "string" && /^(users?|admins?)$/i.test(p) ? ` (case matters: "${p.toUpperCase().replace(/S$/, "")}")` : "";
      c.fail("permissions", `'${String(p)}' is not a workspace permission${near}; Databricks would silently ignore it. ${PERMISSION_HINT}`);
    }
  }
  if (known.size === 2) {
    c.fail("permissions", 'lists both USER and ADMIN; ADMIN includes USER and Databricks keeps only ADMIN. Set ["ADMIN"].');
  }
  return [...known];
}
