import type { ScimClient, WithId } from "../client";
import { SCHEMA_GROUP, type ScimGroup } from "../client/types";
import { isUnknown } from "./check";
import { defineLifecycle, targetOf } from "./define";
import { aclPrincipalId } from "./derived";
import { ResourceError } from "./errors";
import type { CallContext } from "./context";
import {
  allReportedAttributes,
  checkFields,
  createBody,
  fieldDiff,
  fixedFields,
  optionalFields,
  overlayFields,
  patchOps,
  readAttributes,
  reportedValues,
  type FieldInputs,
} from "./fields";
import { GROUP_FIELDS } from "./groupFields";
import { createOrAdopt, existsError, readAndUpdate, type ScimKind } from "./kind";
import { shadowAtCreate, shadowInCheck } from "./groupShadow";
import { inputsAfterRefresh, managedOf, type Managed } from "./managed";
import { removePrincipal } from "./principal";
import { scimCollectionUrl, targetReplaces } from "./target";
import type { TargetInputs } from "./types";

/** Inputs after check: defaults filled, target resolved (the fields, workspaceLocal among them: ./groupFields.ts). */
export interface GroupInputs extends TargetInputs, FieldInputs<typeof GROUP_FIELDS> {}

const OPTIONAL = optionalFields(GROUP_FIELDS);
const FIXED = fixedFields(GROUP_FIELDS);

export interface GroupOutputs extends GroupInputs, Managed<string> {
  /** groups/<displayName>, for permission resources. */
  aclPrincipalId: string;
  /** The group's SCIM URL. */
  url: string;
}

/** Built into every workspace (admins, users) or account (account users): never created or renamed to. */
const RESERVED = ["admins", "users", "account users"];

/**
 * For the natural-key lookup on adopt: never `members`, and `entitlements` only when the program manages them
 * (Databricks computes them with an effective-permission scan). Refresh does not use this: it reads each group
 * once per run through the context's group reads (runtime/groupMembersCache.ts), shared with its memberships.
 */
function attributesFor(target: TargetInputs, managed: readonly string[]): string {
  return readAttributes(GROUP_FIELDS, { level: target.level, managed });
}

/**
 * What the one read per group per run asks for (runtime/groupMembersCache.ts): every field ScimGroup's table
 * reports, at this level, whether or not this resource manages it (the read is shared by every resource of the
 * group, so it cannot know), then the members and meta. Entitlements are costly for the server to compute (a
 * permission scan), but this is one request per group per run, and they exist only in workspaces.
 */
export function groupSnapshotAttributes(level: string): string {
  return `${allReportedAttributes(GROUP_FIELDS, level)},members,meta`;
}

const groupKind: ScimKind<ScimGroup, GroupInputs, GroupOutputs> = {
  api: (client: ScimClient) => client.groups,
  readAttributes: (props) => attributesFor(props, managedOf(props, OPTIONAL)),
  // One read per group per run, shared with the group's GroupMembership/GroupMembers reads.
  read: (ctx, id) => ctx.groups.snapshot(id),
  outputsFrom,
  patchOps: (olds, news) => patchOps(GROUP_FIELDS, olds, news),
  outputsAfterUpdate: (olds, news) => {
    const outs = overlayFields(GROUP_FIELDS, olds, news);
    return { ...outs, aclPrincipalId: aclPrincipalId("groups", outs.displayName) };
  },
  inputsFrom: (outs) => inputsAfterRefresh<GroupInputs>(outs, FIXED),
};

export const groupLifecycle = defineLifecycle<GroupInputs, GroupOutputs>({
  check(c, news, target, ctx) {
    const inputs: GroupInputs = { ...target, ...checkFields(c, news, GROUP_FIELDS, target.level) };
    if (inputs.displayName !== "" && !isUnknown(inputs.displayName) && RESERVED.includes(inputs.displayName.trim().toLowerCase())) {
      c.fail("displayName", reservedMessage(inputs.displayName));
    }
    // An account group and a workspace-level group of one name in this program: refused here, at preview (./groupShadow.ts).
    shadowInCheck(ctx.groupNames, c, news, inputs, isUnknown(news.workspaceLocal));
    return inputs;
  },

  /** Where a group's diff is decided: a new name is a rename in place; only a new target replaces. */
  diff(olds, news) {
    const fields = fieldDiff(GROUP_FIELDS, olds, news);
    return { replaces: [...targetReplaces(olds, news), ...fields.replaces], changed: fields.changed };
  },

  async create(ctx, inputs) {
    const client = ctx.client;
    const managed = managedOf(inputs, OPTIONAL);
    const shadow = await shadowAtCreate(ctx.groupNames, inputs);
    if (shadow) throw new ResourceError("GROUP_SHADOW", "displayName", shadow);
    const accountGroup = await unassignedAccountGroup(ctx, inputs);
    if (accountGroup) throw accountGroupError(inputs, accountGroup.id, "account");
    return createOrAdopt(ctx, {
      kind: groupKind,
      inputs,
      body: createBody<ScimGroup>(GROUP_FIELDS, inputs, SCHEMA_GROUP),
      find: () => client.groups.findByDisplayName(inputs.displayName, { attributes: `${attributesFor(inputs, managed)},meta` }),
      exists: (existing, conflict) =>
        isAccountGroupInWorkspace(inputs, existing)
          ? accountGroupError(inputs, existing.id, "workspace")
          : existsError("displayName", "group", inputs.displayName, inputs, existing, conflict),
      refusal: (existing) => adoptionRefusal(inputs, existing),
      // The group's members are then known without a read: the GroupMembers create that follows sends only its
      // PATCH (runtime/groupMembersCache.ts says why a member added elsewhere meanwhile is acceptable).
      posted: (group) => ctx.groups.created(group),
      kindName: "group",
      naturalKey: inputs.displayName,
      keyOf: (g) => g.displayName,
    });
  },

  ...readAndUpdate(groupKind),

  async delete(ctx, id) {
    await removePrincipal(ctx, ctx.client.groups, id, "delete");
  },
});

/**
 * On an identity-federated workspace, an account group of this name that the workspace does not show yet
 * (not assigned): a POST would make a separate workspace-local group of the same name, with no error. Asked of
 * the workspace host's proxy of account SCIM, one filtered LIST. The first such create on a host is also the
 * probe: a 404, 403 or 405 (no federation, or a caller the proxy does not serve) is no answer, the create goes
 * on as before, and no later create of this run asks that host again (client/accountGroupsProxy.ts).
 */
async function unassignedAccountGroup(ctx: CallContext, inputs: GroupInputs): Promise<WithId<ScimGroup> | undefined> {
  if (inputs.level !== "workspace" || inputs.workspaceLocal) return undefined;
  const proxy = ctx.client.accountGroupsViaWorkspace;
  if (!proxy) return undefined;
  let answer;
  try {
    answer = await proxy.findByDisplayName(inputs.displayName);
  } catch (e) {
    // The client's error names this lookup's GET (on the account's SCIM path), which reads like the create's
    // own request: say that the create stopped at the lookup and sent no POST. The error keeps its class.
    if (e instanceof Error) {
      e.message =
        `creating group '${inputs.displayName}' in ${inputs.host} stopped before its POST, at the look-up of account groups ` +
        `of that name that the POST needs (through the workspace's proxy of account SCIM); no group was created: ${e.message}`;
    }
    throw e;
  }
  return answer.available ? answer.group : undefined;
}

/** An account group the workspace shows (assigned to it): workspace SCIM says `meta.resourceType` "Group". */
function isAccountGroupInWorkspace(inputs: GroupInputs, existing: WithId<ScimGroup> | undefined): existing is WithId<ScimGroup> {
  return inputs.level === "workspace" && existing?.meta?.resourceType === "Group";
}

/**
 * The most reported confusion with identity federation: a workspace-level group meant to be the account group
 * of that name. Said at `up`, before anything is made (docs/guides/workspaces-and-the-account.md).
 * `seenIn`: "workspace" when the workspace's SCIM shows the group (assigned), "account" when only its account's proxy does. */
function accountGroupError(inputs: GroupInputs, id: string, seenIn: "workspace" | "account"): ResourceError {
  const name = inputs.displayName;
  if (inputs.workspaceLocal) {
    return new ResourceError(
      "ACCOUNT_GROUP_NAME",
      "displayName",
      `'${name}' is the name of an account group (id ${id}) in the workspace at ${inputs.host}, so a workspace-local ` +
        "group cannot have it. Give the local group another name, or use the account group (remove workspaceLocal).",
    );
  }
  return new ResourceError(
    "ACCOUNT_GROUP_NAME",
    "displayName",
    `'${name}' is an account group (id ${id}) in the identity-federated workspace at ${inputs.host}` +
      (seenIn === "workspace" ? "" : " (found in its account, through the workspace's proxy of account SCIM)") +
      "; a workspace-level " +
      "ScimGroup would be a separate workspace-local group, which Unity Catalog grants and other workspaces cannot use. Use the " +
      `account group instead: declare it at account level (level: "account"), or look it up with getGroup({ displayName: "${name}", ` +
      'level: "account" }); give it access with WorkspaceAssignment and its entitlements here with WorkspaceEntitlements. To make a ' +
      (seenIn === "workspace"
        ? "workspace-local group on purpose, set workspaceLocal: true (and another name)."
        : "workspace-local group on purpose, set workspaceLocal: true (and another name, if the account group is assigned to this workspace)."),
  );
}

function reservedMessage(name: string): string {
  return (
    `'${name}' is a built-in Databricks group (admins and users in every workspace, account users in every account): ` +
    "it cannot be created, adopted or renamed to. To manage its members, look it up with " +
    `getGroup({ displayName: "${name.trim()}" }) and pass its id to GroupMembership or GroupMembers; to grant ` +
    "entitlements or roles, set them on a group of your own (or on its users and service principals)."
  );
}

/**
 * Adopting takes over the group's name, externalId, entitlements and roles. Refused when someone else owns it:
 * an IdP connector (it has an externalId the program does not repeat, and the connector would fight every
 * change), or the account (an account group seen in a workspace, which workspace SCIM cannot manage).
 */
function adoptionRefusal(inputs: GroupInputs, existing: WithId<ScimGroup>): ResourceError | undefined {
  const where = `the group '${existing.displayName ?? inputs.displayName}' (id ${existing.id}) in ${inputs.host}`;
  if (existing.externalId !== undefined && existing.externalId !== inputs.externalId) {
    return new ResourceError(
      "ADOPT_REFUSED",
      "externalId",
      `${where} is owned by an identity provider connector (externalId '${existing.externalId}'); ` +
        "adopting it would fight the connector's sync. Leave it to the IdP and use it through getGroup(), or, to " +
        `take it over anyway, set externalId: "${existing.externalId}" on this resource.`,
    );
  }
  if (inputs.level === "workspace" && existing.meta?.resourceType === "Group") {
    return new ResourceError(
      "ADOPT_REFUSED",
      "displayName",
      `${where} is an account group assigned to this workspace, which workspace SCIM cannot manage. ` +
        'Declare it at account level (level: "account", the account console host and accountId), or use it through getGroup().',
    );
  }
  return undefined;
}

function outputsFrom(base: GroupInputs | GroupOutputs, group: ScimGroup): GroupOutputs {
  const outs = { ...targetOf(base), ...reportedValues(GROUP_FIELDS, base, group) };
  return {
    ...outs,
    aclPrincipalId: aclPrincipalId("groups", outs.displayName),
    url: "url" in base ? base.url : `${scimCollectionUrl(base, "Groups")}/${group.id ?? ""}`,
  };
}
